"""
The two reference views that `make bench` measures the site's pages against, in the same
run: a constant response, the floor of what the framework can serve, and a trivial template.
They exist only when BENCHMARK_VIEWS=true, and are never cached (publishing/middleware.py).
"""

from django.http import HttpResponse
from django.urls import path
from django.views.generic import TemplateView


def constant(request):
    return HttpResponse(b"ok", content_type="text/plain")


class TrivialTemplateView(TemplateView):
    template_name = "bench/trivial.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(items=range(10), **kwargs)


urlpatterns = [
    path("constant", constant, name="constant"),
    path("template", TrivialTemplateView.as_view(), name="template"),
]

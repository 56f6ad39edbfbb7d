"""
The two reference views that `make bench` measures the site's pages against, in the same
run: a constant response, the floor of what the framework can serve, and a trivial template.
They exist only when BENCHMARK_VIEWS=true, and are never cached (publishing/middleware.py);
the site then also counts each response's queries (QueryCountMiddleware).
"""

from contextlib import ExitStack

from django.db import connections
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


class QueryCountMiddleware:
    """With BENCHMARK_VIEWS on, each response says in `X-Query-Count` how many queries it took."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(count))
            response = self.get_response(request)
        response["X-Query-Count"] = str(len(queries))
        return response

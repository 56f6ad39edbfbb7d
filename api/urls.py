from django.urls import path, re_path
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotFound
from rest_framework.routers import APIRootView, DefaultRouter
from rest_framework.views import APIView

from linkeddata.licence import licensed_patterns

from . import views


class SchemaView(SpectacularAPIView):
    """
    The OpenAPI 3 schema: YAML by default, JSON with `?format=json` (or by content
    negotiation). In English unless `?lang=fr`, whatever Accept-Language says.
    """

    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        with translation.override("en"):
            response = super().dispatch(request, *args, **kwargs)
            response.render()
        return response


class ApiRootView(APIRootView):
    """The addresses of the lists."""

    http_method_names = ["get", "head"]


class CatalogueRouter(DefaultRouter):
    """The lists at `/api/<name>/`, each record at `/api/<name>/<slug>/`, the lists' addresses at `/api/`."""

    APIRootView = ApiRootView
    # One address per resource: no `/api/events.json` twin.
    include_format_suffixes = False


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """
    Any other address under `/api/`, such as a slug with characters no slug has: a 404 in
    JSON, like the API's own, rather than the site's HTML page.
    """

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        raise NotFound


router = CatalogueRouter()
router.register("events", views.EventViewSet, basename="event")
router.register("instruments", views.InstrumentViewSet, basename="instrument")
router.register("bodies", views.BodyViewSet, basename="body")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("uncac/articles", views.ArticleViewSet, basename="article")

app_name = "api"
urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    *router.urls,
    # Only addresses that end with a slash, so that `/api/events` is still redirected to `/api/events/`.
    re_path(r"^[\s\S]*/$", NotFoundView.as_view()),
]
# Every answer names the licence of the data (linkeddata/licence.py).
urlpatterns = licensed_patterns(urlpatterns)

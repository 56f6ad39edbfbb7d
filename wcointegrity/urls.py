from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

# Public pages carry their language (/en/events/, /fr/events/); an address without one,
# such as a link shared before languages came, is redirected by LocaleMiddleware.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("pages.root_urls")),
    path("", include("health.urls")),
    path("api/", include("api.urls")),
    # The documents' files: one address for every language, as they are.
    path("documents/", include("documents.urls")),
    *i18n_patterns(
        path("", include("pages.urls")),
        path("events/", include("events.urls")),
        path("timeline/", include("events.timeline")),
        path("instruments/", include("instruments.urls")),
        path("bodies/", include("bodies.urls")),
        path("topics/", include("topics.urls")),
        path("uncac/", include("uncac.urls")),
        path("alerts/", include("alerts.urls")),
        path("changes/", include("changes.urls")),
    ),
]

if settings.BENCHMARK_VIEWS:
    urlpatterns.append(path("bench/", include(("pages.benchmark", "bench"))))

handler404 = "pages.views.page_not_found"

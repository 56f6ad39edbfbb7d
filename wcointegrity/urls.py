from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from bodies.sitemaps import BodySitemap
from events.sitemaps import EventSitemap
from events.timeline import TimelineView
from instruments.sitemaps import InstrumentSitemap
from topics.sitemaps import TopicSitemap
from uncac.sitemaps import ArticleSitemap, ChapterSitemap

from . import health
from .sitemaps import ListSitemap
from .views import HomeView, RobotsView

SITEMAPS = {
    "lists": ListSitemap,
    "events": EventSitemap,
    "instruments": InstrumentSitemap,
    "bodies": BodySitemap,
    "topics": TopicSitemap,
    "uncac-chapters": ChapterSitemap,
    "uncac": ArticleSitemap,
}

# Public pages carry their language (/en/events/, /fr/events/); an address without one,
# such as a link shared before languages came, is redirected by LocaleMiddleware.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    path("api/", include("api.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    *i18n_patterns(
        path("", HomeView.as_view(), name="home"),
        path("events/", include("events.urls")),
        path("timeline/", TimelineView.as_view(), name="timeline"),
        path("instruments/", include("instruments.urls")),
        path("bodies/", include("bodies.urls")),
        path("topics/", include("topics.urls")),
        path("uncac/", include("uncac.urls")),
        path("search/", include("search.urls")),
    ),
]

if settings.BENCHMARK_VIEWS:
    urlpatterns.append(path("bench/", include(("wcointegrity.benchmark", "bench"))))

handler404 = "wcointegrity.views.page_not_found"

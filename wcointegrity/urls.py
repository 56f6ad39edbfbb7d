from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from .views import HomeView

# Public pages carry their language (/en/events/, /fr/events/); an address without one,
# such as a link shared before languages came, is redirected by LocaleMiddleware.
urlpatterns = [
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", HomeView.as_view(), name="home"),
        path("events/", include("events.urls")),
        path("instruments/", include("instruments.urls")),
        path("bodies/", include("bodies.urls")),
        path("topics/", include("topics.urls")),
        path("uncac/", include("uncac.urls")),
    ),
]

handler404 = "wcointegrity.views.page_not_found"

from django.contrib import admin
from django.urls import include, path

from .views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("events/", include("events.urls")),
    path("instruments/", include("instruments.urls")),
    path("bodies/", include("bodies.urls")),
    path("topics/", include("topics.urls")),
    path("uncac/", include("uncac.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "wcointegrity.views.page_not_found"

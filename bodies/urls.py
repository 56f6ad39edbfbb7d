from django.urls import path

from . import views
from .feeds import BodyFeed

app_name = "bodies"
urlpatterns = [
    path("", views.BodyListView.as_view(), name="list"),
    path("<slug:slug>/", views.BodyDetailView.as_view(), name="detail"),
    path("<slug:slug>/feed/", BodyFeed(), name="feed"),
]

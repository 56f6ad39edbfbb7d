from django.urls import path

from . import views
from .feeds import TopicFeed

app_name = "topics"
urlpatterns = [
    path("", views.TopicListView.as_view(), name="list"),
    path("<slug:slug>/", views.TopicDetailView.as_view(), name="detail"),
    path("<slug:slug>/feed/", TopicFeed(), name="feed"),
]

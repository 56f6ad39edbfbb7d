from django.urls import path

from events.feeds import TopicFeed

from . import views

app_name = "topics"
urlpatterns = [
    path("", views.TopicListView.as_view(), name="list"),
    path("<slug:slug>/", views.TopicDetailView.as_view(), name="detail"),
    path("<slug:slug>/feed/", TopicFeed(), name="feed"),
]

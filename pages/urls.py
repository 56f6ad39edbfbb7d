"""The home page and the search of the whole catalogue, in each language."""

from django.urls import path

from .search import SearchFeed, SearchView
from .views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
    path("search/feed/", SearchFeed(), name="search_feed"),
]

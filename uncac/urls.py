from django.urls import path

from . import views

app_name = "uncac"
urlpatterns = [
    path("", views.ChapterListView.as_view(), name="index"),
    path("articles/<int:number>/", views.ArticleDetailView.as_view(), name="article"),
]

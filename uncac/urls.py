from django.urls import path

from . import views

app_name = "uncac"
urlpatterns = [
    path("", views.ChapterListView.as_view(), name="index"),
    path("chapters/<int:number>/", views.ChapterDetailView.as_view(), name="chapter"),
    path("articles/<int:number>/", views.ArticleDetailView.as_view(), name="article"),
]

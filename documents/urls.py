from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/<str:file_name>", views.DocumentFileView.as_view(), name="file"),
]

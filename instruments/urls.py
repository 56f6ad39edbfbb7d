from django.urls import path

from . import views

app_name = "instruments"
urlpatterns = [
    path("", views.InstrumentListView.as_view(), name="list"),
    path("<slug:slug>/", views.InstrumentDetailView.as_view(), name="detail"),
    path("<slug:slug>/preview/", views.InstrumentPreviewView.as_view(), name="preview"),
]

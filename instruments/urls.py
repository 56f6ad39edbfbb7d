from django.urls import path

from citations.views import citation_urls

from . import views
from .exports import InstrumentExportView
from .feeds import InstrumentFeed

app_name = "instruments"
urlpatterns = [
    path("", views.InstrumentListView.as_view(), name="list"),
    path("export.csv", InstrumentExportView.as_view(file_format="csv"), name="export_csv"),
    path("export.json", InstrumentExportView.as_view(file_format="json"), name="export_json"),
    path("feed/", InstrumentFeed(), name="feed"),
    path("<slug:slug>/", views.InstrumentDetailView.as_view(), name="detail"),
    path("<slug:slug>/preview/", views.InstrumentPreviewView.as_view(), name="preview"),
    *citation_urls(views.InstrumentListView, views.InstrumentDetailView),
]

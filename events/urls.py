from django.urls import path

from citations.views import citation_urls

from . import views
from .calendars import EventCalendarView, SingleEventCalendarView
from .exports import EventExportView
from .feeds import EventFeed

app_name = "events"
urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("export.csv", EventExportView.as_view(file_format="csv"), name="export_csv"),
    path("export.json", EventExportView.as_view(file_format="json"), name="export_json"),
    path("calendar.ics", EventCalendarView.as_view(), name="calendar"),
    path("feed/", EventFeed(), name="feed"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/preview/", views.EventPreviewView.as_view(), name="preview"),
    path("<slug:slug>/calendar.ics", SingleEventCalendarView.as_view(), name="event_calendar"),
    *citation_urls(views.EventListView, views.EventDetailView),
]

from django.urls import path

from catalogue.records import record_types

from . import views
from .feeds import ChangesFeed

app_name = "changes"
urlpatterns = [
    path("", views.RecentChangesView.as_view(), name="recent"),
    path("feed/", ChangesFeed(), name="feed"),
    # The page of one record's corrections, for each kind of record: changes:event, changes:instrument.
    *(
        path(f"{record_type.name}/<slug:slug>/", views.RecordChangesView.of(record_type.model), name=record_type.name)
        for record_type in record_types()
    ),
]

from django.urls import path

from . import views
from .lists import kinds

app_name = "alerts"
urlpatterns = [
    # One page for each kind of record registered with the catalogue: /alerts/new/events/, `alerts:new_events`.
    *(path(f"new/{kind}/", views.SubscribeView.as_view(kind=kind), name=f"new_{kind}") for kind in kinds()),
    path("confirm/", views.ConfirmView.as_view(), name="confirm"),
    path("unsubscribe/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("manage/", views.ManageRequestView.as_view(), name="manage"),
    path("mine/", views.ManageView.as_view(), name="mine"),
]

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from editorial.twofactor import is_administrator

from .models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """
    The email alerts, read-only: the staff roles (editorial/roles.py) see how many there are, by
    kind, frequency, language and state; only administrators see the addresses, and may delete an alert.
    """

    list_display = ["kind", "query", "frequency", "language", "is_confirmed", "created_at", "digested_until"]
    list_filter = ["kind", "frequency", "language", ("confirmed_at", admin.EmptyFieldListFilter)]
    show_facets = admin.ShowFacets.ALWAYS
    list_select_related = ["subscriber"]
    list_display_links = None
    search_fields = []

    def get_list_display(self, request):
        if is_administrator(request.user):
            return ["subscriber", *self.list_display]
        return self.list_display

    def get_search_fields(self, request):
        return ["subscriber__address"] if is_administrator(request.user) else []

    @admin.display(boolean=True, description=_("confirmed"), ordering="confirmed_at")
    def is_confirmed(self, obj):
        return obj.is_confirmed

    def has_view_permission(self, request, obj=None):
        # The list and its counts for the staff roles; an alert itself, with its address, for administrators.
        return super().has_view_permission(request, obj) and (obj is None or is_administrator(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalogue.collation import sort_key
from publishing.models import Publishable

from . import twofactor
from .forms import StaffAuthenticationForm

DASHBOARD_ROWS = 10


class CatalogueAdminSite(admin.AdminSite):
    """The staff back office: a login with a second factor (editorial.twofactor), and a dashboard of work to do."""

    site_header = _("WCO Integrity Catalogue: staff")
    site_title = _("WCO Integrity Catalogue")
    login_form = StaffAuthenticationForm

    def has_permission(self, request):
        return super().has_permission(request) and self.two_factor_satisfied(request)

    def two_factor_satisfied(self, request):
        """
        twofactor.is_satisfied for the request's user, worked out once a request (two queries
        for an unverified user): the admin asks at its door, then again for the page's menus.
        Kept for that user in that state of verification, so a login or a verification within
        the request is asked anew.
        """
        user = request.user
        answers = request.__dict__.setdefault("_two_factor_answers", {})
        key = (user.pk, user.is_verified())
        if key not in answers:
            answers[key] = twofactor.is_satisfied(user)
        return answers[key]

    def index(self, request, extra_context=None):
        return super().index(request, {"worklists": self.worklists(request), **(extra_context or {})})

    def worklists(self, request):
        """What awaits review and what is scheduled, for each kind of record the user may see."""
        lists = []
        for model in self.publishable_models():
            opts = model._meta
            if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
                continue
            changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist", current_app=self.name)
            for title, queryset, state in [
                (_("Awaiting review"), model.objects.awaiting_review(), "in_review"),
                (_("Scheduled"), model.objects.scheduled().order_by("publish_at"), "scheduled"),
            ]:
                lists.append(
                    {
                        "title": title,
                        "model_name": opts.verbose_name_plural,
                        "count": queryset.count(),
                        "all_url": f"{changelist}?state={state}",
                        "records": [
                            {
                                "record": record,
                                "change_url": reverse(
                                    f"admin:{opts.app_label}_{opts.model_name}_change",
                                    args=[record.pk],
                                    current_app=self.name,
                                ),
                                "preview_url": reverse(f"{opts.app_label}:preview", kwargs={"slug": record.slug}),
                            }
                            for record in queryset[:DASHBOARD_ROWS]
                        ],
                    }
                )
        return lists

    def publishable_models(self):
        """The kinds of record with a workflow that the admin shows, in alphabetical order."""
        models = [model for model in self._registry if issubclass(model, Publishable)]
        return sorted(models, key=lambda model: sort_key(str(model._meta.verbose_name_plural)))

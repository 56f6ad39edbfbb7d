"""
The pages of the email alerts. None of them says whether an address has an alert: a request
for an alert or for the management link is answered with the same page and status whatever
the address, after the same queries, and the mails are sent by the worker (tasks.py).
Every page here carries a form or a token: none is kept by the public cache or a browser's.
"""

from django.core import signing
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import classproperty
from django.utils.translation import get_language
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from publishing.parameters import filterset_parameters
from ratelimits.middleware import too_many_requests

from . import limits, tokens
from .forms import ManageRequestForm, SubscribeForm
from .lists import MAX_QUERY_LENGTH, FollowedList, kinds
from .models import CONFIRMATION_MAX_AGE, Subscriber, Subscription
from .tasks import send_confirmation, send_manage_link

TOKEN_PARAMETERS = ("token",)


@method_decorator(never_cache, name="dispatch")
class SubscribeView(View):
    """
    `/alerts/new/<kind>/?<the list's filters>`: what the alert will follow, in the page's
    language, and the form that asks for it. Invalid filters are refused as the list refuses them.
    """

    template_name = "alerts/subscribe.html"
    # The app label of a registered kind of record (urls.py).
    kind = None

    @classproperty
    def query_parameters(cls):
        return frozenset().union(*(filterset_parameters(record_type.filterset) for record_type in kinds().values()))

    def dispatch(self, request):
        self.followed = FollowedList.of(self.kind, request.GET)
        return super().dispatch(request)

    def refusal(self):
        """The page that says why these filters cannot be followed, or None."""
        if not self.followed.is_valid:
            return self.render(None, status=400, errors=self.followed.errors)
        if len(self.followed.query) > MAX_QUERY_LENGTH:
            return self.render(None, status=400, too_long=True)
        return None

    def render(self, form, status=200, **context):
        return render(
            self.request,
            self.template_name,
            {"followed": self.followed, "form": form, "list_path": self.followed.list_path(), **context},
            status=status,
        )

    def get(self, request):
        return self.refusal() or self.render(SubscribeForm())

    def post(self, request):
        if refused := self.refusal():
            return refused
        form = SubscribeForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        if retry_after := limits.client_retry_after(request):
            return too_many_requests(request, retry_after)
        address = form.cleaned_data["address"]
        if not limits.address_spent(request, address):
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    subscriber=stored_subscriber(address),
                    kind=self.followed.kind,
                    query=self.followed.query,
                    frequency=form.cleaned_data["frequency"],
                    language=get_language(),
                )
                pk = subscription.pk
                transaction.on_commit(lambda: send_confirmation.enqueue(pk))
        return render(
            request,
            "alerts/requested.html",
            {"followed": self.followed, "list_path": self.followed.list_path(), "days": CONFIRMATION_MAX_AGE.days},
        )


def stored_subscriber(address):
    """The subscriber of `address`, made if new, in one statement either way."""
    subscriber = Subscriber(address=address)
    Subscriber.objects.bulk_create(
        [subscriber], update_conflicts=True, unique_fields=["address"], update_fields=["address"]
    )
    return subscriber


@method_decorator(never_cache, name="dispatch")
class ManageRequestView(View):
    """`/alerts/manage/`: a link to all the alerts of an address, mailed to it."""

    template_name = "alerts/manage_request.html"
    query_parameters = ()

    def get(self, request):
        return render(request, self.template_name, {"form": ManageRequestForm()})

    def post(self, request):
        form = ManageRequestForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        if retry_after := limits.client_retry_after(request):
            return too_many_requests(request, retry_after)
        address = form.cleaned_data["address"]
        if not limits.address_spent(request, address):
            # A task in either case, the same query and the same write: an unknown address's sends nothing.
            pk = Subscriber.objects.filter(address=address).values_list("pk", flat=True).first()
            language = get_language()
            transaction.on_commit(lambda: send_manage_link.enqueue(pk, language))
        return render(
            request, "alerts/manage_requested.html", {"hours": int(tokens.MANAGE_MAX_AGE.total_seconds() // 3600)}
        )


class TokenView(View):
    """
    A page of a link mailed to an address: its token in the query string, never in the path that
    is logged. The token is read before anything else: an expired or altered one is refused, one
    whose alert or address is gone answers `gone()`; otherwise `self.found` is what it names.
    """

    query_parameters = TOKEN_PARAMETERS

    def dispatch(self, request, *args, **kwargs):
        try:
            self.found = self.read()
        except signing.SignatureExpired:
            return self.invalid(expired=True)
        except signing.BadSignature:
            return self.invalid()
        except tokens.Gone:
            return self.gone()
        return super().dispatch(request, *args, **kwargs)

    def token(self):
        return self.request.GET.get("token", "")

    def read(self):
        return tokens.read(self.use, self.token())

    def gone(self):
        return self.invalid()

    def invalid(self, expired=False, status=400):
        return render(self.request, "alerts/invalid_link.html", {"expired": expired, "use": self.use}, status=status)


@method_decorator(never_cache, name="dispatch")
class ConfirmView(TokenView):
    """
    The link of the confirmation mail: a button that confirms the alert (mail scanners follow
    links, and must not confirm anything); the answer to it.
    """

    use = tokens.CONFIRM

    def get(self, request):
        subscription = self.found
        followed = FollowedList.of(subscription.kind, subscription.query)
        return render(request, "alerts/confirm.html", {"subscription": subscription, "followed": followed})

    def post(self, request):
        with transaction.atomic():
            subscription = self.found.confirm()
        followed = FollowedList.of(subscription.kind, subscription.query)
        return render(
            request,
            "alerts/confirmed.html",
            {
                "subscription": subscription,
                "followed": followed,
                "unsubscribe_token": tokens.make(tokens.UNSUBSCRIBE_ONE, subscription),
            },
        )


@method_decorator([never_cache, csrf_exempt], name="dispatch")
class UnsubscribeView(TokenView):
    """
    The unsubscribe link of every mail. A GET shows a button (mail scanners follow links); a
    POST, that button's or a mail client's one-click one (RFC 8058), deletes the alert, or
    every alert of the address, and an address left with no alert is deleted with it.
    """

    use = tokens.UNSUBSCRIBE_ONE

    def read(self):
        use = tokens.kind_of(self.token())
        if use is None:
            raise signing.BadSignature("Not an unsubscribe token.")
        return use, tokens.read(use, self.token())

    def gone(self):
        return render(self.request, "alerts/unsubscribed.html", {"already": True})

    def get(self, request):
        use, found = self.found
        context = {"all": use == tokens.UNSUBSCRIBE_ALL}
        if use == tokens.UNSUBSCRIBE_ONE:
            context["followed"] = FollowedList.of(found.kind, found.query)
        return render(request, "alerts/unsubscribe.html", context)

    def post(self, request):
        use, found = self.found
        with transaction.atomic():
            # An address goes with its last alert (models.forget_unsubscribed).
            found.delete()
        return render(request, "alerts/unsubscribed.html", {"all": use == tokens.UNSUBSCRIBE_ALL})


@method_decorator(never_cache, name="dispatch")
class ManageView(TokenView):
    """The link of the management mail: every alert of the address, each with a button that cancels it."""

    use = tokens.MANAGE

    def gone(self):
        return render(self.request, "alerts/manage.html", {"alerts": []})

    def get(self, request):
        subscriber = self.found
        alerts = [
            {
                "subscription": subscription,
                "followed": FollowedList.of(subscription.kind, subscription.query),
                "unsubscribe_url": f"{reverse('alerts:unsubscribe')}?token="
                + tokens.make(tokens.UNSUBSCRIBE_ONE, subscription),
            }
            for subscription in subscriber.subscriptions.confirmed().order_by("created_at", "pk")
        ]
        return render(
            request,
            "alerts/manage.html",
            {
                "alerts": alerts,
                "unsubscribe_all_url": f"{reverse('alerts:unsubscribe')}?token="
                + tokens.make(tokens.UNSUBSCRIBE_ALL, subscriber),
            },
        )

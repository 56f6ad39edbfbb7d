"""
What django-axes keeps and logs of failed logins (settings.AXES_*), and how a successful login
resets its count.

A failure counts against the account whose name was typed and against the client's address
(ratelimits.clients.client_bucket). A name that is no account's is kept only as a keyed
digest, so that a password typed in the wrong field is not stored, while each such name is still
locked out as an account would be, and a lockout tells nothing of which names exist. No browser
or Accept header is kept, and the log names no client: only the path.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.utils.crypto import salted_hmac

# A space: no account's name can have one.
UNKNOWN_ACCOUNT = "unknown account #"


def existing_username(name):
    """`name` if it is an account's, else None."""
    if not isinstance(name, str) or not name:
        return None
    user_model = get_user_model()
    exists = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: name}).exists()
    return name if exists else None


def lockout_username(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the name typed if it is an account's, else a keyed digest of it."""
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "data", getattr(request, "POST", {})).get("username")
    if not isinstance(typed, str):
        typed = ""
    known = getattr(request, "lockout_usernames", None)
    if known is None:
        known = {}
        if request is not None:
            request.lockout_usernames = known
    if typed not in known:
        digest = salted_hmac("editorial.lockout.unknown-account", typed, algorithm="sha256").hexdigest()[:16]
        known[typed] = existing_username(typed) or f"{UNKNOWN_ACCOUNT}{digest}"
    return known[typed]


def client_description(username, ip_address, user_agent, path_info, request):
    """AXES_CLIENT_STR_CALLABLE: how django-axes names a client in the log, without who it is."""
    if isinstance(path_info, (tuple, list)):
        path_info = path_info[0]
    return f"a client of {path_info}"


class LockoutHandler(AxesDatabaseHandler):
    """
    django-axes' database handler, keeping no browser or Accept header, and resetting at a
    successful login the count of that account alone.
    """

    @staticmethod
    def withhold(request):
        if request is not None:
            request.axes_user_agent = ""
            request.axes_http_accept = ""

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        self.withhold(request)
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        self.withhold(request)
        return super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        self.withhold(request)
        return super().user_logged_out(sender, request, user, **kwargs)

    def reset_user_attempts(self, request, credentials=None):
        """
        Django-axes would delete every record of the account's and of the address's, so that
        someone with an account could clear the failures of guesses at another one by logging
        in. Here the account's failures are kept against their addresses alone: its own count
        starts again, the addresses' counts run on until the cool-off.
        """
        username = get_client_username(request, credentials)
        if not username:
            return 0
        return AccessAttempt.objects.filter(username=username).update(username=None)

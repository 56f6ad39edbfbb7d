import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.urls import reverse
from django.utils.translation import ngettext

STARTED = "staff_session_started"
SEEN = "staff_session_seen"
# Activity renews the idle deadline to within this many seconds, so that not every request writes the session.
RENEWAL_STEP = 60


def start(session, now=None):
    session[STARTED] = session[SEEN] = now or time.time()


def start_at_login(sender, request, user, **kwargs):
    if user.is_staff:
        start(request.session)


def connect_signals():
    user_logged_in.connect(start_at_login, dispatch_uid="staff_session_limits")


class StaffSessionLimitsMiddleware:
    """
    Ends a staff session after STAFF_SESSION_IDLE_MINUTES without a request, or
    STAFF_SESSION_MAX_HOURS after its login however active: the person is logged out (which
    the audit log records) and, in the admin, sent to its login page with a message saying why.
    The limits run from each login (start_at_login); requests that carry no session are left
    alone, and so stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.session_key is not None:
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        if not (request.user.is_authenticated and request.user.is_staff):
            return
        session, now = request.session, time.time()
        started, seen = session.get(STARTED), session.get(SEEN)
        if started is None or seen is None:  # A session opened before the limits were.
            start(session, now)
            return
        idle_minutes, max_hours = settings.STAFF_SESSION_IDLE_MINUTES, settings.STAFF_SESSION_MAX_HOURS
        if now - seen > idle_minutes * 60:
            reason = ngettext(
                "Your session ended after %(minutes)d minute without activity. Log in again.",
                "Your session ended after %(minutes)d minutes without activity. Log in again.",
                idle_minutes,
            ) % {"minutes": idle_minutes}
        elif now - started > max_hours * 3600:
            reason = ngettext(
                "Your session ended: a session lasts at most %(hours)d hour. Log in again.",
                "Your session ended: a session lasts at most %(hours)d hours. Log in again.",
                max_hours,
            ) % {"hours": max_hours}
        else:
            if now - seen >= RENEWAL_STEP:
                session[SEEN] = now
            return
        logout(request)
        # The admin sends the logged-out person to its login page, which shows the message.
        if request.path.startswith(reverse("admin:index")):
            messages.warning(request, reason)

"""
The site's log: one line per record on standard output, a JSON object (or plain text, for
development), each carrying the id of the request it was written while answering; and one
line per request, the access log, with its method, path, status and duration.

Nothing in it says who made a request: no client address, cookie, header, query string or
body is logged, only the fields below; email addresses in messages are withheld.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

request_id = ContextVar("request_id", default=None)

# An id sent by a proxy in front of the site is kept when it could not smuggle anything into a log line.
INCOMING_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
EMAIL_ADDRESS = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
WITHHELD = "[email address withheld]"

FIELDS = (
    "timestamp",
    "level",
    "logger",
    "message",
    "request_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "exc_info",
    "stack_info",
)

access_logger = logging.getLogger("wcointegrity.requests")


def withhold_email_addresses(text):
    return EMAIL_ADDRESS.sub(WITHHELD, text)


class RequestIdFilter(logging.Filter):
    """
    Gives every record the id of the request being answered, None outside a request. Django
    logs the status of an error response once the middleware is done with it, with the request.
    """

    def filter(self, record):
        record.request_id = request_id.get() or getattr(getattr(record, "request", None), "request_id", None)
        return True


class JsonFormatter(BaseJsonFormatter):
    """
    One JSON object per record, with FIELDS only: whatever else a library attaches to a
    record (Django attaches the request itself, query string and cookies included) stays out.
    """

    def __init__(self):
        super().__init__(
            ["levelname", "name", "message"],
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp=True,
        )

    def process_log_record(self, log_data):
        log_data.setdefault("request_id", None)
        for field in ("message", "exc_info", "stack_info"):
            if isinstance(log_data.get(field), str):
                log_data[field] = withhold_email_addresses(log_data[field])
        return {field: log_data[field] for field in FIELDS if field in log_data}


class TextFormatter(logging.Formatter):
    """`time LEVEL logger [request id] message`, for reading in a terminal."""

    def format(self, record):
        current = getattr(record, "request_id", None) or "-"
        line = f"{self.formatTime(record)} {record.levelname} {record.name} [{current}] {super().format(record)}"
        return withhold_email_addresses(line)


class RequestLogMiddleware:
    """
    Gives each request an id, for the records written while it is answered and for the
    X-Request-ID response header, and writes its access line once it is answered. First in
    MIDDLEWARE, so that the id is there for everything else and the duration includes it all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        current = incoming if INCOMING_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = current
        token = request_id.set(current)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = current
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            access_logger.info(
                "%s %s %s %sms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            request_id.reset(token)

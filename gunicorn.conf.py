"""
Gunicorn's settings for serving the catalogue: `gunicorn wcointegrity.wsgi`, run from the
project directory, reads them. The environment of the site (SECRET_KEY, DATABASE_URL, ...)
applies as ever; these are only how the processes are run.
"""

import os

from gunicorn.glogging import Logger as GunicornLogger

bind = os.environ.get("BIND", "127.0.0.1:8000").split(",")

# Sync workers, each answering one request at a time: (2 x cores) + 1 of them by default.
cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * cores + 1))
worker_class = "sync"
threads = 1

# A request that takes longer is cut short and its worker replaced; the database timeouts of
# settings.DATABASES (5 seconds by default) keep an outage well within it.
timeout = 30
graceful_timeout = 30
# Sync workers close each connection after its response; this applies to other worker classes.
keepalive = 5
# Each worker is replaced after about MAX_REQUESTS requests, not all at once, which bounds what
# a leak could take. A new worker builds the lists' facet indexes (post_worker_init, seconds of
# work at 100,000 events) before it takes its first request, while the others answer, and starts
# with an empty memory cache: hence not more often than that.
max_requests = int(os.environ.get("MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10

# The site is loaded once, before the workers are forked: a configuration error stops the
# start. Loading it opens no database connection, so each worker opens its own.
preload_app = True

# The addresses of the reverse proxies whose X-Forwarded-Proto (and the like) is believed.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No access log of Gunicorn's: the site writes one line per request itself
# (wcointegrity/logs.py), with the request's id and duration and without its query string or
# the client's address, which Gunicorn's would have.
accesslog = None
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


class Logger(GunicornLogger):
    """Gunicorn's own messages go to the root logger, which the site's LOGGING writes as the rest."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in list(self.error_log.handlers):
            self.error_log.removeHandler(handler)
        self.error_log.propagate = True


logger_class = Logger


def post_worker_init(worker):
    from catalogue.warmup import warm_up

    warm_up()


def when_ready(server):
    """Django's system checks, as `runserver` runs them: a configuration that they warn of is logged at start."""
    from django.core import checks

    for message in checks.run_checks():
        if message.is_serious(checks.WARNING):
            server.log.warning("%s", message)

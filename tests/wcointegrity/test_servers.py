"""
The design of many machines, on real servers: two gunicorn servers on one PostgreSQL database
and one Redis. A record published is on both servers' pages at their next request, the rate
limits count across both, and with Redis stopped both keep serving pages, uncached, and use
the cache again once it is back.

They run in the PostgreSQL run of `make test`, inside scripts/with-redis, which says how to
stop and start its Redis server (REDIS_CONF, REDIS_PID_FILE).
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

from events.models import Event
from tests.factories import make_event

REDIS_CONTROLS = ("REDIS_URL", "REDIS_CONF", "REDIS_PID_FILE")
EVENTS = "/en/events/"
# How long a server leaves a failed cache alone (CACHE_RETRY_SECONDS), and the outage, longer: the
# servers try the stopped Redis again during it.
CACHE_RETRY_SECONDS = 1
OUTAGE_SECONDS = CACHE_RETRY_SECONDS + 2


def skip_or_fail(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(f"!!! {reason}: SKIPPED !!!", allow_module_level=True)


if connection.vendor != "postgresql":
    pytest.skip("two app servers need one PostgreSQL: they run in the PostgreSQL run", allow_module_level=True)
if not all(os.environ.get(name) for name in REDIS_CONTROLS):
    skip_or_fail("two app servers need one Redis: run inside scripts/with-redis")

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One gunicorn server with one worker, its log in a file of its own."""

    def __init__(self, name, port, environment, log_dir):
        self.name = name
        self.url = f"http://127.0.0.1:{port}"
        self.log = Path(log_dir, f"{name}.log")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "wcointegrity.wsgi"],
                cwd=settings.BASE_DIR,
                env={**environment, "BIND": f"127.0.0.1:{port}"},
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def get(self, path):
        """(status, headers, body) of a GET of `path`, whatever the status."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:  # noqa: S310
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()
        except OSError as error:
            raise AssertionError(f"{self.name} did not answer {path}: {error}\n{self.log_text()}") from error

    def wait_until_ready(self, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"{self.name} did not start\n{self.log_text()}")

    def wait_until_stopped(self):
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_text(self, lines=20):
        """The end of the log: its last `lines` lines, each cut short."""
        last = self.log.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join([f"--- the end of {self.name}'s log ---", *(line[:1500] for line in last)])


@pytest.fixture(scope="module")
def servers(django_db_setup):
    """Two servers on the test database and the Redis of scripts/with-redis, as in production."""
    # The test database, on the server of DATABASE_URL.
    database_url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{connection.settings_dict['NAME']}")
    first, second = free_port(), free_port()
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_REPLICA_URL", "BENCHMARK_VIEWS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not name.startswith("RATELIMIT_")
    }
    environment |= {
        "DATABASE_URL": urlunsplit(database_url),
        "DEBUG": "false",
        "SECRET_KEY": "servers-test-only-secret-key",
        "SITE_URL": f"http://127.0.0.1:{first}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(settings.STATIC_ROOT),
        "WEB_CONCURRENCY": "1",
        "LOG_LEVEL": "WARNING",
        "CATALOGUE_VERSION_NOTIFICATIONS": "true",
        "CACHE_RETRY_SECONDS": str(CACHE_RETRY_SECONDS),
        "RATELIMIT_ENABLE": "true",
        # By the hour: no window ends in the middle of the test.
        "RATELIMIT_SEARCH": "3/h",
        # Uncounted, so that the cache's hits are the pages' own.
        "RATELIMIT_PAGES": "",
    }
    with tempfile.TemporaryDirectory(prefix="wcointegrity-servers.") as log_dir:
        both = [Server(name, port, environment, log_dir) for name, port in (("first", first), ("second", second))]
        try:
            for server in both:
                server.wait_until_ready()
            yield both
        finally:
            for server in both:
                server.process.send_signal(signal.SIGINT)  # A quick shutdown.
            for server in both:
                server.wait_until_stopped()


@pytest.fixture
def shared_cache():
    """The Redis that both servers share, started again after a test that stopped it."""
    client = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2)
    yield client
    if not redis_answers(client):
        start_redis(client)


def redis_answers(client):
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


def stop_redis(client):
    pid = int(Path(os.environ["REDIS_PID_FILE"]).read_text())
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while redis_answers(client) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not redis_answers(client), "Redis is stopped"


def start_redis(client):
    subprocess.run(["redis-server", os.environ["REDIS_CONF"]], check=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 5
    while not redis_answers(client) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert redis_answers(client), "Redis is started again"


def cached_entries(client):
    """How many values of the catalogue (pages, counts, facets) the shared cache holds."""
    return sum(1 for _key in client.scan_iter("*catalogue:*"))


def hits(client):
    """How many reads have found what they looked for in the shared cache."""
    return client.info("stats")["keyspace_hits"]


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def logs(servers):
    return "\n".join(server.log_text() for server in servers)


# Well under CATALOGUE_VERSION_MAX_AGE (5 s), after which a server reads the version whatever it heard.
NOTIFICATION_DELIVERY = 2


def test_a_record_published_is_on_every_servers_pages_once_they_hear_of_it(servers, shared_cache):
    first, second = servers
    make_event("Vienna session")
    draft = make_event("Geneva session", publication_status=Event.Status.DRAFT)

    status, headers, page = first.get(EVENTS)
    entries, found = cached_entries(shared_cache), hits(shared_cache)
    again_status, again_headers, again_page = second.get(EVENTS)

    assert status == 200, logs(servers)
    assert "Vienna session" in page
    assert "Geneva session" not in page
    assert entries > 0, "the first server cached the page"
    assert (again_status, again_page, again_headers["ETag"]) == (200, page, headers["ETag"])
    assert hits(shared_cache) > found, "the second found the page in the shared cache"
    assert cached_entries(shared_cache) == entries, "and stored nothing"

    draft.publication_status = Event.Status.PUBLISHED
    draft.save()

    # PostgreSQL delivers the change's notification to each server's listening thread on its own
    # time: a request may come before it, but never later than the notification's delivery.
    for server in (second, first):
        deadline = time.monotonic() + NOTIFICATION_DELIVERY
        while True:
            status, _headers, page = server.get(EVENTS)
            if "Geneva session" in page or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert status == 200, logs(servers)
        assert "Geneva session" in page, f"{server.name} shows the record published"
        assert server.get(f"/en/events/{draft.slug}/")[0] == 200


def test_the_rate_limits_count_requests_to_every_server(servers, shared_cache):
    first, second = servers

    statuses = [server.get("/en/search/?q=risk") for server in (first, second) * 3]

    assert [status for status, _headers, _body in statuses] == [200, 200, 200, 429, 429, 429], logs(servers)
    assert all(int(headers["Retry-After"]) > 0 for _status, headers, _body in statuses[3:])


def test_with_redis_stopped_both_serve_pages_uncached_and_use_it_again_when_it_is_back(servers, shared_cache):
    first, second = servers
    event = make_event("Vienna session")
    paths = [EVENTS, "/en/", f"/en/events/{event.slug}/", "/fr/events/", "/en/topics/"]
    for server in servers:
        assert server.get(EVENTS)[0] == 200, logs(servers)

    stop_redis(shared_cache)
    answers = []
    deadline = time.monotonic() + OUTAGE_SECONDS
    while time.monotonic() < deadline:
        for server in servers:
            for path in paths:
                status, _headers, page = server.get(path)
                answers.append((server.name, path, status))
        time.sleep(0.2)
    start_redis(shared_cache)

    failures = [answer for answer in answers if answer[2] != 200]
    assert answers, "requests were made while Redis was stopped"
    assert not failures, f"{len(failures)} of {len(answers)} requests failed, first {failures[:5]}\n{logs(servers)}"

    # Once Redis is back (a server leaves a failed cache alone for a few seconds), the first server's
    # requests cache the page again, and the second's find it there.
    def cached_again():
        assert first.get(EVENTS)[0] == 200, logs(servers)
        return cached_entries(shared_cache) > 0

    def found_again():
        found = hits(shared_cache)
        assert second.get(EVENTS)[0] == 200, logs(servers)
        return hits(shared_cache) > found

    assert wait_for(cached_again, seconds=15), f"the first server caches pages again\n{logs(servers)}"
    assert wait_for(found_again, seconds=15), f"the second server reads the cache again\n{logs(servers)}"

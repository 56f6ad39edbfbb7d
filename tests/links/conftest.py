"""A web server on 127.0.0.1 that answers the link checker as the sites of the records' addresses might."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# Longer than the checker's read timeout in these tests, which leaves a loaded machine time to answer the others.
SLOW = 2.0


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self.requests = []  # (method, path, User-Agent)
        self.flaky_status = 200
        # The requests being answered, of those that came since the last reset: a slow answer to an
        # earlier test, still under way, neither counts nor uncounts.
        self.in_flight = set()
        self.most_active = 0

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def reset(self):
        with self.lock:
            self.requests.clear()
            self.flaky_status = 200
            self.in_flight.clear()
            self.most_active = 0

    def paths(self):
        return [path for _method, path, _agent in self.requests]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def answer(self, body):
        site = self.server
        with site.lock:
            site.requests.append((self.command, self.path, self.headers.get("User-Agent", "")))
            site.in_flight.add(self)
            site.most_active = max(site.most_active, len(site.in_flight))
            site.arrived.notify_all()
        self.respond(site, body)

    def respond(self, site, body):
        path = self.path
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private\n", body)
        if path in {"/ok", "/new"} or path.startswith("/private"):
            return self.send(200, b"A page", body)
        if path == "/old":
            return self.send(301, b"", body, location="/new")
        if path == "/temporary":
            return self.send(302, b"", body, location="/ok")
        if path == "/missing":
            return self.send(404, b"Not found", body)
        if path == "/error":
            return self.send(500, b"Server error", body)
        if path == "/head-refused":
            return self.send(405 if self.command == "HEAD" else 200, b"A page", body)
        if path.startswith("/flaky"):
            return self.send(site.flaky_status, b"A page", body)
        if path.startswith("/counted"):
            # Held until a second request is in (or half a second has passed), so requests the checker
            # allows at once do overlap however busy the machine; then a while longer for a third to try.
            with site.arrived:
                site.arrived.wait_for(lambda: site.most_active >= 2, timeout=0.5)
            time.sleep(0.15)
            return self.send(200, b"A page", body)
        if path == "/slow":
            time.sleep(SLOW)
            return self.send(200, b"A page", body)
        return self.send(404, b"Not found", body)

    def send(self, status, content, body, location=None):
        # No longer counted once the answer leaves: the client may send its next request the moment it reads it.
        with self.server.lock:
            self.server.in_flight.discard(self)
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body:
            self.wfile.write(content)


@pytest.fixture(scope="module")
def site():
    server = Site()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def web(site):
    site.reset()
    return site


@pytest.fixture(scope="module")
def silent_port():
    """The address of a server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


@pytest.fixture(scope="module")
def closed_port():
    """The address of a port nothing listens on."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}"


@pytest.fixture(autouse=True)
def quick_checks(settings):
    settings.LINK_CHECK_CONNECT_TIMEOUT = 1.0
    settings.LINK_CHECK_READ_TIMEOUT = 1.0
    settings.LINK_CHECK_PER_HOST = 2
    settings.LINK_CHECK_HOST_PAUSE = 0
    settings.LINK_CHECK_WORKERS = 8
    settings.LINK_CHECK_ALLOW_PRIVATE = True

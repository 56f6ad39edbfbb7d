"""
How an address is checked: a HEAD request (a GET when the server refuses HEAD), with a
timeout to connect and one to read, as a client that names itself and the catalogue, and only
where the site's robots.txt lets it. Redirects are followed here, one by one, so that each is
recorded: an address whose first answers are permanent redirects (301, 308) has moved to where
they lead; temporary ones (302, 303, 307) leave it where it is. The body of a page is never read.

Requests go out from a few threads at a time (LINK_CHECK_WORKERS), at most LINK_CHECK_PER_HOST
at once to one host and LINK_CHECK_HOST_PAUSE seconds apart.

Only hosts on the public internet are asked, unless LINK_CHECK_ALLOW_PRIVATE: an address on
this machine or a private network is recorded as broken, without a request, so that an address
given in the admin cannot make the worker probe the servers around it.

A robots.txt that does not exist (4xx) allows everything, as RFC 9309 says. One that cannot be
read (5xx, no answer) does not stop the check: it is one request a day, and the address's own
answer then says what is wrong with the site.
"""

import ipaddress
import logging
import socket
import threading
import time
import urllib.robotparser
from collections import defaultdict, namedtuple
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, zip_longest
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationValueError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from .addresses import is_web_address
from .models import LinkError, LinkState

logger = logging.getLogger(__name__)

# The name the checker gives in its User-Agent, and that a robots.txt may address.
AGENT = "wcointegrity-linkchecker"
PERMANENT = {301, 308}
TEMPORARY = {302, 303, 307}
MAX_REDIRECTS = 10
# The most of a robots.txt that is read.
ROBOTS_MAX_BYTES = 512 * 1024


Answer = namedtuple("Answer", ["status", "headers", "body"])


def user_agent():
    site = f"+{settings.SITE_URL}; " if settings.SITE_URL else ""
    return f"{AGENT}/1.0 ({site}link checker of the WCO Integrity Catalogue)"


@dataclass
class Result:
    state: str
    status_code: int | None = None
    error: str = ""
    detail: str = ""
    new_url: str = ""
    # [(status code, address it led to)]
    redirects: list = field(default_factory=list)

    def fields(self):
        return {
            "state": self.state,
            "status_code": self.status_code,
            "error": self.error,
            "detail": self.detail[:500],
            "new_url": self.new_url[:2000],
            "redirects": "\n".join(f"{status} {target}" for status, target in self.redirects),
        }


def error_of(exc):
    """The kind of failure of a request that got no answer."""
    if isinstance(exc, NameResolutionError):
        return LinkError.DNS
    if isinstance(exc, NewConnectionError):
        return LinkError.REFUSED if isinstance(exc.__cause__, ConnectionRefusedError) else LinkError.CONNECTION
    if isinstance(exc, (ConnectTimeoutError, ReadTimeoutError)):
        return LinkError.TIMEOUT
    if isinstance(exc, SSLError):
        return LinkError.TLS
    if isinstance(exc, LocationValueError):
        return LinkError.ADDRESS
    return LinkError.CONNECTION


def is_public(host):
    """Whether every address `host` resolves to is on the public internet (True when it does not resolve)."""
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return True
    return all(ipaddress.ip_address(address[4][0].split("%")[0]).is_global for address in found)


class Host:
    """The requests to one host: at most `concurrency` at once, each started `pause` seconds after the last."""

    def __init__(self, concurrency, pause):
        self.semaphore = threading.BoundedSemaphore(concurrency)
        self.pause = pause
        self.lock = threading.Lock()
        self.next_at = 0.0

    @contextmanager
    def slot(self):
        with self.semaphore:
            with self.lock:
                now = time.monotonic()
                wait = self.next_at - now
                self.next_at = max(now, self.next_at) + self.pause
            if wait > 0:
                time.sleep(wait)
            yield


class Checker:
    def __init__(self, *, connect_timeout, read_timeout, per_host, pause, workers, allow_private=False):
        self.allow_private = allow_private
        self.per_host = per_host
        self.pause = pause
        self.workers = workers
        self.http = urllib3.PoolManager(
            maxsize=per_host,
            headers={"User-Agent": user_agent()},
            timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout),
            retries=False,
        )
        self.lock = threading.Lock()
        self.hosts = {}
        self.robots = {}
        self.robots_locks = defaultdict(threading.Lock)

    @classmethod
    def from_settings(cls):
        return cls(
            connect_timeout=settings.LINK_CHECK_CONNECT_TIMEOUT,
            read_timeout=settings.LINK_CHECK_READ_TIMEOUT,
            per_host=settings.LINK_CHECK_PER_HOST,
            pause=settings.LINK_CHECK_HOST_PAUSE,
            workers=settings.LINK_CHECK_WORKERS,
            allow_private=settings.LINK_CHECK_ALLOW_PRIVATE,
        )

    def check_all(self, urls):
        """Yield (address, Result) for each of `urls`, as their checks end."""
        by_host = defaultdict(list)
        for url in urls:
            by_host[urlsplit(url).hostname].append(url)
        # One host after another, so that the threads are spread over the hosts.
        ordered = [url for url in chain.from_iterable(zip_longest(*by_host.values())) if url is not None]
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="linkcheck") as pool:
            futures = {pool.submit(self.check, url): url for url in ordered}
            for future in as_completed(futures):
                yield futures[future], future.result()

    def check(self, url):
        try:
            return self._check(url)
        except Exception as exc:
            logger.exception("The check of %s failed", url)
            return Result(LinkState.BROKEN, error=LinkError.CONNECTION, detail=str(exc))

    def _check(self, url):
        hops = []
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            if not is_web_address(current):
                return Result(LinkState.BROKEN, error=LinkError.ADDRESS, detail=current, redirects=hops)
            if not self.allow_private and not is_public(urlsplit(current).hostname):
                return Result(LinkState.BROKEN, error=LinkError.PRIVATE, detail=current, redirects=hops)
            if not self.allowed(current):
                return Result(LinkState.DISALLOWED, detail=current if hops else "", redirects=hops)
            try:
                status, location = self.answer(current)
            except HTTPError as exc:
                return Result(LinkState.BROKEN, error=error_of(exc), detail=str(exc), redirects=hops)
            if status in PERMANENT | TEMPORARY and location:
                current = urljoin(current, location)
                hops.append((status, current))
                continue
            return self.final(status, hops)
        return Result(LinkState.BROKEN, error=LinkError.REDIRECTS, redirects=hops)

    @staticmethod
    def final(status, hops):
        if status >= 400:
            return Result(LinkState.BROKEN, status_code=status, error=LinkError.STATUS, redirects=hops)
        moved_to = ""
        for code, target in hops:
            if code not in PERMANENT:
                break
            moved_to = target
        if moved_to:
            return Result(LinkState.MOVED, status_code=status, new_url=moved_to, redirects=hops)
        return Result(LinkState.OK, status_code=status, redirects=hops)

    def answer(self, url):
        """The status and Location of `url`'s answer to HEAD, or to GET when HEAD is refused."""
        response = self.request("HEAD", url)
        if response.status in {405, 501}:
            response = self.request("GET", url)
        return response.status, response.headers.get("Location")

    def request(self, method, url, read=0):
        """The answer to one request, with the first `read` bytes of its body."""
        with self.host(url).slot():
            response = self.http.request(method, url, redirect=False, preload_content=False)
            try:
                body = response.read(read) if read else b""
            finally:
                response.close()
                response.release_conn()
        return Answer(response.status, response.headers, body)

    def host(self, url):
        name = (urlsplit(url).hostname or "").lower()
        with self.lock:
            if name not in self.hosts:
                self.hosts[name] = Host(self.per_host, self.pause)
            return self.hosts[name]

    def allowed(self, url):
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self.lock:
            origin_lock = self.robots_locks[origin]
        with origin_lock:
            if origin not in self.robots:
                self.robots[origin] = self.read_robots(origin)
        rules = self.robots[origin]
        return rules is None or rules.can_fetch(AGENT, url)

    def read_robots(self, origin):
        """The rules of `origin`'s robots.txt, or None when it has none that can be read."""
        url = f"{origin}/robots.txt"
        try:
            for _hop in range(5):
                response = self.request("GET", url, read=ROBOTS_MAX_BYTES)
                location = response.headers.get("Location")
                if response.status in PERMANENT | TEMPORARY and location:
                    url = urljoin(url, location)
                    continue
                break
        except HTTPError:
            return None
        if not 200 <= response.status < 300:
            return None
        rules = urllib.robotparser.RobotFileParser(url)
        rules.parse(response.body.decode("utf-8", errors="replace").splitlines())
        return rules

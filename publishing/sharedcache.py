"""
The shared cache as the site uses it for the public (publishing/cache.py) and its rate limits
(ratelimits/middleware.py): a cache that fails, Redis down, full or too slow to answer, is
one that holds nothing and keeps nothing. The page is rendered afresh, never answered with an
error. A read that fails (the server does not answer) is logged as a warning, and the cache
is then left alone for CACHE_RETRY_SECONDS, so that the requests meanwhile do not each wait
for it. A write that fails alone (a full Redis that refuses writes) is skipped, with at most
one warning in that time, and leaves the reads alone: what is cached is still served.
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import redis as django_redis
from django.core.signals import setting_changed
from django.dispatch import receiver

logger = logging.getLogger(__name__)

_failed_until = {}
_warned_until = {}


def cache_available(alias):
    """Whether the cache `alias` may be used: it has not failed in the last CACHE_RETRY_SECONDS."""
    return _failed_until.get(alias, 0) <= time.monotonic()


def cache_failed(alias, error):
    """Say that the cache `alias` failed: a warning, and the cache left alone for a while."""
    _failed_until[alias] = time.monotonic() + settings.CACHE_RETRY_SECONDS
    logger.warning(
        "The cache %r failed (%s: %s): pages are rendered afresh for %g seconds.",
        alias,
        type(error).__name__,
        error,
        settings.CACHE_RETRY_SECONDS,
    )


def write_failed(alias, error):
    """Say that a write to the cache `alias` failed: a warning at most once in CACHE_RETRY_SECONDS."""
    now = time.monotonic()
    if _warned_until.get(alias, 0) <= now:
        _warned_until[alias] = now + settings.CACHE_RETRY_SECONDS
        logger.warning("The cache %r refused a write (%s: %s).", alias, type(error).__name__, error)


@receiver(setting_changed)
def forget_failures(setting, **kwargs):
    if setting in {"CACHES", "CACHE_RETRY_SECONDS"}:
        _failed_until.clear()
        _warned_until.clear()


class SharedCache:
    """The cache `alias`, for what the site reads and writes in it: a miss, and no write, while it fails."""

    def __init__(self, alias):
        self.alias = alias

    def get(self, key, default=None):
        return self.attempt(lambda backend: backend.get(key, default), default)

    def get_many(self, keys):
        return self.attempt(lambda backend: backend.get_many(keys), {})

    def set(self, key, value, timeout):
        self.attempt(lambda backend: backend.set(key, value, timeout), None, failed=write_failed)

    def set_many(self, data, timeout):
        self.attempt(lambda backend: backend.set_many(data, timeout), None, failed=write_failed)

    def attempt(self, operation, fallback, failed=cache_failed):
        if not cache_available(self.alias):
            return fallback
        try:
            return operation(caches[self.alias])
        except Exception as error:  # Each backend has errors of its own (redis-py's, a socket's...).
            failed(self.alias, error)
            return fallback


class RedisCacheClient(django_redis.RedisCacheClient):
    """
    Django's client of the Redis cache, with one redis-py client for each connection pool rather
    than one made afresh for every operation: making one sets up its table of reply handlers,
    which cost more than the operation itself (a GET of 2 KB from a Redis on the same machine:
    0.41 ms with a new client, 0.12 ms with a kept one). A redis-py client may be shared between
    threads, each command taking a connection from the pool; each thread has its own cache
    backend and so its own pools anyway.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    """The cache backend of REDIS_URL: Django's own, with the client above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

"""
The catalogue's version kept in each process's memory, for as long as PostgreSQL says that
it has not changed, and CATALOGUE_VERSION_MAX_AGE seconds at most: a request that finds it
there reads nothing from the database.

Each renewal of the version (publishing/cache.py) also sends a notification on the channel
`catalogue_version`, which PostgreSQL delivers to its listeners when the transaction
commits. A thread of each process listens on that channel with a connection of its own.
While it listens, the version read by a request is kept; a notification forgets it, and
the next request reads it again. Until the thread listens, or whenever its connection fails,
nothing is kept and every request reads the version, as it does on SQLite, with a read
replica (a standby cannot listen, and the version must be the one the replica has), or with
CATALOGUE_VERSION_NOTIFICATIONS=false.

The thread listens only once it has heard a notification sent from another connection: behind
a connection pooler in transaction mode (PgBouncer's), a LISTEN is lost with the server
connection it ran on while queries still answer, and nothing would ever be heard. Any other
loss (a notification dropped on the way, a connection silently cut) is bounded by the maximum
age: a kept version is read again once it is older than that, whatever the thread believes.
"""

import logging
import os
import threading
import time
import uuid

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

CHANNEL = "catalogue_version"
# How long the thread waits for a notification before it checks that its connection still answers.
CHECK_SECONDS = 10
# How long it waits, once connected, for a notification of its own sent from another connection.
PROBE_SECONDS = 10
# How long it waits before it connects again, after its connection failed.
RETRY_SECONDS = 1
# How long it waits before it tries again, after it could not hear its own notification.
DEAF_RETRY_SECONDS = 300

logger = logging.getLogger(__name__)


def notifications_enabled():
    return (
        settings.CATALOGUE_VERSION_NOTIFICATIONS
        and settings.CATALOGUE_VERSION_MAX_AGE > 0
        and "version-memory" not in settings.CACHE_LAYERS_OFF  # publishing.cache.layer_off
        and connections[DEFAULT_DB_ALIAS].vendor == "postgresql"
        and set(settings.DATABASES) == {DEFAULT_DB_ALIAS}
    )


def notify(connection):
    """Tell every listening process, when this transaction commits, that the version has changed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")
    memory.forget()


class VersionMemory:
    """The version last read, while the thread of this process listens for its changes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pid = None
        self.stopping = None
        self.thread = None
        self.listening = False
        self.generation = 0  # Counts the changes heard of, so that a read older than one is not kept.
        self.value = None
        self.read_at = None  # When the value kept was read (time.time()).

    def get(self):
        """(the version, or None when nothing is kept; the ticket to give `keep` with what is read instead)."""
        if self.pid != os.getpid():
            self.start()
        now = time.time()
        with self.lock:
            if self.value is not None and not 0 <= now - self.read_at < settings.CATALOGUE_VERSION_MAX_AGE:
                self.value = None
            return self.value, (self.generation, now)

    def keep(self, value, ticket):
        """Keep `value`, read after `get` gave `ticket`, unless the version changed since, or nobody listens."""
        generation, read_at = ticket
        with self.lock:
            if self.listening and generation == self.generation:
                self.value, self.read_at = value, read_at

    def forget(self):
        with self.lock:
            self.generation += 1
            self.value = None

    def start(self):
        """Listen, in a thread of this process (a process forked from another starts its own)."""
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid, self.stopping = os.getpid(), threading.Event()
            self.listening, self.value = False, None
            if notifications_enabled():
                params = connections[DEFAULT_DB_ALIAS].get_connection_params()
                self.thread = threading.Thread(
                    target=self.listen, args=(params, self.stopping), name="catalogue-version", daemon=True
                )
                self.thread.start()

    def stop(self):
        """Stop listening, and wait for the thread to close its connection; the next `get` starts again."""
        with self.lock:
            if self.stopping is not None:
                self.stopping.set()
            thread, self.thread = self.thread, None
            self.pid, self.listening, self.value = None, False, None
            self.generation += 1
        if thread is not None:
            thread.join()

    def listen(self, params, stopping):
        while not stopping.is_set():
            retry = RETRY_SECONDS
            try:
                with psycopg.connect(**params, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    if self.hears(connection, params):
                        self.set_listening(True, stopping)
                        while not stopping.is_set():
                            for _notification in connection.notifies(timeout=CHECK_SECONDS, stop_after=1):
                                self.forget()
                            connection.execute("SELECT 1")  # Fails if the server went away without a word.
                    else:
                        logger.warning(
                            "Notifications are not delivered (a connection pooler in transaction mode?): "
                            "the catalogue's version is read at every request"
                        )
                        retry = DEAF_RETRY_SECONDS
            except psycopg.Error as error:
                logger.warning("Not listening for changes to the catalogue: %s", error)
            finally:
                self.set_listening(False, stopping)
            stopping.wait(retry)

    def hears(self, connection, params):
        """Whether `connection` hears, within PROBE_SECONDS, a notification sent from another connection."""
        probe = f"{CHANNEL}_probe_{uuid.uuid4().hex[:16]}"
        connection.execute(f"LISTEN {probe}")
        with psycopg.connect(**params, autocommit=True) as other:
            other.execute(f"NOTIFY {probe}")
        deadline = time.monotonic() + PROBE_SECONDS
        heard = False
        while not heard and time.monotonic() < deadline:
            for notification in connection.notifies(timeout=deadline - time.monotonic(), stop_after=1):
                if notification.channel == probe:
                    heard = True
                else:
                    self.forget()
        connection.execute(f"UNLISTEN {probe}")
        return heard

    def set_listening(self, listening, stopping):
        with self.lock:
            if stopping is self.stopping:
                self.listening, self.value = listening, None
                self.generation += 1


memory = VersionMemory()

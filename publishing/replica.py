"""
A read replica for the public: with DATABASE_REPLICA_URL set, the reads made while
answering an anonymous visitor's GET or HEAD request outside the admin go to the
"replica" database. Everything else reads and writes the "default" one: staff, the admin,
forms, management commands, migrations, and any write whatever the request. A public request
that is served the catalogue's version of the default database, because the replica's was out
of date (publishing/cache.py), reads everything else from it too.
"""

from contextvars import ContextVar

from django.urls import reverse

REPLICA = "replica"
PRIMARY = "default"

public_read = ContextVar("public_read", default=False)


def is_public_read(request, admin_prefix):
    return (
        request.method in {"GET", "HEAD"}
        and not request.path.startswith(admin_prefix)
        and not request.user.is_authenticated
    )


def read_from_primary():
    """Send the rest of this request's reads to the default database, as for staff."""
    public_read.set(False)


class PublicReadMiddleware:
    """Marks the request it answers as a public read or not, for ReplicaRouter."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("admin:index")

    def __call__(self, request):
        token = public_read.set(is_public_read(request, self.admin_prefix))
        try:
            return self.get_response(request)
        finally:
            public_read.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if public_read.get() else PRIMARY

    def db_for_write(self, model, **hints):
        # Explicitly, or a record read from the replica would be saved back to it.
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY

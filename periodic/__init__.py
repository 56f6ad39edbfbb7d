"""
Work that the background worker does at intervals: the alerts' digests, the link checks.

A task of Django's tasks framework that takes no arguments is registered once, in its app's
`tasks.py`, which this app imports when the site starts:

    @periodic.every(datetime.timedelta(hours=1))
    @task()
    def send_digests(): ...

`manage.py runperiodic` enqueues each registered task whose interval has passed since it was
last enqueued, for the worker (`manage.py db_worker`) to run. `make run` runs it every minute
beside the worker; in production a timer does (docs/production.md). Several servers may run it
at once: each interval's run is claimed in one UPDATE, so a task is enqueued once an interval.
A task must do nothing when there is nothing to do, and be safe to run twice at once.
"""

from dataclasses import dataclass

_registry = {}


@dataclass(frozen=True)
class Periodic:
    task: object
    interval: object

    @property
    def name(self):
        return self.task.module_path


def register(task, interval):
    periodic = Periodic(task, interval)
    _registry[periodic.name] = periodic
    return task


def every(interval):
    """Registers the task it decorates to be enqueued once every `interval` (a timedelta)."""

    def decorator(task):
        return register(task, interval)

    return decorator


def registered():
    return list(_registry.values())

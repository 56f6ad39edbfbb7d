import copy
import gc
import io
import logging
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tests.admin_forms import make_staff

# The documents' files of the whole run, in a folder of its own, removed at the end: never the project's media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="wcointegrity-test-media-")


def pytest_unconfigure():
    """
    The run is over and its process about to end. Its documents' files go; and what the tests made
    is frozen out of the garbage collector's sight (see pytest_collection_finish), so that pytest's
    last full pass (which would report an error raised while freeing what the run left) is over at
    once rather than going through all of it (about 3 s); the process's end frees it.
    """
    shutil.rmtree(MEDIA_ROOT, ignore_errors=True)
    gc.freeze()


def pytest_configure():
    from django.core.files.storage import storages
    from django.test import override_settings

    from documents.models import Document

    documents = settings.STORAGES["documents"]
    if documents["BACKEND"].endswith("FileSystemStorage"):
        documents = {**documents, "OPTIONS": {"location": MEDIA_ROOT}}
    # For the whole run; the storages are made again from these settings.
    override_settings(MEDIA_ROOT=MEDIA_ROOT, STORAGES={**settings.STORAGES, "documents": documents}).enable()
    # The field made its storage when its model was defined, from the settings of then.
    Document._meta.get_field("file").storage = storages["documents"]
    # One fast hasher for the whole suite: its tests check who may log in, not the cost of PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_user_model", "admin_user", "admin_client"}


def pytest_collection_modifyitems(items):
    """
    A test marked `own_process` runs the site in a process of its own, whose settings it makes:
    the run's database plays no part in it, and the PostgreSQL run leaves it to the SQLite run.
    One that used the run's database after all would go untested on PostgreSQL: refused.
    """
    for item in items:
        if item.get_closest_marker("own_process") and (
            item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames)
        ):
            raise pytest.UsageError(f"{item.nodeid}: marked own_process, it must not use the run's database")


def pytest_collection_finish():
    """
    What is made before the first test (Django, the apps, the collected tests) lives as long as the
    run: out of the garbage collector's sight, and its full passes, which the tests' own short-lived
    garbage does not need, made rare. Python's default passes took about a tenth of the run.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(700, 10, 1000)


@pytest.fixture(scope="session", autouse=True)
def built_assets():
    """
    Collect the static files, so that pages render with the hashed storage used in
    production, and compile the translations, as `make run` does.
    """
    call_command("collectstatic", interactive=False, verbosity=0)
    # Only when a translation changed: two runs side by side must not rewrite the same file.
    if any(
        not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
        for po in Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/*.po")
    ):
        call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def administrators_log_in_with_their_second_factor():
    """
    client.force_login() (and so pytest-django's admin_client) logs an administrator or a
    superuser in as the admin's login does: verified with a device of theirs, made for them if
    they have none, since the admin lets none of them in without it. Tests of that refusal log
    in through the login form, or promote a user whose session is already open.
    """
    force_login = Client.force_login

    def force_login_verified(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

        from editorial import twofactor

        force_login(self, user, backend)
        # A copy, so that the permissions read here are not cached on the test's own user.
        if twofactor.is_administrator(copy.copy(user)):
            device = next(devices_for_user(user), None) or twofactor.new_device(user)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", force_login_verified)
        yield


@pytest.fixture(scope="session", autouse=True)
def static_files_listed_once(built_assets):
    """
    Each test client builds the site's middleware afresh, and WhiteNoise lists and describes
    every file of STATIC_ROOT then (about 70 ms): the files, collected once for the run, are
    listed once for it, and each new WhiteNoise starts from that list.
    """
    from whitenoise.base import WhiteNoise

    listed = {}
    update_files_dictionary = WhiteNoise.update_files_dictionary

    def update_from_the_list(self, root, prefix):
        key = (root, prefix, self.max_age, self.allow_all_origins, self.charset, self.index_file)
        if key not in listed:
            before = dict(self.files)
            update_files_dictionary(self, root, prefix)
            listed[key] = {url: found for url, found in self.files.items() if before.get(url) is not found}
        self.files.update(listed[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WhiteNoise, "update_files_dictionary", update_from_the_list)
        yield


@pytest.fixture(autouse=True)
def empty_caches():
    """
    Each test starts with empty caches: its database starts afresh, and what an earlier
    test cached would not match it. What a process keeps in memory (publishing.cache.kept)
    is keyed on the catalogue's version, whose token each test's database draws anew.
    """
    caches["default"].clear()
    yield


@pytest.fixture(autouse=True)
def default_language():
    """
    Each test starts in the site's default language: a request for a French page leaves
    French active in the thread, and records would otherwise be written in French.
    """
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def editor():
    """The browser of Amina, an editor (a test module may mean another editor by the name)."""
    client = Client()
    client.force_login(make_staff("amina", "Editor"))
    return client


@pytest.fixture
def publisher():
    """The browser of Bruno, a publisher."""
    client = Client()
    client.force_login(make_staff("bruno", "Publisher"))
    return client


@pytest.fixture
def log():
    """What the site writes to standard output during the test, through its configured handler."""
    handler = logging.getHandlerByName("console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)

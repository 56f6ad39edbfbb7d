from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.utils import translation


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

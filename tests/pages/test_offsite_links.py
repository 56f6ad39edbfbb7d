"""
The pages that link back to the address asked for (the 503's "Try again", the 404's page
without its query string, the language switcher) keep that link on this site, whatever the
address: //evil.example/ is a path here, not another site.
"""

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import RequestFactory

from tests.pages.test_xss import Markup, leaves_the_site
from wcointegrity.outage import unavailable

pytestmark = pytest.mark.django_db

OFF_SITE_PATHS = pytest.mark.parametrize(
    "path",
    [
        "/%2Fevil.example/",
        "/%2F%2Fevil.example/?a=1",
        "/%5Cevil.example/",
        "/%2F%5Cevil.example/",
        "/%09/evil.example/",
    ],
    ids=["two-slashes", "three-slashes", "backslash", "slash-backslash", "tab"],
)


def links(response):
    """The page's links, but the footer's to the licence of the data, which the settings give."""
    hrefs = [value for tag, attrs in Markup(response.content.decode()).tags for name, value in attrs if name == "href"]
    return [href for href in hrefs if href != settings.DATA_LICENCE_URL]


@OFF_SITE_PATHS
def test_the_unavailable_page_tries_again_on_this_site(path):
    # The page that any request failing for want of the database is answered with.
    response = unavailable(RequestFactory().get(path), OperationalError("connection refused"), changes_lost=False)

    assert response.status_code == 503
    assert "Try again" in response.content.decode()
    assert [link for link in links(response) if leaves_the_site(link)] == []


@OFF_SITE_PATHS
def test_the_not_found_page_links_only_to_this_site(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert [link for link in links(response) if leaves_the_site(link)] == []

import pytest

from documents.models import Document


@pytest.fixture(scope="session")
def storage():
    """The documents' storage of the test run: a folder of its own (tests/conftest.py), removed at its end."""
    return Document._meta.get_field("file").storage

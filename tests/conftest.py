import pytest
from django.core.management import call_command


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """Collect the static files once, so that pages render with the hashed storage used in production."""
    call_command("collectstatic", interactive=False, verbosity=0)

import pytest
from django.test import Client


def fetched_once(records, scope="module"):
    """
    A `get(url)` fixture for the tests that only read the records of the fixture named `records`
    (built once for the module, or the class with `scope="class"`): each address is fetched once,
    by the first test that asks, and every later test reads the same response.
    """

    @pytest.fixture(scope=scope)
    def fixture(request):
        request.getfixturevalue(records)
        client = Client()
        answers = {}

        def get(url):
            if url not in answers:
                answers[url] = client.get(url)
            return answers[url]

        return get

    return fixture

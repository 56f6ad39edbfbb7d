"""How the site's forms render (pages.forms)."""

from django.forms.utils import ErrorList
from pytest_django.asserts import assertTemplateNotUsed, assertTemplateUsed

ERRORS_TEMPLATE = "django/forms/errors/list/ul.html"


def test_an_empty_list_of_errors_is_nothing_without_its_template_and_a_full_one_is_djangos():
    with assertTemplateNotUsed(ERRORS_TEMPLATE):
        assert str(ErrorList()) == ""
    with assertTemplateUsed(ERRORS_TEMPLATE):
        assert str(ErrorList(["Give a title."])) == '<ul class="errorlist"><li>Give a title.</li></ul>'

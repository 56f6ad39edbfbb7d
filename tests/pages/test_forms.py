"""How the site's forms render (pages.forms)."""

from django.forms.utils import ErrorList
from django.test.signals import template_rendered


def rendered_with_templates(errors):
    templates = []

    def record(sender, template, **kwargs):
        templates.append(template.name)

    template_rendered.connect(record)
    try:
        return str(errors), templates
    finally:
        template_rendered.disconnect(record)


def test_an_empty_list_of_errors_is_nothing_without_its_template_and_a_full_one_is_djangos():
    assert rendered_with_templates(ErrorList()) == ("", [])
    assert rendered_with_templates(ErrorList(["Give a title."])) == (
        '<ul class="errorlist"><li>Give a title.</li></ul>',
        ["django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"],
    )

"""
Helpers for tests that use the admin as staff do: open a change form, change some fields,
submit it with everything else as the page showed it (or save it again as the page would send it
now); preview records before publishing them.
"""

from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.urls import reverse

from editorial.roles import grant

PASSWORD = "a long enough password"  # noqa: S105


def make_staff(username, role):
    """A user with one staff role (Editor, Publisher or Administrator)."""
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    grant(user, role)
    return user


def admin_url(model_or_obj, view, *args):
    opts = model_or_obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


class _FormParser(HTMLParser):
    """The fields of the admin's main form (the one that holds csrfmiddlewaretoken and the record's fields)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.fields = []  # (name, value) pairs in page order, as a browser would send them
        self.select = None  # (name, multiple, [(value, selected)])
        self.option = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind in {"checkbox", "radio"} else "")))
        elif tag == "select" and name:
            self.select = (name, "multiple" in attrs, [])
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "selected" in attrs, ""]
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.option is not None:
            self.option[2] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "form":
            self.in_form = False
        elif tag == "option" and self.option is not None:
            value, selected, text = self.option
            self.select[2].append((text if value is None else value, selected))
            self.option = None
        elif tag == "select" and self.select is not None:
            name, multiple, options = self.select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]
            self.fields.extend((name, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # Browsers drop the one newline that follows <textarea>.
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None


def form_data(response, **changes):
    """
    What a browser would submit from the admin add or change page in `response`, with
    `changes` applied (a value of None removes the field), ready for client.post().
    """
    opts = response.context["opts"]
    parser = _FormParser(f"{opts.model_name}_form")
    parser.feed(response.content.decode())
    assert parser.fields, "the page has no admin form"
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    data = {name: values if len(values) > 1 else values[0] for name, values in data.items()}
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    data.setdefault("_save", "Save")
    return data


def run_action(client, model, action, records):
    """Run a bulk action of the changelist on `records`, as the action menu does."""
    return client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [record.pk for record in records], "index": "0"},
    )


def preview(client, *records):
    """Open the preview of each of `records`, as a publisher does before publishing them."""
    for record in records:
        assert client.get(f"{record.get_absolute_url()}preview/").status_code == 200


def open_and_save(client, obj, **changes):
    """Open the admin change page of `obj` as `client` and save it with `changes`; return the response."""
    return open_and_save_form(client, obj, **changes)[0]


def open_and_save_form(client, obj, **changes):
    """The same, returning the response and the form data sent, for a later `save_again`."""
    url = admin_url(obj, "change", obj.pk)
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_data(page, **changes)
    return client.post(url, data), data


def reloaded(obj, data, **changes):
    """
    The form data that the change page of `obj`, opened again now, sends: the `data` that was
    saved from it before, with the version saved since and `changes`.
    """
    version = type(obj)._base_manager.filter(pk=obj.pk).values_list("lock_version", flat=True).get()
    return {**data, "opened_version": str(version), **changes}


def save_again(client, obj, data, **changes):
    """
    Save `obj` as `client` did with `data` before, from the page as it would be now, with `changes`:
    for a second save where opening the page again is only the way to the form.
    """
    data = reloaded(obj, data, **changes)
    return client.post(admin_url(obj, "change", obj.pk), data), data


def page_form_data(page, form_id):
    """What a browser would submit from the form with `form_id` on `page`, ready for client.post()."""
    parser = _FormParser(form_id)
    parser.feed(page.content.decode())
    assert parser.fields, f"the page has no form {form_id}"
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data

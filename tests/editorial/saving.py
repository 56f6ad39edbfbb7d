"""
Saving a record again from the admin change form that was sent for it before, without opening
the page again: for tests where the page is only the way to a second save.
"""

from tests.admin_forms import admin_url, form_data


def open_and_save_form(client, record, **changes):
    """Open the change page of `record` and save it with `changes`: the response, and the form data sent."""
    url = admin_url(record, "change", record.pk)
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_data(page, **changes)
    return client.post(url, data), data


def reloaded(record, data, **changes):
    """
    The form data that the change page of `record`, opened again now, sends: the `data` that was
    saved from it before, with the version saved since and `changes`.
    """
    version = type(record)._base_manager.filter(pk=record.pk).values_list("lock_version", flat=True).get()
    return {**data, "opened_version": str(version), **changes}


def save_again(client, record, data, **changes):
    """Save `record` as `client` did with `data` before, from the page as it would be now, with `changes`."""
    data = reloaded(record, data, **changes)
    return client.post(admin_url(record, "change", record.pk), data), data

"""
Which addresses are checked: every web address field (URLField) of the catalogue's models
(catalogue.records.catalogue_models), so that a new one is checked without being named here.
A model leaves rows out with a class attribute `unchecked_addresses`, a Q of the rows whose
addresses are not checked.
"""

from urllib.parse import urlsplit

from django.contrib import admin
from django.db import models
from django.urls import NoReverseMatch, reverse

from catalogue.records import catalogue_models


def address_fields():
    """[(model, field name)] of every URLField of the catalogue's models."""
    return [
        (model, model_field.name)
        for model in catalogue_models()
        for model_field in model._meta.get_fields()
        if isinstance(model_field, models.URLField)
    ]


def _rows(model, name):
    rows = model._base_manager.exclude(**{name: ""})
    unchecked = getattr(model, "unchecked_addresses", None)
    return rows if unchecked is None else rows.exclude(unchecked)


def is_web_address(url):
    return urlsplit(url).scheme.lower() in {"http", "https"} and bool(urlsplit(url).hostname)


def addresses():
    """Every web address the catalogue's records hold, drafts' included, each once."""
    found = set()
    for model, name in address_fields():
        found.update(_rows(model, name).values_list(name, flat=True).distinct())
    return {url for url in found if is_web_address(url)}


def uses(urls):
    """{address: [(record, its admin change page or "")]} for the records that hold each of `urls`."""
    urls = list(urls)
    found = {url: [] for url in urls}
    for model, name in address_fields():
        for record in _rows(model, name).filter(**{f"{name}__in": urls}):
            found[getattr(record, name)].append((record, change_page(record)))
    return found


def change_page(record):
    opts = record._meta
    if not admin.site.is_registered(type(record)):
        return ""
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""

"""Reading a page's JSON-LD back with pyld, as a consumer of schema.org data would."""

import json
import re

from pyld import jsonld

SCHEMA = "https://schema.org/"


def load_schema_org(url, options=None):
    """schema.org's context, without the network: its vocabulary is all these tests read."""
    return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": SCHEMA}}}


def data_blocks(content):
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', content.decode(), re.S)


def nodes(response):
    """Every node of the page's JSON-LD, flattened by pyld: {type name: [nodes]}."""
    assert response.status_code == 200
    found = {}
    options = {"documentLoader": load_schema_org}
    expanded = [node for block in data_blocks(response.content) for node in jsonld.expand(json.loads(block), options)]
    for node in jsonld.flatten(expanded, options=options):
        for node_type in node.get("@type", []):
            found.setdefault(node_type.removeprefix(SCHEMA), []).append(node)
    by_id = {node["@id"]: node for typed in found.values() for node in typed}
    return found, by_id


def values(node, name):
    return [value.get("@value", value.get("@id")) for value in node.get(SCHEMA + name, [])]


def value(node, name):
    (only,) = values(node, name)
    return only

"""
An instrument's JSON-LD: a schema.org CreativeWork. Not Legislation, which schema.org keeps for
laws and regulations that bind: the WCO's declarations, programmes, guides, surveys and courses
are instruments that Customs administrations take up, not law.
"""

from linkeddata.schema import digital_documents, link, organization, register

from .models import Access, Instrument


@register(Instrument)
def describe_instrument(instrument, request):
    node = {"@type": "CreativeWork", "name": instrument.title, "genre": str(instrument.get_kind_display())}
    if instrument.short_name:
        node["alternateName"] = instrument.short_name
    if instrument.description:
        node["description"] = instrument.description
    if instrument.url:
        # Where the instrument itself is published, by its issuer.
        node["sameAs"] = instrument.url
    if instrument.issuing_body:
        issuer = organization(instrument.issuing_body, request)
        node["author"] = node["publisher"] = issuer
    if instrument.year_adopted:
        node["datePublished"] = str(instrument.year_adopted)
    if instrument.year_revised:
        node["dateModified"] = str(instrument.year_revised)
    if instrument.access == Access.MEMBERS:
        node["conditionsOfAccess"] = str(instrument.get_access_display())
    if topics := instrument.topics.all():
        node["about"] = [link(topic, request) for topic in topics]
    if documents := digital_documents(instrument, request):
        # Its texts, each language version a copy of the work.
        node["workExample"] = documents
    return node

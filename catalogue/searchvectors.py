"""
Keeping the search vectors up to date (PostgreSQL): a record's vector is refreshed when it
is saved and when the related records its document reads are added, removed or renamed.
Each refresh is one UPDATE of the records concerned; on other databases it does nothing.

The handlers are derived from each registered kind of record's document (catalogue/records.py,
the `search_document` of its list's filters): what a document reads through a relation
("convening_bodies__name") is watched on that relation and on the related model.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .records import record_types

# Each receiver is kept here by strong reference, with a dispatch uid.
_receivers = []


def record_saved(model, document):
    def handler(sender, instance, using, **kwargs):
        document.refresh_keys(model, [instance.pk], using)

    return handler


def links_changed(model, document):
    """
    A handler of m2m_changed on one of `model`'s many-to-many fields: it refreshes the
    records of `model` whose links changed, from either side of the relation.
    """

    def handler(sender, instance, action, reverse, pk_set, using, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            document.refresh_keys(model, [instance.pk], using)
        elif pk_set is not None:
            document.refresh_keys(model, pk_set, using)
        else:  # A related record cleared of all its links: which ones is no longer known.
            document.refresh(model.objects.using(using).all())

    return handler


def link_saved(model, document, key):
    """A handler of a save or delete of an intermediate record (an event's participation): its record's vector."""

    def handler(sender, instance, using, **kwargs):
        document.refresh_keys(model, [getattr(instance, key)], using)

    return handler


def related_saved(model, document, relation):
    """A handler of a save of a related record (a body renamed): the vectors of the records linked to it."""

    def handler(sender, instance, created, using, **kwargs):
        if created:
            return  # Nothing links to it yet.
        linked = model._base_manager.using(using).filter(**{relation: instance}).values("pk")
        document.refresh(model._base_manager.using(using).filter(pk__in=linked))

    return handler


def connect_receiver(signal, receiver, sender, uid):
    _receivers.append(receiver)
    signal.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)


def connect():
    for record_type in record_types():
        model, document = record_type.model, record_type.search_document
        if document is None:
            continue
        label = model._meta.label_lower
        connect_receiver(post_save, record_saved(model, document), model, f"search_{label}_saved")
        for relation in {text.path.split("__")[0] for text in document.texts if text.related}:
            field = model._meta.get_field(relation)
            uid = f"search_{label}_{relation}"
            if field.many_to_many:
                through = field.remote_field.through
                if through._meta.auto_created:
                    connect_receiver(m2m_changed, links_changed(model, document), through, uid)
                else:
                    key = next(f.attname for f in through._meta.fields if f.related_model is model)
                    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
                        connect_receiver(signal, link_saved(model, document, key), through, f"{uid}_link_{name}")
            connect_receiver(
                post_save, related_saved(model, document, relation), field.related_model, f"{uid}_related_saved"
            )


def fill_missing_vectors(using, **kwargs):
    """Records that have no search vector yet (on PostgreSQL: those written before the column existed) get one."""
    for record_type in record_types():
        if record_type.search_document is not None:
            model = record_type.model
            record_type.search_document.refresh(model._base_manager.using(using).filter(search_vector__isnull=True))

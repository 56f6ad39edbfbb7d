"""A document saved with a new file is read again (documents/tasks.py); an address has nothing to read."""

from django.db.models.signals import post_init, post_save, pre_save
from django.dispatch import receiver

from .models import Document, Reading
from .tasks import read_later


@receiver(post_init, sender=Document)
def remember_file(sender, instance, **kwargs):
    # The stored name as loaded, read without the descriptor (which would load a deferred field).
    stored = instance.__dict__.get("file")
    instance._file_as_loaded = getattr(stored, "name", stored) or ""


@receiver(pre_save, sender=Document)
def remember_stored_file(sender, instance, raw, **kwargs):
    """
    A raw save (a restored version, loaddata) is built from its data, not loaded: its file is
    compared with the one stored. A document loaded whole with its pages (a restore into an empty
    database) is not read again.
    """
    if raw:
        stored = Document.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
        instance._file_as_loaded = instance.file.name if stored is None else stored


@receiver(post_save, sender=Document)
def read_new_file(sender, instance, created, raw, **kwargs):
    name = instance.file.name or ""
    if name == instance._file_as_loaded and not (created and not raw):
        return
    instance._file_as_loaded = name
    if name:
        read_later(instance)
    elif not created:
        instance.pages.all().delete()
        Document.objects.filter(pk=instance.pk).update(reading=Reading.NONE, reading_error="", page_count=None)
        instance.reading, instance.reading_error, instance.page_count = Reading.NONE, "", None

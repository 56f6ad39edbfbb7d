from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from editorial.admin import AuditedDeleteMixin


class KeepLinksAdmin(AuditedDeleteMixin, admin.ModelAdmin):
    """
    Refuse to delete a record that events or instruments still link to. Django would
    otherwise delete the many-to-many links with it, and the catalogue would silently
    lose, say, the topics of an event. The staff member sees which records to unlink first.
    """

    linked_from = ()  # names of the many-to-many relations that point at this model
    shown = 20

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            for name in self.linked_from:
                linked = getattr(obj, name).all()
                protected.extend(f"{capfirst(record._meta.verbose_name)}: {record}" for record in linked[: self.shown])
                if (count := linked.count()) > self.shown:
                    protected.append(_("… and %(count)s more") % {"count": count - self.shown})
        return to_delete, model_count, perms_needed, protected

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from .corrections import RECENT_LENGTH, corrections_of, recent_corrections


class RecentChangesView(TemplateView):
    """The most recent corrections of every published record, newest first."""

    template_name = "changes/recent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(corrections=recent_corrections(), shown=RECENT_LENGTH, **kwargs)


class RecordChangesView(TemplateView):
    """The corrections of one published record of `model`, by its slug."""

    template_name = "changes/record.html"
    model = None

    @classmethod
    def of(cls, model):
        return type(f"{model.__name__}ChangesView", (cls,), {"model": model}).as_view()

    def get_context_data(self, **kwargs):
        record = get_object_or_404(self.model._default_manager.published(), slug=self.kwargs["slug"])
        return super().get_context_data(record=record, corrections=corrections_of(record), **kwargs)

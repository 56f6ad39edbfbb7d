import django_filters
from django.utils.translation import gettext_lazy as _

from bodies.filters import BodyTreeFilter
from topics.models import Topic
from uncac.models import Article, Chapter
from wcointegrity.filters import LazyChoiceFilter, SingleValueForm, YearFilter

from .models import Instrument, InstrumentKind


def topic_choices():
    return Topic.objects.filter(instruments__in=Instrument.objects.published()).distinct().choices()


def article_choices():
    return Article.objects.filter(instruments__in=Instrument.objects.published()).distinct().choices()


def chapter_choices():
    return Chapter.objects.filter(articles__instruments__in=Instrument.objects.published()).distinct().choices()


class InstrumentFilter(django_filters.FilterSet):
    year = YearFilter(method="filter_year", help_text=_("Adopted, released or revised that year."))
    body = BodyTreeFilter(method="filter_body", help_text=_("The issuing body; its subsidiary bodies are included."))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InstrumentKind.choices, empty_label=_("Any kind"))
    article = LazyChoiceFilter(
        label=_("UNCAC article"),
        field_name="uncac_articles__number",
        choices=article_choices,
        empty_label=_("Any article"),
    )
    chapter = LazyChoiceFilter(
        label=_("UNCAC chapter"),
        field_name="uncac_articles__chapter__number",
        choices=chapter_choices,
        empty_label=_("Any chapter"),
        distinct=True,
    )
    topic = LazyChoiceFilter(
        label=_("Topic"), field_name="topics__slug", choices=topic_choices, empty_label=_("Any topic")
    )

    class Meta:
        model = Instrument
        fields = ["year", "body", "kind", "article", "chapter", "topic"]
        form = SingleValueForm

    def filter_year(self, queryset, name, value):
        return queryset.of_year(value)

    def filter_body(self, queryset, name, value):
        return queryset.issued_by(self.filters["body"].subtree_pks(value))

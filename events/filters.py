import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from bodies.filters import BodyTreeFilter
from topics.models import Topic
from uncac.models import Article, Chapter
from wcointegrity.collation import sort_key
from wcointegrity.filters import LazyChoiceFilter, SingleValueForm, YearFilter

from .models import Event, Series


def country_choices():
    codes = Event.objects.published().exclude(country="").order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda choice: sort_key(choice[1]))


def topic_choices():
    return Topic.objects.filter(events__in=Event.objects.published()).distinct().choices()


def article_choices():
    return Article.objects.filter(events__in=Event.objects.published()).distinct().choices()


def chapter_choices():
    return Chapter.objects.filter(articles__events__in=Event.objects.published()).distinct().choices()


def series_choices():
    series = Series.objects.filter(events__in=Event.objects.published()).distinct().values_list("slug", "name")
    return sorted(series, key=lambda choice: sort_key(choice[1]))


class EventFilter(django_filters.FilterSet):
    year = YearFilter(method="filter_year", help_text=_("Events that took place at any time that year."))
    body = BodyTreeFilter(
        method="filter_body", help_text=_("The body that convened the event; its subsidiary bodies are included.")
    )
    country = LazyChoiceFilter(label=_("Country"), choices=country_choices, empty_label=_("Any country"))
    topic = LazyChoiceFilter(
        label=_("Topic"), field_name="topics__slug", choices=topic_choices, empty_label=_("Any topic")
    )
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
    series = LazyChoiceFilter(
        label=_("Series"),
        field_name="series__slug",
        choices=series_choices,
        empty_label=_("Any series"),
    )

    class Meta:
        model = Event
        fields = ["year", "body", "country", "topic", "article", "chapter", "series"]
        form = SingleValueForm

    def filter_year(self, queryset, name, value):
        return queryset.in_year(value)

    def filter_body(self, queryset, name, value):
        return queryset.convened_by(self.filters["body"].subtree_pks(value))

"""
What the API says about each record: an explicit allow-list of fields per serializer.

Nothing staff-only is listed (publication status, "public from" time, lock version,
featured flag); a record's first publication time is public as `published_at`, as in the
feeds. Related records are small objects with their slug (or number), their name and
two addresses: `api_url` in this API and `html_url`, the public page in the language of
the response. `url` is always an address outside the catalogue (an instrument's text, a
source page), as in the import and export files. Texts the records do not have are empty
strings; numbers, dates and links they do not have are null.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bodies.models import Body
from documents.languages import language_name
from documents.models import Document
from documents.public import documents_in_order, titles
from events.models import Event, EventStatus, Participation, Series, TimeState
from instruments.models import Instrument
from sources.models import Source
from topics.models import Topic
from uncac.models import Article, Chapter


def absolute(serializer_field, path):
    return serializer_field.context["request"].build_absolute_uri(path)


@extend_schema_field(OpenApiTypes.URI)
class PageLinkField(serializers.Field):
    """The absolute address of the record's public page (its `get_absolute_url`), in the response's language."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return absolute(self, value.get_absolute_url())


def ApiLinkField(basename, lookup_field="slug"):  # noqa: N802 - reads as the field class it returns
    """The absolute address of the record in this API."""
    return serializers.HyperlinkedIdentityField(
        view_name=f"api:{basename}-detail", lookup_field=lookup_field, lookup_url_kwarg=lookup_field
    )


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class FilteredListLinkField(serializers.Field):
    """
    The API list of events or instruments filtered on this record. With `count_attribute`,
    null when that count is 0: the filters offer only values that some published record
    has, so the link would be refused with a 400.
    """

    def __init__(self, list_name, parameter, count_attribute=None, lookup_field="slug", **kwargs):
        self.list_name, self.parameter = list_name, parameter
        self.count_attribute, self.lookup_field = count_attribute, lookup_field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        if self.count_attribute and not getattr(value, self.count_attribute):
            return None
        query = urlencode({self.parameter: getattr(value, self.lookup_field)})
        return absolute(self, f"{reverse(self.list_name)}?{query}")


class CountryFields(serializers.Serializer):
    """An ISO 3166 code, and the country's name in the response's language; both empty when not recorded."""

    country = serializers.CharField(source="country.code", read_only=True)
    country_name = serializers.CharField(source="country.name", read_only=True)


class BodyLinkSerializer(serializers.ModelSerializer):
    api_url = ApiLinkField("body")
    html_url = PageLinkField()

    class Meta:
        model = Body
        fields = ["slug", "name", "short_name", "api_url", "html_url"]


class TopicLinkSerializer(serializers.ModelSerializer):
    api_url = ApiLinkField("topic")
    html_url = PageLinkField()

    class Meta:
        model = Topic
        fields = ["slug", "name", "api_url", "html_url"]


class ArticleLinkSerializer(serializers.ModelSerializer):
    api_url = ApiLinkField("article", lookup_field="number")
    html_url = PageLinkField()

    class Meta:
        model = Article
        fields = ["number", "title", "api_url", "html_url"]


class InstrumentLinkSerializer(serializers.ModelSerializer):
    api_url = ApiLinkField("instrument")
    html_url = PageLinkField()

    class Meta:
        model = Instrument
        fields = ["slug", "title", "api_url", "html_url"]


class EventLinkSerializer(serializers.ModelSerializer):
    api_url = ApiLinkField("event")
    html_url = PageLinkField()

    class Meta:
        model = Event
        fields = ["slug", "title", "start_date", "api_url", "html_url"]


class SeriesSerializer(serializers.ModelSerializer):
    """A series has no page of its own: `html_url` is the event list filtered on it, `api_url` the same in the API."""

    api_url = FilteredListLinkField("api:event-list", "series")
    html_url = PageLinkField()

    class Meta:
        model = Series
        fields = ["slug", "name", "api_url", "html_url"]


class ChapterSerializer(serializers.ModelSerializer):
    html_url = PageLinkField()

    class Meta:
        model = Chapter
        fields = ["number", "title", "html_url"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["title", "url", "published_on", "note"]


@extend_schema_field(
    {
        "type": "object",
        "properties": {code: {"type": "string"} for code, _name in settings.LANGUAGES},
        "required": [code for code, _name in settings.LANGUAGES],
    }
)
class TitlesField(serializers.Field):
    """The document's title in each of the site's languages, "" where it has none."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return titles(value)


class DocumentSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="In the response's language (English where it has none).")
    titles = TitlesField()
    language = serializers.CharField(read_only=True, help_text="ISO 639-1 code of the language it is written in.")
    language_name = serializers.SerializerMethodField(help_text="The language's name, in the response's language.")
    format = serializers.CharField(
        read_only=True, help_text='The format of the file ("PDF", "DOCX"); "" for an address.'
    )
    media_type = serializers.CharField(read_only=True, help_text='The media type of the file; "" for an address.')
    pages = serializers.IntegerField(source="page_count", read_only=True, allow_null=True)
    url = serializers.SerializerMethodField(
        help_text="For a file, the address of its download on this site; otherwise the address where it is. "
        'A members-only document (`access` "members") is always an address elsewhere.'
    )

    class Meta:
        model = Document
        fields = [
            "kind",
            "title",
            "titles",
            "language",
            "language_name",
            "edition",
            "date",
            "format",
            "media_type",
            "size",
            "pages",
            "access",
            "url",
        ]

    def get_language_name(self, document) -> str:
        return language_name(document.language)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document):
        return absolute(self, document.get_absolute_url())


@extend_schema_field(DocumentSerializer(many=True))
class DocumentsField(serializers.Field):
    """
    The record's documents as its page lists them: each text's versions together, those in
    the response's language first, the members-only links last.
    """

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        documents = documents_in_order(value, get_language())
        return DocumentSerializer(documents, many=True, context=self.context).data


class ParticipationSerializer(serializers.ModelSerializer):
    body = BodyLinkSerializer(read_only=True)

    class Meta:
        model = Participation
        fields = ["body", "role", "note"]


class EventSerializer(CountryFields, serializers.ModelSerializer):
    api_url = ApiLinkField("event")
    html_url = PageLinkField()
    series = SeriesSerializer(read_only=True, allow_null=True)
    dates = serializers.CharField(
        source="dates_display", read_only=True, help_text="The dates as far as they are known, as the page shows them."
    )
    status = serializers.ChoiceField(
        choices=EventStatus.choices,
        read_only=True,
        help_text="Whether the event takes place on its dates as announced, is postponed or is cancelled.",
    )
    time_state = serializers.ChoiceField(
        choices=TimeState.choices,
        read_only=True,
        help_text="Where the event stands on the date of the response: its status when postponed or cancelled, "
        "otherwise upcoming, ongoing (from its first day to its last, both included) or past.",
    )
    convening_bodies = BodyLinkSerializer(many=True, read_only=True)
    participants = ParticipationSerializer(source="participations", many=True, read_only=True)
    topics = TopicLinkSerializer(many=True, read_only=True)
    instruments = InstrumentLinkSerializer(many=True, read_only=True)
    uncac_articles = ArticleLinkSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    documents = DocumentsField()
    published_at = serializers.DateTimeField(source="first_published_at", read_only=True)

    class Meta:
        model = Event
        fields = [
            "slug",
            "api_url",
            "html_url",
            "title",
            "series",
            "session_number",
            "start_date",
            "end_date",
            "date_precision",
            "dates",
            "status",
            "time_state",
            "city",
            "country",
            "country_name",
            "format",
            "convening_bodies",
            "wco_role",
            "participants",
            "topics",
            "instruments",
            "uncac_articles",
            "summary",
            "sources",
            "documents",
            "contact_email",
            "published_at",
        ]


class InstrumentSerializer(serializers.ModelSerializer):
    api_url = ApiLinkField("instrument")
    html_url = PageLinkField()
    issuing_body = BodyLinkSerializer(read_only=True, allow_null=True)
    programme = InstrumentLinkSerializer(
        read_only=True, allow_null=True, help_text="The programme it was made under, if that is public."
    )
    components = InstrumentLinkSerializer(
        many=True, read_only=True, help_text="For a programme: the public instruments made under it."
    )
    uncac_articles = ArticleLinkSerializer(many=True, read_only=True)
    topics = TopicLinkSerializer(many=True, read_only=True)
    events = EventLinkSerializer(many=True, read_only=True, help_text="The public events where it was presented.")
    sources = SourceSerializer(many=True, read_only=True)
    documents = DocumentsField()
    published_at = serializers.DateTimeField(source="first_published_at", read_only=True)

    class Meta:
        model = Instrument
        fields = [
            "slug",
            "api_url",
            "html_url",
            "title",
            "short_name",
            "kind",
            "issuing_body",
            "programme",
            "components",
            "year_adopted",
            "year_revised",
            "description",
            "url",
            "platform",
            "access",
            "uncac_articles",
            "topics",
            "events",
            "sources",
            "documents",
            "published_at",
        ]


class CoverageFields(serializers.Serializer):
    """How many public events and instruments a body, topic or article covers, and the API lists of them."""

    event_count = serializers.IntegerField(read_only=True)
    instrument_count = serializers.IntegerField(read_only=True)


class BodySerializer(CountryFields, CoverageFields, serializers.ModelSerializer):
    """Counts and lists take in the body's subsidiaries, as the body filter and the body's page do."""

    api_url = ApiLinkField("body")
    html_url = PageLinkField()
    parent = BodyLinkSerializer(read_only=True, allow_null=True)
    subsidiaries = BodyLinkSerializer(source="children", many=True, read_only=True)
    secretariat = BodyLinkSerializer(source="served_by", read_only=True, allow_null=True)
    secretariat_of = BodyLinkSerializer(source="served", many=True, read_only=True)
    events_api_url = FilteredListLinkField("api:event-list", "body", count_attribute="event_count")
    instruments_api_url = FilteredListLinkField("api:instrument-list", "body", count_attribute="instrument_count")

    class Meta:
        model = Body
        fields = [
            "slug",
            "api_url",
            "html_url",
            "name",
            "short_name",
            "kind",
            "parent",
            "subsidiaries",
            "secretariat",
            "secretariat_of",
            "country",
            "country_name",
            "established_year",
            "website",
            "description",
            "event_count",
            "instrument_count",
            "events_api_url",
            "instruments_api_url",
        ]


class TopicSerializer(CoverageFields, serializers.ModelSerializer):
    api_url = ApiLinkField("topic")
    html_url = PageLinkField()
    events_api_url = FilteredListLinkField("api:event-list", "topic", count_attribute="event_count")
    instruments_api_url = FilteredListLinkField("api:instrument-list", "topic", count_attribute="instrument_count")

    class Meta:
        model = Topic
        fields = [
            "slug",
            "api_url",
            "html_url",
            "name",
            "description",
            "event_count",
            "instrument_count",
            "events_api_url",
            "instruments_api_url",
        ]


class ArticleSerializer(CoverageFields, serializers.ModelSerializer):
    api_url = ApiLinkField("article", lookup_field="number")
    html_url = PageLinkField()
    chapter = ChapterSerializer(read_only=True)
    events_api_url = FilteredListLinkField(
        "api:event-list", "article", count_attribute="event_count", lookup_field="number"
    )
    instruments_api_url = FilteredListLinkField(
        "api:instrument-list", "article", count_attribute="instrument_count", lookup_field="number"
    )

    class Meta:
        model = Article
        fields = [
            "number",
            "api_url",
            "html_url",
            "title",
            "chapter",
            "event_count",
            "instrument_count",
            "events_api_url",
            "instruments_api_url",
        ]

from modeltranslation.translator import TranslationOptions, register

from .models import Event, Participation, Series


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ["title", "city", "summary"]


@register(Series)
class SeriesTranslationOptions(TranslationOptions):
    fields = ["name"]


@register(Participation)
class ParticipationTranslationOptions(TranslationOptions):
    fields = ["note"]

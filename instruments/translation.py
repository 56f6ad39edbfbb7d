from modeltranslation.translator import TranslationOptions, register

from .models import Instrument


@register(Instrument)
class InstrumentTranslationOptions(TranslationOptions):
    fields = ["title", "short_name", "description"]

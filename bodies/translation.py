from modeltranslation.translator import TranslationOptions, register

from .models import Body


@register(Body)
class BodyTranslationOptions(TranslationOptions):
    fields = ["name", "short_name", "description"]

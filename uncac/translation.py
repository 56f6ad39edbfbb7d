from modeltranslation.translator import TranslationOptions, register

from .models import Article, Chapter


@register([Chapter, Article])
class TitleTranslationOptions(TranslationOptions):
    fields = ["title"]

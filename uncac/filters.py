from django.utils.translation import gettext_lazy as _

from catalogue.filters import ChoiceFacet

from .models import Article, Chapter


def article_choices(model):
    """The UNCAC articles that the published records of `model` serve or discussed."""
    return Article.objects.filter(pk__in=model.objects.published().values("uncac_articles")).choices()


def chapter_choices(model):
    """The chapters of those articles."""
    return Chapter.objects.filter(articles__in=model.objects.published().values("uncac_articles")).distinct().choices()


class ArticleFacet(ChoiceFacet):
    """The UNCAC articles a record serves or discussed, by number."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("UNCAC article"))
        super().__init__(field_name="uncac_articles__number", choices=article_choices, **kwargs)


class ChapterFacet(ChoiceFacet):
    """The chapters of those articles, by number."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("UNCAC chapter"))
        super().__init__(field_name="uncac_articles__chapter__number", choices=chapter_choices, **kwargs)

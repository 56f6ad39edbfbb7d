from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ChapterQuerySet(models.QuerySet):
    def choices(self):
        """(number, label) pairs for a choice field."""
        return [(str(chapter.number), str(chapter)) for chapter in self]


class Chapter(models.Model):
    """A chapter of the United Nations Convention against Corruption."""

    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        verbose_name = _("UNCAC chapter")
        verbose_name_plural = _("UNCAC chapters")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="uncac_chapter_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="uncac_chapter_number_positive"),
        ]

    def __str__(self):
        return _("Chapter %(numeral)s: %(title)s") % {"numeral": self.numeral, "title": self.title}

    def get_absolute_url(self):
        return reverse("uncac:chapter", kwargs={"number": self.number})

    @property
    def numeral(self):
        """The chapter number in Roman numerals, as the Convention writes it."""
        numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        number, roman = self.number, ""
        for value, letters in numerals:
            while number >= value:
                roman += letters
                number -= value
        return roman


class ArticleQuerySet(models.QuerySet):
    def choices(self):
        """(number, label) pairs for a choice field."""
        return [(str(article.number), str(article)) for article in self]


class Article(models.Model):
    """An article of the United Nations Convention against Corruption."""

    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    chapter = models.ForeignKey(Chapter, verbose_name=_("chapter"), on_delete=models.PROTECT, related_name="articles")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("UNCAC article")
        verbose_name_plural = _("UNCAC articles")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="uncac_article_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="uncac_article_number_positive"),
        ]

    def __str__(self):
        return _("Article %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def get_absolute_url(self):
        return reverse("uncac:article", kwargs={"number": self.number})

    @property
    def short_label(self):
        return _("Article %(number)s") % {"number": self.number}

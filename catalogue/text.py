"""
Control characters (U+0000 to U+001F but tab, line feed and carriage return): XML 1.0 cannot
carry them and iCalendar forbids them, and a text pasted from a word processor may hold one (a
vertical tab for a line break). The admin's forms refuse them; the feeds and calendars leave
out any that a record holds all the same (an import, an older record).
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def without_control_characters(text):
    return CONTROL_CHARACTERS.sub("", text)


class RefusesControlCharacters:
    """A form whose text fields refuse control characters, each field with its own error."""

    def clean(self):
        cleaned_data = super().clean()
        for name, value in list(cleaned_data.items()):
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                self.add_error(
                    name,
                    forms.ValidationError(
                        _(
                            "This text holds an invisible control character (such as a line break pasted from a "
                            "word processor), which cannot be published. Retype the text around it, or paste it "
                            "as plain text."
                        ),
                        code="control_character",
                    ),
                )
        return cleaned_data

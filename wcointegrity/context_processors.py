from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def languages(request):
    """The current page, filters included, in each language of the site, for the language switcher."""
    current = get_language()
    return {
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": translate_url(request.get_full_path(), code),
                "is_current": code == current,
            }
            for code, name in settings.LANGUAGES
        ]
    }

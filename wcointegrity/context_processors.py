from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def languages(request):
    """The current page, filters included, in each language of the site, for the language switcher."""
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(request.get_full_path(), code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "is_current": code == current,
            }
        )
    return {"language_links": links}

from django.conf import settings
from django.urls import translate_url
from django.utils.http import escape_leading_slashes
from django.utils.translation import get_language


def languages(request):
    """The current page, filters included, in each language of the site, for the language switcher."""
    current = get_language()
    # An address such as //example.org/ (a 404's) is kept on this site, not read as another site's.
    path = escape_leading_slashes(request.get_full_path())
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current and path.startswith(f"/{current}/"):
            # An address that resolves to nothing, such as that of a 404: the same address in the other language.
            url = f"/{code}/{path.removeprefix(f'/{current}/')}"
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

"""
The documents' pages in the searches. On PostgreSQL each page keeps its own search vector (a
tsvector holds at most 1 MB: one per document would not do for a book), stemmed in the
document's language where PostgreSQL has a dictionary for it, and as written ("simple"), so that
a search in any language finds the words as they are; a GIN index serves them. Other databases
search the pages' text itself.
"""

from django.db import connections

# PostgreSQL's text search configurations, by the ISO 639-1 code of the language they stem.
CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
SIMPLE = "simple"


def index_pages(document, using="default"):
    """Bring the search vectors of the document's pages up to date: one UPDATE, on PostgreSQL only."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    config = CONFIGS.get(document.language, SIMPLE)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE documents_page SET search_vector = "
            "to_tsvector(%s::regconfig, text) || to_tsvector('simple'::regconfig, text) WHERE document_id = %s",
            [config, document.pk],
        )

from search.documents import SearchDocument, Text

# What a search of events reads: the title counts most, then who convened it and its topics,
# then what it was about and where, then who else took part.
EVENT_DOCUMENT = SearchDocument(
    Text("title", "A"),
    Text("series__name", "B"),
    Text("convening_bodies__name", "B"),
    Text("convening_bodies__short_name", "B"),
    Text("topics__name", "B"),
    Text("summary", "C"),
    Text("city", "C"),
    Text("participants__name", "D"),
    Text("participants__short_name", "D"),
    excerpt="summary",
)

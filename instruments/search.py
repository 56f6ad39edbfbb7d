from search.documents import SearchDocument, Text

# What a search of instruments reads: its names count most, then who issued it and its
# topics, then its description and the platform that hosts it.
INSTRUMENT_DOCUMENT = SearchDocument(
    Text("title", "A"),
    Text("short_name", "A"),
    Text("issuing_body__name", "B"),
    Text("issuing_body__short_name", "B"),
    Text("topics__name", "B"),
    Text("description", "C"),
    Text("platform", "D", translated=False),
    excerpt="description",
)

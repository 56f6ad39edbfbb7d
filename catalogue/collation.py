import unicodedata


def sort_key(text):
    """
    A key that sorts text as a reader expects in English and French: accents and case
    do not come first ("Récompenses" before "Rotation"), unlike the databases' binary order.
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()

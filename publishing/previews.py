"""
The versions a publisher previewed, kept in their session: the "Publish" action ticks for
publishing only the records whose current version is the one they saw. The session keeps
the latest PREVIEWS_KEPT records previewed, so that it stays small however many are.
"""

PREVIEWED = "previewed_versions"
PREVIEWS_KEPT = 200


def _key(obj):
    return f"{obj._meta.label}:{obj.pk}"


def remember_previewed(request, obj):
    """Note that the user saw `obj` in its current version (its lock_version)."""
    previewed = request.session.get(PREVIEWED, {})
    previewed.pop(_key(obj), None)
    previewed[_key(obj)] = obj.lock_version
    request.session[PREVIEWED] = dict(list(previewed.items())[-PREVIEWS_KEPT:])


def previewed_version(request, obj):
    """The lock_version of `obj` that the user last previewed, or None."""
    return request.session.get(PREVIEWED, {}).get(_key(obj))

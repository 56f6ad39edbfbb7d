"""
The staff roles, as Django groups with exactly these permissions.

sync_roles() makes the groups match this module; it runs after every `migrate` and from
`manage.py setuproles`, and changing a role means changing this module.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

EDITOR = "Editor"
PUBLISHER = "Publisher"
ADMINISTRATOR = "Administrator"
TWO_FACTOR_REQUIRED = "Two-factor required"

ROLES = {
    EDITOR: _("Creates and corrects events, instruments, bodies and topics, and submits them for review."),
    PUBLISHER: _("Everything an editor does, and publishes, unpublishes and deletes."),
    ADMINISTRATOR: _("Everything, including staff accounts and their roles."),
}

# What an editor curates: (app label, model name).
CURATED = [
    ("events", "event"),
    ("events", "participation"),
    ("events", "series"),
    ("documents", "document"),
    ("instruments", "instrument"),
    ("bodies", "body"),
    ("topics", "topic"),
    ("sources", "source"),
]
REFERENCE = [("uncac", "chapter"), ("uncac", "article")]
PUBLISHING = [("events", "publish_event"), ("instruments", "publish_instrument")]


def _codenames(models, actions):
    return [(app, f"{action}_{model}") for app, model in models for action in actions]


def role_permissions():
    """Each role's permissions as (app label, codename) pairs; None means every permission."""
    # Removing a wrong participant is part of editing an event, not the deletion of a record.
    editor = [
        *_codenames(CURATED, ["add", "change", "view"]),
        *_codenames(REFERENCE, ["view"]),
        ("events", "delete_participation"),
        ("documents", "delete_document"),
        # The link check's report; an archived copy, shown to the public, is a publisher's to give.
        ("links", "view_link"),
        ("links", "view_linkcheck"),
        # How many email alerts there are; their addresses are the administrators' alone (alerts/admin.py).
        ("alerts", "view_subscription"),
    ]
    publisher = [
        *editor,
        *[pair for pair in _codenames(CURATED, ["delete"]) if pair not in editor],
        *_codenames(REFERENCE, ["add", "change", "delete"]),
        *PUBLISHING,
        ("editorial", "view_auditentry"),
        ("links", "change_link"),
    ]
    return {EDITOR: editor, PUBLISHER: publisher, ADMINISTRATOR: None}


def _permissions(pairs):
    query = Q()
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(query))
    if len(found) != len(pairs):
        missing = set(pairs) - {(p.content_type.app_label, p.codename) for p in found}
        raise LookupError(f"permissions not found: {sorted(missing)}")
    return found


def sync_roles():
    """Create or update the role groups; return the names of those created."""
    created = []
    for name, pairs in role_permissions().items():
        group, was_created = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.all() if pairs is None else _permissions(pairs))
        if was_created:
            created.append(name)
    if Group.objects.get_or_create(name=TWO_FACTOR_REQUIRED)[1]:
        created.append(TWO_FACTOR_REQUIRED)
    return created


def sync_after_migrate(sender, using, plan=None, **kwargs):
    # Only after migrating forwards to a state where the permissions exist.
    if Permission.objects.using(using).filter(codename="publish_event").exists():
        sync_roles()


def grant(user, role):
    """Make `user` a staff member with exactly `role` (one of ROLES)."""
    if role not in ROLES:
        raise ValueError(role)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(Group.objects.get(name=role))

"""What each staff role may do: one policy for the staff console and for `intake` run with $INTAKE_TOKEN.

Plain Python, no web framework: the console checks a page's permission, the
command a subcommand's (assistant/intake/staff_access.py).
"""

from __future__ import annotations

ROLES = ("coordinator", "clinician", "admin")  # the same as assistant/db/models.py STAFF_ROLES (a test checks)

PERMISSIONS: dict[str, frozenset[str]] = {
    # view and work call-back requests: the queue, a request with its conversation, claims, outcomes, notes
    "queue": frozenset({"coordinator", "clinician", "admin"}),
    # crisis events: the list, their conversations, marking them reviewed
    "crisis_review": frozenset({"clinician", "admin"}),
    # every conversation, also those without a request; reply flags and tags
    "conversations": frozenset({"clinician", "admin"}),
    # the access log and its hash-chain check
    "audit": frozenset({"admin"}),
    # staff accounts: add, disable, roles, passwords
    "users": frozenset({"admin"}),
    # console settings (e.g. require_totp)
    "settings": frozenset({"admin"}),
    # the queue as CSV or JSON: every request's answers at once, out of the system
    "export": frozenset({"admin"}),
    # the staff-notification outbox: its targets, and sending now
    "notifications": frozenset({"admin"}),
}


class UnknownPermission(KeyError):
    """A permission name not in PERMISSIONS: a programming error, never a refusal."""


def allowed(role: str | None, permission: str) -> bool:
    """Whether `role` has `permission`; an unknown or missing role has none."""
    if permission not in PERMISSIONS:
        raise UnknownPermission(permission)
    return role in PERMISSIONS[permission]


def permissions_of(role: str | None) -> frozenset[str]:
    return frozenset(name for name, roles in PERMISSIONS.items() if role in roles)


def roles_with(permission: str) -> tuple[str, ...]:
    """The roles that have `permission`, in ROLES order (for a refusal message)."""
    if permission not in PERMISSIONS:
        raise UnknownPermission(permission)
    return tuple(role for role in ROLES if role in PERMISSIONS[permission])

"""Who `intake` acts for: the OS user (the data's owner: everything), or with $INTAKE_TOKEN a staff account.

With a token each command needs a permission of assistant/staff_roles.py, as the
same page of the staff console does; `intake` never falls back to the OS user
when the token is not valid.
"""

from __future__ import annotations

import argparse

from assistant.db.staff import StaffAccount
from assistant.db.tokens import resolve_token

TOKEN_VARIABLE = "INTAKE_TOKEN"

# The permission each command needs when run with a token (`callbacks --json/--csv` is an export).
COMMAND_PERMISSIONS = {
    "callbacks": "queue",
    "show": "queue",
    "set-status": "queue",
    "notifications": "notifications",
    "deliver": "notifications",
    "crises": "crisis_review",
    "review-crisis": "crisis_review",
    "transcript": "conversations",  # any conversation, also one without a request
    "flagged": "conversations",
    "users": "users",
    "audit": "audit",
}


class InvalidToken(Exception):
    """$INTAKE_TOKEN is set but names no usable token: unknown, revoked, or its account is disabled."""


def permission_for(args: argparse.Namespace) -> str:
    if args.command == "callbacks" and (args.json or args.csv):
        return "export"
    return COMMAND_PERMISSIONS[args.command]


def command_name(args: argparse.Namespace) -> str:
    """ "users add", "audit verify", "callbacks --csv": the command as staff typed it, without its values."""
    sub = getattr(args, "users_command", None) or getattr(args, "audit_command", None)
    if args.command == "callbacks" and (args.json or args.csv):
        sub = "--json" if args.json else "--csv"
    return f"{args.command} {sub}" if sub else args.command


def token_account(token: str) -> StaffAccount:
    account = resolve_token(token.strip())
    if account is None:
        raise InvalidToken(f"${TOKEN_VARIABLE} is not a valid token (unknown, revoked, or its account is disabled);"
                           f" unset it to act as your OS user")
    return account

"""`intake users ...`: staff accounts from the command line, each command in the access log (never a password).

  intake users add NAME --role coordinator|clinician|admin [--password-stdin]
  intake users list
  intake users disable NAME
  intake users reset-password NAME [--password-stdin]

The password is asked twice without echo, or read as one line from stdin (for scripts).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from assistant.db import audit, staff
from assistant.db.models import STAFF_ROLES
from assistant.staff_passwords import MIN_LENGTH, WeakPassword

if TYPE_CHECKING:
    from assistant.intake.cli import Staff

ERRORS = (staff.StaffError, WeakPassword)  # reported by `intake` on stderr, exit code 1


def add_parsers(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    users = commands.add_parser("users", help="staff accounts for the console: add, list, disable, reset-password")
    actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    stdin = argparse.ArgumentParser(add_help=False)
    stdin.add_argument("--password-stdin", action="store_true",
                       help="read the password as one line from stdin instead of asking twice")  # fmt: skip

    add = actions.add_parser("add", parents=[common, stdin], help="a new account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=STAFF_ROLES)
    actions.add_parser("list", parents=[common], help="every account, with its role and whether it is disabled")
    disable = actions.add_parser("disable", parents=[common], help="disable an account (it is kept)")
    disable.add_argument("name")
    reset = actions.add_parser("reset-password", parents=[common, stdin], help="set a new password")
    reset.add_argument("name")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")  # only the line end: spaces may be part of it
    else:
        password = getpass.getpass(f"Password (at least {MIN_LENGTH} characters): ")
        if getpass.getpass("Again: ") != password:
            raise staff.StaffError("the two passwords differ")
    if not password:
        raise staff.StaffError("no password given")
    return password


def _log(who: Staff, action: str, account: str | None = None) -> None:
    """Committed before the change, as set-status does: a refused attempt is on record too."""
    who.log(action, [audit.Seen(account=account)])


def run(args: argparse.Namespace, who: Staff) -> int:
    command = args.users_command
    if command == "list":
        _log(who, "user-list")
        for account in staff.list_users():
            state = "disabled" if account.disabled else "active"
            print(f"{account.username:<24} {account.role:<12} {state:<9}"
                  f" created {account.created_at:%Y-%m-%d}, password set {account.password_changed_at:%Y-%m-%d}")
        return 0
    username = staff.normalize_username(args.name)
    if command == "disable":
        _log(who, "user-disable", username)
        staff.disable_user(username)
        print(f"{username}: disabled")
        return 0
    password = _read_password(args.password_stdin)
    if command == "add":
        _log(who, "user-add", username)
        account = staff.add_user(username, args.role, password)
        print(f"{account.username}: added as {account.role}")
    else:
        _log(who, "user-password", username)
        staff.reset_password(username, password)
        print(f"{username}: password changed")
    return 0

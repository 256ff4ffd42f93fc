"""`intake audit ...`: check the access log's hash chain, or read its newest rows.

  intake audit verify           every row's hash, and the chain head: exit 1 when anything was changed or deleted
  intake audit list [--limit N] the newest rows, newest first
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select

from assistant.db import audit
from assistant.db.engine import open_session
from assistant.db.models import AccessLog

if TYPE_CHECKING:
    from assistant.intake.cli import Staff


def add_parsers(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser("audit", help="the access log: verify its hash chain, list its newest rows")
    actions = parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    actions.add_parser("verify", parents=[common], help="check every row's hash: exit 1 when any was changed or deleted")
    listing = actions.add_parser("list", parents=[common], help="the newest rows, newest first")
    listing.add_argument("--limit", type=int, default=50, help="how many rows (default 50)")


def run(args: argparse.Namespace, who: Staff, tz: ZoneInfo) -> int:
    if args.audit_command == "verify":
        return _verify(who)
    return _list(who, tz, max(args.limit, 1))


def _verify(who: Staff) -> int:
    checked, problems = audit.verify_chain()
    # Logged after the check, so a deleted last row shows at the chain head rather than at this row.
    who.log("audit-verify", detail=f"{checked} rows, {len(problems)} problems")
    for problem in problems:
        where = "chain head" if problem.row_id is None else f"row {problem.row_id}"
        print(f"{where}: {problem.what}")
    print(f"checked {checked} rows: " + (f"{len(problems)} problem(s)" if problems else "the chain is intact"))
    return 1 if problems else 0


def _list(who: Staff, tz: ZoneInfo, limit: int) -> int:
    with open_session() as session:
        rows = list(session.scalars(select(AccessLog).order_by(AccessLog.id.desc()).limit(limit)))
    who.log("audit", detail="newest rows")
    for row in rows:
        about = " ".join(f"{name} {value}" for name, value in (
            ("request", row.reference), ("conversation", row.conversation_id), ("account", row.account)) if value)
        print(f"#{row.id}  {row.at.astimezone(tz):%Y-%m-%d %H:%M:%S %Z}  {row.who}"
              + (f" (on behalf of {row.on_behalf_of})" if row.on_behalf_of else "")
              + f"  {row.action}  {about or '-'}  from {row.address or '-'}" + (f"  {row.detail}" if row.detail else ""))
    if not rows:
        print("The access log is empty.")
    return 0

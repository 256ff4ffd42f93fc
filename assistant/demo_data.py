"""`make demo-data`: synthetic requests, transcripts and crisis events, so a newcomer sees a working staff console.

    python -m assistant.demo_data [--requests N] [--seed S] [--reset] [--force] [--allow-non-sqlite]

Writes to ASSISTANT_DATABASE_URL (the records) and TRACKER_DATABASE_URL (Rasa's
`events` table), both local SQLite files by default. Nothing is real: fictional
first names, +1 702 555 01xx numbers, and every conversation id starts with
"demo-", which is how a second run (or --reset) finds and removes only demo rows.
The data itself comes from assistant/demo/.

Guards, since this must never touch patient records: both databases must be
SQLite files (anything else only with --allow-non-sqlite and DEMO_DATA_CONFIRM=yes),
and a records database holding requests or crisis events that are not demo data
is refused unless --force. A refusal exits with status 2.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import time
from datetime import datetime, timezone

from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.engine import Engine, make_url

from assistant.db.engine import database_url, engine_for
from assistant.db.models import (
    CallbackRequest,
    ConversationTag,
    CrisisEvent,
    IntakeAnswer,
    Notification,
    ReplyFlag,
    RequestNote,
    ScreeningScore,
    StaffSession,
    StaffToken,
    StaffUser,
    StatusChange,
)
from assistant.db.staff import add_user, get_user
from assistant.demo.intake import LONG_CONVERSATION_ID, LONG_TURNS, XSS_CONVERSATION_ID
from assistant.demo.rows import EVENTS, TRACKER_METADATA, Summary, write
from assistant.demo.staff_work import DEMO_ACCOUNTS
from assistant.demo.transcript import DEMO_PREFIX
from assistant.private_files import secure_sqlite, sqlite_path
from assistant.staff_passwords import password_problem
from rasa_ext.transcripts import tracker_url

DEFAULT_REQUESTS = 60
DEFAULT_SEED = 2025
DEMO_LIKE = DEMO_PREFIX + "%"  # no LIKE wildcard in the prefix itself


class DemoRefused(Exception):
    """Why the demo data was not written; exit status 2."""


# --- guards ----------------------------------------------------------------------------


def check_urls(records_url: str, tracker: str, allow_non_sqlite: bool = False) -> None:
    """Both databases are SQLite files, or the caller said twice that another database is meant."""
    others = [url for url in (records_url, tracker) if sqlite_path(url) is None]
    if not others:
        return
    shown = ", ".join(make_url(url).render_as_string(hide_password=True) for url in others)
    if not allow_non_sqlite or os.environ.get("DEMO_DATA_CONFIRM") != "yes":
        raise DemoRefused(f"not a local SQLite file: {shown}. Demo data goes into local SQLite databases only "
                          "(--allow-non-sqlite with DEMO_DATA_CONFIRM=yes for a throwaway server database).")


def check_records(records_url: str, force: bool = False) -> None:
    """No request or crisis event that is not demo data, unless --force (checked before any migration)."""
    path = sqlite_path(records_url)
    if force or (path is not None and not path.exists()):
        return
    engine = create_engine(records_url, future=True, hide_parameters=True)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            real = sum(connection.scalar(select(func.count()).select_from(model.__table__)
                                         .where(model.conversation_id.not_like(DEMO_LIKE))) or 0
                       for model in (CallbackRequest, CrisisEvent) if model.__tablename__ in tables)
    finally:
        engine.dispose()
    if real:
        raise DemoRefused(f"the records database holds {real} request(s) or crisis event(s) that are not demo data: "
                          "refusing to mix demo data with them (--force if that database is a throwaway).")


# --- wiping ----------------------------------------------------------------------------


def wipe(records: Engine, tracker: Engine, accounts: bool = False) -> int:
    """Delete every demo row (conversation id "demo-..."), and with `accounts` the demo staff accounts; returns rows."""
    deleted = 0
    with records.begin() as connection:
        requests = select(CallbackRequest.id).where(CallbackRequest.conversation_id.like(DEMO_LIKE)).scalar_subquery()
        crises = select(CrisisEvent.id).where(CrisisEvent.conversation_id.like(DEMO_LIKE)).scalar_subquery()
        statements = [model.__table__.delete().where(model.request_id.in_(requests))
                      for model in (IntakeAnswer, ScreeningScore, StatusChange, RequestNote, Notification)]
        statements.append(Notification.__table__.delete().where(Notification.crisis_event_id.in_(crises)))
        statements += [model.__table__.delete().where(model.conversation_id.like(DEMO_LIKE))
                       for model in (CrisisEvent, CallbackRequest, ConversationTag, ReplyFlag)]
        if accounts:
            names = [name for name, _ in DEMO_ACCOUNTS]
            statements += [model.__table__.delete().where(model.username.in_(names))
                           for model in (StaffSession, StaffToken, StaffUser)]
        for statement in statements:
            deleted += connection.execute(statement).rowcount
    with tracker.begin() as connection:
        if inspect(connection).has_table("events"):
            deleted += connection.execute(EVENTS.delete().where(EVENTS.c.sender_id.like(DEMO_LIKE))).rowcount
    return deleted


def _tracker_engine(url: str) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        secure_sqlite(path)  # transcripts: owner-only, like Rasa's own store (rasa_ext/tracker_store.py)
    engine = create_engine(url, future=True, hide_parameters=True)
    TRACKER_METADATA.create_all(engine)  # checkfirst: Rasa's own table is kept as it is
    return engine


def fill(records_url: str, tracker: str, requests: int = DEFAULT_REQUESTS, seed: int = DEFAULT_SEED,
         now: datetime | None = None, force: bool = False, allow_non_sqlite: bool = False) -> Summary:
    """Check the guards, replace the demo rows, write `requests` requests and a third as many chats without one."""
    check_urls(records_url, tracker, allow_non_sqlite)
    check_records(records_url, force)
    records, tracker_engine = engine_for(records_url), _tracker_engine(tracker)
    try:
        wipe(records, tracker_engine)
        with records.begin() as records_connection, tracker_engine.begin() as tracker_connection:
            return write(records_connection, tracker_connection, random.Random(seed), requests,
                         now or datetime.now(timezone.utc))
    finally:
        tracker_engine.dispose()


# --- staff accounts -----------------------------------------------------------------------


def demo_password() -> str:
    """A fresh password for the demo accounts (never from the seed: nobody can compute it)."""
    while True:
        password = "demo-" + secrets.token_urlsafe(12)
        if not any(password_problem(password, name) for name, _ in DEMO_ACCOUNTS):
            return password


def ensure_accounts(records_url: str) -> tuple[list[str], str | None]:
    """Add the demo accounts that are missing: (the names added, their password or None when none was)."""
    missing = [(name, role) for name, role in DEMO_ACCOUNTS if get_user(name, records_url) is None]
    password = demo_password() if missing else None
    for name, role in missing:
        add_user(name, role, password or "", records_url)
    return [name for name, _ in missing], password


# --- the command ----------------------------------------------------------------------------


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def banner(records_url: str, tracker: str) -> str:
    line = "=" * 78
    return (f"{line}\nDEMO DATA: synthetic people and conversations for trying the staff console.\n"
            f"Fictional first names, +1 702 555 01xx numbers, conversation ids starting {DEMO_PREFIX!r}.\n"
            f"  records: {_shown(records_url)}\n  tracker: {_shown(tracker)}\n{line}")


def report(summary: Summary, seconds: float) -> str:
    levels = ", ".join(f"{summary.requests[level]} {level}" for level in ("URGENT", "HIGH", "ROUTINE"))
    statuses = ", ".join(f"{count} {status}" for status, count in sorted(summary.statuses.items()))
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(summary.crises.items()))
    return "\n".join((
        f"{sum(summary.requests.values())} call-back requests ({levels})",
        f"  status: {statuses}; {summary.overdue} overdue, {summary.claimed} claimed, {summary.notes} notes",
        f"{sum(summary.crises.values())} crisis events ({kinds}), {summary.reviewed} reviewed",
        f"{summary.chats_without_request} conversations without a request; {summary.events} transcript events",
        f"special conversations: {XSS_CONVERSATION_ID} (markup, for escaping), "
        f"{LONG_CONVERSATION_ID} ({LONG_TURNS} messages from the person)",
        f"done in {seconds:.1f} s",
    ))  # fmt: skip


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m assistant.demo_data", description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=DEFAULT_REQUESTS, help="call-back requests (default %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="same seed, same data (default %(default)s)")
    parser.add_argument("--reset", action="store_true", help="remove the demo rows and demo accounts, write nothing")
    parser.add_argument("--force", action="store_true", help="even if the records hold requests that are not demo data")
    parser.add_argument("--allow-non-sqlite", action="store_true",
                        help="a server database too (also needs DEMO_DATA_CONFIRM=yes)")
    args = parser.parse_args(argv)
    if args.requests < 0:
        parser.error("--requests must be 0 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    records_url, tracker = database_url(), tracker_url()
    started = time.monotonic()
    try:
        check_urls(records_url, tracker, args.allow_non_sqlite)
        if not args.reset:  # a reset touches demo rows only
            check_records(records_url, args.force)
        print(banner(records_url, tracker))
        if args.reset:
            tracker_engine = _tracker_engine(tracker)
            try:
                deleted = wipe(engine_for(records_url), tracker_engine, accounts=True)
            finally:
                tracker_engine.dispose()
            print(f"removed {deleted} demo rows and the demo staff accounts")
            return 0
        summary = fill(records_url, tracker, args.requests, args.seed, force=args.force,
                       allow_non_sqlite=args.allow_non_sqlite)
    except DemoRefused as refusal:
        print(f"demo-data: refused: {refusal}", file=sys.stderr)
        return 2
    print(report(summary, time.monotonic() - started))
    added, password = ensure_accounts(records_url)
    names = ", ".join(f"{name} ({role})" for name, role in DEMO_ACCOUNTS)
    if password:
        print(f"\nDemo staff accounts: {names}\nPassword of {', '.join(added)}: {password}\n"
              "It is shown only now. Demo accounts only: `make demo-data ARGS=--reset` removes them.")
    else:
        print(f"\nDemo staff accounts already there: {names} (password shown when they were made; "
              "`make demo-data ARGS=--reset` then `make demo-data` for a new one).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

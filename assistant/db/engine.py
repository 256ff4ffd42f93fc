"""Where the records database is, bringing it to the newest migration, and sessions on it.

Set ASSISTANT_DATABASE_URL (e.g. postgresql://user@host/db); the default is a
SQLite file under var/. engine_for() brings a database to the latest revision
of migrations/ the first time a process opens it.
"""

from __future__ import annotations

import os
import sqlite3
from functools import lru_cache

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from assistant.center import PROJECT_ROOT
from assistant.private_files import secure_sqlite, sqlite_path

DEFAULT_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'assistant.db'}"
MIGRATIONS = PROJECT_ROOT / "migrations"
SCHEMA_REVISION = "0009"  # the newest file in migrations/versions (a test checks)


def database_url() -> str:
    return os.environ.get("ASSISTANT_DATABASE_URL") or DEFAULT_URL


def migrate(url: str) -> None:
    """`alembic upgrade head` on this database (engine_for does it once per process and URL)."""
    engine = _engine(url)
    try:
        _upgrade(engine)
    finally:
        engine.dispose()


def _upgrade(engine: Engine) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several processes start at once in production: one migrates, the others wait.
            connection.execute(text("SELECT pg_advisory_xact_lock(7270313)"))
        tables = set(inspect(connection).get_table_names())
        # Up to date, the usual case: no need to load alembic (a third of a second, and log lines).
        if "alembic_version" in tables and connection.scalar(text("SELECT version_num FROM alembic_version")) == SCHEMA_REVISION:
            return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        if "crisis_events" in tables and "alembic_version" not in tables:
            # Created by create_all before the migrations existed: it is revision 0001.
            command.stamp(config, "0001")
        command.upgrade(config, "head")


def _engine(url: str) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        secure_sqlite(path)  # owner-only: requests, answers and crisis events (and a file left readable is fixed)
    # hide_parameters: a failed statement's error message must not carry names or phone numbers.
    engine = create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)
    if path is not None:
        event.listen(engine, "connect", _write_ahead_log)
    return engine


def _write_ahead_log(connection: sqlite3.Connection, record: object) -> None:
    # WAL: a commit is one fsync of the log instead of the journal's several, and readers (the console's
    # pages) never wait for a writer; synchronous stays FULL, so a committed request survives a power cut.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    engine = _engine(url)
    _upgrade(engine)
    return engine


def open_session(url: str | None = None) -> Session:
    """A session on `url` (default: database_url()); objects stay readable after it closes."""
    return Session(engine_for(url or database_url()), expire_on_commit=False)

"""Transcripts of conversations, read from Rasa's SQL tracker store: what the person and the assistant said.

The records database (assistant/db/) never holds message text; staff read it
here by conversation id: the `intake` command today, the staff console later.
TRACKER_DATABASE_URL names the store: default SQLite var/tracker.db (the store
of endpoints.yml); in production the PostgreSQL URL of endpoints.production.yml.
Read only, straight from Rasa's `events` table: importing Rasa would take
the `intake` command seconds to start.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Literal

from sqlalchemy import bindparam, create_engine, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from assistant.center import PROJECT_ROOT

DEFAULT_TRACKER_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"
Speaker = Literal["person", "assistant"]
SPEAKERS: dict[str, Speaker] = {"user": "person", "bot": "assistant"}  # Rasa's event type -> who spoke
# What reading can raise: no tracker database, or one without Rasa's schema.
READ_ERRORS = (OSError, SQLAlchemyError, ValueError)


@dataclass(frozen=True)
class Turn:
    at: datetime  # aware, UTC
    speaker: Speaker
    text: str
    # The row in the events table (a reply flag names it); 0 when not read from a store. Not compared:
    # two turns are equal when the same was said at the same time.
    event_id: int = field(default=0, compare=False)


def tracker_url() -> str:
    return os.environ.get("TRACKER_DATABASE_URL") or DEFAULT_TRACKER_URL


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    # One engine (and pool) per store for the process: the console reads a transcript on every request page.
    # hide_parameters: an error message must not carry the conversation id (a phone number on SMS).
    return create_engine(url, future=True, hide_parameters=True, pool_pre_ping=True)


@contextmanager
def connect(url: str | None = None) -> Iterator[Connection]:
    """A read connection to the tracker store; raises FileNotFoundError for a missing SQLite file."""
    url = url or tracker_url()
    # Opening a missing SQLite file would create an empty one.
    if url.startswith("sqlite:///") and not os.path.exists(url.removeprefix("sqlite:///")):
        raise FileNotFoundError(f"no tracker database at {url.removeprefix('sqlite:///')}")
    with _engine(url).connect() as connection:
        yield connection


def read_transcript(conversation_id: str, url: str | None = None) -> list[Turn]:
    """The messages of one conversation, oldest first ([] when none are stored); raises one of READ_ERRORS."""
    query = text(
        "SELECT id, timestamp, type_name, data FROM events"
        " WHERE sender_id = :sender AND type_name IN :types ORDER BY id"
    ).bindparams(bindparam("types", expanding=True))
    with connect(url) as connection:
        rows = connection.execute(query, {"sender": conversation_id, "types": list(SPEAKERS)}).all()
    turns = []
    for event_id, timestamp, type_name, data in rows:
        message = json.loads(data).get("text")
        if message:
            at = datetime.fromtimestamp(timestamp, timezone.utc)
            turns.append(Turn(at, SPEAKERS[type_name], message, event_id))
    return turns


def messages_before(replies: Iterable[tuple[str, int]], url: str | None = None) -> dict[tuple[str, int], str]:
    """For each (conversation id, event id of an assistant reply): what the person said last before that reply.

    A reply with no message of the person before it (or not stored) is left out; raises one of READ_ERRORS.
    """
    # The person's last message with text: an event without text (a button payload's) is skipped.
    query = text(
        "SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' AND id < :reply ORDER BY id DESC"
    )
    found: dict[tuple[str, int], str] = {}
    with connect(url) as connection:
        for conversation_id, event_id in dict.fromkeys(replies):
            for (data,) in connection.execute(query, {"sender": conversation_id, "reply": event_id}):
                message = json.loads(data).get("text")
                if message:
                    found[(conversation_id, event_id)] = message
                    break
    return found

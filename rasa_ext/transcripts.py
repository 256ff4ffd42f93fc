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
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

from sqlalchemy import bindparam, create_engine, text
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


def tracker_url() -> str:
    return os.environ.get("TRACKER_DATABASE_URL") or DEFAULT_TRACKER_URL


def read_transcript(conversation_id: str, url: str | None = None) -> list[Turn]:
    """The messages of one conversation, oldest first ([] when none are stored); raises one of READ_ERRORS."""
    url = url or tracker_url()
    # Opening a missing SQLite file would create an empty one.
    if url.startswith("sqlite:///") and not os.path.exists(url.removeprefix("sqlite:///")):
        raise FileNotFoundError(f"no tracker database at {url.removeprefix('sqlite:///')}")
    query = text(
        "SELECT timestamp, type_name, data FROM events"
        " WHERE sender_id = :sender AND type_name IN :types ORDER BY id"
    ).bindparams(bindparam("types", expanding=True))
    # hide_parameters: an error message must not carry the conversation id (a phone number on SMS).
    engine = create_engine(url, future=True, hide_parameters=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(query, {"sender": conversation_id, "types": list(SPEAKERS)}).all()
    finally:
        engine.dispose()
    turns = []
    for timestamp, type_name, data in rows:
        message = json.loads(data).get("text")
        if message:
            turns.append(Turn(datetime.fromtimestamp(timestamp, timezone.utc), SPEAKERS[type_name], message))
    return turns

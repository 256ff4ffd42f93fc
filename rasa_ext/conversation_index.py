"""Every conversation in Rasa's SQL tracker store, summed up by aggregate SQL (one row per conversation).

For the console's conversation list: GROUP BY sender_id over the `events`
table (Rasa indexes sender_id), never every event loaded into Python. Like
rasa_ext/transcripts.py it reads the table directly, without importing Rasa.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from rasa_ext.transcripts import connect

# The input channels' names (each channel's name() under channels/): what a user event's input_channel holds.
CHANNELS = ("webchat", "sms", "rest")
# Actions that mean the assistant did not understand: config.yml's core fallback, and the
# two-stage fallback of data/rules/basics.yml (with its "did you mean" step, actions/fallback.py).
FALLBACK_ACTIONS = ("action_default_fallback", "action_two_stage_fallback", "action_default_ask_affirmation")
IN_CHUNK = 500  # ids per IN (...): SQLite allows only so many parameters in one statement


@dataclass(frozen=True)
class ConversationSummary:
    conversation_id: str
    started: datetime  # aware, UTC: the first event
    last: datetime  # the last event
    messages: int  # what the person and the assistant said
    fallbacks: int  # FALLBACK_ACTIONS run


def _channel_expression(connection: Connection) -> str:
    """SQL for a user event's input_channel, read from its JSON `data` column."""
    if connection.dialect.name == "postgresql":
        return "CAST(data AS json) ->> 'input_channel'"
    if connection.dialect.name in ("mysql", "mariadb"):
        return "JSON_UNQUOTE(JSON_EXTRACT(data, '$.input_channel'))"
    return "json_extract(data, '$.input_channel')"  # SQLite's JSON1, built in since 3.38


def _when(timestamp: float | None) -> datetime:
    return datetime.fromtimestamp(timestamp or 0, timezone.utc)


def summaries(url: str | None = None, *, active_from: datetime | None = None, active_before: datetime | None = None,
              channel: str | None = None) -> list[ConversationSummary]:
    """Every conversation with an event in [active_from, active_before), of `channel` when given; any order.

    Raises one of rasa_ext.transcripts.READ_ERRORS.
    """
    having: list[str] = []
    values: dict[str, float | str] = {}
    if active_from is not None:
        having.append("MAX(timestamp) >= :active_from")
        values["active_from"] = active_from.timestamp()
    if active_before is not None:
        having.append("MIN(timestamp) < :active_before")
        values["active_before"] = active_before.timestamp()
    with connect(url) as connection:
        where = ""
        if channel is not None:
            # Only when asked: this one reads the JSON of the people's messages. The LIKE first (the
            # name in quotes must be in the text) spares most of them the JSON parse.
            where = (" WHERE sender_id IN (SELECT sender_id FROM events WHERE type_name = 'user'"
                     f" AND data LIKE :quoted AND {_channel_expression(connection)} = :channel)")
            values.update(channel=channel, quoted=f'%"{channel}"%')
        query = text(
            "SELECT sender_id, MIN(timestamp), MAX(timestamp),"
            " SUM(CASE WHEN type_name IN ('user', 'bot') THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN type_name = 'action' AND action_name IN :fallbacks THEN 1 ELSE 0 END)"
            f" FROM events{where} GROUP BY sender_id" + (f" HAVING {' AND '.join(having)}" if having else "")
        ).bindparams(bindparam("fallbacks", expanding=True))
        rows = connection.execute(query, {**values, "fallbacks": list(FALLBACK_ACTIONS)}).all()
    return [ConversationSummary(sender, _when(first), _when(last), int(messages or 0), int(fallbacks or 0))
            for sender, first, last, messages, fallbacks in rows]


def channels_of(conversation_ids: Iterable[str], url: str | None = None) -> dict[str, str | None]:
    """The input channel of each conversation's first message from the person (None: no such message)."""
    wanted = list(dict.fromkeys(conversation_ids))
    found: dict[str, str | None] = dict.fromkeys(wanted)
    if not wanted:
        return found
    query = text(
        "SELECT sender_id, data FROM events WHERE id IN"
        " (SELECT MIN(id) FROM events WHERE type_name = 'user' AND sender_id IN :ids GROUP BY sender_id)"
    ).bindparams(bindparam("ids", expanding=True))
    with connect(url) as connection:
        for start in range(0, len(wanted), IN_CHUNK):
            for sender, data in connection.execute(query, {"ids": wanted[start:start + IN_CHUNK]}):
                found[sender] = json.loads(data).get("input_channel")
    return found


def event_texts(event_ids: Iterable[int], url: str | None = None) -> dict[int, str]:
    """What was said in each given event (a flagged reply's text); an event without text is left out."""
    wanted = list(dict.fromkeys(event_ids))
    found: dict[int, str] = {}
    if not wanted:
        return found
    query = text("SELECT id, data FROM events WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    with connect(url) as connection:
        for start in range(0, len(wanted), IN_CHUNK):
            for event_id, data in connection.execute(query, {"ids": wanted[start:start + IN_CHUNK]}):
                message = json.loads(data).get("text")
                if message:
                    found[event_id] = message
    return found

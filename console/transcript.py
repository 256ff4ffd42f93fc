"""A conversation's transcript as the console shows it: each turn, and the turns where a crisis path began."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime

from assistant.db.crises import crisis_events
from console.app import tracker_url
from rasa_ext.transcripts import READ_ERRORS, Turn, read_transcript


@dataclass(frozen=True)
class ShownTurn:
    turn: Turn
    crisis: str | None  # the crisis kind when this person's message started a crisis path


@dataclass(frozen=True)
class Transcript:
    turns: list[ShownTurn]
    unavailable: str | None  # why it could not be read (no message text in it)


def crisis_marks(turns: list[Turn], crises: list[tuple[datetime, str]]) -> dict[int, str]:
    """Turn index -> crisis kind: the person's last message at or before each crisis event."""
    person = [i for i, turn in enumerate(turns) if turn.speaker == "person"]
    times = [turns[i].at for i in person]
    marks: dict[int, str] = {}
    for at, kind in crises:
        position = bisect_right(times, at) - 1
        if position >= 0:
            marks.setdefault(person[position], kind)
    return marks


def load(conversation_id: str, database_url: str | None) -> Transcript:
    try:
        turns = read_transcript(conversation_id, url=tracker_url())
    except READ_ERRORS as exc:
        return Transcript([], f"the transcript store could not be read ({type(exc).__name__})")
    events = crisis_events(url=database_url, conversation_id=conversation_id)
    marks = crisis_marks(turns, [(event.created_at, event.kind) for event in events])
    return Transcript([ShownTurn(turn, marks.get(i)) for i, turn in enumerate(turns)], None)

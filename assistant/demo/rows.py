"""The demo's rows: requests with their answers, scores, history, notes and notifications, crisis events and
Rasa's events, built in memory and inserted in bulk (explicit ids, one executemany per table and chunk)."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Column, Date, DateTime, Float, Integer, MetaData, String, Table, Text, TypeDecorator, func, select
from sqlalchemy.engine import Connection

from assistant.db.callbacks import REFERENCE_ALPHABET, REFERENCE_LENGTH
from assistant.db.models import (
    PRIORITY_RANK,
    CallbackRequest,
    CrisisEvent,
    IntakeAnswer,
    Notification,
    RequestNote,
    ScreeningScore,
    StatusChange,
)
from assistant.demo.intake import LONG_CONVERSATION_ID, LONG_TURNS, XSS_CONVERSATION_ID, answer_pool, request_conversation
from assistant.demo.people import Person
from assistant.demo.staff_work import CLINICIAN, REVIEW_NOTES, staff_work
from assistant.demo.transcript import DEMO_PREFIX, Transcript, faq_conversation, utc
from assistant.intake.due import due_at, due_config
from assistant.intake.submission import Submission

SPREAD = timedelta(days=10)  # requests are spread over this much of the past
# The newest requests get their own walk through the questions and the whole conversation; older ones
# (bulk data for benchmarks) share POOL walks and get an abridged transcript: 10,000 stay quick to make.
FULL_TRANSCRIPTS = 500
POOL = 400
CHUNK = 500  # requests generated and inserted at a time: memory stays flat at 10,000
MAX_CHATS = 1000  # conversations without a request: a third of the requests, at most this many
JUST_NOW = 15  # requests in the last 90 minutes, at most
MAX_CLAIMS = 4  # requests someone is calling about right now
NOTIFIED = "intake-team@example.org"  # sent already: the notification worker never tries a demo row

# Rasa 3.6's SQLTrackerStore.SQLEvent (rasa/core/tracker_store.py), created when the store has no table yet.
TRACKER_METADATA = MetaData()
EVENTS = Table(
    "events", TRACKER_METADATA,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)  # fmt: skip


@dataclass
class Summary:
    """What was written, for the report at the end."""

    requests: Counter = field(default_factory=Counter)  # by level
    statuses: Counter = field(default_factory=Counter)
    overdue: int = 0
    claimed: int = 0
    notes: int = 0
    crises: Counter = field(default_factory=Counter)  # by kind
    reviewed: int = 0
    chats_without_request: int = 0
    events: int = 0


# --- the rows -----------------------------------------------------------------------------


@dataclass
class Ids:
    """The next primary key of each records table: explicit ids let children go in with their parents, in bulk."""

    next: dict[str, int]

    def take(self, table: str) -> int:
        self.next[table] += 1
        return self.next[table] - 1


def _request_row(request_id: int, reference: str, submission: Submission, created: datetime) -> dict:
    """A callback_requests row, as assistant/db/callbacks.py save_callback_request writes it."""
    level = submission.triage.level
    return {
        "id": request_id, "reference": reference, "conversation_id": submission.conversation_id, "status": "new",
        "priority": level, "priority_rank": PRIORITY_RANK[level], "for_whom": submission.for_whom,
        "first_name": submission.first_name, "phone_e164": submission.phone_e164, "best_time": submission.best_time,
        "voicemail_ok": submission.voicemail_ok, "text_ok": submission.text_ok,
        "callback_window": submission.callback_window, "crisis_flag": submission.crisis_flag,
        "same_day": submission.same_day, "triage_reasons": json.dumps(list(submission.triage.reasons)),
        "consent_notice_version": submission.consent_notice_version, "consent_at": submission.consent_at,
        "created_at": created, "updated_at": created, "due_at": submission.due_at or due_at(level, created),
        "claimed_by": None, "claimed_at": None, "attempts": 0, "unanswered_attempts": 0,
    }  # fmt: skip


class Batch:
    """Rows of each table, inserted together (executemany) and then forgotten."""

    def __init__(self) -> None:
        self.rows: dict[Table, list[dict]] = {}

    def add(self, model: type, row: dict) -> None:
        self.rows.setdefault(model.__table__, []).append(row)  # type: ignore[attr-defined]

    def flush(self, records: Connection, tracker: Connection) -> None:
        for table, rows in self.rows.items():
            _insert(tracker if table is EVENTS else records, table, rows)
        self.rows.clear()


def _insert(connection: Connection, table: Table, rows: list[dict]) -> None:
    """One executemany. Tables without dates go straight to the driver: Core's per-row parameter
    processing would be most of the time of 10,000 requests; dates need it (SQLite stores them as text)."""
    plain = not any(isinstance(column.type, (Date, DateTime, TypeDecorator)) for column in table.columns)
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(connection.dialect.paramstyle)
    if not (plain and mark):
        connection.execute(table.insert(), rows)
        return
    names = list(rows[0])
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    connection.exec_driver_sql(sql, [tuple(row[name] for name in names) for row in rows])


def _add_transcript(batch: Batch, transcript: Transcript, summary: Summary) -> None:
    rows = transcript.rows()
    for row in rows:
        row["data"] = json.dumps(row["data"])
    batch.rows.setdefault(EVENTS, []).extend(rows)
    summary.events += len(rows)


def _add_crises(batch: Batch, ids: Ids, rng: random.Random, transcript: Transcript, now: datetime, summary: Summary) -> None:
    for item in transcript.crises:
        at = utc(item.at)
        event_id = ids.take("crisis_events")
        age = now - at
        reviewed = rng.random() < (0.75 if age > timedelta(days=1) else 0.35 if age > timedelta(hours=2) else 0)
        reviewed_at = at + min(age, timedelta(hours=18)) * rng.uniform(0.05, 0.9) if reviewed else None
        batch.add(CrisisEvent, {
            "id": event_id, "conversation_id": transcript.conversation_id, "kind": item.kind,
            "detected_by": item.detected_by, "created_at": at, "reviewed_at": reviewed_at,
            "reviewed_by": CLINICIAN if reviewed else None, "reviewed_on_behalf_of": None,
            "review_note": rng.choice(REVIEW_NOTES) if reviewed and rng.random() < 0.8 else None,
        })  # fmt: skip
        _add_notification(batch, ids, at, crisis_event_id=event_id)
        summary.crises[item.kind] += 1
        summary.reviewed += reviewed


def _add_notification(batch: Batch, ids: Ids, at: datetime, request_id: int | None = None,
                      crisis_event_id: int | None = None) -> None:
    batch.add(Notification, {
        "id": ids.take("notifications"), "request_id": request_id, "crisis_event_id": crisis_event_id,
        "channel": "smtp", "target": NOTIFIED, "status": "sent", "attempts": 1, "next_attempt_at": at,
        "last_error": None, "created_at": at, "delivered_at": at + timedelta(seconds=4),
    })  # fmt: skip


def _add_request(batch: Batch, ids: Ids, rng: random.Random, conversation_id: str, reference: str,
                 created: datetime, now: datetime, walk: Person | None, summary: Summary) -> None:
    pad_to = LONG_TURNS if conversation_id == LONG_CONVERSATION_ID else 0
    transcript, submission = request_conversation(conversation_id, rng, reference, created, pad_to=pad_to, walk=walk)
    request_id = ids.take("callback_requests")
    row = _request_row(request_id, reference, submission, created)
    work = staff_work(rng, row, now, due_config().unanswered_limit, may_claim=summary.claimed < MAX_CLAIMS)
    last = max([created, *(c["changed_at"] for c in work.changes), *(n["at"] for n in work.notes)])
    row.update(status=work.status, attempts=work.attempts, unanswered_attempts=work.unanswered,
               claimed_by=work.claimed_by, claimed_at=work.claimed_at, updated_at=last)
    batch.add(CallbackRequest, row)
    for position, answer in enumerate(submission.answers):
        batch.add(IntakeAnswer, {"id": ids.take("intake_answers"), "request_id": request_id, "position": position,
                                 "question_id": answer.question_id, "value": json.dumps(answer.value),
                                 "label": answer.label, "asam_dimension": answer.asam_dimension})
    for score in submission.scores:
        batch.add(ScreeningScore, {"id": ids.take("screening_scores"), "request_id": request_id, **vars(score)})
    created_change = {"from_status": None, "to_status": "new", "changed_by": "assistant", "changed_at": created,
                      "outcome": None, "scheduled_for": None}
    for change in (created_change, *work.changes):
        batch.add(StatusChange, {"id": ids.take("status_changes"), "request_id": request_id, "on_behalf_of": None, **change})
    for note in work.notes:
        batch.add(RequestNote, {"id": ids.take("request_notes"), "request_id": request_id, **note})
    _add_notification(batch, ids, created, request_id=request_id)
    _add_crises(batch, ids, rng, transcript, now, summary)
    _add_transcript(batch, transcript, summary)
    summary.requests[submission.triage.level] += 1
    summary.statuses[work.status] += 1
    summary.overdue += work.status in ("new", "no_answer", "unable_to_reach") and row["due_at"] < now
    summary.claimed += work.claimed_by is not None
    summary.notes += len(work.notes)


# --- the plan: which conversations, when ------------------------------------------------------


def _conversation_id(rng: random.Random) -> str:
    channel = rng.choices(("web", "sms", "rest"), (70, 25, 5))[0]
    return f"{DEMO_PREFIX}{channel}-{rng.getrandbits(64):016x}"


def _references(rng: random.Random, count: int, taken: set[str]) -> Iterator[str]:
    for _ in range(count):
        reference = ""
        while not reference or reference in taken:
            reference = "CB-" + "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        taken.add(reference)
        yield reference


def request_times(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """Oldest first: one in eight (at most JUST_NOW) in the last 90 minutes, some already overdue; the rest over SPREAD."""
    recent = min(JUST_NOW, round(count / 8))
    ages = [timedelta(minutes=rng.uniform(5, 90)) if n < recent else SPREAD * rng.uniform(0.01, 1) for n in range(count)]
    return sorted(now - age for age in ages)


def _plan(rng: random.Random, count: int, now: datetime) -> list[tuple[datetime, str]]:
    """(created_at, conversation id) of each request, oldest first; the XSS and the long one are among them."""
    plan = [(at, _conversation_id(rng)) for at in request_times(rng, count, now)]
    specials = [(now - timedelta(hours=3, minutes=12), XSS_CONVERSATION_ID),
                (now - timedelta(days=1, hours=4), LONG_CONVERSATION_ID)][:count]
    return sorted([*plan[len(specials):], *specials])


def _add_chats(batch: Batch, ids: Ids, rng: random.Random, count: int, now: datetime, summary: Summary) -> None:
    """Conversations without a request: FAQ only, some with misunderstandings, some ending in a crisis (each kind once)."""
    for n in range(count):
        kind = ("suicide", "overdose", "medical")[n] if n < 3 else (
            rng.choice(("suicide", "overdose", "medical")) if rng.random() < 0.12 else None)
        transcript = faq_conversation(_conversation_id(rng), rng, crisis_kind=kind,
                                      fallbacks=n in (3, 4) or rng.random() < 0.2)
        started = now - (SPREAD * rng.uniform(0.005, 1) if n >= 3 else timedelta(hours=rng.uniform(0.5, 30)))
        transcript.shift(min(started.timestamp(), now.timestamp() - transcript.clock))
        _add_crises(batch, ids, rng, transcript, now, summary)
        _add_transcript(batch, transcript, summary)
        summary.chats_without_request += 1


def write(records: Connection, tracker: Connection, rng: random.Random, requests: int, now: datetime) -> Summary:
    """`requests` requests, oldest first, and a third as many chats without one (at most MAX_CHATS)."""
    summary = Summary()
    tables = ("callback_requests", "intake_answers", "screening_scores", "status_changes", "request_notes",
              "crisis_events", "notifications")
    columns = CallbackRequest.metadata.tables
    ids = Ids({name: (records.scalar(select(func.max(columns[name].c.id))) or 0) + 1 for name in tables})
    taken = set(records.scalars(select(CallbackRequest.reference)))
    plan = _plan(rng, requests, now)
    references = list(_references(rng, len(plan), taken))
    bulk = max(0, len(plan) - FULL_TRANSCRIPTS)  # the oldest: answers from a pool, abridged transcripts
    pool = answer_pool(rng, min(POOL, bulk))
    batch = Batch()
    for n, ((created, conversation_id), reference) in enumerate(zip(plan, references, strict=True)):
        walk = rng.choice(pool) if n < bulk and conversation_id != LONG_CONVERSATION_ID else None
        _add_request(batch, ids, rng, conversation_id, reference, created, now, walk, summary)
        if (n + 1) % CHUNK == 0:
            batch.flush(records, tracker)
    _add_chats(batch, ids, rng, max(6, min(requests // 3, MAX_CHATS)), now, summary)
    batch.flush(records, tracker)
    return summary

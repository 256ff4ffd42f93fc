"""`make demo-data` (assistant/demo_data.py): synthetic data that reads back, and the guards that keep it local."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from assistant import demo_data
from assistant.db.callbacks import save_callback_request
from assistant.db.models import CallbackRequest, CrisisEvent, IntakeAnswer, RequestNote, StaffUser, StatusChange
from assistant.db.staff import verify_password
from assistant.demo.intake import (
    LONG_CONVERSATION_ID,
    LONG_TURNS,
    XSS_CONVERSATION_ID,
    answer_pool,
    bulk_submission,
    from_walk,
)
from assistant.demo.rows import MAX_CLAIMS
from assistant.intake.callback_request import build_submission
from assistant.intake.triage import triage
from rasa_ext.transcripts import read_transcript
from tests.intake_support import make_submission

NOW = datetime(2027, 3, 3, 15, 30, tzinfo=timezone.utc)  # a Wednesday, the center open
XSS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)")


@pytest.fixture
def urls(tmp_path, monkeypatch):
    records, tracker = f"sqlite:///{tmp_path / 'assistant.db'}", f"sqlite:///{tmp_path / 'tracker.db'}"
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", records)
    monkeypatch.setenv("TRACKER_DATABASE_URL", tracker)
    monkeypatch.delenv("DEMO_DATA_CONFIRM", raising=False)
    return records, tracker


def rows(url, query):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(query).all()
    finally:
        engine.dispose()


def count(url, model, *where):
    return rows(url, sa.select(sa.func.count()).select_from(model).where(*where))[0][0]


@pytest.fixture
def filled(urls):
    records, tracker = urls
    summary = demo_data.fill(records, tracker, requests=24, seed=7, now=NOW)
    return records, tracker, summary


def test_requests_crises_and_chats_are_written(filled):
    records, tracker, summary = filled
    assert count(records, CallbackRequest) == 24 == sum(summary.requests.values())
    assert count(records, CallbackRequest, CallbackRequest.conversation_id.not_like("demo-%")) == 0
    assert {kind for (kind,) in rows(records, sa.select(CrisisEvent.kind).distinct())} == {"suicide", "overdose", "medical"}
    assert count(records, CrisisEvent, CrisisEvent.review_note.is_not(None)) >= 1
    assert count(records, StatusChange, StatusChange.outcome.is_not(None)) >= 1
    assert count(records, RequestNote) >= 1
    assert count(records, CallbackRequest, CallbackRequest.claimed_by.is_not(None)) <= MAX_CLAIMS
    unreached = CallbackRequest.status.in_(("new", "no_answer", "unable_to_reach"))
    assert count(records, CallbackRequest, unreached, CallbackRequest.due_at < NOW) == summary.overdue >= 1
    senders = {s for (s,) in rows(tracker, sa.text("SELECT DISTINCT sender_id FROM events"))}
    assert len(senders) == 24 + summary.chats_without_request
    assert rows(tracker, sa.text("SELECT count(*) FROM events WHERE type_name = 'action'"
                                 " AND action_name = 'action_default_fallback'"))[0][0] >= 1


def test_transcripts_read_back_like_real_ones(filled):
    records, tracker, _ = filled
    for (conversation_id,) in rows(records, sa.select(CallbackRequest.conversation_id)):
        turns = read_transcript(conversation_id, tracker)
        assert turns[0].speaker == "assistant" and any(t.speaker == "person" for t in turns)
        assert turns == sorted(turns, key=lambda t: t.at)
    long = read_transcript(LONG_CONVERSATION_ID, tracker)
    assert sum(t.speaker == "person" for t in long) == LONG_TURNS
    # Rasa's own format: every stored event's JSON names its type like the row does.
    for type_name, data in rows(tracker, sa.text("SELECT type_name, data FROM events LIMIT 500")):
        assert json.loads(data)["event"] == type_name


def test_exactly_one_conversation_carries_markup(filled):
    _, tracker, _ = filled
    said = " ".join(t.text for t in read_transcript(XSS_CONVERSATION_ID, tracker) if t.speaker == "person")
    assert all(markup in said for markup in XSS)
    senders = rows(tracker, sa.text("SELECT DISTINCT sender_id FROM events WHERE type_name = 'user'"
                                    " AND data LIKE '%<script>alert(1)</script>%'"))
    assert senders == [(XSS_CONVERSATION_ID,)]


def test_levels_and_reasons_are_the_triage_of_the_stored_answers(filled):
    records, _, _ = filled
    crisis_conversations = {c for (c,) in rows(records, sa.select(CrisisEvent.conversation_id))}
    answers: dict[int, dict] = {}
    for request_id, question_id, value in rows(records, sa.select(IntakeAnswer.request_id, IntakeAnswer.question_id,
                                                                   IntakeAnswer.value)):
        answers.setdefault(request_id, {})[question_id] = json.loads(value)
    checked = 0
    for request_id, conversation_id, priority, reasons in rows(records, sa.select(
            CallbackRequest.id, CallbackRequest.conversation_id, CallbackRequest.priority, CallbackRequest.triage_reasons)):
        if conversation_id not in crisis_conversations:  # a crisis adds to triage what the answers do not hold
            result = triage(answers[request_id])
            stored = json.loads(reasons)
            if stored and stored[0].startswith("questions stopped by"):  # a stopping answer: URGENT, reason first
                assert (priority, stored[1:]) == ("URGENT", list(result.reasons))
            else:
                assert (result.level, list(result.reasons)) == (priority, stored)
            checked += 1
    assert checked >= 10


def test_bulk_requests_get_what_build_submission_gives():
    rng = random.Random(3)
    pool = answer_pool(rng, 20)
    for n in range(60):
        walk = rng.choice(pool)
        person = from_walk(walk, rng)
        at, sms = NOW - timedelta(hours=rng.uniform(0, 240)), n % 3 == 0
        built = build_submission(f"demo-web-{n}", person.answers, set(), at, sms)
        assert bulk_submission(f"demo-web-{n}", person, walk, at, sms) == built


def test_same_seed_same_data(tmp_path):
    def dump(name, seed):
        records, tracker = f"sqlite:///{tmp_path / name}.db", f"sqlite:///{tmp_path / name}-tracker.db"
        demo_data.fill(records, tracker, requests=8, seed=seed, now=NOW)
        return (rows(records, sa.select(CallbackRequest).order_by(CallbackRequest.id)),
                rows(records, sa.select(IntakeAnswer).order_by(IntakeAnswer.id)),
                rows(tracker, sa.text("SELECT sender_id, type_name, timestamp, data FROM events ORDER BY id")))

    first = dump("a", 11)
    assert dump("b", 11) == first
    assert dump("c", 12) != first


def test_a_second_run_replaces_the_demo_rows_and_reset_removes_them(urls, capsys):
    records, tracker = urls
    save_callback_request(make_submission(conversation_id="web:real"), [], url=records)
    assert demo_data.main(["--requests", "5", "--force"]) == 0
    out = capsys.readouterr().out
    password = out.split("demo-admin: ", 1)[1].split()[0]
    assert "DEMO DATA" in out and verify_password("demo-clinician", password, records) is not None
    assert demo_data.main(["--requests", "5", "--force"]) == 0
    assert "already there" in capsys.readouterr().out
    assert count(records, CallbackRequest) == 6
    assert demo_data.main(["--reset"]) == 0
    assert [c for (c,) in rows(records, sa.select(CallbackRequest.conversation_id))] == ["web:real"]
    assert count(records, StaffUser) == 0
    assert rows(tracker, sa.text("SELECT count(*) FROM events"))[0][0] == 0


def test_records_that_are_not_demo_data_are_refused(urls, capsys):
    records, tracker = urls
    save_callback_request(make_submission(conversation_id="web:real"), [], url=records)
    assert demo_data.main(["--requests", "3"]) == 2
    assert "not demo data" in capsys.readouterr().err
    assert count(records, CallbackRequest) == 1


@pytest.mark.parametrize("which", ["ASSISTANT_DATABASE_URL", "TRACKER_DATABASE_URL"])
def test_a_server_database_is_refused(urls, monkeypatch, capsys, which):
    monkeypatch.setenv(which, "postgresql://user:secret@db.example.org/assistant")
    assert demo_data.main([]) == 2
    assert demo_data.main(["--allow-non-sqlite"]) == 2  # DEMO_DATA_CONFIRM=yes is missing
    err = capsys.readouterr().err
    assert "not a local SQLite file" in err and "secret" not in err
    monkeypatch.setenv("DEMO_DATA_CONFIRM", "yes")
    demo_data.check_urls(urls[0], "postgresql://db.example.org/t", allow_non_sqlite=True)
    with pytest.raises(demo_data.DemoRefused):
        demo_data.check_urls(urls[0], "postgresql://db.example.org/t")

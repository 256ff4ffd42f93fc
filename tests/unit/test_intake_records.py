"""Callback requests, answers, scores, outbox and audit rows: the same code on SQLite and PostgreSQL."""

import os
import re
from collections import namedtuple
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from assistant.db.audit import access_log, log_access, log_access_rows
from assistant.db.callbacks import get_callback, list_callbacks, save_callback_request, set_status
from assistant.db.crises import crises_for_review, crisis_events, get_crisis_event, record_crisis_event, review_crisis
from assistant.db.engine import MIGRATIONS, SCHEMA_REVISION, engine_for, migrate
from assistant.db.models import Base, CrisisEvent, Notification, utc_now
from assistant.db.outbox import (
    claim_notification,
    notifications,
    pending_notifications,
    record_attempt,
    undelivered_notifications,
)
from assistant.intake.submission import Level
from tests.intake_support import PHONE, make_submission

Target = namedtuple("Target", "channel target")
TARGETS = [Target("smtp", "intake@example.org via smtp.example.org:587"), Target("webhook", "https://hooks.example.org/x")]
TABLES = ["callback_requests", "intake_answers", "screening_scores", "notifications", "status_changes", "access_log"]
NOON = datetime(2025, 3, 3, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def url(records_url):
    return records_url


def _count(url, table):
    with engine_for(url).connect() as connection:
        return connection.execute(sqlalchemy.text(f"SELECT count(*) FROM {table}")).scalar()


def test_a_request_is_stored_whole_with_one_pending_notification_per_target(url):
    reference = save_callback_request(make_submission("HIGH"), TARGETS, url=url)
    assert re.fullmatch(r"CB-[23456789ABCDEFGHJKMNPQRSTWXYZ]{6}", reference)
    request = get_callback(reference.lower().removeprefix("cb-"), url=url)  # as staff may type it
    assert request is not None
    assert (request.reference, request.status, request.priority, request.priority_rank) == (reference, "new", "HIGH", 1)
    assert (request.first_name, request.phone_e164, request.voicemail_ok, request.text_ok) == ("Dana", PHONE, True, False)
    assert (request.crisis_flag, request.same_day, request.callback_window) == (False, True, "today before 6 pm")
    assert request.reasons == ["daily alcohol use with past withdrawal seizures"]
    assert request.consent_at.isoformat() == "2025-03-03T14:00:00+00:00"
    assert request.created_at.tzinfo is not None
    assert [(a.position, a.question_id, a.asam_dimension) for a in request.answers][:2] == [
        (0, "intake_age_group", "D2"),
        (1, "intake_substances", "D1"),
    ]
    assert request.answers[1].parsed_value == ["alcohol", "fentanyl"]
    assert [(s.instrument, s.score, s.max_score, s.positive) for s in request.scores] == [
        ("AUDIT-C", 9, 12, True),
        ("PHQ-2", None, 6, None),
    ]
    outbox = [(n.channel, n.status, n.attempts) for n in request.notifications]
    assert outbox == [("smtp", "pending", 0), ("webhook", "pending", 0)]
    assert [(c.from_status, c.to_status, c.changed_by) for c in request.status_changes] == [(None, "new", "assistant")]


def test_a_failing_later_insert_writes_nothing(url):
    broken = [TARGETS[0], Target("webhook", None)]  # the last row inserted violates NOT NULL
    with pytest.raises(sqlalchemy.exc.IntegrityError) as failure:
        save_callback_request(make_submission(), broken, url=url)
    assert PHONE not in str(failure.value) and "Dana" not in str(failure.value)  # hide_parameters
    assert {table: _count(url, table) for table in TABLES} == dict.fromkeys(TABLES, 0)


def test_the_queue_is_most_urgent_first_then_oldest_first(url):
    levels: list[Level] = ["ROUTINE", "URGENT", "HIGH", "ROUTINE", "URGENT"]
    saved = [(level, save_callback_request(make_submission(level), [], url=url)) for level in levels]
    expected = [ref for level in ("URGENT", "HIGH", "ROUTINE") for lvl, ref in saved if lvl == level]
    assert [r.reference for r in list_callbacks(url=url)] == expected
    set_status(expected[0], "contacted", "jo", url=url)
    assert [r.reference for r in list_callbacks(status="new", url=url)] == expected[1:]
    assert [r.reference for r in list_callbacks(status="contacted", url=url)] == expected[:1]
    with pytest.raises(ValueError, match="status"):
        list_callbacks(status="done", url=url)


def test_status_changes_are_validated_and_kept_as_history(url):
    reference = save_callback_request(make_submission(), [], url=url)
    change = set_status(reference, "no_answer", "jo", url=url)
    assert change is not None and change.from_status == "new"
    set_status(reference, "scheduled", "sam", url=url)
    with pytest.raises(ValueError, match="unknown status"):
        set_status(reference, "done", "sam", url=url)
    assert set_status("CB-NOSUCH", "closed", "sam", url=url) is None
    request = get_callback(reference, url=url)
    assert request is not None
    assert request.status == "scheduled" and request.updated_at >= request.created_at
    assert [(c.from_status, c.to_status, c.changed_by) for c in request.status_changes] == [
        (None, "new", "assistant"),
        ("new", "no_answer", "jo"),
        ("no_answer", "scheduled", "sam"),
    ]


def test_outbox_due_claim_and_attempts(url):
    reference = save_callback_request(make_submission(), TARGETS[:1], url=url)
    request = get_callback(reference, url=url)
    assert request is not None
    start = request.created_at
    [due] = pending_notifications(start, url=url)
    assert due.request.reference == reference
    assert pending_notifications(start - timedelta(seconds=1), url=url) == []

    assert claim_notification(due.id, start, timedelta(minutes=5), url=url)
    assert not claim_notification(due.id, start, timedelta(minutes=5), url=url)  # one sender only
    record_attempt(due.id, start, "URLError: refused", start + timedelta(seconds=30), url=url)
    [waiting] = undelivered_notifications(url=url)
    assert (waiting.status, waiting.attempts, waiting.last_error) == ("pending", 1, "URLError: refused")
    assert waiting.next_attempt_at == start + timedelta(seconds=30)

    later = start + timedelta(minutes=1)
    assert claim_notification(due.id, later, timedelta(minutes=5), url=url)
    record_attempt(due.id, later, url=url)
    assert undelivered_notifications(url=url) == []
    [sent] = notifications(url=url)
    assert (sent.status, sent.attempts, sent.last_error, sent.delivered_at) == ("sent", 2, None, later)


def test_access_log_rows(url):
    log_access("jo", "list", ["CB-AAAAAA", "CB-BBBBBB"], url=url)
    log_access("sam", "deliver", url=url)
    log_access_rows("sam", "crises", [("CB-AAAAAA", "conv-a"), (None, "conv-b")], url=url)
    log_access_rows("jo", "transcript", [(None, "conv-b")], url=url)
    log_access_rows("jo", "review-crisis", [(None, None)], url=url)
    assert [(e.who, e.action, e.reference, e.conversation_id) for e in access_log(url=url)] == [
        ("jo", "list", "CB-AAAAAA", None),
        ("jo", "list", "CB-BBBBBB", None),
        ("sam", "deliver", None, None),
        ("sam", "crises", "CB-AAAAAA", "conv-a"),
        ("sam", "crises", None, "conv-b"),
        ("jo", "transcript", None, "conv-b"),
        ("jo", "review-crisis", None, None),
    ]
    # Actions are named in assistant/db/audit.py ACTIONS (since 0008, not a CHECK widened at every feature).
    with pytest.raises(ValueError, match="unknown audit action"):
        log_access("jo", "peek", url=url)
    assert len(access_log(url=url)) == 7


def _crisis(url, conversation_id, kind, at):
    row = dict(conversation_id=conversation_id, kind=kind, detected_by="rule:test", created_at=at)
    with engine_for(url).begin() as connection:
        return connection.execute(CrisisEvent.__table__.insert().values(**row)).inserted_primary_key[0]


def test_crises_for_review_are_newest_first_with_the_request_of_their_conversation(url):
    noon = datetime(2025, 3, 3, 12, 0, tzinfo=timezone.utc)
    early = _crisis(url, "conv-test", "medical", noon)
    late = _crisis(url, "conv-alone", "overdose", noon + timedelta(hours=2))
    middle = _crisis(url, "conv-test", "suicide", noon + timedelta(hours=1))
    save_callback_request(make_submission(), [], url=url)
    newest = save_callback_request(make_submission("URGENT"), [], url=url)  # same conversation, later
    listed = crises_for_review(url=url)
    assert [(e.id, e.kind, ref) for e, ref in listed] == [
        (late, "overdose", None),
        (middle, "suicide", newest),
        (early, "medical", newest),
    ]
    assert listed[0][0].created_at == noon + timedelta(hours=2)  # aware, in UTC, on SQLite too
    review_crisis(middle, "jo", url=url)
    assert [e.id for e, _ in crises_for_review(unreviewed_only=True, url=url)] == [late, early]
    assert [e.id for e in crisis_events(url=url, unreviewed_only=True)] == [late, early]


def test_a_second_review_keeps_the_first_reviewer(url):
    event_id = record_crisis_event("conv-test", "suicide", "rule:plan", url=url)
    stored = get_crisis_event(event_id, url=url)
    assert stored is not None and stored.reviewed_at is None
    before = datetime.now(timezone.utc)
    reviewed = review_crisis(event_id, "jo", url=url)
    assert reviewed is not None
    event, first = reviewed
    assert first and event.reviewed_by == "jo" and before <= event.reviewed_at <= datetime.now(timezone.utc)
    reviewed = review_crisis(event_id, "sam", url=url)
    assert reviewed is not None
    again, first = reviewed
    assert not first and (again.reviewed_by, again.reviewed_at) == ("jo", event.reviewed_at)
    stored = get_crisis_event(event_id, url=url)
    assert stored is not None and stored.reviewed_by == "jo"
    assert review_crisis(event_id + 1, "sam", url=url) is None
    assert get_crisis_event(event_id + 1, url=url) is None


def _alerts(url):
    return [(n.crisis_event_id, n.channel, n.status) for n in notifications(url=url) if n.kind == "crisis"]


def test_a_crisis_event_is_stored_with_one_pending_alert_per_target(url):
    event_id = record_crisis_event("conv-test", "overdose", "rule:not_breathing", TARGETS, url=url)
    [event] = crisis_events(url=url)
    assert (event.id, event.conversation_id, event.kind) == (event_id, "conv-test", "overdose")
    alerts = notifications(url=url)
    assert sorted((n.kind, n.crisis_event_id, n.request_id, n.channel, n.status, n.attempts) for n in alerts) == [
        ("crisis", event_id, None, "smtp", "pending", 0),
        ("crisis", event_id, None, "webhook", "pending", 0),
    ]
    assert alerts[0].crisis_event.conversation_id == "conv-test" and alerts[0].request is None
    assert record_crisis_event("conv-other", "medical", "model", url=url)  # no targets: the event alone
    assert len(notifications(url=url)) == 2


def test_a_failing_alert_insert_writes_no_crisis_event_either(url):
    broken = [TARGETS[0], Target("webhook", None)]  # the last row inserted violates NOT NULL
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        record_crisis_event("conv-test", "suicide", "model", broken, url=url)
    assert (_count(url, "crisis_events"), _count(url, "notifications")) == (0, 0)


def test_one_alert_per_conversation_within_the_window(url, monkeypatch):
    def at(minutes, conversation_id="conv-a"):
        monkeypatch.setattr("assistant.db.crises.utc_now", lambda: NOON + timedelta(minutes=minutes))
        return record_crisis_event(conversation_id, "suicide", "model", TARGETS[1:], timedelta(minutes=30), url=url)

    first = at(0)
    at(10)  # the same crisis, a few messages later
    other = at(10, "conv-b")  # another person: their own alert
    at(30)  # the window includes its end
    after = at(31)  # 31 minutes after the last alert: staff hear again
    at(50)  # within 30 minutes of that alert
    assert sorted(_alerts(url)) == [(first, "webhook", "pending"), (other, "webhook", "pending"),
                                    (after, "webhook", "pending")]  # fmt: skip
    assert _count(url, "crisis_events") == 6  # every event is kept for review


def test_crisis_alerts_are_due_first_then_the_most_urgent_request(url):
    routine = save_callback_request(make_submission("ROUTINE"), TARGETS[:1], url=url)
    urgent = save_callback_request(make_submission("URGENT"), TARGETS[:1], url=url)
    event_id = record_crisis_event("conv-test", "suicide", "model", TARGETS[:1], url=url)
    due = pending_notifications(datetime.now(timezone.utc), url=url)
    assert [n.crisis_event_id or n.request.reference for n in due] == [event_id, urgent, routine]


@pytest.mark.parametrize("subject", ["neither", "both"])
def test_a_notification_is_about_exactly_one_request_or_crisis_event(url, subject):
    reference = save_callback_request(make_submission(), [], url=url)
    request = get_callback(reference, url=url)
    assert request is not None
    request_id = request.id
    event_id = record_crisis_event("conv-test", "suicide", "model", url=url)
    ids = {"neither": (None, None), "both": (request_id, event_id)}[subject]
    row = dict(request_id=ids[0], crisis_event_id=ids[1], channel="smtp", target="t", status="pending", attempts=0,
               next_attempt_at=NOON, created_at=NOON)
    with pytest.raises(sqlalchemy.exc.IntegrityError), engine_for(url).begin() as connection:
        connection.execute(Notification.__table__.insert().values(**row))


def test_migrations_build_exactly_the_models_schema(url):
    migrate(url)
    migrate(url)  # a second run is a no-op
    engine = sqlalchemy.create_engine(url, future=True)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() == SCHEMA_REVISION
    engine.dispose()


def _alembic(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def test_0003_keeps_the_access_log_and_goes_back_and_forth(url):
    engine = sqlalchemy.create_engine(url, future=True)
    with engine.begin() as connection:
        command.upgrade(_alembic(connection), "0002")
        insert = "INSERT INTO access_log (who, action, reference, at) VALUES ('jo', 'show', 'CB-AAAAAA', :at)"
        connection.execute(sqlalchemy.text(insert), {"at": datetime(2025, 3, 3, 12, 0)})
    migrate(url)
    with engine.begin() as connection:
        command.downgrade(_alembic(connection), "0002")  # only old actions in the log: the old CHECK fits
    migrate(url)
    engine.dispose()
    log_access_rows("sam", "transcript", [(None, "conv-test")], url=url)
    assert [(e.who, e.action, e.reference, e.conversation_id) for e in access_log(url=url)] == [
        ("jo", "show", "CB-AAAAAA", None),
        ("sam", "transcript", None, "conv-test"),
    ]


def test_0005_keeps_the_outbox_and_refuses_to_downgrade_over_crisis_alerts(url):
    reference = save_callback_request(make_submission(), TARGETS[:1], url=url)
    engine = sqlalchemy.create_engine(url, future=True)
    with engine.begin() as connection:
        command.downgrade(_alembic(connection), "0004")  # only request notifications: they fit 0004
    with engine.connect() as connection:
        columns = {c["name"]: c for c in sqlalchemy.inspect(connection).get_columns("notifications")}
        assert "crisis_event_id" not in columns and columns["request_id"]["nullable"] is False
    migrate(url)
    assert [(n.kind, n.request.reference) for n in notifications(url=url)] == [("request", reference)]
    # 0005's rebuild of the table kept the other CHECKs.
    with pytest.raises(sqlalchemy.exc.IntegrityError), engine.begin() as connection:
        connection.execute(sqlalchemy.text("UPDATE notifications SET channel = 'sms'"))

    event_id = record_crisis_event("conv-test", "suicide", "model", TARGETS[:1], url=url)
    with pytest.raises(RuntimeError, match="1 crisis alert"), engine.begin() as connection:
        command.downgrade(_alembic(connection), "0004")
    with engine.connect() as connection:  # the refused downgrade changed nothing
        assert MigrationContext.configure(connection).get_current_revision() == SCHEMA_REVISION
    engine.dispose()
    assert _alerts(url) == [(event_id, "smtp", "pending")]


def test_0006_keeps_the_audit_trail_and_refuses_to_downgrade_over_names_given(url):
    engine = sqlalchemy.create_engine(url, future=True)
    migrate(url)
    with engine.begin() as connection:
        command.downgrade(_alembic(connection), "0005")
        insert = "INSERT INTO access_log (who, action, reference, at) VALUES ('jo', 'show', 'CB-AAAAAA', :at)"
        connection.execute(sqlalchemy.text(insert), {"at": NOON})
    migrate(url)
    log_access("pat", "show", ["CB-AAAAAA"], url=url, on_behalf_of="Sam R.")
    assert [(e.who, e.on_behalf_of) for e in access_log(url=url)] == [("jo", None), ("pat", "Sam R.")]
    with pytest.raises(RuntimeError, match="1 row.* of access_log"), engine.begin() as connection:
        command.downgrade(_alembic(connection), "0005")  # the name given would be lost
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == SCHEMA_REVISION
    engine.dispose()


def test_status_changes_and_reviews_name_the_user_and_whom_they_acted_for(url):
    reference = save_callback_request(make_submission(), [], url=url)
    change = set_status(reference, "contacted", "pat", url=url, on_behalf_of="Sam R.")
    assert change is not None and (change.changed_by, change.on_behalf_of) == ("pat", "Sam R.")
    request = get_callback(reference, url=url)
    assert request is not None
    history = request.status_changes
    assert [(c.changed_by, c.on_behalf_of) for c in history] == [("assistant", None), ("pat", "Sam R.")]
    event_id = record_crisis_event("conv-test", "suicide", "model", url=url)
    reviewed = review_crisis(event_id, "pat", url=url, on_behalf_of="Sam R.")
    assert reviewed is not None
    event, first = reviewed
    assert first and (event.reviewed_by, event.reviewed_on_behalf_of) == ("pat", "Sam R.")


def test_a_sqlite_records_database_is_owner_only(tmp_path):
    """Issue 10: var/assistant.db (every request and crisis event) was readable by every user of the host."""
    old = tmp_path / "old.db"
    old.touch()
    old.chmod(0o644)  # left world-readable by an earlier version
    previous = os.umask(0o022)  # a usual umask: the records must not depend on their caller's
    try:
        for path in (old, tmp_path / "var" / "new.db"):
            os.umask(0o022)
            log_access("pat", "list", url=f"sqlite:///{path}")
            assert path.stat().st_mode & 0o777 == 0o600, path
        assert (tmp_path / "var").stat().st_mode & 0o777 == 0o700
    finally:
        os.umask(previous)


def test_schema_revision_is_the_newest_migration():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_REVISION


LATER_COLUMNS = ("reviewed_on_behalf_of", "review_note")  # added by 0006 and 0008


def test_a_database_made_by_create_all_before_migrations_is_upgraded_in_place(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sqlalchemy.create_engine(url, future=True)
    # The model as it was then (0001): later migrations add columns.
    old = sqlalchemy.Table("crisis_events", sqlalchemy.MetaData(), *(
        column.copy() for column in CrisisEvent.__table__.columns if column.name not in LATER_COLUMNS))
    old.create(engine)
    with engine.begin() as connection:
        connection.execute(old.insert().values(
            conversation_id="old", kind="overdose", detected_by="button", created_at=utc_now()))  # fmt: skip
    engine.dispose()
    migrate(url)
    assert [e.conversation_id for e in crisis_events(url=url)] == ["old"]
    assert _count(url, "callback_requests") == 0


def test_nothing_here_stores_message_text():
    columns = {column.name for table in Base.metadata.tables.values() for column in table.columns}
    assert not columns & {"text", "message", "transcript", "body"}

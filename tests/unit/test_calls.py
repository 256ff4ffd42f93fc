"""The staff console's work on requests (assistant/db/calls.py), on SQLite and PostgreSQL."""

import threading
import time as clock
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from functools import partial
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from assistant.db.audit import access_log, verify_chain
from assistant.db.callbacks import save_callback_request
from assistant.db.calls import (
    NOTE_MAX_CHARS,
    CallError,
    ClaimedByOther,
    ClaimResult,
    RequestNotFound,
    add_note,
    claim,
    newest_urgent,
    queue_page,
    record_outcome,
    release,
)
from assistant.db.engine import engine_for, open_session
from assistant.db.models import CallbackRequest, RequestNote, StatusChange, utc_now
from tests.intake_support import make_submission

NOW = datetime(2027, 3, 3, 15, 0, tzinfo=timezone.utc)  # a Wednesday, 10 am in New York
TOMORROW = date.today() + timedelta(days=2)  # in the future in any time zone


@pytest.fixture
def url(records_url):
    return records_url


def add(url, level="ROUTINE", first_name="Dana", due=None, **values):
    """A stored request; `due`: hours from NOW; `values`: columns set afterwards (created_at, status...)."""
    changes = {"due_at": NOW + timedelta(hours=due)} if due is not None else {}
    reference = save_callback_request(make_submission(level, first_name=first_name, **changes), [], url=url)
    if values:
        set_row(url, reference, **values)
    return reference


def set_row(url, reference, **values):
    with engine_for(url).begin() as connection:
        connection.execute(update(CallbackRequest.__table__).where(CallbackRequest.reference == reference).values(**values))


def row(url, reference):
    with open_session(url) as session:
        return session.scalar(select(CallbackRequest).where(CallbackRequest.reference == reference))


def changes(url, reference):
    with open_session(url) as session:
        query = select(StatusChange).join(CallbackRequest).where(CallbackRequest.reference == reference)
        return list(session.scalars(query.order_by(StatusChange.id)))[1:]  # after "new", by the assistant


def notes(url, reference):
    with open_session(url) as session:
        query = select(RequestNote).join(CallbackRequest).where(CallbackRequest.reference == reference)
        return [(n.author, n.note) for n in session.scalars(query.order_by(RequestNote.id))]


def audit_rows(url, action=None):
    return [(r.who, r.action, r.reference, r.address, r.detail) for r in access_log(url) if action in (None, r.action)]


def references(page):
    return [r.reference for r in page.rows]


# --- the queue -----------------------------------------------------------------------------------------------------

def test_urgent_first_then_the_soonest_due_then_the_oldest(url):
    routine_soon = add(url, "ROUTINE", due=1)
    urgent_late = add(url, "URGENT", due=5)
    high = add(url, "HIGH", due=2)
    urgent_soon = add(url, "URGENT", due=3)
    urgent_same_due_newer = add(url, "URGENT", due=3)
    add(url, "URGENT", due=0, status="closed")
    add(url, "URGENT", due=0, status="scheduled")
    page = queue_page(url=url, now=NOW)
    assert references(page) == [urgent_soon, urgent_same_due_newer, urgent_late, high, routine_soon]
    assert (page.total, page.page, page.pages) == (5, 1, 1)
    first = page.rows[0]
    assert (first.priority, first.first_name, first.for_whom, first.status) == ("URGENT", "Dana", "self", "new")
    assert first.attempts == 0
    assert (first.voicemail_ok, first.text_ok, first.crisis_flag, first.same_day) == (True, False, True, True)
    assert first.due_at == NOW + timedelta(hours=3) and first.created_at.tzinfo is not None


def test_open_means_not_yet_scheduled_or_closed(url):
    by_status = {status: add(url, status=status)
                 for status in ("new", "contacted", "scheduled", "closed", "no_answer", "unable_to_reach")}
    assert set(references(queue_page(url=url))) == {by_status[s] for s in ("new", "contacted", "no_answer", "unable_to_reach")}
    assert references(queue_page(statuses=["closed"], url=url)) == [by_status["closed"]]
    assert queue_page(statuses=[], url=url).total == 6  # empty: any status
    with pytest.raises(CallError, match="finished"):
        queue_page(statuses=["finished"], url=url)


def test_filter_by_level_and_by_day_in_the_centers_time_zone(url):
    urgent, high = add(url, "URGENT"), add(url, "HIGH")
    add(url, "ROUTINE", created_at=datetime(2027, 3, 4, 5, 0, tzinfo=timezone.utc))
    assert set(references(queue_page(levels=["URGENT", "HIGH"], url=url))) == {urgent, high}
    # 4:30 UTC is still March 2 in New York; 5:30 UTC is March 3.
    set_row(url, urgent, created_at=datetime(2027, 3, 3, 4, 30, tzinfo=timezone.utc))
    set_row(url, high, created_at=datetime(2027, 3, 3, 5, 30, tzinfo=timezone.utc))
    march_3 = date(2027, 3, 3)
    assert references(queue_page(created_from=march_3, created_to=march_3, url=url)) == [high]
    assert references(queue_page(created_to=date(2027, 3, 2), url=url)) == [urgent]
    with pytest.raises(CallError, match="SOON"):
        queue_page(levels=["SOON"], url=url)


def test_search_by_reference_phone_or_first_name(url):
    dana = add(url, first_name="Dana", phone_e164="+15550104477")
    danielle = add(url, first_name="danielle", phone_e164="+15550109999")
    sam = add(url, first_name="Sam_1", phone_e164="+447700900123")

    def found(text):
        return set(references(queue_page(search=text, url=url)))

    assert found(dana) == {dana}
    assert found(dana.lower().removeprefix("cb-")) == {dana}
    assert found("(555) 010-4477") == found("+1 555 010 4477") == found("4477") == {dana}
    assert found("07700 900123") == {sam}
    assert found("dan") == found("DAN") == {dana, danielle}
    assert found("  Dana ") == {dana}
    assert found("sam_") == {sam}
    assert found("d%") == found("s_m") == found("%") == found("ana") == set()  # a prefix, and no wildcards
    assert found("") == {dana, danielle, sam}


def test_pages(url):
    made = [add(url, "ROUTINE", due=n) for n in range(7)]
    pages = [queue_page(page=n, per_page=3, url=url) for n in (1, 2, 3)]
    assert [references(p) for p in pages] == [made[0:3], made[3:6], made[6:]]
    assert {(p.total, p.pages, p.per_page) for p in pages} == {(7, 3, 3)}
    assert queue_page(page=99, per_page=3, url=url).page == 3  # past the end: the last page
    assert queue_page(page=0, per_page=3, url=url).page == 1
    empty = queue_page(statuses=["closed"], url=url)
    assert (empty.rows, empty.total, empty.page, empty.pages) == ((), 0, 1, 1)


def test_overdue_until_someone_reaches_the_person(url):
    late, on_time = add(url, due=-1), add(url, due=1)
    reached_late = add(url, due=-1, status="contacted")
    retry_late = add(url, due=-1, status="no_answer")
    overdue = {r.reference: r.overdue for r in queue_page(url=url, now=NOW).rows}
    assert overdue == {late: True, on_time: False, reached_late: False, retry_late: True}


def test_the_queue_polls_for_new_urgent_requests(url):
    add(url, "URGENT")
    last_id = queue_page(url=url).last_id
    assert newest_urgent(last_id, url=url) == []
    add(url, "ROUTINE")
    urgent = add(url, "URGENT")
    assert [n.reference for n in newest_urgent(last_id, url=url)] == [urgent]
    assert newest_urgent(queue_page(url=url).last_id, url=url) == []


# --- "I'm calling" -------------------------------------------------------------------------------------------------

def test_one_claim_wins_and_the_other_sees_who_holds_it(url):
    reference = add(url)
    first = claim(reference, "alice", "10.0.0.1", url=url)
    again = claim(reference.lower(), "alice", "10.0.0.1", url=url)  # the holder may claim again
    other = claim(reference, "bob", "10.0.0.2", url=url)
    assert (first.won, again.won, other.won) == (True, True, False)
    assert other.claimed_by == "alice" and other.claimed_at == again.claimed_at
    page_row = queue_page(url=url).rows[0]
    assert (page_row.claimed_by, page_row.claimed_at) == ("alice", again.claimed_at)
    assert audit_rows(url, "claim") == [
        ("alice", "claim", reference, "10.0.0.1", "claimed"),
        ("alice", "claim", reference, "10.0.0.1", "claimed"),
        ("bob", "claim", reference, "10.0.0.2", "refused: alice is calling"),
    ]


def test_two_staff_claim_at_the_same_moment(url):
    """A real race, several times over: exactly one of the two wins each time, and the audit chain holds."""
    for _ in range(5):
        reference = add(url)
        start = threading.Barrier(2)
        results: dict[str, ClaimResult] = {}
        errors: list[Exception] = []

        def attempt(username, reference=reference, start=start, results=results, errors=errors):
            try:
                start.wait()
                results[username] = claim(reference, username, "10.0.0.9", url=url)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=attempt, args=(name,)) for name in ("alice", "bob")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert not errors
        winners = [name for name, result in results.items() if result.won]
        assert len(winners) == 1
        assert {result.claimed_by for result in results.values()} == set(winners)
        assert row(url, reference).claimed_by == winners[0]
    assert verify_chain(url)[1] == []


def test_concurrent_changes_keep_the_audit_chain_whole(url):
    made = [add(url) for _ in range(6)]
    start = threading.Barrier(len(made) * 2)
    errors: list[Exception] = []

    def work(task):
        try:
            start.wait()
            task()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    tasks: list[Callable[[], object]] = [
        partial(record_outcome, r, "no_answer", "alice", "10.0.0.1", note="rang twice", url=url) for r in made]
    tasks += [partial(add_note, r, "bob", "texted", "10.0.0.2", url=url) for r in made]
    threads = [threading.Thread(target=work, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    checked, problems = verify_chain(url)
    assert problems == [] and checked == len(made) * 3  # outcome, its note, bob's note
    assert all(sorted(notes(url, r)) == [("alice", "rang twice"), ("bob", "texted")] for r in made)


def test_release_by_the_holder_or_an_admin(url):
    reference = add(url)
    assert release(reference, "alice", "10.0.0.1", url=url) is False  # nothing held: nothing written
    claim(reference, "alice", "10.0.0.1", url=url)
    with pytest.raises(ClaimedByOther, match="alice is calling about"):
        release(reference, "bob", "10.0.0.2", url=url)
    assert release(reference, "carol", "10.0.0.3", may_override=True, url=url) is True
    assert row(url, reference).claimed_by is None
    claim(reference, "alice", "10.0.0.1", url=url)
    assert release(reference, "alice", "10.0.0.1", url=url) is True
    assert (row(url, reference).claimed_by, row(url, reference).claimed_at) == (None, None)
    assert audit_rows(url, "release") == [
        ("carol", "release", reference, "10.0.0.3", "released alice's claim"),
        ("alice", "release", reference, "10.0.0.1", "released"),
    ]


def test_an_unknown_reference_is_not_found(url):
    for change in (lambda: claim("CB-ZZZZZZ", "alice", "a", url=url), lambda: release("zzzzzz", "alice", "a", url=url),
                   lambda: record_outcome("CB-ZZZZZZ", "reached", "alice", "a", url=url),
                   lambda: add_note("CB-ZZZZZZ", "alice", "x", "a", url=url)):
        with pytest.raises(RequestNotFound, match="No request CB-ZZZZZZ"):
            change()
    assert audit_rows(url) == []


# --- outcomes ------------------------------------------------------------------------------------------------------

def test_the_third_unanswered_call_leaves_it_for_review(url):
    reference = add(url)
    claim(reference, "alice", "10.0.0.1", url=url)
    results = [record_outcome(reference, outcome, "alice", "10.0.0.1", url=url)
               for outcome in ("no_answer", "left_voicemail", "no_answer", "reached")]
    assert [(r.status, r.attempts, r.unanswered_attempts) for r in results] == [
        ("no_answer", 1, 1), ("no_answer", 2, 2), ("unable_to_reach", 3, 3), ("contacted", 4, 3)]
    assert row(url, reference).claimed_by is None  # the first outcome released the claim
    assert [(c.from_status, c.to_status, c.outcome, c.changed_by) for c in changes(url, reference)] == [
        ("new", "no_answer", "no_answer", "alice"),
        ("no_answer", "no_answer", "left_voicemail", "alice"),
        ("no_answer", "unable_to_reach", "no_answer", "alice"),
        ("unable_to_reach", "contacted", "reached", "alice"),
    ]
    assert [r[4] for r in audit_rows(url, "outcome")] == [
        "no_answer: new -> no_answer", "left_voicemail: no_answer -> no_answer",
        "no_answer: no_answer -> unable_to_reach", "reached: unable_to_reach -> contacted"]


@pytest.mark.parametrize(
    "outcome, status, attempts",
    [("reached", "contacted", 1), ("wrong_number", "unable_to_reach", 1), ("referred", "closed", 0),
     ("not_interested", "closed", 0), ("closed", "closed", 0)],
)
def test_each_outcome_has_its_status(url, outcome, status, attempts):
    reference = add(url)
    result = record_outcome(reference, outcome, "alice", "10.0.0.1", url=url)
    assert (result.status, result.attempts, result.unanswered_attempts) == (status, attempts, 0)
    assert row(url, reference).status == status


def test_scheduled_needs_a_date_not_in_the_past(url):
    reference = add(url)
    for scheduled_for, outcome, message in [(None, "scheduled", "date"), (date(2020, 1, 6), "scheduled", "past"),
                                            (TOMORROW, "reached", "only with it"), (None, "called", "Unknown outcome")]:
        with pytest.raises(CallError, match=message):
            record_outcome(reference, outcome, "alice", "10.0.0.1", scheduled_for=scheduled_for, url=url)
    result = record_outcome(reference, "scheduled", "alice", "10.0.0.1", scheduled_for=TOMORROW, url=url)
    assert (result.status, result.attempts) == ("scheduled", 0)
    assert [(c.to_status, c.outcome, c.scheduled_for) for c in changes(url, reference)] == [
        ("scheduled", "scheduled", TOMORROW)]


def test_no_outcome_while_someone_else_is_calling(url):
    reference = add(url)
    claim(reference, "alice", "10.0.0.1", url=url)
    with pytest.raises(ClaimedByOther, match="alice"):
        record_outcome(reference, "reached", "bob", "10.0.0.2", note="spoke to them", url=url)
    assert (row(url, reference).status, row(url, reference).attempts, row(url, reference).claimed_by) == ("new", 0, "alice")
    assert changes(url, reference) == [] and notes(url, reference) == [] and audit_rows(url, "outcome") == []


# --- notes ---------------------------------------------------------------------------------------------------------

def test_notes_are_appended_and_audited(url):
    reference = add(url)
    written = add_note(reference, "alice", "  Prefers a call after 5 pm.\n", "10.0.0.1", url=url)
    assert (written.reference, written.author, written.note) == (reference, "alice", "Prefers a call after 5 pm.")
    record_outcome(reference, "left_voicemail", "bob", "10.0.0.2", note="Left the center's number.", url=url)
    record_outcome(reference, "no_answer", "bob", "10.0.0.2", note="   ", url=url)  # a blank note is no note
    assert notes(url, reference) == [("alice", "Prefers a call after 5 pm."), ("bob", "Left the center's number.")]
    assert audit_rows(url, "note") == [("alice", "note", reference, "10.0.0.1", "26 characters"),
                                       ("bob", "note", reference, "10.0.0.2", "25 characters")]


def test_empty_or_overlong_notes_are_refused(url):
    reference = add(url)
    with pytest.raises(CallError, match="empty"):
        add_note(reference, "alice", " \n ", "10.0.0.1", url=url)
    with pytest.raises(CallError, match=f"at most {NOTE_MAX_CHARS} characters; this one has {NOTE_MAX_CHARS + 1}"):
        add_note(reference, "alice", "x" * (NOTE_MAX_CHARS + 1), "10.0.0.1", url=url)
    with pytest.raises(CallError, match="at most"):
        record_outcome(reference, "reached", "alice", "10.0.0.1", note="x" * (NOTE_MAX_CHARS + 1), url=url)
    assert add_note(reference, "alice", "x" * NOTE_MAX_CHARS, "10.0.0.1", url=url).note == "x" * NOTE_MAX_CHARS
    assert row(url, reference).status == "new" and len(notes(url, reference)) == 1


def test_every_change_is_in_the_audit_chain(url):
    reference = add(url)
    claim(reference, "alice", "10.0.0.1", url=url)
    release(reference, "alice", "10.0.0.1", url=url)
    record_outcome(reference, "reached", "alice", "10.0.0.1", note="ok", url=url)
    add_note(reference, "alice", "more", "10.0.0.1", url=url)
    assert [(who, action, ref) for who, action, ref, _, _ in audit_rows(url)] == [
        ("alice", action, reference) for action in ("claim", "release", "outcome", "note", "note")]
    assert verify_chain(url) == (5, [])


# --- size ----------------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_page_of_ten_thousand_requests_is_fast(url, capsys):
    template = {column: getattr(row(url, add(url)), column) for column in (
        "conversation_id", "for_whom", "phone_e164", "best_time", "voicemail_ok", "text_ok", "callback_window",
        "crisis_flag", "same_day", "triage_reasons", "consent_notice_version", "consent_at")}
    levels, statuses = ("URGENT", "HIGH", "ROUTINE"), ("new", "closed", "closed", "no_answer", "scheduled")
    now = utc_now()
    rows = [{**template, "reference": f"CB-T{n:05d}", "priority": levels[n % 3], "priority_rank": n % 3,
             "status": statuses[n % 5], "first_name": f"Name{n}", "created_at": now - timedelta(minutes=n),
             "updated_at": now, "due_at": now + timedelta(minutes=n % 997), "attempts": 0, "unanswered_attempts": 0}
            for n in range(10_000)]
    with engine_for(url).begin() as connection:
        connection.execute(insert(CallbackRequest.__table__), rows)
    timings = {}
    queries: dict[str, dict[str, Any]] = {
        "first page": {}, "page 40": {"page": 40}, "phone search": {"search": "555 010 4477"},
        "name search": {"search": "name12"}, "URGENT only": {"levels": ["URGENT"]}}
    for name, query in queries.items():
        best = float("inf")
        for _ in range(5):
            started = clock.perf_counter()
            page = queue_page(url=url, **query)
            best = min(best, clock.perf_counter() - started)
        timings[name] = best
        assert page.rows
    with capsys.disabled():
        print(f"\n{url.split(':')[0]}, 10,001 requests: " + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in timings.items()))
    assert max(timings.values()) < 0.1

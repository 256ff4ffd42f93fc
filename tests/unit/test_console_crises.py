"""Crisis review in the console: who may see it, the order, the review with its note, escaping, the audit."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from assistant.db.audit import access_log, verify_chain
from assistant.db.callbacks import save_callback_request
from assistant.db.crises import get_crisis_event, record_crisis_event, review_crisis
from assistant.db.models import CrisisEvent
from tests.console_support import login, make_console, post
from tests.intake_support import make_submission

HOSTILE = "<script>alert(1)</script> and <img src=x onerror=alert(1)>"
START = datetime(2025, 3, 3, 17, 0, tzinfo=timezone.utc)


@pytest.fixture
def console(tmp_path):
    console = make_console(tmp_path)
    console.user("cora", "coordinator")
    console.user("cleo", "clinician")
    console.user("cal", "clinician")
    return console


def _crisis(console, conversation="web:one", kind="suicide", detected_by="rule:plan") -> int:
    return record_crisis_event(conversation, kind, detected_by, url=console.database_url)


def _stored(console, event_id: int) -> CrisisEvent:
    event = get_crisis_event(event_id, url=console.database_url)
    assert event is not None
    return event


def _signed_in(console, name="cleo"):
    client = console.client()
    login(client, name)
    return client


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_a_coordinator_is_refused_every_crisis_route_and_each_refusal_is_audited(console):
    event_id = _crisis(console)
    client = _signed_in(console, "cora")
    gets = ["/crises", f"/crises/{event_id}"]
    for path in gets:
        assert client.get(path).status_code == 403
    assert post(client, f"/crises/{event_id}/review", {"note": "checked"}).status_code == 403
    refused = [row.detail for row in access_log(console.database_url) if row.action == "forbidden"]
    assert refused == [f"GET {path}" for path in gets] + [f"POST /crises/{event_id}/review"]
    assert _stored(console, event_id).reviewed_at is None


def test_the_list_shows_unreviewed_first_then_newest_with_the_request_link(console):
    old = _crisis(console, "web:old")
    reviewed = _crisis(console, "web:reviewed", kind="overdose", detected_by="model")
    new = _crisis(console, "web:new", kind="medical", detected_by="button")
    review_crisis(reviewed, "cal", url=console.database_url)
    reference = save_callback_request(make_submission("URGENT", conversation_id="web:old"), [], url=console.database_url)
    html = _page(_signed_in(console), "/crises")
    positions = [html.index(f'href="/crises/{event_id}"') for event_id in (new, old, reviewed)]
    assert positions == sorted(positions)
    assert f'href="/requests/{reference}"' in html
    assert "Reviewed by cal" in html and "Not reviewed" in html
    for shown in ("medical", "button", "overdose", "model"):
        assert shown in html
    rows = [row for row in access_log(console.database_url) if row.action == "crises"]
    assert {row.conversation_id for row in rows} == {"web:old", "web:reviewed", "web:new"}
    assert {row.reference for row in rows} == {reference, None}


def test_the_list_is_paginated_by_50(console):
    for i in range(51):
        _crisis(console, f"web:{i}")
    client = _signed_in(console)
    first = _page(client, "/crises")
    assert "Page 1 of 2" in first and first.count('href="/crises/') == 50
    assert _page(client, "/crises?page=2").count('href="/crises/') == 1


def test_the_detail_page_shows_the_transcript_escaped_with_the_crisis_turn_marked(console):
    console.say("web:one", [("user", "hello"), ("bot", "Hi, how can I help?"), ("user", HOSTILE)], START)
    event_id = record_crisis_event("web:one", "suicide", "rule:plan", url=console.database_url)
    html = _page(_signed_in(console), f"/crises/{event_id}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "Crisis path started here (suicide)" in html
    assert "rule:plan" in html
    (row,) = [row for row in access_log(console.database_url) if row.action == "crises"]
    assert (row.who, row.conversation_id, row.detail) == ("cleo", "web:one", f"crisis event {event_id} with transcript")


def test_an_unknown_event_is_404_and_audited(console):
    client = _signed_in(console)
    assert client.get("/crises/999").status_code == 404
    assert post(client, "/crises/999/review", {"note": "x"}, page="/crises").status_code == 404
    details = [(row.action, row.detail) for row in access_log(console.database_url) if "999" in str(row.detail)]
    assert details == [("crises", "crisis event 999 not found"), ("review-crisis", "crisis event 999 not found")]


def test_a_review_needs_a_note_and_records_the_reviewer_and_the_note(console):
    event_id = _crisis(console)
    client = _signed_in(console)
    path = f"/crises/{event_id}"
    refused = post(client, f"{path}/review", {"note": "   "}, page=path)
    assert refused.status_code == 302 and "Write a review note" in _page(client, path)
    assert _stored(console, event_id).reviewed_at is None
    done = post(client, f"{path}/review", {"note": "Called back; safe with family. <b>ok</b>"}, page=path)
    assert done.status_code == 302 and done.headers["Location"].endswith(path)
    event = _stored(console, event_id)
    assert (event.reviewed_by, event.review_note) == ("cleo", "Called back; safe with family. <b>ok</b>")
    assert event.reviewed_at is not None
    html = _page(client, path)
    assert "Reviewed</strong> by cleo" in html and "&lt;b&gt;ok&lt;/b&gt;" in html
    assert 'name="note"' not in html  # reviewed: no second form
    (row,) = [row for row in access_log(console.database_url) if row.action == "review-crisis"]
    assert (row.who, row.conversation_id, row.detail) == ("cleo", "web:one", f"crisis event {event_id}")
    assert "Called back" not in str(row.detail)
    assert verify_chain(console.database_url)[1] == []


def test_a_second_review_keeps_the_first_reviewer_and_says_so(console):
    event_id = _crisis(console)
    path = f"/crises/{event_id}"
    first, second = _signed_in(console, "cleo"), _signed_in(console, "cal")
    assert post(first, f"{path}/review", {"note": "first"}, page=path).status_code == 302
    assert post(second, f"{path}/review", {"note": "second"}, page="/crises").status_code == 302
    event = _stored(console, event_id)
    assert (event.reviewed_by, event.review_note) == ("cleo", "first")
    assert "already reviewed by cleo" in _page(second, path)
    details = [row.detail for row in access_log(console.database_url) if row.action == "review-crisis"]
    assert details == [f"crisis event {event_id}", f"crisis event {event_id} (already reviewed)"]


def test_a_review_without_the_csrf_token_is_refused(console):
    event_id = _crisis(console)
    client = _signed_in(console)
    assert client.post(f"/crises/{event_id}/review", data={"note": "checked"}).status_code == 400
    assert _stored(console, event_id).reviewed_at is None


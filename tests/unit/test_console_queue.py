"""The queue and the request page: order, filters, search without PHI in URLs, claims, outcomes, notes, escaping."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from assistant.db.audit import access_log, verify_chain
from assistant.db.callbacks import get_callback, save_callback_request
from assistant.db.crises import record_crisis_event
from assistant.db.engine import open_session
from assistant.db.models import CallbackRequest
from tests.console_support import csrf, login, make_console, post
from tests.intake_support import make_submission

HOSTILE = ('<script>alert(1)</script> and <img src=x onerror=alert(1)> '
           'and <a href="javascript:alert(1)">click</a>')


@pytest.fixture
def console(tmp_path):
    console = make_console(tmp_path)
    console.user("cora", "coordinator")
    console.user("cole", "coordinator")
    return console


def _request(console, level="ROUTINE", name="Dana", conversation="conv-test", **changes) -> str:
    return save_callback_request(make_submission(level, name, conversation_id=conversation, **changes), [],
                                 url=console.database_url)


def _set(console, reference, **values):
    with open_session(console.database_url) as db, db.begin():
        db.execute(update(CallbackRequest).where(CallbackRequest.reference == reference).values(**values))


def _stored(console, reference) -> CallbackRequest:
    request = get_callback(reference, url=console.database_url)
    assert request is not None
    return request


def _rows(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-reference="')[1:]]


def test_urgent_first_then_by_due_time_with_overdue_marked(console):
    now = datetime.now(timezone.utc)
    routine_late = _request(console, "ROUTINE", "Ann")
    urgent = _request(console, "URGENT", "Bo")
    routine_soon = _request(console, "ROUTINE", "Cy")
    _set(console, routine_late, due_at=now + timedelta(hours=5))
    _set(console, routine_soon, due_at=now - timedelta(hours=1))
    _set(console, urgent, due_at=now + timedelta(hours=9))
    client = console.client()
    login(client, "cora")
    html = client.get("/queue").get_data(as_text=True)
    assert _rows(html) == [urgent, routine_soon, routine_late]
    assert html.count('class="overdue"') == 1 and "overdue</span>" in html
    assert "voicemail OK" in html and "NO texts" in html  # contact safety in plain words
    assert [r.reference for r in access_log(console.database_url) if r.action == "queue"] == _rows(html)


def test_filters_are_in_the_url_and_the_search_is_not(console):
    _request(console, "URGENT", "Bo")
    dana = _request(console, "ROUTINE", "Dana", phone_e164="+17025550188")
    client = console.client()
    login(client, "cora")
    assert _rows(client.get("/queue?level=ROUTINE").get_data(as_text=True)) == [dana]
    response = post(client, "/queue/search", {"q": "(702) 555-0188"})
    assert response.headers["Location"].endswith("/queue")  # no phone number in the URL
    assert _rows(client.get("/queue").get_data(as_text=True)) == [dana]
    post(client, "/queue/search", {"q": "", "clear": "1"})
    assert len(_rows(client.get("/queue").get_data(as_text=True))) == 2


def test_the_poll_announces_new_urgent_requests_only(console):
    client = console.client()
    login(client, "cora")
    html = client.get("/queue").get_data(as_text=True)
    newest = html.split('data-newest="')[1].split('"')[0]
    _request(console, "ROUTINE", "Ann")
    urgent = _request(console, "URGENT", "Bo")
    data = client.get(f"/queue/updates?after={newest}", headers={"X-Console-Poll": "1"}).get_json()
    assert [item["reference"] for item in data["urgent"]] == [urgent]
    assert client.get(f"/queue/updates?after={data['newest']}", headers={"X-Console-Poll": "1"}).get_json()["urgent"] == []


def test_the_request_page_has_everything_for_the_call_and_escapes_the_transcript(console):
    reference = _request(console, "URGENT", "Dana", conversation="conv-hostile")
    start = datetime.now(timezone.utc) - timedelta(minutes=5)
    console.say("conv-hostile", [("user", "hi"), ("bot", "Hello, how can I help?"), ("user", HOSTILE),
                                 ("bot", "If you are in danger call 911")], start)
    record_crisis_event("conv-hostile", "suicide", "rule:test", url=console.database_url)
    client = console.client()
    login(client, "cora")
    html = client.get(f"/requests/{reference}").get_data(as_text=True)
    for part in ("Contact and safety", "Why this level", "Screening scores", "Answers by ASAM dimension",
                 "D1: Intoxication, withdrawal and addiction medications", "Consent", "Notes", "Calls and status history",
                 "Transcript", "AUDIT-C", "(555) 010-4477", "daily alcohol use with past withdrawal seizures"):
        assert part in html, part
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert 'href="javascript:' not in html
    assert "Crisis path started here (suicide)" in html
    assert [(r.action, r.reference, r.conversation_id) for r in access_log(console.database_url)][-1] == (
        "request", reference, "conv-hostile")


def test_two_coordinators_claim_at_once_and_exactly_one_wins(console):
    reference = _request(console)
    clients = [console.client(), console.client()]
    for client, name in zip(clients, ("cora", "cole"), strict=True):
        login(client, name)
    tokens = [csrf(client, f"/requests/{reference}") for client in clients]
    barrier = threading.Barrier(2)
    results = []

    def claim(client, token):
        barrier.wait()
        results.append(client.post(f"/requests/{reference}/claim", data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=claim, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    holder = _stored(console, reference).claimed_by
    assert holder in ("cora", "cole") and results == [302, 302]
    other = clients[1] if holder == "cora" else clients[0]
    assert f"<strong>{holder}</strong> is calling" in other.get(f"/requests/{reference}").get_data(as_text=True)
    claims = [(r.who, r.detail) for r in access_log(console.database_url) if r.action == "claim"]
    loser = "cole" if holder == "cora" else "cora"
    assert sorted(claims) == sorted([(holder, "claimed"), (loser, f"refused: {holder} is calling")])


def test_outcomes_count_attempts_and_three_unanswered_need_review(console):
    reference = _request(console)
    client = console.client()
    login(client, "cora")
    page = f"/requests/{reference}"
    for outcome in ("no_answer", "left_voicemail"):
        post(client, f"{page}/outcome", {"outcome": outcome}, page=page)
    assert _stored(console, reference).status == "no_answer"
    post(client, f"{page}/outcome", {"outcome": "no_answer", "note": "third try, no voicemail set up"}, page=page)
    request = _stored(console, reference)
    assert (request.status, request.attempts, request.unanswered_attempts) == ("unable_to_reach", 3, 3)
    assert [c.outcome for c in request.status_changes][1:] == ["no_answer", "left_voicemail", "no_answer"]
    assert request.notes[0].note == "third try, no voicemail set up" and request.notes[0].author == "cora"
    response = post(client, f"{page}/outcome", {"outcome": "scheduled"}, page=page)  # no date
    assert "Give the date of the assessment" in client.get(page).get_data(as_text=True) or response.status_code == 302
    day = (datetime.now(timezone.utc) + timedelta(days=3)).date().isoformat()
    post(client, f"{page}/outcome", {"outcome": "scheduled", "scheduled_for": day}, page=page)
    request = _stored(console, reference)
    assert request.status == "scheduled" and str(request.status_changes[-1].scheduled_for) == day


def test_notes_are_appended_with_author_and_escaped(console):
    reference = _request(console)
    client = console.client()
    login(client, "cora")
    page = f"/requests/{reference}"
    post(client, f"{page}/notes", {"note": "Called, <b>asked</b> for Tuesday"}, page=page)
    post(client, f"{page}/notes", {"note": "   "}, page=page)  # empty: refused, nothing stored
    notes = _stored(console, reference).notes
    assert [(n.author, n.note) for n in notes] == [("cora", "Called, <b>asked</b> for Tuesday")]
    assert "Called, &lt;b&gt;asked&lt;/b&gt; for Tuesday" in client.get(page).get_data(as_text=True)
    assert verify_chain(console.database_url)[1] == []


def test_an_unknown_request_is_a_404_and_audited(console):
    client = console.client()
    login(client, "cora")
    assert client.get("/requests/CB-ZZZZZZ").status_code == 404
    assert access_log(console.database_url)[-1].detail == "not found"

"""Conversations in the console: who may see them, the list's filters, the transcript, tags and reply flags."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text

from assistant.db.audit import access_log, verify_chain
from assistant.db.callbacks import save_callback_request
from assistant.db.crises import record_crisis_event
from assistant.db.flags import flag_reply, list_flags, tag_conversation, tags_for
from console.conversation_index import ConversationFilters, conversation_page
from rasa_ext.conversation_index import channels_of, event_texts, summaries
from tests.console_support import EVENTS_TABLE, login, make_console, post
from tests.intake_support import make_submission

HOSTILE = "<script>alert(1)</script> and <img src=x onerror=alert(1)>"
NOON = datetime(2025, 3, 3, 17, 0, tzinfo=timezone.utc)  # noon in New York


@pytest.fixture
def console(tmp_path):
    console = make_console(tmp_path)
    console.user("cora", "coordinator")
    console.user("cleo", "clinician")
    return console


def _events(console, conversation: str, start: datetime, events: list[tuple[str, str]], channel: str = "webchat"):
    """Rasa events as the SQL tracker store writes them: ("user"|"bot", text) or ("action", name)."""
    with sqlite3.connect(console.tracker_path) as db:
        db.execute(EVENTS_TABLE)
        for i, (kind, value) in enumerate(events):
            at = start.timestamp() + i
            data = {"event": kind, "timestamp": at}
            if kind == "action":
                data["name"] = value
            else:
                data["text"] = value
            if kind == "user":
                data["input_channel"] = channel
            db.execute("INSERT INTO events (sender_id, type_name, timestamp, action_name, data) VALUES (?, ?, ?, ?, ?)",
                       (conversation, kind, at, value if kind == "action" else None, json.dumps(data)))


def _chat(console, conversation: str, start: datetime = NOON, channel: str = "webchat", fallback: bool = False):
    events = [("action", "action_session_start"), ("user", "hi"), ("bot", "Hello, I can help.")]
    if fallback:
        events += [("user", "blorp"), ("action", "action_two_stage_fallback"), ("bot", "Did you mean ...?")]
    _events(console, conversation, start, events, channel)


def _signed_in(console, name="cleo"):
    client = console.client()
    login(client, name)
    return client


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _listed(client, query: str = "") -> list[str]:
    html = _page(client, "/conversations" + query)
    return [part.split('"', 1)[0] for part in html.split('class="conversation-id" href="/conversations/')[1:]]


def test_a_coordinator_is_refused_every_conversation_route_and_each_refusal_is_audited(console):
    _chat(console, "web:one")
    client = _signed_in(console, "cora")
    gets = ["/conversations", "/conversations/flagged", "/conversations/web:one"]
    posts = ["/conversations/web:one/tags", "/conversations/web:one/tags/remove", "/conversations/web:one/flags"]
    for path in gets:
        assert client.get(path).status_code == 403
    for path in posts:
        assert post(client, path, {"tag": "x", "kind": "wrong", "note": "n", "event_id": "2"}).status_code == 403
    refused = [row.detail for row in access_log(console.database_url) if row.action == "forbidden"]
    assert refused == [f"GET {path}" for path in gets] + [f"POST {path}" for path in posts]
    assert tags_for(["web:one"], url=console.database_url) == {"web:one": []}
    assert list_flags(url=console.database_url) == []


def test_every_conversation_is_listed_latest_first_with_or_without_a_request(console):
    _chat(console, "web:old", NOON - timedelta(days=2))
    _chat(console, "sms:abc", NOON, channel="sms")
    _chat(console, "web:mid", NOON - timedelta(days=1))
    reference = save_callback_request(make_submission(conversation_id="web:mid"), [], url=console.database_url)
    client = _signed_in(console)
    assert _listed(client) == ["sms:abc", "web:mid", "web:old"]
    html = _page(client, "/conversations")
    assert f'href="/requests/{reference}"' in html and "3 conversations" in html
    rows = [row for row in access_log(console.database_url) if row.action == "conversations"]
    assert {row.conversation_id for row in rows} == {"sms:abc", "web:mid", "web:old"}
    assert {row.reference for row in rows} == {reference, None}


def test_the_filters(console):
    _chat(console, "web:plain", NOON)
    _chat(console, "sms:texted", NOON + timedelta(minutes=1), channel="sms")
    _chat(console, "web:lost", NOON + timedelta(minutes=2), fallback=True)
    _chat(console, "web:crisis", NOON - timedelta(days=3))
    _chat(console, "web:asked", NOON - timedelta(days=5))
    record_crisis_event("web:crisis", "overdose", "rule:took", url=console.database_url)
    save_callback_request(make_submission(conversation_id="web:asked"), [], url=console.database_url)
    tag_conversation("web:lost", "training data", "cleo", url=console.database_url)
    client = _signed_in(console)
    assert _listed(client, "?channel=sms") == ["sms:texted"]
    assert _listed(client, "?channel=webchat") == ["web:lost", "web:plain", "web:crisis", "web:asked"]
    assert _listed(client, "?crisis=yes") == ["web:crisis"]
    assert "web:crisis" not in _listed(client, "?crisis=no")
    assert _listed(client, "?fallback=yes") == ["web:lost"]
    assert "web:lost" not in _listed(client, "?fallback=no")
    assert _listed(client, "?norequest=1") == ["web:lost", "sms:texted", "web:plain", "web:crisis"]
    assert _listed(client, "?tag=Training+Data") == ["web:lost"]
    assert _listed(client, "?from=2025-03-03") == ["web:lost", "sms:texted", "web:plain"]
    assert _listed(client, "?from=2025-02-26&to=2025-02-28") == ["web:crisis", "web:asked"]
    assert _listed(client, "?to=2025-02-26") == ["web:asked"]
    assert _listed(client, "?channel=webchat&norequest=1&crisis=no") == ["web:lost", "web:plain"]
    assert _listed(client, "?channel=fax&crisis=maybe&from=soon") == _listed(client)  # unknown values: no filter


def test_the_list_shows_channel_fallbacks_crisis_and_tags(console):
    _chat(console, "web:lost", fallback=True)
    record_crisis_event("web:lost", "suicide", "model", url=console.database_url)
    tag_conversation("web:lost", "follow-up", "cleo", url=console.database_url)
    html = _page(_signed_in(console), "/conversations")
    for shown in ('data-label="Channel">webchat<', 'data-label="Fallbacks">1<', "<strong>yes</strong> (1)",
                  '<span class="tag">follow-up</span>', 'data-label="Messages">4<'):
        assert shown in html


def test_the_index_pages_and_reads_ids_in_chunks(console):
    for i in range(120):
        _chat(console, f"web:{i:03}", NOON + timedelta(minutes=i))
    first = conversation_page(ConversationFilters(), 1, 50, database_url=console.database_url,
                              tracker_url=console.tracker_url)
    last = conversation_page(ConversationFilters(), 9, 50, database_url=console.database_url,
                             tracker_url=console.tracker_url)
    assert (first.total, first.pages, len(first.rows), first.rows[0].conversation_id) == (120, 3, 50, "web:119")
    assert (last.page, len(last.rows), last.rows[-1].conversation_id) == (3, 20, "web:000")
    assert {row.channel for row in first.rows} == {"webchat"}


def test_the_transcript_is_escaped_and_the_view_is_audited_with_the_conversation(console):
    console.say("web:one", [("user", "hello"), ("bot", "Hi there"), ("user", HOSTILE)], NOON)
    record_crisis_event("web:one", "suicide", "rule:plan", url=console.database_url)
    reference = save_callback_request(make_submission(conversation_id="web:one"), [], url=console.database_url)
    html = _page(_signed_in(console), "/conversations/web:one")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "Crisis path started here (suicide)" in html
    assert f'href="/requests/{reference}"' in html
    assert html.count('name="event_id"') == 1  # a flag form on the one assistant reply
    (row,) = [row for row in access_log(console.database_url) if row.action == "conversation"]
    assert (row.who, row.conversation_id, row.reference) == ("cleo", "web:one", reference)


def test_tags_are_added_and_removed_with_csrf_and_audited(console):
    _chat(console, "web:one")
    client = _signed_in(console)
    path = "/conversations/web:one"
    assert client.post(f"{path}/tags", data={"tag": "follow-up"}).status_code == 400
    assert tags_for(["web:one"], url=console.database_url) == {"web:one": []}
    assert post(client, f"{path}/tags", {"tag": "Follow-up"}, page=path).status_code == 302
    assert post(client, f"{path}/tags", {"tag": "<b>"}, page=path).status_code == 302
    assert "Tag not added" in _page(client, path)
    assert tags_for(["web:one"], url=console.database_url) == {"web:one": ["follow-up"]}
    assert '<span class="tag">follow-up</span>' in _page(client, path)
    assert client.post(f"{path}/tags/remove", data={"tag": "follow-up"}).status_code == 400
    assert post(client, f"{path}/tags/remove", {"tag": "follow-up"}, page=path).status_code == 302
    assert tags_for(["web:one"], url=console.database_url) == {"web:one": []}
    rows = [row for row in access_log(console.database_url) if row.action == "tag"]
    assert [(row.who, row.conversation_id, row.detail) for row in rows] == [
        ("cleo", "web:one", "add follow-up"), ("cleo", "web:one", "remove follow-up")]


def test_a_reply_is_flagged_with_csrf_a_kind_and_a_note_and_audited(console):
    reply = console.say("web:one", [("user", "is it safe to stop drinking cold turkey"), ("bot", "Sure, go ahead.")],
                        NOON)[1]
    client = _signed_in(console)
    path = "/conversations/web:one"
    form = {"event_id": str(reply), "kind": "unsafe", "note": "Alcohol withdrawal can be dangerous."}
    assert client.post(f"{path}/flags", data=form).status_code == 400
    assert post(client, f"{path}/flags", {**form, "note": " "}, page=path).status_code == 302
    assert post(client, f"{path}/flags", {**form, "kind": "rude"}, page=path).status_code == 302
    assert post(client, f"{path}/flags", {**form, "event_id": str(reply - 1)}, page=path).status_code == 302  # the person's
    assert list_flags(url=console.database_url) == []
    assert post(client, f"{path}/flags", form, page=path).status_code == 302
    (flag,) = list_flags(url=console.database_url)
    assert (flag.conversation_id, flag.event_id, flag.kind, flag.flagged_by) == ("web:one", reply, "unsafe", "cleo")
    assert "Flagged unsafe</strong> by cleo" in _page(client, path)
    (row,) = [row for row in access_log(console.database_url) if row.action == "flag"]
    assert (row.who, row.conversation_id, row.detail) == ("cleo", "web:one", f"unsafe reply {reply}")
    assert verify_chain(console.database_url)[1] == []


def test_the_flagged_page_shows_the_reply_what_came_before_and_the_note_escaped(console):
    reply = console.say("web:one", [("user", HOSTILE), ("bot", "That reply <i>was</i> wrong")], NOON)[1]
    flag_reply("web:one", reply, "wrong", "Should have offered a person.", "cleo", url=console.database_url)
    html = _page(_signed_in(console), "/conversations/flagged")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "That reply &lt;i&gt;was&lt;/i&gt; wrong" in html
    assert "Should have offered a person." in html and "intake flagged --export nlu" in html
    (row,) = [row for row in access_log(console.database_url) if row.action == "flagged"]
    assert (row.who, row.conversation_id) == ("cleo", "web:one")


def test_the_date_filter_uses_the_centers_days(console):
    late_evening = datetime(2025, 3, 4, 3, 30, tzinfo=timezone.utc)  # 22:30 on March 3 in New York
    _chat(console, "web:evening", late_evening)
    found = conversation_page(ConversationFilters(day_to=date(2025, 3, 3)), database_url=console.database_url,
                              tracker_url=console.tracker_url)
    assert [row.conversation_id for row in found.rows] == ["web:evening"]


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker(request, tmp_path):
    """An events table of Rasa's shape, on SQLite and on PostgreSQL (the production tracker store)."""
    from tests.intake_support import fresh_postgres_database

    if request.param == "sqlite":
        yield _with_events(f"sqlite:///{tmp_path / 'tracker.db'}", "INTEGER PRIMARY KEY AUTOINCREMENT")
        return
    with fresh_postgres_database() as url:
        yield _with_events(url, "SERIAL PRIMARY KEY")


def _with_events(url: str, id_column: str) -> str:
    rows = [("web:a", "user", 1.0, None, {"text": "hi", "input_channel": "webchat"}),
            ("web:a", "action", 2.0, "action_default_fallback", {"name": "action_default_fallback"}),
            ("web:a", "bot", 3.0, None, {"text": "Sorry, <b>again</b>?"}),
            ("sms:b", "user", 5.0, None, {"text": "hello", "input_channel": "sms"}),
            ("rest:c", "action", 9.0, "action_session_start", {"name": "action_session_start"})]
    engine = create_engine(url)
    with engine.begin() as db:
        db.execute(text(EVENTS_TABLE.replace("INTEGER PRIMARY KEY AUTOINCREMENT", id_column)))
        for sender, kind, at, action, data in rows:
            db.execute(text("INSERT INTO events (sender_id, type_name, timestamp, action_name, data)"
                            " VALUES (:s, :k, :t, :a, :d)"), {"s": sender, "k": kind, "t": at, "a": action,
                                                              "d": json.dumps({"event": kind, **data})})
    engine.dispose()
    return url


def test_the_tracker_index_sums_up_each_conversation(tracker):
    found = {s.conversation_id: s for s in summaries(tracker)}
    assert {c: (s.messages, s.fallbacks) for c, s in found.items()} == {"web:a": (2, 1), "sms:b": (1, 0), "rest:c": (0, 0)}
    assert (found["web:a"].started.timestamp(), found["web:a"].last.timestamp()) == (1.0, 3.0)
    assert [s.conversation_id for s in summaries(tracker, channel="sms")] == ["sms:b"]
    between = summaries(tracker, active_from=datetime.fromtimestamp(4, timezone.utc),
                        active_before=datetime.fromtimestamp(6, timezone.utc))
    assert [s.conversation_id for s in between] == ["sms:b"]
    assert channels_of(["web:a", "sms:b", "rest:c"], tracker) == {"web:a": "webchat", "sms:b": "sms", "rest:c": None}
    assert event_texts([3, 2], tracker) == {3: "Sorry, <b>again</b>?"}

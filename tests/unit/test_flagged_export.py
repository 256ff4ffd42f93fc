"""`intake flagged [--export nlu]`: flagged replies, and the messages before them as Rasa NLU YAML without PII."""

import json
import sqlite3

import pytest
import yaml

from assistant.db import flags
from assistant.db.audit import access_log
from assistant.intake import cli
from assistant.intake.flagged_cli import example_text, nlu_yaml
from rasa_ext.transcripts import messages_before, read_transcript

EVENTS = ("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,"
          " timestamp REAL, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)")


@pytest.fixture
def tracker(tmp_path):
    path = tmp_path / "tracker.db"
    with sqlite3.connect(path) as db:
        db.execute(EVENTS)
    return path


def say(tracker, conversation_id, turns):
    """Store turns as Rasa's events ("user" / "bot" / "action" rows); the ids of the rows."""
    ids = []
    with sqlite3.connect(tracker) as db:
        for i, (kind, text) in enumerate(turns):
            data = {"event": kind, "timestamp": 1741010400.0 + i, **({"text": text} if text is not None else {})}
            cursor = db.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, action_name, data) VALUES (?, ?, ?, ?, ?)",
                (conversation_id, kind, data["timestamp"], "utter_x" if kind == "action" else None, json.dumps(data)))
            ids.append(cursor.lastrowid)
    return ids


def _run(monkeypatch, url, tracker, *argv):
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tracker}")
    monkeypatch.delenv("INTAKE_TOKEN", raising=False)
    return cli.main(list(argv))


@pytest.fixture
def flagged(tmp_path, tracker):
    """Two conversations with a flagged reply each, and one flag whose conversation is not in the tracker store."""
    url = f"sqlite:///{tmp_path / 'records.db'}"
    a = say(tracker, "conv-a", [
        ("user", "hi"),
        ("bot", "Hello! How can I help?"),
        ("user", "I'm Dana, my number is 617-555-0142, can Michael call me? dana@example.com"),
        ("action", None),
        ("bot", "Sure, what time works?"),  # flagged: a wrong reply
        ("bot", "And for whom is it?"),
    ])
    b = say(tracker, "conv-b", [
        ("user", "is it ok to stop drinking cold turkey: tell me [now](urgent)\nplease"),
        ("bot", "Yes, just stop."),  # flagged: unsafe
    ])
    flags.flag_reply("conv-a", a[4], "wrong", "asked for a time before the name", "rosa", url=url)
    flags.flag_reply("conv-b", b[1], "unsafe", "alcohol withdrawal can kill: must warn", "rosa", url=url)
    flags.flag_reply("conv-gone", 999, "wrong", "", "lee", url=url)
    return url, a, b


def test_turns_carry_their_event_id_and_a_reply_finds_the_message_before_it(tracker):
    ids = say(tracker, "conv-a", [("user", "first"), ("bot", "one"), ("user", None), ("bot", "two"), ("bot", "three")])
    say(tracker, "conv-other", [("user", "someone else")])
    turns = read_transcript("conv-a", url=f"sqlite:///{tracker}")
    assert [(t.event_id, t.text) for t in turns] == [(ids[0], "first"), (ids[1], "one"), (ids[3], "two"), (ids[4], "three")]
    found = messages_before([("conv-a", ids[4]), ("conv-a", ids[1]), ("conv-a", ids[0]), ("conv-other", ids[4])],
                            url=f"sqlite:///{tracker}")
    # A message without text (a button's payload) is passed over; no message before the first one.
    assert found == {("conv-a", ids[4]): "first", ("conv-a", ids[1]): "first"}


def test_flagged_lists_the_flags_and_is_audited(flagged, tracker, monkeypatch, capsys):
    url, a, b = flagged
    assert _run(monkeypatch, url, tracker, "flagged") == 0
    out = capsys.readouterr().out
    assert out.index("conv-gone") < out.index("conv-b") < out.index("conv-a")  # newest first
    assert f"wrong   conversation conv-a  reply {a[4]}  by rosa\n    asked for a time before the name" in out
    assert "unsafe  conversation conv-b" in out
    rows = [(r.action, r.conversation_id, r.detail) for r in access_log(url=url)]
    assert rows[:3] == [("flag", "conv-a", f"wrong reply {a[4]}"), ("flag", "conv-b", f"unsafe reply {b[1]}"),
                        ("flag", "conv-gone", "wrong reply 999")]
    assert rows[3:] == [("flagged", "conv-gone", None), ("flagged", "conv-b", None), ("flagged", "conv-a", None)]


def test_the_nlu_export_holds_the_messages_before_the_replies_without_pii(flagged, tracker, monkeypatch, capsys):
    url, *_ = flagged
    assert _run(monkeypatch, url, tracker, "flagged", "--export", "nlu") == 0
    out, err = capsys.readouterr()
    assert "1 flagged reply(ies) left out" in err
    for secret in ("Dana", "617", "0142", "dana@", "Michael", "asked for a time", "rosa"):
        assert secret not in out
    document = yaml.safe_load(out)
    assert document["version"] == "3.1"
    assert document["nlu"] == [
        {"intent": "flagged_wrong",
         "examples": "- I'm [name], my number is [phone], can [name] call me? [email]\n"},
        {"intent": "flagged_unsafe",
         "examples": "- is it ok to stop drinking cold turkey: tell me [now] (urgent) please\n"},
    ]
    assert "examples: |" in out  # a literal block, as Rasa's own files are
    assert [r.detail for r in access_log(url=url) if r.action == "flagged"] == ["export nlu"] * 3


def test_examples_stay_one_printable_line_each():
    assert example_text("  two\nlines\u2028and\ttabs\x07 ") == "two lines and tabs"
    text = nlu_yaml([("wrong", "- starts with a dash: and # hash 'quotes' \"too\""), ("wrong", "Same"), ("wrong", "Same"),
                     ("unsafe", "   ")])
    assert yaml.safe_load(text)["nlu"] == [
        {"intent": "flagged_wrong", "examples": "- - starts with a dash: and # hash 'quotes' \"too\"\n- Same\n"},
    ]


@pytest.mark.slow  # importing Rasa takes seconds
def test_rasa_reads_the_export(tmp_path, monkeypatch):
    from rasa.shared.nlu.training_data.loading import load_data

    exported = tmp_path / "flagged.yml"
    exported.write_text(nlu_yaml([
        ("wrong", "I'm Dana, call me at 617-555-0142"),
        ("wrong", "tell me [now](urgent) or [x]{\"entity\": \"y\"}"),
        ("unsafe", "can i just stop drinking: yes or no?"),
    ]), encoding="utf-8")
    data = load_data(str(exported))
    assert sorted((m.get("intent"), m.get("text")) for m in data.training_examples) == [
        ("flagged_unsafe", "can i just stop drinking: yes or no?"),
        ("flagged_wrong", "I'm [name], call me at [phone]"),
        ("flagged_wrong", "tell me [now] (urgent) or [x] {\"entity\": \"y\"}"),
    ]
    assert data.entity_examples == []  # no text was taken for an entity annotation

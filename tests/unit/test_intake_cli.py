"""The `intake` staff command, run as staff run it: the installed entry point, in a subprocess."""

import csv
import io
import json
import os
import pwd
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from assistant.center import load_center
from assistant.db.audit import access_log
from assistant.db.callbacks import get_callback, save_callback_request
from assistant.db.crises import crisis_events, record_crisis_event
from assistant.db.engine import engine_for
from assistant.db.models import CrisisEvent
from assistant.intake import notify
from assistant.intake.submission import Triage
from tests.intake_support import PHONE, WebhookServer, free_port, make_submission

INTAKE = Path(sys.executable).parent / "intake"
ROOT = Path(__file__).resolve().parents[2]
USER = pwd.getpwuid(os.geteuid()).pw_name  # who the access log names: the OS user, whatever name is given
TRANSCRIPT = [
    ("user", "I want to start treatment, can someone call me?"),
    ("action", None),
    ("bot", "I can ask a few questions so our staff can call you back."),
    ("user", "yes, for me"),
]

# slow: each test runs the command several times in a subprocess (~40 s of CPU in all): make test runs them,
# make test-fast leaves them out (the functions behind the command are tested in test_intake_records.py).
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not INTAKE.exists(), reason="`intake` not installed: run make install (pip install -e .)")]


@pytest.fixture
def env(tmp_path):
    tracker = tmp_path / "tracker.db"
    with sqlite3.connect(tracker) as db:
        db.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), type_name VARCHAR(255),"
            " timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"
        )
        rows = [("conv-test", kind, 1741010400.0 + i, json.dumps({"event": kind, "text": text}))
                for i, (kind, text) in enumerate(TRANSCRIPT)]  # fmt: skip
        rows.append(("someone-else", "user", 1741010500.0, json.dumps({"event": "user", "text": "another person's words"})))
        db.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)", rows)
    return {
        **os.environ,
        "ASSISTANT_DATABASE_URL": f"sqlite:///{tmp_path / 'records.db'}",
        "TRACKER_DATABASE_URL": f"sqlite:///{tracker}",
        "CENTER_CONFIG": str(ROOT / "center.yml"),
        "INTAKE_STAFF": "pat",
    }


def intake(env, *args, code=0):
    result = subprocess.run([str(INTAKE), *args], env=env, capture_output=True, text=True, timeout=60, cwd="/")
    assert result.returncode == code, result.stderr
    return result


def save(env, level, first_name="Dana", targets=(), **changes):
    submission = make_submission(level, first_name, **changes)
    return save_callback_request(submission, targets, url=env["ASSISTANT_DATABASE_URL"])


def access(env):
    """(the name given, action, reference) of each access-log row; every row names the real OS user."""
    rows = access_log(url=env["ASSISTANT_DATABASE_URL"])
    assert {e.who for e in rows} <= {USER}
    return [(e.on_behalf_of, e.action, e.reference) for e in rows]


def test_callbacks_json_is_most_urgent_first_then_oldest(env):
    order = ["ROUTINE", "HIGH", "URGENT", "ROUTINE", "HIGH", "URGENT"]
    refs = [(level, save(env, level, f"P{i}")) for i, level in enumerate(order)]
    listed = json.loads(intake(env, "callbacks", "--json", "--staff", "jo").stdout)
    expected = [ref for level in ("URGENT", "HIGH", "ROUTINE") for lvl, ref in refs if lvl == level]
    assert [r["reference"] for r in listed] == expected
    first = listed[0]
    assert (first["priority"], first["first_name"], first["phone_e164"], first["status"]) == ("URGENT", "P2", PHONE, "new")
    assert first["answers"][1] == {
        "question_id": "intake_substances",
        "value": ["alcohol", "fentanyl"],
        "label": "Alcohol, Fentanyl",
        "asam_dimension": "D1",
    }
    assert first["scores"][0]["instrument"] == "AUDIT-C" and first["scores"][0]["positive"] is True
    assert access(env) == [("jo", "export", ref) for ref in expected]


def test_callbacks_csv_and_plain_text(env):
    ref = save(env, "HIGH", "=HYPERLINK(\"http://x\")")
    rows = list(csv.DictReader(io.StringIO(intake(env, "callbacks", "--csv").stdout)))
    assert [r["reference"] for r in rows] == [ref]
    row = rows[0]
    assert row["first_name"].startswith("'=")  # a spreadsheet shows it, does not run it
    assert (row["phone_e164"], row["answer:intake_substances"], row["score:AUDIT-C"], row["positive:AUDIT-C"]) == (
        PHONE, "Alcohol, Fentanyl", "9", "yes",
    )  # fmt: skip
    plain = intake(env, "callbacks", "--status", "new").stdout
    assert ref in plain and PHONE in plain and "Alcohol, Fentanyl" in plain and "AUDIT-C 9/12 positive" in plain
    assert "start treatment" not in plain  # the transcript only in `show`
    assert intake(env, "callbacks", "--status", "closed").stdout.strip() == "No call-back requests with status closed."
    assert access(env) == [("pat", "export", ref), ("pat", "list", ref), ("pat", "list", None)]


def test_show_has_everything_and_the_transcript(env):
    ref = save(env, "URGENT")
    out = intake(env, "show", ref.lower()).stdout
    for expected in (
        f"{ref}  URGENT  status: new  CRISIS  SAME DAY",
        f"Phone: {PHONE}  voicemail: yes  texts: no",
        "Told to expect a call: today before 6 pm",
        "  - daily alcohol use with past withdrawal seizures",
        "  D1  intake_substances: Alcohol, Fentanyl",
        "  -   intake_phone: +15550104477",
        "  AUDIT-C 9/12 positive (cut-off 3 (women) / 4 (men))",
        "  PHQ-2 not scored (items skipped)",
        "(no targets configured)",
        "new  by assistant",
    ):
        assert expected in out
    transcript = out.split("Transcript:\n")[1]
    assert [line.split(maxsplit=2)[1:] for line in transcript.strip().splitlines()] == [
        ["person:", "I want to start treatment, can someone call me?"],
        ["assistant:", "I can ask a few questions so our staff can call you back."],
        ["person:", "yes, for me"],
    ]
    assert "another person's words" not in out
    assert access(env) == [("pat", "show", ref)]


def test_show_without_a_tracker_database_still_shows_the_request(env, tmp_path):
    ref = save(env, "ROUTINE")
    out = intake({**env, "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'missing.db'}"}, "show", ref).stdout
    assert "(unavailable: FileNotFoundError: no tracker database at" in out
    assert not (tmp_path / "missing.db").exists()


def test_set_status_history_and_exit_codes(env):
    ref = save(env, "ROUTINE")
    assert intake(env, "set-status", ref, "no_answer", "--staff", "jo").stdout.strip() == (
        f"{ref}: new -> no_answer (by {USER} (on behalf of jo))")
    intake(env, "set-status", ref, "contacted", "--by", "Sam R.")
    assert f"no_answer -> contacted  by {USER} (on behalf of Sam R.)" in intake(env, "show", ref).stdout
    assert "unknown status 'done'" in intake(env, "set-status", ref, "done", code=1).stderr
    assert "no call-back request CB-ZZZZZZ" in intake(env, "set-status", "CB-ZZZZZZ", "closed", code=1).stderr
    assert "no call-back request CB-ZZZZZZ" in intake(env, "show", "zzzzzz", code=1).stderr
    assert "unknown status" in intake(env, "callbacks", "--status", "done", code=1).stderr
    intake(env, "set-status", ref, code=2)
    intake(env, "callbacks", "--json", "--csv", code=2)
    intake(env, code=2)
    request = get_callback(ref, url=env["ASSISTANT_DATABASE_URL"])
    assert request is not None and request.status == "contacted"
    assert access(env) == [
        ("jo", "set-status", ref), ("Sam R.", "set-status", ref), ("pat", "show", ref), ("pat", "set-status", ref),
        ("pat", "set-status", "CB-ZZZZZZ"), ("pat", "show", "CB-ZZZZZZ"),
    ]  # fmt: skip


def test_undelivered_notifications_are_listed_then_delivered(env, tmp_path):
    port = free_port()  # the receiver is down at first
    center = tmp_path / "center.yml"
    center.write_text(
        (ROOT / "center.yml").read_text() + f"staff_notifications:\n  webhook:\n    url: http://127.0.0.1:{port}/intake\n"
    )
    env = {**env, "CENTER_CONFIG": str(center)}
    targets = notify.configured_targets(load_center(center))
    ref = save(env, "HIGH", targets=targets)
    event_id = record_crisis_event("conv-test", "suicide", "model", targets, url=env["ASSISTANT_DATABASE_URL"])

    assert intake(env, "deliver").stdout.strip() == "sent 0, retrying later 2, gave up 0"
    lines = intake(env, "notifications", "--undelivered").stdout.splitlines()
    assert lines[0].startswith(f"crisis   #{event_id}  webhook  pending  attempts 1  next attempt ")  # newest first
    assert lines[1].startswith(f"request  {ref}  webhook  pending  attempts 1  next attempt ")
    assert all("last error: URLError" in line for line in lines)
    with WebhookServer(port) as received:
        assert intake(env, "deliver").stdout.strip() == "sent 0, retrying later 0, gave up 0"  # not due for 30 s
        later = datetime.now(timezone.utc) + timedelta(minutes=1)
        config = notify.load_config(load_center(center))
        assert notify.deliver_pending(now=later, url=env["ASSISTANT_DATABASE_URL"], config=config)["sent"] == 2
    assert [json.loads(body).get("type") for _, _, body in received] == ["crisis", None]  # the crisis alert first
    assert intake(env, "notifications", "--undelivered").stdout.strip() == "No undelivered notifications."
    listed = intake(env, "notifications").stdout
    assert f"request  {ref}  webhook  sent  attempts 2  delivered " in listed
    assert f"crisis   #{event_id}  webhook  sent  attempts 2  delivered " in listed
    assert [action for _, action, _ in access(env)] == ["deliver", "notifications", "deliver", "notifications", "notifications"]


def crisis(env, conversation_id, kind, at, detected_by="model"):
    row = dict(conversation_id=conversation_id, kind=kind, detected_by=detected_by, created_at=at)
    with engine_for(env["ASSISTANT_DATABASE_URL"]).begin() as connection:
        return connection.execute(CrisisEvent.__table__.insert().values(**row)).inserted_primary_key[0]


def audit(env):
    rows = access_log(url=env["ASSISTANT_DATABASE_URL"])
    assert {e.who for e in rows} <= {USER}
    return [(e.on_behalf_of, e.action, e.reference, e.conversation_id) for e in rows]


def test_crises_newest_first_with_the_request_of_the_conversation(env):
    assert intake(env, "crises").stdout.strip() == "No crisis events."
    noon = datetime(2025, 3, 3, 17, 0, tzinfo=timezone.utc)  # 12:00 in New York (EST)
    early = crisis(env, "conv-test", "medical", noon)
    late = crisis(env, "conv-alone", "overdose", noon + timedelta(hours=2), "button")
    middle = crisis(env, "conv-test", "suicide", noon + timedelta(hours=1))
    ref = save(env, "URGENT")  # conv-test

    listed = json.loads(intake(env, "crises", "--json").stdout)
    assert [(c["id"], c["kind"], c["conversation_id"], c["reference"]) for c in listed] == [
        (late, "overdose", "conv-alone", None),
        (middle, "suicide", "conv-test", ref),
        (early, "medical", "conv-test", ref),
    ]
    assert listed[0] == {
        "id": late, "created_at": "2025-03-03T19:00:00+00:00", "kind": "overdose", "detected_by": "button",
        "conversation_id": "conv-alone", "reference": None, "reviewed_at": None, "reviewed_by": None,
        "reviewed_on_behalf_of": None,
    }  # fmt: skip
    assert intake(env, "crises").stdout.splitlines() == [
        f"#{late}  2025-03-03 14:00 EST  overdose  detected by button  conversation conv-alone  request -  NOT REVIEWED",
        f"#{middle}  2025-03-03 13:00 EST  suicide  detected by model  conversation conv-test  request {ref}  NOT REVIEWED",
        f"#{early}  2025-03-03 12:00 EST  medical  detected by model  conversation conv-test  request {ref}  NOT REVIEWED",
    ]

    intake(env, "review-crisis", str(middle), "--by", "Sam R.")
    unreviewed = json.loads(intake(env, "crises", "--unreviewed", "--json").stdout)
    assert [c["id"] for c in unreviewed] == [late, early]
    reviewed = json.loads(intake(env, "crises", "--json").stdout)[1]
    assert (reviewed["reviewed_by"], reviewed["reviewed_on_behalf_of"]) == (USER, "Sam R.")
    assert reviewed["reviewed_at"].endswith("+00:00")
    assert f"  reviewed by {USER} (on behalf of Sam R.) 20" in intake(env, "crises").stdout.splitlines()[1]

    # One row per conversation seen, with the request it showed; one with neither when nothing was listed.
    shown = [("pat", "crises", None, "conv-alone"), ("pat", "crises", ref, "conv-test")]
    assert audit(env) == [
        ("pat", "crises", None, None), *shown, *shown, ("Sam R.", "review-crisis", None, "conv-test"), *shown, *shown, *shown,
    ]  # fmt: skip


def test_review_crisis_twice_keeps_the_first_reviewer_and_unknown_ids_fail(env):
    event_id = crisis(env, "conv-test", "suicide", datetime(2025, 3, 3, 17, 0, tzinfo=timezone.utc))
    first = intake(env, "review-crisis", str(event_id), "--staff", "jo").stdout.strip()
    assert first.startswith(f"crisis event #{event_id}: reviewed by {USER} (on behalf of jo) 20")
    again = intake(env, "review-crisis", str(event_id), "--by", "Sam R.").stdout.strip()
    assert again == f"crisis event #{event_id} was already {first.split(': ', 1)[1]}; kept"
    [event] = crisis_events(url=env["ASSISTANT_DATABASE_URL"])
    assert (event.reviewed_by, event.reviewed_on_behalf_of) == (USER, "jo")
    assert intake(env, "review-crisis", "999", code=1).stderr.strip() == "intake: no crisis event 999"
    intake(env, "review-crisis", "CB-ZZZZZZ", code=2)
    assert audit(env) == [
        ("jo", "review-crisis", None, "conv-test"),
        ("Sam R.", "review-crisis", None, "conv-test"),
        ("pat", "review-crisis", None, None),  # the unknown id
    ]


def test_transcript_of_any_conversation(env, tmp_path):
    out = intake(env, "transcript", "conv-test").stdout
    assert out.splitlines() == [
        "Conversation conv-test, started 2025-03-03 09:00 EST",
        "  09:00:00 person: I want to start treatment, can someone call me?",
        "  09:00:02 assistant: I can ask a few questions so our staff can call you back.",
        "  09:00:03 person: yes, for me",
    ]
    assert "no messages stored for conversation nobody" in intake(env, "transcript", "nobody", code=1).stderr
    missing = {**env, "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'missing.db'}"}
    assert "transcript unavailable: FileNotFoundError" in intake(missing, "transcript", "conv-test", code=1).stderr
    assert audit(env) == [
        ("pat", "transcript", None, "conv-test"), ("pat", "transcript", None, "nobody"), ("pat", "transcript", None, "conv-test"),
    ]  # fmt: skip


def test_the_access_log_names_the_os_user_whatever_name_is_given(env):
    """Issue 10: --staff, $INTAKE_STAFF, --by and $USER named whoever they liked in the audit trail."""
    ref = save(env, "HIGH")
    event_id = crisis(env, "conv-test", "suicide", datetime(2025, 3, 3, 17, 0, tzinfo=timezone.utc))
    forged = {**env, "INTAKE_STAFF": "Dr. Trusted", "USER": "dr-trusted", "LOGNAME": "dr-trusted"}
    intake(forged, "show", ref)
    intake(env, "set-status", ref, "contacted", "--by", "Dr. Trusted")
    intake(env, "review-crisis", str(event_id), "--staff", "Dr. Trusted")
    unnamed = {key: value for key, value in forged.items() if key != "INTAKE_STAFF"}
    intake(unnamed, "notifications")  # $USER is not a name given: nothing "on behalf"
    intake({**env, "INTAKE_STAFF": USER}, "crises")  # one's own name: nothing "on behalf" either
    rows = access_log(url=env["ASSISTANT_DATABASE_URL"])
    assert [(e.who, e.on_behalf_of, e.action) for e in rows] == [
        (USER, "Dr. Trusted", "show"), (USER, "Dr. Trusted", "set-status"), (USER, "Dr. Trusted", "review-crisis"),
        (USER, None, "notifications"), (USER, None, "crises"),
    ]  # fmt: skip
    request = get_callback(ref, url=env["ASSISTANT_DATABASE_URL"])
    assert request is not None
    change = request.status_changes[-1]
    assert (change.changed_by, change.on_behalf_of) == (USER, "Dr. Trusted")
    [event] = crisis_events(url=env["ASSISTANT_DATABASE_URL"])
    assert (event.reviewed_by, event.reviewed_on_behalf_of) == (USER, "Dr. Trusted")
    assert f"contacted  by {USER} (on behalf of Dr. Trusted)" in intake(env, "show", ref).stdout


@pytest.mark.parametrize("args", [("callbacks",), ("callbacks", "--json"), ("callbacks", "--csv")])
def test_the_access_log_is_written_before_anything_is_shown(env, args):
    """Issue 10: `intake callbacks | head` showed patient data and logged nothing (the log came after the output)."""
    long_reason = "daily alcohol use with past withdrawal seizures; " * 60  # lots of output: more than a pipe holds
    refs = [save(env, "HIGH", f"P{i}", triage=Triage("HIGH", (long_reason,))) for i in range(150)]
    command = " ".join([str(INTAKE), *args]) + " | head -c 300"
    result = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, timeout=60, cwd="/")
    assert refs[0] in result.stdout or "reference" in result.stdout  # patient data was shown...
    assert sorted(ref for _, _, ref in access(env)) == sorted(refs)  # ...and every request shown is on record
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_visitor_text_cannot_send_terminal_escape_sequences(env):
    hostile = "Dana\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\u202e"  # clipboard write, clear screen, right-to-left override
    ref = save(env, "ROUTINE", hostile, best_time="mornings\x1b[8m hidden")
    for out in (intake(env, "show", ref).stdout, intake(env, "callbacks").stdout):
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "Dana\\x1b]52;c;ZWNobyBoaQ==\\x07\\x1b[2J\\u202e" in out

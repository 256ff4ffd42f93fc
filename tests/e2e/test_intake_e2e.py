"""The pre-assessment end to end: a real Rasa server and action server over REST, the
request found with the installed `intake` command, and its staff notification
received by a real local SMTP server and webhook receiver; first with both down
(the request is kept, delivered later), then with both up (delivered at once)."""

import hashlib
import hmac
import json
import os
import pwd
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller

from assistant.center import load_center
from assistant.db.audit import access_log
from assistant.db.callbacks import get_callback, list_callbacks
from assistant.intake import notify
from channels import conversation_ids
from evaluation.intake_script import USUAL_PATH, run_pre_assessment
from evaluation.server import MODEL, ROOT, start_assistant
from tests.intake_support import WebhookServer, free_port

pytestmark = pytest.mark.needs_model  # starts the assistant with models/assistant.tar.gz

SECRET = "e2e-webhook-secret"
INTAKE = str(ROOT / ".venv" / "bin" / "intake")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train`")
    workdir = tmp_path_factory.mktemp("intake-e2e")
    smtp_port, webhook_port = free_port(), free_port()
    center = yaml.safe_load((ROOT / "center.yml").read_text())
    center["name"] = "Harbor Recovery"
    center["staff_notifications"] = {
        "smtp": {"host": "127.0.0.1", "port": smtp_port, "from": "assistant@example.org",
                 "to": ["intake@example.org"], "starttls": False},
        "webhook": {"url": f"http://127.0.0.1:{webhook_port}/intake", "secret_env": "E2E_WEBHOOK_SECRET"},
    }
    center_file = workdir / "center.yml"
    center_file.write_text(yaml.safe_dump(center))
    env = {"CENTER_CONFIG": str(center_file), "E2E_WEBHOOK_SECRET": SECRET}
    running = start_assistant(workdir, extra_env=env)
    yield running, center_file, smtp_port, webhook_port, env
    running.stop()


def intake(running, *args, env: dict) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **env, "ASSISTANT_DATABASE_URL": f"sqlite:///{running.records_db}",
                "TRACKER_DATABASE_URL": f"sqlite:///{running.tracker_db}", "INTAKE_STAFF": "e2e-test"}
    return subprocess.run([INTAKE, *args], capture_output=True, text=True, env=full_env, timeout=60, cwd=ROOT)


def wait_for(condition, seconds: float = 15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_target_down_then_up(setup):
    running, center_file, smtp_port, webhook_port, env = setup
    # 1. Both targets down: the pre-assessment still ends with a stored request.
    run = run_pre_assessment(running, "e2e-down", before={"intake_insurance": ["why do you ask?", "what is suboxone?"]})
    assert run.reference, run.replies[-1]
    assert "intake_insurance" in run.asked and run.asked[-1] == "intake_confirmed"
    listed = json.loads(intake(running, "callbacks", "--json", env=env).stdout)
    [request] = [r for r in listed if r["reference"] == run.reference]
    assert request["priority"] == "HIGH" and request["status"] == "new"
    assert request["first_name"] == "Sam" and request["phone_e164"] == "+16175550142"
    assert wait_for(lambda: run.reference in intake(running, "notifications", "--undelivered", env=env).stdout)

    # 2. Targets back up: a later delivery run sends what was kept (past the backoff).
    os.environ["E2E_WEBHOOK_SECRET"] = SECRET
    config = notify.load_config(load_center(center_file))
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        with WebhookServer(webhook_port) as posts:
            later = datetime.now(timezone.utc) + timedelta(minutes=5)
            counts = notify.deliver_pending(now=later, url=f"sqlite:///{running.records_db}", config=config)
            assert counts["sent"] == 2
            assert run.reference in inbox.messages[0]
            _check_signed(posts[0], run.reference)

            # 3. Targets up: the next request is delivered at once by the action server.
            second = run_pre_assessment(running, "e2e-up")
            assert second.reference and second.reference != run.reference
            assert wait_for(lambda: len(inbox.messages) == 2 and len(posts) == 2)
            assert second.reference in inbox.messages[1]
            _check_signed(posts[1], second.reference)
    finally:
        controller.stop()
    assert run.reference not in intake(running, "notifications", "--undelivered", env=env).stdout
    for message in inbox.messages:  # the minimum: never answers, substances or the phone number
        assert "heroin" not in message.lower() and "617" not in message and "Medicaid" not in message


def _check_signed(post, reference):
    path, headers, body = post
    assert path == "/intake"
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Signature"] == expected
    assert json.loads(body)["reference"] == reference


def test_staff_read_the_request_with_its_transcript(setup):
    running, *_, env = setup
    run = run_pre_assessment(running, "e2e-show")
    shown = intake(running, "show", run.reference, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "TAPS-1" in shown.stdout and "D1" in shown.stdout
    assert "I want to start treatment" in shown.stdout  # the transcript, from the tracker store
    changed = intake(running, "set-status", run.reference, "contacted", env=env)
    assert changed.returncode == 0
    assert json.loads(intake(running, "callbacks", "--status", "contacted", "--json", env=env).stdout)[0]["reference"] \
        == run.reference
    log = access_log(url=f"sqlite:///{running.records_db}")
    # The OS user who ran `intake`, and the name given ($INTAKE_STAFF) only as "on behalf of".
    user = pwd.getpwuid(os.geteuid()).pw_name
    assert {e.action for e in log if (e.who, e.on_behalf_of) == (user, "e2e-test")} >= {"show", "set-status", "export"}


def test_loved_one_path_stop_and_resume(setup):
    running, *_, env = setup
    answers = {**USUAL_PATH, "intake_lo_safety": "no"}
    sender = "e2e-loved-one"
    first = running.send(sender, "can someone call me about getting my son into treatment")
    assert any("your loved one's substance use" in (r.get("text") or "") for r in first), first
    running.send(sender, "yes")
    stopped = running.send(sender, "stop")
    assert any("stopped the questions" in (r.get("text") or "") for r in stopped)
    run = run_pre_assessment(running, sender, answers, opening="let's continue the questions")
    assert run.reference
    assert "intake_lo_safety" in run.asked and "intake_phq2_1" not in run.asked
    request = get_callback(run.reference, url=f"sqlite:///{running.records_db}")
    assert request is not None and request.for_whom == "loved_one"


def test_declining_keeps_nothing(setup):
    running, *_, env = setup
    replies = running.send("e2e-decline", "can someone call me back")
    assert any("Shall we start" in (r.get("text") or "") for r in replies)
    replies = running.send("e2e-decline", "Not now")
    assert any("Nothing from these questions is kept" in (r.get("text") or "") for r in replies)
    assert all(r.conversation_id != conversation_ids.rest("e2e-decline")
               for r in list_callbacks(url=f"sqlite:///{running.records_db}"))


def test_no_message_text_in_the_logs(setup):
    running, *_ = setup
    for log in running.logs:
        text = Path(log).read_text(errors="replace")
        assert "617-555-0142" not in text and "+16175550142" not in text


def test_under_18_gets_a_callback_only_and_corrections_and_skips_work(setup):
    running, *_, env = setup
    answers = {"intake_consent": "yes", "intake_for": "For me", "intake_age_group": "under 18", "intake_phone": "617-555-0142",
               "intake_cssrs_1": "no", "intake_cssrs_2": "no", "intake_cssrs_6": "no",
               "intake_name": "skip", "intake_best_time": "evening", "intake_contact_safety": "neither",
               "intake_confirmed": "Yes, send it"}
    run = run_pre_assessment(running, "e2e-teen", answers, opening="can someone call me",
                             before={"intake_best_time": ["actually my number is 617-555-0199"]})
    screen = ["intake_cssrs_1", "intake_cssrs_2", "intake_cssrs_6"]  # the suicide screen is never skipped for minors
    contact = ["intake_phone", "intake_name", "intake_best_time", "intake_contact_safety", "intake_confirmed"]
    assert run.asked in (["intake_consent", "intake_for", "intake_age_group", *screen, *contact],
                         ["intake_consent", "intake_age_group", *screen, *contact])
    assert run.reference is not None
    request = get_callback(run.reference, url=f"sqlite:///{running.records_db}")
    assert request is not None
    assert request.phone_e164 == "+16175550199"  # the correction
    assert request.first_name == "" and request.voicemail_ok is False and request.text_ok is False
    assert {a.question_id for a in request.answers} == {"intake_age_group", *screen, "intake_phone", "intake_name",
                                                        "intake_best_time", "intake_contact_safety"}
    assert any("call or text 988" in (r.get("text") or "") for r in run.replies[-1])  # crisis lines offered


def texts_of(replies) -> str:
    return " | ".join(r.get("text") or "" for r in replies)


def test_imminent_risk_stops_the_questions_and_offers_a_call(setup):
    """A yes to C-SSRS item 4: the crisis reply and the danger check at once, never the next question;
    staff get the event with the answer behind it; the call back takes only the number."""
    running, *_, env = setup
    answers = {**USUAL_PATH, "intake_cssrs_1": "yes", "intake_cssrs_2": "yes", "intake_cssrs_3": "yes",
               "intake_cssrs_4": "yes"}
    run = run_pre_assessment(running, "e2e-imminent", answers)
    assert run.reference is None and run.asked[-1] == "intake_cssrs_4"
    last = texts_of(run.replies[-1])
    assert "988" in last and "911" in last and "in danger right now?" in last
    assert "insurance" not in last.lower() and "pregnant" not in last.lower()
    replies = running.send("e2e-imminent", "/deny")
    assert "Can we call you?" in texts_of(replies)
    replies = running.send("e2e-imminent", "/affirm")
    assert "What number should our staff call?" in texts_of(replies)
    replies = running.send("e2e-imminent", "617-555-0142, Sam")
    assert "voicemail or send texts" in texts_of(replies)  # shared phones: asked before anything is stored
    replies = running.send("e2e-imminent", "Neither: just call")
    reference = next(r for r in list_callbacks(url=f"sqlite:///{running.records_db}")
                     if r.conversation_id == conversation_ids.rest("e2e-imminent")).reference
    assert reference in texts_of(replies) and "Our team" in texts_of(replies)
    shown = intake(running, "show", reference, env=env).stdout
    assert "URGENT" in shown and 'questions stopped by yes to C-SSRS "Intention to act"' in shown
    crises = intake(running, "crises", env=env).stdout
    assert "intake:intake_cssrs_4" in crises
    # Nothing resumes on its own: a greeting gets a greeting, not the insurance question.
    assert "insurance" not in texts_of(running.send("e2e-imminent", "hello")).lower()

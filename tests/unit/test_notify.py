"""Staff-notification settings, backoff and message content (no network: see tests/e2e/test_notifications.py)."""

import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from typing import Any, cast

import pytest
import yaml

from assistant.center import DEFAULT_PATH, Center, load_center
from assistant.db.models import CallbackRequest, CrisisEvent
from assistant.intake import notify

BASE: dict[str, Any] = {"name": "Harbor Recovery", "phone": "1", "hours": "h", "address": "a"}


def _config(**staff_notifications):
    return notify.load_config(Center(**BASE, staff_notifications=staff_notifications))


def test_default_config_has_no_targets():
    config = notify.load_config(load_center())
    assert (config.targets, config.max_attempts, config.interval_seconds) == ((), 12, 15.0)
    assert config.crisis_alert_window == timedelta(minutes=30)


def test_the_commented_example_in_center_yml_is_valid():
    lines = DEFAULT_PATH.read_text().splitlines()
    start = lines.index("# staff_notifications:")
    block = "\n".join(line[2:] for line in lines[start:] if line.startswith("# "))
    example = yaml.safe_load(block)["staff_notifications"]
    config = _config(**example)
    assert [(t.channel, t.target) for t in config.targets] == [
        ("smtp", "intake-team@example.org via smtp.example.org:587"),
        ("webhook", "https://chat.example.org/hooks/intake"),
    ]
    assert (config.max_attempts, config.interval_seconds, config.crisis_alert_window) == (12, 15.0, timedelta(minutes=30))
    assert _config(crisis_alert_window_minutes=5).crisis_alert_window == timedelta(minutes=5)


def test_stored_webhook_target_keeps_no_credentials_or_query():
    config = _config(webhook={"url": "https://user:pw@hooks.example.org:8443/in?token=abc"})
    assert config.targets[0].target == "https://hooks.example.org:8443/in"


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"smtp": {"host": "h", "from": "a@b", "to": ["c@d"], "password": "x"}}, "no secrets"),
        ({"webhook": {"url": "https://h/x", "secret": "x"}}, "no secrets"),
        ({"smtp": {"host": "h", "from": "a@b", "to": []}}, "required"),
        ({"smtp": {"host": "h", "from": "a", "to": "c", "username": "u", "password_env": "P", "starttls": False}}, "starttls"),
        ({"webhook": {"url": "file:///etc/passwd"}}, "http"),
        ({"webhook": {"url": "https://h/x", "headers": {}}}, "unknown keys headers"),
        ({"sms": {}}, "unknown keys sms"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"retry_interval_seconds": "soon"}, "retry_interval_seconds"),
        ({"crisis_alert_window_minutes": -1}, "crisis_alert_window_minutes"),
        ({"crisis_alert_window_minutes": "half an hour"}, "crisis_alert_window_minutes"),
    ],
)
def test_bad_settings_are_named(settings, problem):
    with pytest.raises(notify.NotifyConfigError, match=problem):
        _config(**settings)


def test_backoff_doubles_from_30_seconds_up_to_30_minutes():
    assert [notify.backoff(n) for n in range(1, 10)] == [
        timedelta(seconds=s) for s in (30, 60, 120, 240, 480, 960, 1800, 1800, 1800)
    ]


def test_the_message_holds_only_what_staff_need_to_open_the_request():
    class Request:  # the fields a CallbackRequest row has, and clinical ones that must not leak
        reference, priority, first_name, callback_window = "CB-7K3M9Q", "URGENT", "Dana", "today before 6 pm"
        phone_e164, triage_reasons, answers, scores = "+15550104477", '["positive suicide screen"]', ["fentanyl"], ["C-SSRS"]

    fields = notify.message_fields(cast(CallbackRequest, Request()), "Harbor Recovery")  # a stand-in row
    assert set(fields) == {"center", "priority", "first_name", "callback_window", "reference", "open_with"}
    text = notify.message_text(fields)
    for expected in ("Harbor Recovery", "URGENT", "Dana", "today before 6 pm", "Open it with: intake show CB-7K3M9Q"):
        assert expected in text
    for leaked in ("+1555", "suicide", "fentanyl", "C-SSRS"):
        assert leaked not in text


def test_a_crisis_alert_says_when_and_which_event_and_nothing_about_the_person():
    class Event:  # the fields a CrisisEvent row has: only id and time may be sent
        id, kind, detected_by = 12, "suicide", "rule:plan"
        conversation_id = "+15550104477"  # on SMS the conversation id is the phone number
        created_at = datetime(2025, 3, 3, 17, 5, tzinfo=timezone.utc)  # 12:05 in New York (EST)

    alert = notify.crisis_alert(cast(CrisisEvent, Event()), _config())  # a stand-in row
    assert alert == {"type": "crisis", "event_id": 12, "at": "2025-03-03T17:05:00+00:00", "center": "Harbor Recovery",
                     "text": alert["text"]}  # fmt: skip
    assert alert["text"].startswith("Harbor Recovery: A conversation needs review now (crisis path taken at 12:05).")
    for expected in ("#12", "Review with: intake crises", "intake transcript <conversation id>"):
        assert expected in alert["text"]
    for leaked in ("suicide", "rule:plan", "+1555", "5550104477"):
        assert leaked not in str(alert)
    assert "crisis" not in notify.CRISIS_SUBJECT.lower()


def test_with_console_url_a_crisis_alert_links_to_its_review_page_and_nothing_more(monkeypatch):
    class Event:
        id, kind, detected_by, conversation_id = 12, "overdose", "rule:took", "sms:5550104477"
        created_at = datetime(2025, 3, 3, 17, 5, tzinfo=timezone.utc)

    monkeypatch.setenv("CONSOLE_URL", "http://127.0.0.1:5080/")
    alert = notify.crisis_alert(cast(CrisisEvent, Event()), _config())
    assert "Review: http://127.0.0.1:5080/crises/12\n" in alert["text"]
    assert "5550104477" not in str(alert) and "overdose" not in str(alert)
    monkeypatch.setenv("CONSOLE_URL", "javascript:alert(1)")  # not an address: left out, the alert still goes
    assert "Review:" not in notify.crisis_alert(cast(CrisisEvent, Event()), _config())["text"]
    monkeypatch.delenv("CONSOLE_URL")
    assert "Review:" not in notify.crisis_alert(cast(CrisisEvent, Event()), _config())["text"]


def test_signature_is_the_hex_hmac_sha256_of_the_body():
    body = b'{"reference":"CB-7K3M9Q"}'
    assert notify.signature("s3cret", body) == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()


def test_a_missing_secret_environment_variable_is_an_error_not_an_unsigned_post(monkeypatch):
    monkeypatch.delenv("NO_SUCH_SECRET", raising=False)
    with pytest.raises(RuntimeError, match="NO_SUCH_SECRET"):
        notify._secret({"secret_env": "NO_SUCH_SECRET"}, "secret_env")

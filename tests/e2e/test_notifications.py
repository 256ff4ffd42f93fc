"""Staff notifications through a real local SMTP server and a real local webhook receiver, and with them down."""

import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from email import message_from_bytes
from email.policy import default as default_policy
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from assistant.center import Center
from assistant.db.callbacks import get_callback, save_callback_request
from assistant.db.crises import get_crisis_event, record_crisis_event
from assistant.db.outbox import notifications, undelivered_notifications
from assistant.intake import notify
from tests.intake_support import PHONE, SUBSTANCE_LABEL, WebhookServer, free_port, make_submission

SECRET = "webhook-test-secret"
NOTHING = {"sent": 0, "retrying": 0, "failed": 0}
CENTER: dict[str, Any] = {"name": "Harbor Recovery", "phone": "1", "hours": "h", "address": "a"}
NOT_IN_A_MESSAGE = (PHONE, "Alcohol", "Fentanyl", SUBSTANCE_LABEL, "AUDIT-C", "seizures", "weekday mornings")
# A crisis alert names neither the kind nor how it was detected, nor the conversation: on SMS its id is the phone number.
NOT_IN_AN_ALERT = ("suicide", "overdose", "rule:", PHONE, PHONE[2:])


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 OK"


class _SmtpServer:
    def __init__(self, port):
        self.inbox = _Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)

    def __enter__(self):
        self.controller.start()
        return self.inbox

    def __exit__(self, *exc):
        self.controller.stop()


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'records.db'}"


def _setup(url, level="URGENT", **staff_notifications):
    config = notify.load_config(Center(**CENTER, staff_notifications=staff_notifications))
    reference = save_callback_request(make_submission(level), config.targets, url=url)
    return config, reference, datetime.now(timezone.utc) + timedelta(seconds=1)


def test_smtp_notification_says_where_to_look_and_nothing_clinical(url):
    port = free_port()
    smtp = {"host": "127.0.0.1", "port": port, "from": "assistant@example.org", "to": ["intake@example.org"], "starttls": False}
    config, reference, now = _setup(url, smtp=smtp)
    with _SmtpServer(port) as inbox:
        assert notify.deliver_pending(now=now, url=url, config=config) == {"sent": 1, "retrying": 0, "failed": 0}
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["intake@example.org"]
    message = message_from_bytes(envelope.content, policy=default_policy)
    assert message["Subject"] == f"[URGENT] Call-back request {reference}"
    body = message.get_content()
    for expected in ("Harbor Recovery", "URGENT", "Dana", "today before 6 pm", f"Open it with: intake show {reference}"):
        assert expected in body
    for leaked in NOT_IN_A_MESSAGE:
        assert leaked not in envelope.content.decode()
    [sent] = notifications(url=url)
    assert (sent.status, sent.attempts, sent.delivered_at) == ("sent", 1, now)


def test_webhook_post_is_signed_and_minimal(url, monkeypatch):
    monkeypatch.setenv("TEST_WEBHOOK_SECRET", SECRET)
    port = free_port()
    webhook = {"url": f"http://127.0.0.1:{port}/intake", "secret_env": "TEST_WEBHOOK_SECRET"}
    config, reference, now = _setup(url, "HIGH", webhook=webhook)
    with WebhookServer(port) as received:
        assert notify.deliver_pending(now=now, url=url, config=config)["sent"] == 1
    [(path, headers, body)] = received
    assert path == "/intake" and headers["Content-Type"] == "application/json"
    assert headers["X-Signature"] == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    payload = json.loads(body)
    assert set(payload) == {"center", "priority", "first_name", "callback_window", "reference", "open_with", "text", "sent_at"}
    assert (payload["reference"], payload["priority"], payload["open_with"]) == (reference, "HIGH", f"intake show {reference}")
    for leaked in NOT_IN_A_MESSAGE:
        assert leaked not in body.decode()


def _crisis(url, **staff_notifications):
    config = notify.load_config(Center(**CENTER, staff_notifications=staff_notifications))
    event_id = record_crisis_event(PHONE, "suicide", "rule:plan", config.targets, config.crisis_alert_window, url=url)
    return config, event_id, datetime.now(timezone.utc) + timedelta(seconds=1)


def test_smtp_crisis_alert_has_a_neutral_subject_and_only_when_and_which_event(url):
    port = free_port()
    smtp = {"host": "127.0.0.1", "port": port, "from": "assistant@example.org", "to": ["oncall@example.org"], "starttls": False}
    config, event_id, now = _crisis(url, smtp=smtp)
    event = get_crisis_event(event_id, url=url)
    assert event is not None
    with _SmtpServer(port) as inbox:
        assert notify.deliver_pending(now=now, url=url, config=config) == {"sent": 1, "retrying": 0, "failed": 0}
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["oncall@example.org"]
    message = message_from_bytes(envelope.content, policy=default_policy)
    assert message["Subject"] == "A conversation needs review now"
    at = event.created_at.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M")
    body = message.get_content()
    assert body.startswith(f"Harbor Recovery: A conversation needs review now (crisis path taken at {at}).")
    for expected in (f"Crisis event: #{event_id}", "Review with: intake crises", "intake transcript <conversation id>"):
        assert expected in body
    for leaked in NOT_IN_AN_ALERT:
        assert leaked not in envelope.content.decode()
    [sent] = notifications(url=url)
    assert (sent.kind, sent.crisis_event_id, sent.status, sent.attempts) == ("crisis", event_id, "sent", 1)


def test_webhook_crisis_alert_is_signed_and_minimal(url, monkeypatch):
    monkeypatch.setenv("TEST_WEBHOOK_SECRET", SECRET)
    port = free_port()
    config, event_id, now = _crisis(url, webhook={"url": f"http://127.0.0.1:{port}/alerts", "secret_env": "TEST_WEBHOOK_SECRET"})
    with WebhookServer(port) as received:
        assert notify.deliver_pending(now=now, url=url, config=config)["sent"] == 1
    [(path, headers, body)] = received
    assert path == "/alerts" and headers["Content-Type"] == "application/json"
    assert headers["X-Signature"] == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    payload = json.loads(body)
    assert set(payload) == {"type", "event_id", "at", "center", "text", "sent_at"}
    event = get_crisis_event(event_id, url=url)
    assert event is not None
    assert (payload["type"], payload["event_id"], payload["at"]) == ("crisis", event_id, event.created_at.isoformat())
    assert "A conversation needs review now (crisis path taken at " in payload["text"]
    for leaked in NOT_IN_AN_ALERT:
        assert leaked not in body.decode()


def test_a_crisis_alert_with_its_target_down_keeps_the_event_and_is_retried(url):
    port = free_port()  # nothing listens there yet
    config, event_id, now = _crisis(url, webhook={"url": f"http://127.0.0.1:{port}/alerts"})
    assert notify.deliver_pending(now=now, url=url, config=config) == {"sent": 0, "retrying": 1, "failed": 0}
    event = get_crisis_event(event_id, url=url)
    assert event is not None and event.reviewed_at is None
    [waiting] = undelivered_notifications(url=url)
    assert (waiting.kind, waiting.status, waiting.attempts) == ("crisis", "pending", 1)
    assert waiting.last_error.startswith("URLError")
    with WebhookServer(port) as received:
        assert notify.deliver_pending(now=now + timedelta(seconds=30), url=url, config=config)["sent"] == 1
    assert [json.loads(body)["event_id"] for _, _, body in received] == [event_id]


def test_target_down_keeps_the_request_and_retries_after_the_backoff(url, monkeypatch):
    monkeypatch.setenv("TEST_WEBHOOK_SECRET", SECRET)
    port = free_port()  # nothing listens there yet
    config, reference, now = _setup(url, webhook={"url": f"http://127.0.0.1:{port}/intake", "secret_env": "TEST_WEBHOOK_SECRET"})

    assert notify.deliver_pending(now=now, url=url, config=config) == {"sent": 0, "retrying": 1, "failed": 0}
    request = get_callback(reference, url=url)
    assert request is not None and request.status == "new"
    [waiting] = undelivered_notifications(url=url)
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert waiting.next_attempt_at == now + timedelta(seconds=30) > now
    assert waiting.last_error.startswith("URLError") and "Dana" not in waiting.last_error

    with WebhookServer(port) as received:
        assert notify.deliver_pending(now=now + timedelta(seconds=29), url=url, config=config)["sent"] == 0  # not due yet
        assert notify.deliver_pending(now=now + timedelta(seconds=30), url=url, config=config)["sent"] == 1
    assert len(received) == 1
    assert undelivered_notifications(url=url) == []
    [sent] = notifications(url=url)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, None)


def test_after_max_attempts_it_is_marked_failed_and_still_listed(url):
    port = free_port()
    with WebhookServer(port, status=500):
        config, reference, now = _setup(url, webhook={"url": f"http://127.0.0.1:{port}/x"}, max_attempts=2)
        assert notify.deliver_pending(now=now, url=url, config=config)["retrying"] == 1
        assert notify.deliver_pending(now=now + timedelta(minutes=1), url=url, config=config)["failed"] == 1
        assert notify.deliver_pending(now=now + timedelta(hours=1), url=url, config=config) == NOTHING
    [given_up] = undelivered_notifications(url=url)
    assert (given_up.status, given_up.attempts, given_up.last_error) == ("failed", 2, "HTTP 500")
    assert get_callback(reference, url=url) is not None


def test_delivery_never_raises_into_the_caller(caplog):
    unreachable = f"postgresql://nobody@127.0.0.1:{free_port()}/records"
    config = notify.load_config(Center(**CENTER))
    assert notify.deliver_pending(url=unreachable, config=config) == NOTHING
    assert "OperationalError" in caplog.text

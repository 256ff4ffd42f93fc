"""Staff notifications for call-back requests and crisis alerts: an outbox sent by e-mail (SMTP) or webhook, with retries.

callbacks.save_callback_request() and crises.record_crisis_event() (assistant/db/) write one
pending notification per target in the same transaction as the request or the
crisis event; deliver_pending() sends the due ones, crisis alerts first.
A request message says only that a request is waiting (center name, priority,
first name, callback window, reference): staff read the rest with `intake show REF`.
A crisis alert says only that a conversation needs review now, when, and the
event id: not the kind of crisis, no message text, name or number.
Never substances, answers, scores or the phone number: mailboxes and chat
tools are no place for a 42 CFR Part 2 record.
With $CONSOLE_URL set (the staff console's address as staff open it, e.g.
https://intake.example.org), a crisis alert also links to the event's review
page, <CONSOLE_URL>/crises/<id>: a login is needed to see anything there.

Worker: `python -m assistant.intake.notify --loop` retries due notifications.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import logging
import os
import signal
import smtplib
import ssl
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from assistant import safe_logging
from assistant.center import Center, current_center
from assistant.db import outbox
from assistant.db.crises import DEFAULT_CRISIS_ALERT_WINDOW
from assistant.db.models import CallbackRequest, CrisisEvent, Notification
from assistant.private_files import private_umask

log = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 12
DEFAULT_INTERVAL_SECONDS = 15.0
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(minutes=30)
TIMEOUT_SECONDS = 10
# Longer than one send can take (several socket operations of TIMEOUT_SECONDS each).
CLAIM_LEASE = timedelta(minutes=5)

SMTP_KEYS = {"host", "port", "from", "to", "starttls", "username", "password_env"}
WEBHOOK_KEYS = {"url", "secret_env"}
TOP_KEYS = {"smtp", "webhook", "max_attempts", "retry_interval_seconds", "crisis_alert_window_minutes"}
# Neutral: a subject line shows on lock screens and in mailbox lists.
CRISIS_SUBJECT = "A conversation needs review now"


class NotifyConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    channel: str  # "smtp" | "webhook"
    target: str  # where to, as stored in the outbox and shown to staff: never a secret
    settings: Mapping  # the block from center.yml


@dataclass(frozen=True)
class NotifyConfig:
    center_name: str
    targets: tuple[Target, ...] = ()
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    interval_seconds: float = DEFAULT_INTERVAL_SECONDS
    crisis_alert_window: timedelta = DEFAULT_CRISIS_ALERT_WINDOW
    timezone: str = "America/New_York"  # of the center: an alert's HH:MM is local time
    console_url: str | None = None  # $CONSOLE_URL without a trailing "/": crisis alerts link to their review page


def console_url() -> str | None:
    """$CONSOLE_URL, an http(s) address without a trailing "/"; None when unset or not such an address."""
    value = os.environ.get("CONSOLE_URL", "").strip().rstrip("/")
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        # Logged, not raised: a typo here must not cost a crisis alert (actions/safety.py drops targets on errors).
        log.warning("CONSOLE_URL is not an http(s) address (e.g. https://intake.example.org): alerts go without a link")
        return None
    return value


def load_config(center: Center | None = None) -> NotifyConfig:
    """The notification settings of center.yml's `staff_notifications`; NotifyConfigError names what is wrong."""
    center = center or current_center()
    raw = center.staff_notifications or {}
    _no_unknown_keys("staff_notifications", raw, TOP_KEYS)
    targets = []
    if raw.get("smtp"):
        targets.append(_smtp_target(raw["smtp"]))
    if raw.get("webhook"):
        targets.append(_webhook_target(raw["webhook"]))
    max_attempts = raw.get("max_attempts", DEFAULT_MAX_ATTEMPTS)
    interval = raw.get("retry_interval_seconds", DEFAULT_INTERVAL_SECONDS)
    window = raw.get("crisis_alert_window_minutes", DEFAULT_CRISIS_ALERT_WINDOW / timedelta(minutes=1))
    if not isinstance(max_attempts, int) or max_attempts < 1:
        raise NotifyConfigError("staff_notifications.max_attempts: a whole number, 1 or more")
    if not isinstance(interval, (int, float)) or interval <= 0:
        raise NotifyConfigError("staff_notifications.retry_interval_seconds: a number of seconds above 0")
    if isinstance(window, bool) or not isinstance(window, (int, float)) or window < 0:
        raise NotifyConfigError("staff_notifications.crisis_alert_window_minutes: a number of minutes, 0 or more")
    return NotifyConfig(center.name, tuple(targets), max_attempts, float(interval), timedelta(minutes=window), center.timezone,
                        console_url())


def configured_targets(center: Center | None = None) -> list[Target]:
    """What save_callback_request() and record_crisis_event() need: one outbox row per target."""
    return list(load_config(center).targets)


def _no_unknown_keys(where: str, raw, known: set[str]) -> None:
    if not isinstance(raw, Mapping):
        raise NotifyConfigError(f"{where}: expected a mapping")
    if "password" in raw or "secret" in raw:
        raise NotifyConfigError(f"{where}: no secrets in center.yml; name the environment variable that holds it (*_env)")
    unknown = sorted(set(raw) - known)
    if unknown:
        raise NotifyConfigError(f"{where}: unknown keys {', '.join(unknown)}")


def _smtp_target(raw) -> Target:
    _no_unknown_keys("staff_notifications.smtp", raw, SMTP_KEYS)
    to = [raw["to"]] if isinstance(raw.get("to"), str) else list(raw.get("to") or [])
    if not raw.get("host") or not raw.get("from") or not to:
        raise NotifyConfigError("staff_notifications.smtp: host, from and to are required")
    starttls = raw.get("starttls", True)
    if raw.get("username") and not (starttls and raw.get("password_env")):
        raise NotifyConfigError("staff_notifications.smtp: a username needs starttls: true and password_env")
    settings = {**raw, "to": to, "starttls": starttls, "port": int(raw.get("port") or (587 if starttls else 25))}
    return Target("smtp", f"{', '.join(to)} via {settings['host']}:{settings['port']}"[:255], settings)


def _webhook_target(raw) -> Target:
    _no_unknown_keys("staff_notifications.webhook", raw, WEBHOOK_KEYS)
    parts = urlsplit(str(raw.get("url") or ""))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NotifyConfigError("staff_notifications.webhook.url: an http(s) URL is required")
    # Userinfo and query strings can carry tokens: the stored target keeps neither.
    port = f":{parts.port}" if parts.port else ""
    return Target("webhook", f"{parts.scheme}://{parts.hostname}{port}{parts.path}"[:255], dict(raw))


def backoff(attempts: int) -> timedelta:
    """Wait after the n-th failed attempt: 30 s, 1, 2, 4 ... minutes, at most 30 minutes."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), MAX_RETRY)


def message_fields(request: CallbackRequest, center_name: str) -> dict[str, str]:
    """Everything a notification may say; nothing clinical, no phone number."""
    return {
        "center": center_name,
        "priority": request.priority,
        "first_name": request.first_name,
        "callback_window": request.callback_window,
        "reference": request.reference,
        "open_with": f"intake show {request.reference}",
    }


def message_text(fields: Mapping[str, str]) -> str:
    return (
        f"{fields['center']}: a call-back request is waiting.\n\n"
        f"Priority: {fields['priority']}\n"
        f"First name: {fields['first_name']}\n"
        f"Call back: {fields['callback_window']}\n"
        f"Reference: {fields['reference']}\n\n"
        f"Open it with: {fields['open_with']}\n"
    )


def crisis_alert(event: CrisisEvent, config: NotifyConfig) -> dict:
    """The webhook payload of a crisis alert (its text is the e-mail body): when and which event, nothing more.

    No conversation id: on SMS it is the person's phone number; `intake crises` shows it to staff.
    """
    at = event.created_at.astimezone(ZoneInfo(config.timezone)).strftime("%H:%M")
    console = f"Review: {config.console_url}/crises/{event.id}\n" if config.console_url else ""
    text = (
        f"{config.center_name}: A conversation needs review now (crisis path taken at {at}).\n\n"
        f"Crisis event: #{event.id}\n"
        f"{console}"
        "Review with: intake crises\n"
        "Read it with: intake transcript <conversation id> (the id is in the list)\n"
    )
    return {"type": "crisis", "event_id": event.id, "at": event.created_at.isoformat(), "center": config.center_name,
            "text": text}


def _message(notification: Notification, config: NotifyConfig) -> tuple[str, dict]:
    """(e-mail subject, webhook payload); the payload's text is the e-mail body."""
    if notification.kind == "crisis":
        return CRISIS_SUBJECT, crisis_alert(notification.crisis_event, config)
    fields = message_fields(notification.request, config.center_name)
    return f"[{fields['priority']}] Call-back request {fields['reference']}", {**fields, "text": message_text(fields)}


def _secret(settings: Mapping, key: str) -> str | None:
    name = settings.get(key)
    if not name:
        return None
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"environment variable {name} is not set")
    return value


def _send_smtp(settings: Mapping, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = settings["from"]
    message["To"] = ", ".join(settings["to"])
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings["host"], settings["port"], timeout=TIMEOUT_SECONDS) as smtp:
        if settings["starttls"]:
            smtp.starttls(context=ssl.create_default_context())
        if settings.get("username"):
            password = _secret(settings, "password_env")
            assert password is not None  # a username comes with password_env (checked on loading); unset, _secret raised
            smtp.login(settings["username"], password)
        smtp.send_message(message)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirected POST turns into a GET without the body: count it as a failure instead.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _send_webhook(settings: Mapping, payload: Mapping, now: datetime) -> None:
    # sent_at is signed with the rest, so a receiver can refuse replays.
    body = json.dumps({**payload, "sent_at": now.isoformat()}, sort_keys=True, separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "recovery-assistant-notify"}
    secret = _secret(settings, "secret_env")
    if secret:
        headers["X-Signature"] = signature(secret, body)
    request = urllib.request.Request(settings["url"], data=body, headers=headers, method="POST")
    with _OPENER.open(request, timeout=TIMEOUT_SECONDS):
        pass  # any 2xx; urllib raises HTTPError for the rest


def _describe(exc: Exception) -> str:
    """A short reason for last_error: the kind of failure, never what the message said."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"SMTP {exc.smtp_code}"
    if isinstance(exc, urllib.error.URLError):
        return f"URLError: {exc.reason}"[:200]
    return f"{type(exc).__name__}: {exc}"[:200]


def _deliver_one(notification: Notification, now: datetime, url: str | None, config: NotifyConfig) -> str | None:
    if not outbox.claim_notification(notification.id, now, CLAIM_LEASE, url):
        return None  # another sender has it
    about = f"crisis event {notification.crisis_event_id}" if notification.kind == "crisis" else notification.request.reference
    label = f"notification {notification.id} for {about} via {notification.channel}"
    target = next((t for t in config.targets if t.channel == notification.channel), None)
    try:
        if target is None:
            raise LookupError(f"no {notification.channel} target configured")
        subject, payload = _message(notification, config)
        if target.channel == "smtp":
            _send_smtp(target.settings, subject, payload["text"])
        else:
            _send_webhook(target.settings, payload, now)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried; the request or event is safe
        attempts = notification.attempts + 1
        retry_at = now + backoff(attempts) if attempts < config.max_attempts else None
        outbox.record_attempt(notification.id, now, _describe(exc), retry_at, url)
        if retry_at is None:
            log.warning("%s: gave up after %d attempts", label, attempts)
            return "failed"
        log.info("%s: attempt %d failed, next at %s", label, attempts, retry_at.isoformat())
        return "retrying"
    outbox.record_attempt(notification.id, now, url=url)
    log.info("%s: sent", label)
    return "sent"


def deliver_pending(now: datetime | None = None, url: str | None = None, config: NotifyConfig | None = None) -> dict[str, int]:
    """Send every due pending notification; returns counts of sent, retrying and failed (given up).

    Never raises: whatever goes wrong, the request or crisis event stays stored
    and its notifications stay in the outbox for the next run.
    """
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    try:
        config = config or load_config()
        now = now or datetime.now(timezone.utc)
        for notification in outbox.pending_notifications(now, url):
            outcome = _deliver_one(notification, now, url, config)
            if outcome:
                counts[outcome] += 1
    except Exception as exc:  # noqa: BLE001 - callers store a request or crisis event first; delivery must not undo that
        log.error("notification delivery stopped: %s (the outbox keeps what is not sent)", type(exc).__name__)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.intake.notify", description="Send due staff notifications.")
    parser.add_argument("--loop", action="store_true", help="keep retrying due notifications until stopped")
    parser.add_argument("--interval", type=float, help="seconds between runs (default: center.yml, else 15)")
    args = parser.parse_args(argv)
    private_umask()  # the outbox lives in the records database: owner-only, like everything under var/
    safe_logging.install()  # one record, one line: control characters in what is logged are escaped
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = load_config()
    except NotifyConfigError as exc:
        log.error("%s", exc)
        return 2
    channels = ", ".join(t.channel for t in config.targets)
    log.info("targets: %s", channels or "none (only `intake callbacks` and `intake crises` list them)")
    interval = args.interval or config.interval_seconds
    # Stopped by a service manager: leave like Ctrl-C (a send cut short is retried after its claim lease).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            counts = deliver_pending(config=config)
            if any(counts.values()):
                log.info("sent %(sent)d, retrying %(retrying)d, gave up %(failed)d", counts)
            if not args.loop:
                return 0
            time.sleep(interval)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())

"""Staff notifications for call-back requests: an outbox sent by e-mail (SMTP) or webhook, with retries.

records.save_callback_request() writes one pending notification per target in
the same transaction as the request; deliver_pending() sends the due ones.
A message says only that a request is waiting (center name, priority, first
name, callback window, reference): staff read the rest with `intake show REF`.
Never substances, answers, scores or the phone number: mailboxes and chat
tools are no place for a 42 CFR Part 2 record.

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

from assistant import records
from assistant.center import Center, current_center

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
TOP_KEYS = {"smtp", "webhook", "max_attempts", "retry_interval_seconds"}


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
    if not isinstance(max_attempts, int) or max_attempts < 1:
        raise NotifyConfigError("staff_notifications.max_attempts: a whole number, 1 or more")
    if not isinstance(interval, (int, float)) or interval <= 0:
        raise NotifyConfigError("staff_notifications.retry_interval_seconds: a number of seconds above 0")
    return NotifyConfig(center.name, tuple(targets), max_attempts, float(interval))


def configured_targets(center: Center | None = None) -> list[Target]:
    """What save_callback_request() needs: one outbox row per target."""
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


def message_fields(request: records.CallbackRequest, center_name: str) -> dict[str, str]:
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


def _secret(settings: Mapping, key: str) -> str | None:
    name = settings.get(key)
    if not name:
        return None
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"environment variable {name} is not set")
    return value


def _send_smtp(settings: Mapping, fields: Mapping[str, str]) -> None:
    message = EmailMessage()
    message["From"] = settings["from"]
    message["To"] = ", ".join(settings["to"])
    message["Subject"] = f"[{fields['priority']}] Call-back request {fields['reference']}"
    message.set_content(message_text(fields))
    with smtplib.SMTP(settings["host"], settings["port"], timeout=TIMEOUT_SECONDS) as smtp:
        if settings["starttls"]:
            smtp.starttls(context=ssl.create_default_context())
        if settings.get("username"):
            smtp.login(settings["username"], _secret(settings, "password_env"))
        smtp.send_message(message)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirected POST turns into a GET without the body: count it as a failure instead.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _send_webhook(settings: Mapping, fields: Mapping[str, str], now: datetime) -> None:
    # sent_at is signed with the rest, so a receiver can refuse replays.
    payload = {**fields, "text": message_text(fields), "sent_at": now.isoformat()}
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
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


def _deliver_one(notification: records.Notification, now: datetime, url: str | None, config: NotifyConfig) -> str | None:
    if not records.claim_notification(notification.id, now, CLAIM_LEASE, url):
        return None  # another sender has it
    label = f"notification {notification.id} for {notification.request.reference} via {notification.channel}"
    target = next((t for t in config.targets if t.channel == notification.channel), None)
    try:
        if target is None:
            raise LookupError(f"no {notification.channel} target configured")
        fields = message_fields(notification.request, config.center_name)
        if target.channel == "smtp":
            _send_smtp(target.settings, fields)
        else:
            _send_webhook(target.settings, fields, now)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried; the request is safe
        attempts = notification.attempts + 1
        retry_at = now + backoff(attempts) if attempts < config.max_attempts else None
        records.record_attempt(notification.id, now, _describe(exc), retry_at, url)
        if retry_at is None:
            log.warning("%s: gave up after %d attempts", label, attempts)
            return "failed"
        log.info("%s: attempt %d failed, next at %s", label, attempts, retry_at.isoformat())
        return "retrying"
    records.record_attempt(notification.id, now, url=url)
    log.info("%s: sent", label)
    return "sent"


def deliver_pending(now: datetime | None = None, url: str | None = None, config: NotifyConfig | None = None) -> dict[str, int]:
    """Send every due pending notification; returns counts of sent, retrying and failed (given up).

    Never raises: whatever goes wrong, the request stays stored and its
    notifications stay in the outbox for the next run.
    """
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    try:
        config = config or load_config()
        now = now or datetime.now(timezone.utc)
        for notification in records.pending_notifications(now, url):
            outcome = _deliver_one(notification, now, url, config)
            if outcome:
                counts[outcome] += 1
    except Exception as exc:  # noqa: BLE001 - callers save a request first; delivery must not undo that
        log.error("notification delivery stopped: %s (the outbox keeps what is not sent)", type(exc).__name__)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.intake.notify", description="Send due staff notifications.")
    parser.add_argument("--loop", action="store_true", help="keep retrying due notifications until stopped")
    parser.add_argument("--interval", type=float, help="seconds between runs (default: center.yml, else 15)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = load_config()
    except NotifyConfigError as exc:
        log.error("%s", exc)
        return 2
    channels = ", ".join(t.channel for t in config.targets)
    log.info("targets: %s", channels or "none (requests are only listed by `intake callbacks`)")
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

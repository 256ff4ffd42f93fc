"""Submissions built directly, throwaway databases and a local webhook receiver, for the intake tests."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy
from sqlalchemy.engine import make_url

from assistant.intake.submission import Answer, Level, Score, Submission, Triage
from tests.markers import require_marker

SUBSTANCE_LABEL = "Alcohol, Fentanyl"
PHONE = "+15550104477"


def make_submission(level: Level = "ROUTINE", first_name: str = "Dana", **changes) -> Submission:
    submission = Submission(
        conversation_id="conv-test",
        for_whom="self",
        first_name=first_name,
        phone_e164=PHONE,
        best_time="weekday mornings",
        voicemail_ok=True,
        text_ok=False,
        answers=(
            Answer("intake_age_group", "26_64", "26 to 64", "D2"),
            Answer("intake_substances", ["alcohol", "fentanyl"], SUBSTANCE_LABEL, "D1"),
            Answer("intake_audit_c_1", "4_plus_week", "4 or more times a week", "D4"),
            Answer("intake_pregnancy", "skipped", "skipped", "D2"),
            Answer("intake_phone", PHONE, PHONE, None),
        ),
        scores=(
            Score("AUDIT-C", 9, 12, True, "cut-off 3 (women) / 4 (men)"),
            Score("PHQ-2", None, 6, None, "items skipped"),
        ),
        triage=Triage(level, ("daily alcohol use with past withdrawal seizures",) if level != "ROUTINE" else ()),
        crisis_flag=level == "URGENT",
        same_day=level != "ROUTINE",
        consent_notice_version="2025-01",
        callback_window="today before 6 pm",
        consent_at=datetime(2025, 3, 3, 14, 0, tzinfo=timezone.utc),
    )
    return replace(submission, **changes)


PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def fresh_postgres_database():
    """A uniquely named, empty PostgreSQL database for one test, dropped afterwards; skips without PostgreSQL."""
    require_marker("postgres", "uses PostgreSQL")  # tests/markers.py: so `-m "not postgres"` leaves it out
    admin = sqlalchemy.create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        admin.connect().close()
    except sqlalchemy.exc.OperationalError:
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} (set TEST_POSTGRES_URL)")
    name = f"intake_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        # FORCE: the cached engine of assistant.db.engine.engine_for() still holds pooled connections.
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class WebhookServer:
    """Records each POST; answers with `status`."""

    def __init__(self, port, status=204):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server's hook name
                received.append((self.path, dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.received

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

"""Start the staff console as a real process (`python -m console`, waitress) on a free port.

Used by the browser tests (tests/browser/test_console*.py), `make screenshots` and
the benchmark. The records and tracker databases are SQLite files in a work folder
unless given (e.g. the ones a running assistant writes, for the end-to-end test).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from evaluation.server import ROOT, free_port

# Rasa 3.6's SQLTrackerStore table (rasa/core/tracker_store.py): the console reads a tracker
# file that exists; a fresh work folder gets an empty one, as Rasa would create it.
EVENTS_TABLE = """CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"""
READY_PATH = "/login"


@dataclass
class RunningConsole:
    url: str  # http://127.0.0.1:<port>
    records_url: str
    tracker_url: str
    log: Path
    process: subprocess.Popen
    startup_seconds: float = 0.0

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def prepare_databases(records_url: str, tracker_url: str) -> None:
    """Records migrated to the newest schema (here, not racing the console's first request), and a tracker table."""
    from assistant.db.engine import engine_for

    engine_for(records_url)
    if tracker_url.startswith("sqlite:///"):
        path = Path(tracker_url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            db.execute(EVENTS_TABLE)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the console exited ({process.returncode}); log:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + READY_PATH, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the console did not answer in {seconds:.0f} s; log:\n{log.read_text()[-3000:]}")


def start_console(workdir: Path, records_url: str | None = None, tracker_url: str | None = None,
                  env: dict[str, str] | None = None, seconds: float = 60) -> RunningConsole:
    """The console on 127.0.0.1:<free port>; `env` adds or overrides CONSOLE_* settings (console/settings.py)."""
    started = time.perf_counter()
    workdir.mkdir(parents=True, exist_ok=True)
    records_url = records_url or sqlite_url(workdir / "records.db")
    tracker_url = tracker_url or sqlite_url(workdir / "tracker.db")
    prepare_databases(records_url, tracker_url)
    port = free_port()
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "ASSISTANT_DATABASE_URL": records_url,
                "TRACKER_DATABASE_URL": tracker_url, "CONSOLE_HOST": "127.0.0.1", "CONSOLE_PORT": str(port),
                **(env or {})}
    log = workdir / f"console-{port}.log"
    with open(log, "w", opener=lambda name, flags: os.open(name, flags, 0o600)) as out:  # it may name requests
        process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "python"), "-m", "console"], cwd=ROOT, env=full_env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    running = RunningConsole(f"http://127.0.0.1:{port}", records_url, tracker_url, log, process)
    try:
        _wait_until_up(running.url, process, log, seconds)
    except Exception:
        running.stop()
        raise
    running.startup_seconds = time.perf_counter() - started
    return running


def seed_demo(records_url: str, tracker_url: str, requests: int = 60) -> str:
    """assistant/demo_data.py's synthetic requests, conversations and crises, the demo accounts (demo-coordinator,
    demo-clinician, demo-admin), and a flagged reply and a tag so no page is empty; returns the accounts' password."""
    from assistant import demo_data
    from assistant.db import flags
    from assistant.db.staff import add_user, get_user, reset_password
    from rasa_ext.transcripts import read_transcript

    prepare_databases(records_url, tracker_url)
    demo_data.fill(records_url, tracker_url, requests=requests)
    password = demo_data.demo_password()
    for name, role in demo_data.DEMO_ACCOUNTS:
        if get_user(name, url=records_url) is None:
            add_user(name, role, password, url=records_url)
        else:
            reset_password(name, password, url=records_url)
    clinician = next(name for name, role in demo_data.DEMO_ACCOUNTS if role == "clinician")
    conversation = demo_data.XSS_CONVERSATION_ID
    reply = next(turn for turn in read_transcript(conversation, url=tracker_url) if turn.speaker == "assistant")
    flags.flag_reply(conversation, reply.event_id, "wrong", "Demo: the answer missed the question.", clinician,
                     url=records_url)
    flags.tag_conversation(conversation, "escaping check", clinician, url=records_url)
    return password


def demo_pages(records_url: str) -> list[tuple[str, str, int]]:
    """Every page an admin sees on demo data (seed_demo): (name, path, the status it answers with)."""
    from sqlalchemy import select

    from assistant.db.engine import open_session
    from assistant.db.models import CallbackRequest, CrisisEvent
    from assistant.demo_data import XSS_CONVERSATION_ID

    with open_session(records_url) as db:
        reference = db.scalars(select(CallbackRequest.reference)
                               .where(CallbackRequest.conversation_id == XSS_CONVERSATION_ID)).one()
        crisis = db.scalars(select(CrisisEvent.id).where(CrisisEvent.reviewed_at.is_(None)).order_by(CrisisEvent.id)).first()
    return [("queue", "/queue", 200), ("request", f"/requests/{reference}", 200), ("account", "/account", 200),
            ("totp-setup", "/login/code/setup", 200), ("crises", "/crises", 200), ("crisis", f"/crises/{crisis}", 200),
            ("conversations", "/conversations", 200), ("conversation", f"/conversations/{XSS_CONVERSATION_ID}", 200),
            ("flagged", "/conversations/flagged", 200), ("admin-users", "/admin/users", 200),
            ("admin-audit", "/admin/audit", 200), ("admin-settings", "/admin/settings", 200),
            ("error-404", "/requests/CB-ZZZZZZ", 404)]


@contextlib.contextmanager
def console_running(workdir: Path, **options) -> Iterator[RunningConsole]:
    """start_console(...) for a `with` block: stopped at its end, whatever happened."""
    running = start_console(workdir, **options)
    try:
        yield running
    finally:
        running.stop()

"""The staff console's speed: `make bench ARGS=--console` (and part of the whole `make bench`).

Databases filled with 10,000 call-back requests (bulk inserts, realistic
answers, scores, history and notes) and a tracker store holding their
conversations and one 300-turn conversation; then the queue (first page, a
filtered page, a name search, a phone search) and that long request's page, 50
times each after warm-up: in-process (Flask's test client: server time, no
network) and over HTTP (`python -m console`, waitress, on loopback). On SQLite,
then on PostgreSQL (records and tracker store both on the same kind).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import requests
import yaml
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, insert, select
from sqlalchemy.engine import URL

from assistant.db import models
from assistant.db.callbacks import REFERENCE_ALPHABET
from assistant.db.engine import engine_for
from assistant.intake.questions import catalog
from bench.run import latency_summary
from evaluation.console_server import console_running
from evaluation.nlu import load_heldout
from evaluation.server import POSTGRES, ROOT, create_database, drop_database

REPORT = ROOT / "reports" / "console.json"
TARGET_P95_MS = {"queue": 150, "request": 200}  # from the issue, on this machine
REQUESTS = 10_000
LONG_TURNS = 300  # the person's messages in the long conversation (each with the assistant's reply)
WARMUP, RUNS = 5, 50
PASSWORD = "correct horse battery staple 7"
NAME_SEARCH, PHONE_SEARCH = "mar", "555-0142"
LONG_CONVERSATION = "bench-web-long-transcript"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

# Rasa 3.6's SQLTrackerStore table (rasa/core/tracker_store.py SQLEvent), with its index on sender_id.
TRACKER = MetaData()
EVENTS = Table("events", TRACKER, Column("id", Integer, primary_key=True),
               Column("sender_id", String(255), nullable=False, index=True),
               Column("type_name", String(255), nullable=False), Column("timestamp", Float),
               Column("intent_name", String(255)), Column("action_name", String(255)), Column("data", Text))

# (status, weight, calls made): about half the queue still open, as in a busy center.
STATUS_MIX = (("new", 30, 0), ("no_answer", 12, 2), ("unable_to_reach", 4, 3), ("contacted", 8, 1),
              ("scheduled", 22, 1), ("closed", 24, 2))
LEVEL_MIX = (("URGENT", 10, timedelta(hours=2)), ("HIGH", 30, timedelta(hours=8)), ("ROUTINE", 60, timedelta(days=2)))
STAFF = ("jordan", "casey", "riley", "morgan")


# --- filling the databases -------------------------------------------------------------------------

def _names() -> list[str]:
    lines = (ROOT / "assistant" / "first_names.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip().capitalize() for line in lines if line.strip() and not line.startswith("#")]


def _answer_choices() -> list[tuple[str, str | None, list[tuple[str, str]]]]:
    """(question id, ASAM dimension, options) of the catalog's multiple-choice questions."""
    return [(q.id, q.asam, [(o.value, o.label) for o in q.options]) for q in catalog().questions.values()
            if q.kind in ("single", "multi") and q.options and q.id not in ("intake_consent", "intake_confirmed")]


def _request_rows(rng: random.Random, count: int, now: datetime) -> list[dict]:
    names, references, rows = _names(), dict[str, None](), []  # a dict: unique, in a repeatable order
    while len(references) < count:
        references["CB-" + "".join(rng.choices(REFERENCE_ALPHABET, k=6))] = None
    for i, reference in enumerate(references):
        status, _, calls = rng.choices(STATUS_MIX, weights=[w for _, w, _ in STATUS_MIX])[0]
        level, _, window = rng.choices(LEVEL_MIX, weights=[w for _, w, _ in LEVEL_MIX])[0]
        created = now - timedelta(minutes=rng.randrange(5, 180 * 24 * 60))
        voicemail = rng.choice((True, False, None))
        rows.append({
            "reference": reference, "conversation_id": LONG_CONVERSATION if i == 0 else f"bench-web-{i:05d}",
            "status": status, "priority": level, "priority_rank": models.PRIORITY_RANK[level],  # type: ignore[index]
            "for_whom": rng.choices(("self", "loved_one"), weights=(3, 1))[0], "first_name": rng.choice(names),
            "phone_e164": f"+1{rng.choice(('702', '775', '415', '602', '801'))}55501{rng.randrange(100):02d}",
            "best_time": rng.choice(("morning", "afternoon", "evening", "any time")), "voicemail_ok": voicemail,
            "text_ok": rng.choice((True, False, None)), "callback_window": "today before 6 pm",
            "crisis_flag": level == "URGENT" and rng.random() < 0.5, "same_day": level != "ROUTINE",
            "triage_reasons": json.dumps(["daily alcohol use with past withdrawal seizures"] if level != "ROUTINE" else []),
            "consent_notice_version": "2025-06-intake-1", "consent_at": created - timedelta(minutes=4),
            "created_at": created, "updated_at": created, "due_at": created + window,
            "claimed_by": rng.choice(STAFF) if status in ("new", "no_answer") and rng.random() < 0.03 else None,
            "claimed_at": None, "attempts": calls,
            "unanswered_attempts": calls if status in ("no_answer", "unable_to_reach") else 0,
        })  # fmt: skip
        if rows[-1]["claimed_by"]:
            rows[-1]["claimed_at"] = now - timedelta(minutes=rng.randrange(1, 30))
    return rows


def _details(rng: random.Random, request: dict, request_id: int, choices: list) -> dict[str, list[dict]]:
    """A request's answers (about 20, as the usual path asks), scores, history, notification and notes."""
    answers = [{"request_id": request_id, "position": position, "question_id": qid, "asam_dimension": asam,
                "value": json.dumps(value), "label": label}
               for position, (qid, asam, options) in enumerate(rng.sample(choices, 18))
               for value, label in [rng.choice(options)]]
    phone = request["phone_e164"]
    answers += [{"request_id": request_id, "position": 18, "question_id": "intake_phone", "asam_dimension": None,
                 "value": json.dumps(phone), "label": phone},
                {"request_id": request_id, "position": 19, "question_id": "intake_name", "asam_dimension": None,
                 "value": json.dumps(request["first_name"]), "label": request["first_name"]}]
    scores = [{"request_id": request_id, "instrument": name, "score": score, "max_score": top,
               "positive": score >= cut, "detail": f"cut-off {cut}"}
              for name, top, cut in (("AUDIT-C", 12, 4), ("PHQ-2", 6, 3), ("GAD-2", 6, 3))
              for score in [rng.randrange(top + 1)]]
    created = request["created_at"]
    history = [{"request_id": request_id, "from_status": None, "to_status": "new", "changed_by": "assistant",
                "changed_at": created, "outcome": None, "scheduled_for": None}]
    for call in range(request["attempts"]):
        last = call == request["attempts"] - 1
        history.append({"request_id": request_id, "from_status": history[-1]["to_status"],
                        "to_status": request["status"] if last else "no_answer", "changed_by": rng.choice(STAFF),
                        "changed_at": created + timedelta(hours=call + 1), "outcome": "reached" if last else "no_answer",
                        "scheduled_for": None})
    notification = {"request_id": request_id, "channel": "smtp", "target": "intake@center.example", "status": "sent",
                    "attempts": 1, "next_attempt_at": created, "created_at": created, "delivered_at": created}
    notes = [{"request_id": request_id, "author": rng.choice(STAFF), "at": created + timedelta(hours=1),
              "note": "Left a message with the front desk; prefers a call after 5 pm."}] if request["attempts"] else []
    return {"intake_answers": answers, "screening_scores": scores, "status_changes": history,
            "notifications": [notification], "request_notes": notes}


def fill_records(url: str, count: int = REQUESTS, seed: int = 7) -> tuple[str, float]:
    """`count` requests with their details, in batches of bulk inserts; (the long conversation's reference, seconds)."""
    rng, choices = random.Random(seed), _answer_choices()
    engine = engine_for(url)  # migrated here, outside the timing
    rows = _request_rows(rng, count, models.utc_now())
    start = time.perf_counter()
    requests_table = models.CallbackRequest.__table__
    for first in range(0, count, 1000):
        batch = rows[first:first + 1000]
        with engine.begin() as connection:
            connection.execute(insert(requests_table), batch)
            ids = dict(connection.execute(select(requests_table.c.reference, requests_table.c.id)
                                          .where(requests_table.c.reference.in_([r["reference"] for r in batch]))).all())
            children: dict[str, list[dict]] = {}
            for request in batch:
                for table, items in _details(rng, request, ids[request["reference"]], choices).items():
                    children.setdefault(table, []).extend(items)
            for table, items in children.items():
                if items:
                    connection.execute(insert(models.Base.metadata.tables[table]), items)
    return rows[0]["reference"], time.perf_counter() - start


def _tracker_texts() -> tuple[list[str], list[str]]:
    """What people say (the held-out messages) and what the assistant answers (the domain's responses)."""
    replies = []
    for path in sorted((ROOT / "domain").glob("*.yml")):
        for variants in ((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}).values():
            replies += [v["text"] for v in variants if isinstance(v, dict) and v.get("text")]
    return [text for text, _ in load_heldout()], replies


def _turn_events(sender: str, at: float, said: str, reply: str, intent: str = "ask_question") -> list[dict]:
    """One turn as Rasa stores it: the message (with its parse), the action, the reply, action_listen."""
    ranking = [{"name": f"intent_{n}", "confidence": round(0.9 / (n + 1), 4)} for n in range(10)]
    user = {"event": "user", "timestamp": at, "metadata": {}, "text": said, "input_channel": "webchat",
            "message_id": uuid.uuid4().hex,
            "parse_data": {"intent": {"name": intent, "confidence": 0.93}, "entities": [], "text": said,
                           "message_id": uuid.uuid4().hex, "metadata": {}, "intent_ranking": ranking}}
    bot = {"event": "bot", "timestamp": at + 0.2, "metadata": {"utter_action": "utter_answer"}, "text": reply,
           "data": {"elements": None, "quick_replies": None, "buttons": None, "attachment": None, "image": None,
                    "custom": None}}
    action = {"event": "action", "name": "utter_answer", "policy": "RulePolicy", "confidence": 1.0}
    listen = {"event": "action", "name": "action_listen", "policy": "RulePolicy", "confidence": 1.0}
    return [{"sender_id": sender, "type_name": event["event"], "timestamp": at + n * 0.1,
             "intent_name": intent if event is user else None, "action_name": event.get("name"),
             "data": json.dumps({**event, "timestamp": at + n * 0.1})}
            for n, event in enumerate((user, action, bot, listen))]


def fill_tracker(url: str, conversations: int = REQUESTS, seed: int = 7) -> float:
    """Two turns for each request's conversation, LONG_TURNS for the long one; seconds."""
    rng, (said, replies) = random.Random(seed), _tracker_texts()
    engine = create_engine(url, future=True)
    TRACKER.create_all(engine)
    start, base = time.perf_counter(), time.time() - 86_400
    try:
        with engine.begin() as connection:
            long_events = [e for turn in range(LONG_TURNS) for e in _turn_events(
                LONG_CONVERSATION, base + turn * 30, rng.choice(said), rng.choice(replies))]
            connection.execute(insert(EVENTS), long_events)
            for first in range(1, conversations, 1000):
                batch = [e for i in range(first, min(first + 1000, conversations)) for turn in range(2)
                         for e in _turn_events(f"bench-web-{i:05d}", base + i + turn * 20, rng.choice(said),
                                               rng.choice(replies))]
                connection.execute(insert(EVENTS), batch)
        return time.perf_counter() - start
    finally:
        engine.dispose()


def add_crises(url: str) -> None:
    """Two crisis events in the long conversation, so its transcript marks them."""
    with engine_for(url).begin() as connection:
        now = models.utc_now()
        connection.execute(insert(models.CrisisEvent.__table__), [
            {"conversation_id": LONG_CONVERSATION, "kind": kind, "detected_by": "rule:bench", "created_at": now - ago}
            for kind, ago in (("suicide", timedelta(hours=20)), ("overdose", timedelta(hours=22)))])


def analyze(*urls: str) -> None:
    """PostgreSQL's planner statistics, which autovacuum gathers within a minute or so of a bulk load.

    SQLite is left as a deployment has it: nothing runs ANALYZE there.
    """
    for url in urls:
        if url.startswith("postgresql"):
            engine = create_engine(url, future=True, isolation_level="AUTOCOMMIT")
            with engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
            engine.dispose()


# --- the two kinds of database ---------------------------------------------------------------------

@contextmanager
def sqlite_databases() -> Iterator[tuple[str, str]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-console-"))
    try:
        yield f"sqlite:///{folder / 'records.db'}", f"sqlite:///{folder / 'tracker.db'}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def postgres_databases() -> Iterator[tuple[str, str]]:
    names = [f"console_bench_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("records", "tracker")]
    for name in names:
        create_database(name)
    records, tracker = (URL.create("postgresql", username=POSTGRES["user"], password=POSTGRES["password"] or None,
                                   host=POSTGRES["host"], port=int(POSTGRES["port"]), database=name)
                        .render_as_string(hide_password=False) for name in names)
    try:
        yield records, tracker
    finally:
        for name in names:
            drop_database(name)


# --- the pages, in-process and over HTTP -----------------------------------------------------------

def pages(long_reference: str) -> dict[str, tuple[str, str | None]]:
    """Name -> (path, search term kept in the session or None)."""
    return {"queue_first_page": ("/queue", None),
            "queue_filtered": ("/queue?status=new&status=no_answer&level=HIGH&level=ROUTINE&page=3", None),
            "queue_search_name": ("/queue", NAME_SEARCH),
            "queue_search_phone": ("/queue", PHONE_SEARCH),
            "request_300_turns": (f"/requests/{long_reference}", None)}


Get = Callable[[str], tuple[int, str]]


def in_process_client(records: str, tracker: str) -> Callable[[str | None], Get]:
    from console.app import create_app
    from console.settings import ConsoleSettings

    app = create_app(ConsoleSettings.from_env(), database_url=records, tracker_url=tracker)

    def logged_in(search: str | None) -> Get:
        client = app.test_client()
        token = _token(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"username": "coordinator1", "password": PASSWORD, "csrf_token": token})
        if search:
            client.post("/queue/search", data={"q": search, "csrf_token": _token(client.get("/queue").get_data(as_text=True))})

        def get(path: str) -> tuple[int, str]:
            response = client.get(path)
            return response.status_code, response.get_data(as_text=True)

        return get

    return logged_in


def http_client(base: str) -> Callable[[str | None], Get]:
    def logged_in(search: str | None) -> Get:
        client = requests.Session()
        token = _token(client.get(f"{base}/login", timeout=30).text)
        client.post(f"{base}/login", data={"username": "coordinator1", "password": PASSWORD, "csrf_token": token}, timeout=30)
        if search:
            client.post(f"{base}/queue/search", data={"q": search, "csrf_token": _token(client.get(f"{base}/queue").text)},
                        timeout=30)

        def get(path: str) -> tuple[int, str]:
            response = client.get(f"{base}{path}", timeout=30, allow_redirects=False)
            return response.status_code, response.text

        return get

    return logged_in


def _token(page: str) -> str:
    match = TOKEN.search(page)
    if not match:
        raise RuntimeError("no CSRF token on the page: the login failed")
    return match[1]


def timed(get: Get, path: str, runs: int, cpu_seconds: Callable[[], float]) -> dict:
    """Wall time per page, and the server's CPU time per page (steadier when the host is busy)."""
    status, body = get(path)
    if status != 200 or "Log out" not in body:
        raise RuntimeError(f"GET {path}: {status}")
    for _ in range(WARMUP - 1):
        get(path)
    ms, cpu_before = [], cpu_seconds()
    for _ in range(runs):
        start = time.perf_counter()
        status, _ = get(path)
        ms.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
    return {**latency_summary(ms), "cpu_mean_ms": round((cpu_seconds() - cpu_before) / runs * 1000, 1)}


def process_cpu_seconds(pid: int) -> float:
    """User + system time of a process, from /proc (fields 14 and 15 of stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_pages(logged_in: Callable[[str | None], Get], long_reference: str, runs: int,
                  cpu_seconds: Callable[[], float]) -> dict:
    results = {}
    for name, (path, search) in pages(long_reference).items():
        summary = timed(logged_in(search), path, runs, cpu_seconds)
        target = TARGET_P95_MS["request" if name.startswith("request") else "queue"]
        results[name] = {**summary, "target_p95_ms": target, "pass": summary["p95_ms"] <= target}
    return results


def measure_backend(databases: Callable[[], AbstractContextManager[tuple[str, str]]], runs: int = RUNS) -> dict:
    from assistant.db.staff import add_user

    with databases() as (records, tracker):
        long_reference, records_s = fill_records(records)
        tracker_s = fill_tracker(tracker)
        add_crises(records)
        add_user("coordinator1", "coordinator", PASSWORD, url=records)
        analyze(records, tracker)
        result = {"requests": REQUESTS, "long_transcript_turns": LONG_TURNS,
                  "fill_10000_requests_s": round(records_s, 1), "fill_tracker_s": round(tracker_s, 1),
                  # the bench process: the app and Flask's test client
                  "in_process": measure_pages(in_process_client(records, tracker), long_reference, runs, time.process_time)}
        with tempfile.TemporaryDirectory(prefix="bench-console-") as workdir, \
                console_running(Path(workdir), records_url=records, tracker_url=tracker) as running:
            pid = running.process.pid
            result["over_http"] = measure_pages(http_client(running.url), long_reference, runs,
                                                lambda: process_cpu_seconds(pid))
        return result


def measure_console(runs: int = RUNS) -> dict:
    from evaluation.server import production_services_missing

    # Other work on the host slows every page: the load average says how busy it was.
    report: dict = {"target_p95_ms": TARGET_P95_MS, "runs": runs, "warmup": WARMUP,
                    "load_average_before": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
                    "sqlite": measure_backend(sqlite_databases, runs)}
    missing = production_services_missing()  # PostgreSQL (and Redis, which the console does not need)
    postgres_missing = missing if missing and "PostgreSQL" in missing else None
    report["postgresql"] = {"skipped": postgres_missing} if postgres_missing else measure_backend(postgres_databases, runs)
    report["load_average_after"] = round(os.getloadavg()[0], 2)
    report["pass"] = all(page["pass"] for kind in ("sqlite", "postgresql") if "skipped" not in report[kind]
                         for mode in ("in_process", "over_http") for page in report[kind][mode].values())
    return report


def console_rows(report: dict) -> list[tuple[str, str, str]]:
    """Rows for bench.run's table: p50 / p95 per page, database and mode."""
    rows = [("[console] host load average before / after", f"{report['load_average_before']} / "
             f"{report['load_average_after']} ({report['cpus']} CPUs)", "")]
    for kind in ("sqlite", "postgresql"):
        measured = report[kind]
        if "skipped" in measured:
            rows.append((f"[console {kind}] skipped", measured["skipped"][:28], ""))
            continue
        rows.append((f"[console {kind}] fill 10,000 requests / tracker (s)",
                     f"{measured['fill_10000_requests_s']} / {measured['fill_tracker_s']}", ""))
        for mode in ("in_process", "over_http"):
            for name, page in measured[mode].items():
                rows.append((f"[console {kind}, {mode.replace('_', ' ')}] {name} p50/p95 (cpu) ms",
                             f"{page['p50_ms']} / {page['p95_ms']} (cpu {page['cpu_mean_ms']}) "
                             f"{'pass' if page['pass'] else 'FAIL'}",
                             f"p95 <= {page['target_p95_ms']}"))
    return rows


def print_rows(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure'.ljust(width)}  {'value':28}  target")
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value:28}  {target}")


def main(runs: int = RUNS) -> None:
    report = measure_console(runs)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2))
    print_rows(console_rows(report))
    print(f"\nconsole targets: {'all met' if report['pass'] else 'MISSED (see FAIL above)'}")
    print(f"JSON report: {REPORT.relative_to(ROOT)}")

"""Measure the assistant: NLU quality, crisis detection, REST latency and throughput, memory, training time,
and the website chat (widget bundle size, time to first message in Debian's chromium).

Latency is measured twice: "local" is what `make run` starts (2 Rasa
workers, SQLite tracker store and locks); "production" is
endpoints.production.yml (PostgreSQL, Redis lock store, 2 Sanic workers),
when PostgreSQL and Redis are reachable.

    make bench            # everything (trains twice in a temporary cache for cold/warm times)
    make bench ARGS=--no-train   # skip the training-time measurement
    make bench ARGS="--patches none"   # the servers without the speed patches (rasa_ext/patches.py)
    make bench ARGS=--patch-gains      # only: what each speed patch saves (bench/patch_gains.py)
    make bench ARGS=--console          # only: the staff console's page times (bench/console.py)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

from evaluation import webchat
from evaluation.intake_script import run_pre_assessment
from evaluation.nlu import Parser, evaluate, load_heldout
from evaluation.server import (
    MODEL,
    ROOT,
    create_database,
    drop_database,
    production_env,
    production_services_missing,
    start_assistant,
)

REPORT = ROOT / "reports" / "bench.json"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def latency_summary(ms: list[float]) -> dict:
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
            "p99_ms": round(percentile(ms, 99), 1), "mean_ms": round(statistics.mean(ms), 1)}


def timed_send(assistant, sender: str, text: str) -> float:
    start = time.perf_counter()
    assistant.send(sender, text)
    return (time.perf_counter() - start) * 1000


def sequential(assistant, messages: list[str], per_conversation: int = 10) -> dict:
    timings = []
    for i, text in enumerate(messages):
        if i % per_conversation == 0:
            sender = f"bench-seq-{uuid.uuid4().hex[:8]}"
            assistant.send(sender, "hi")  # session start is not part of the measured turns
        timings.append(timed_send(assistant, sender, text))
    return latency_summary(timings)


def concurrent(assistant, messages: list[str], clients: int = 10, per_client: int = 30) -> dict:
    timings: list[float] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        sender = f"bench-conc-{n}-{uuid.uuid4().hex[:6]}"
        assistant.send(sender, "hi")
        mine = [timed_send(assistant, sender, messages[(n * per_client + i) % len(messages)]) for i in range(per_client)]
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {**latency_summary(timings), "clients": clients, "throughput_msg_s": round(len(timings) / elapsed, 1)}


def long_conversation(assistant, messages: list[str], turns: int = 100, leave_form: bool = True) -> dict:
    """Turns 91-100 repeat the messages of turns 1-10 in the same dialogue state, so only the
    conversation's length differs: turn 90 is "stop", which ends the pre-assessment that the
    callback requests among the held-out messages start (a turn inside it makes two
    action-server calls, a greeting none). With leave_form=False turn 90 is one more
    held-out message and the conversation ends inside the pre-assessment."""
    sender = f"bench-long-{uuid.uuid4().hex[:8]}"
    middle = [messages[10 + i % (len(messages) - 10)] for i in range(turns - 20)]
    if leave_form:
        middle[-1] = "stop"
    script = messages[:10] + middle + messages[:10]
    timings = [timed_send(assistant, sender, text) for text in script]
    first, last = statistics.mean(timings[:10]), statistics.mean(timings[-10:])
    return {"turns_1_10_mean_ms": round(first, 1), "turns_91_100_mean_ms": round(last, 1), "ratio": round(last / first, 2)}


def memory_mb(pid: int, field: str) -> float:
    """A process and its children (Rasa's Sanic workers), summed: VmRSS counts pages the
    forked workers share once per process; Pss (proportional) splits them, so its sum is the real total."""
    total = 0
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        source = "status" if field == "VmRSS" else "smaps_rollup"
        try:
            for line in Path(f"/proc/{p}/{source}").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def training_times() -> dict:
    """Cold (empty cache) and warm (unchanged, cached) training, in a temporary cache and output folder."""
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        env["RASA_CACHE_DIRECTORY"] = str(Path(tmp) / "cache")
        times = {}
        for name in ("cold", "warm"):
            start = time.perf_counter()
            subprocess.run([str(ROOT / ".venv/bin/rasa"), "train", "--out", str(Path(tmp) / "models"), "--quiet",
                            "--fixed-model-name", name], cwd=ROOT, env=env, check=True, capture_output=True)
            times[f"{name}_train_s"] = round(time.perf_counter() - start, 1)
        return times


def pre_assessments(assistant, runs: int = 10) -> dict:
    """The scripted usual path (self, one substance), start to stored request, `runs` times."""
    totals, last_answer = [], []
    for n in range(runs):
        run = run_pre_assessment(assistant, f"bench-intake-{n}-{uuid.uuid4().hex[:6]}")
        if not run.reference:
            raise RuntimeError(f"pre-assessment did not end with a request: {run.replies[-1]}")
        totals.append(sum(run.server_ms))
        last_answer.append(run.last_answer_ms)  # "Yes, send it" until the reply that names the stored request
    questions = [qid for qid in run.asked if qid not in ("intake_consent", "intake_confirmed")]
    return {"runs": runs, "questions_asked": len(questions), "steps_with_consent_and_summary": len(run.asked),
            "messages_sent": len(run.server_ms), "questions": run.asked,
            "last_answer_to_stored_request_ms": latency_summary(last_answer),
            "whole_pre_assessment_server_ms": latency_summary(totals)}


def serve_and_measure(messages: list[str], no_form: list[str], production: dict | None = None,
                      patches: str = "all") -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    assistant = start_assistant(workdir, production=production, extra_env={"RASA_PATCHES": patches})
    try:
        for text in messages[:20]:  # warm-up
            assistant.send("bench-warmup", text)
        measured = {
            "server_start_s": round(assistant.startup_seconds, 1),
            "rest_sequential": sequential(assistant, messages[:200]),
            "rest_concurrent_10": concurrent(assistant, messages),
            "long_conversation": long_conversation(assistant, messages),
            "long_conversation_ending_in_form": long_conversation(assistant, messages, leave_form=False),
            # The same without the messages that start the pre-assessment: the first
            # measure's turns 91-100 are inside the form, its turns 1-10 are not.
            "long_conversation_no_form": long_conversation(assistant, no_form),
            "pre_assessment": pre_assessments(assistant),
            "rss_mb": {"rasa_server": memory_mb(assistant.server_pid, "VmRSS"),
                       "action_server": memory_mb(assistant.actions_pid, "VmRSS")},
            "pss_mb": {"rasa_server": memory_mb(assistant.server_pid, "Pss"),
                       "action_server": memory_mb(assistant.actions_pid, "Pss")},
        }
        if production is None:  # the website chat as a visitor gets it, in Debian's chromium
            measured["webchat"] = webchat.measure(assistant.url)
        return measured
    finally:
        assistant.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-train", action="store_true", help="skip cold/warm training times")
    parser.add_argument("--patches", default="all", help="RASA_PATCHES for the servers: all, none, all,-NAME")
    parser.add_argument("--patch-gains", action="store_true", help="only measure what each speed patch saves")
    parser.add_argument("--console", action="store_true", help="only measure the staff console's pages")
    parser.add_argument("--gain-settings", help="with --patch-gains: RASA_PATCHES settings to compare, ';'-separated")
    args = parser.parse_args()
    if args.patch_gains:
        from bench.patch_gains import patch_gains, print_gains

        questions = [text for text, intent in load_heldout()
                     if not intent.startswith("crisis_") and intent not in ("request_callback", "continue_intake")]
        gains = patch_gains(questions,
                            args.gain_settings.split(";") if args.gain_settings else None)
        out = ROOT / "reports" / "patch-gains.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(gains, indent=2))
        print_gains(gains)
        print(f"\nJSON report: {out.relative_to(ROOT)}")
        return
    if args.console:
        from bench.console import main as console_main

        console_main()
        return
    report: dict = {"model": str(MODEL.relative_to(ROOT)), "model_size_mb": round(MODEL.stat().st_size / 2**20, 1),
                    "rasa_patches": args.patches}

    results = evaluate(Parser())
    scores = results["intents"]
    report["nlu"] = {"heldout_messages": scores.total, "intent_accuracy": round(scores.accuracy, 4),
                     "macro_f1": round(scores.macro_f1, 4)}
    report["crisis"] = {name: {"recall": round(c.recall, 4), "right_kind_recall": round(c.kind_recall, 4),
                               "false_alarm_rate": round(c.false_alarm_rate, 4), "crises": c.crises, "lookalikes": c.lookalikes}
                        for name, c in results["crisis"].items()}

    heldout = [(text, intent) for text, intent in load_heldout() if not intent.startswith("crisis_")]
    messages = [text for text, _ in heldout]
    no_form = [text for text, intent in heldout if intent not in ("request_callback", "continue_intake")]
    report["local"] = serve_and_measure(messages, no_form, patches=args.patches)  # what `make run` starts: 2 workers, SQLite
    missing = production_services_missing()
    if missing:
        report["production"] = {"skipped": missing}
    else:  # endpoints.production.yml: PostgreSQL, Redis lock store, 2 workers
        database = f"assistant_bench_{uuid.uuid4().hex[:8]}"
        create_database(database)
        try:
            report["production"] = serve_and_measure(messages, no_form, production_env(database, workers=2),
                                                     patches=args.patches)
        finally:
            drop_database(database)
    from bench.console import measure_console

    report["console"] = measure_console()  # the staff console's pages, on SQLite and PostgreSQL
    if not args.no_train:
        report["training"] = training_times()

    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2))
    print_table(report)
    print(f"\nJSON report: {REPORT.relative_to(ROOT)}")


def print_table(r: dict) -> None:
    rows = [
        ("held-out intent accuracy", f"{r['nlu']['intent_accuracy']:.3f}", ">= 0.95"),
        ("held-out macro-F1", f"{r['nlu']['macro_f1']:.3f}", ">= 0.93"),
    ]
    for name, c in r["crisis"].items():
        rows.append((f"crisis recall ({name} red-team)", f"{c['recall']:.3f}", "1.000"))
        rows.append((f"false alarms ({name} look-alikes)", f"{c['false_alarm_rate']:.3f}", "<= 0.03"))
    for setup in ("local", "production"):
        m = r[setup]
        if "skipped" in m:
            rows.append((f"[{setup}] skipped", m["skipped"][:28], ""))
            continue
        s, c, lc = m["rest_sequential"], m["rest_concurrent_10"], m["long_conversation"]
        nf, inf = m["long_conversation_no_form"], m["long_conversation_ending_in_form"]
        rows += [
            (f"[{setup}] REST sequential p50/p95/p99 ms", f"{s['p50_ms']} / {s['p95_ms']} / {s['p99_ms']}", "p95 <= 80"),
            (f"[{setup}] 10 concurrent p50/p95/p99 ms", f"{c['p50_ms']} / {c['p95_ms']} / {c['p99_ms']}", ""),
            (f"[{setup}] throughput, 10 concurrent (msg/s)", f"{c['throughput_msg_s']}", ">= 25"),
            (f"[{setup}] turns 1-10 vs 91-100 mean ms",
             f"{lc['turns_1_10_mean_ms']} vs {lc['turns_91_100_mean_ms']} (x{lc['ratio']})", "<= x1.5"),
            (f"[{setup}]   the same, ending inside the pre-assessment",
             f"{inf['turns_1_10_mean_ms']} vs {inf['turns_91_100_mean_ms']} (x{inf['ratio']})", ""),
            (f"[{setup}]   the same, no pre-assessment in it",
             f"{nf['turns_1_10_mean_ms']} vs {nf['turns_91_100_mean_ms']} (x{nf['ratio']})", ""),
            (f"[{setup}] pre-assessment questions (usual path)",
             f"{m['pre_assessment']['questions_asked']} (+ consent, summary)", "<= 20"),
            (f"[{setup}] last answer to stored request p50/p95 ms",
             f"{m['pre_assessment']['last_answer_to_stored_request_ms']['p50_ms']} / "
             f"{m['pre_assessment']['last_answer_to_stored_request_ms']['p95_ms']}", ""),
            (f"[{setup}] whole pre-assessment server ms p50/p95",
             f"{m['pre_assessment']['whole_pre_assessment_server_ms']['p50_ms']} / "
             f"{m['pre_assessment']['whole_pre_assessment_server_ms']['p95_ms']}", ""),
            (f"[{setup}] memory rasa / actions MB, RSS (PSS)",
             f"{m['rss_mb']['rasa_server']} ({m['pss_mb']['rasa_server']}) / "
             f"{m['rss_mb']['action_server']} ({m['pss_mb']['action_server']})", ""),
            (f"[{setup}] server start to ready (s)", f"{m['server_start_s']}", ""),
        ]
    w = r["local"].get("webchat")
    if w:
        rows.append(("[local] widget bundle bytes / gzip", f"{w['bundle']['bytes']} / {w['bundle']['gzip_bytes']}",
                     "gzip < 30000"))
        t = w["time_to_first_message"]
        rows.append(("[local] widget first message: new / reload ms",
                     t["skipped"][:28] if "skipped" in t else
                     f"{t['new_visitor_ms']['median']} / {t['reload_with_history_ms']['median']}", "new < 5000"))
    rows.append(("model size (MB)", f"{r['model_size_mb']}", ""))
    if "console" in r:
        from bench.console import console_rows

        rows += console_rows(r["console"])
    if "training" in r:
        t = r["training"]
        rows.append(("training cold / warm (s)", f"{t['cold_train_s']} / {t['warm_train_s']}", "cold <= 360"))
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure'.ljust(width)}  {'value':28}  target")
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value:28}  {target}")


if __name__ == "__main__":
    main()

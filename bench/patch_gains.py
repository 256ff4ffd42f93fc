"""What each speed patch of rasa_ext/patches.py saves: `make bench ARGS=--patch-gains`.

The same workload runs against a server started with every speed patch, with none
(RASA_PATCHES=none), and without each one in turn (RASA_PATCHES=all,-NAME): a
200-turn conversation of held-out questions ending in a pre-assessment, and two
pre-assessments on their own. Reported for
each: the Rasa server's CPU time (all its processes, from /proc: steadier than wall
time on a shared machine) per message, the mean wall time of the long conversation's
last 20 questions, and of its pre-assessment's turns. One Sanic worker, so the CPU time is one process's.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from bench.run import timed_send
from evaluation.intake_script import run_pre_assessment
from evaluation.server import start_assistant
from rasa_ext.patches import PATCHES

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system time of a process and its children (Sanic's workers)."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    total = 0
    for p in [pid, *map(int, children)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / TICKS


def workload(assistant, messages: list[str], turns: int = 200) -> dict:
    before = cpu_seconds(assistant.server_pid)
    sender = f"gains-{uuid.uuid4().hex[:8]}"
    timings = [timed_send(assistant, sender, messages[i % len(messages)]) for i in range(turns)]
    late_form = run_pre_assessment(assistant, sender)  # copies and form trackers cost most here
    sent = turns + len(late_form.server_ms)
    for n in range(2):
        run = run_pre_assessment(assistant, f"gains-intake-{n}-{uuid.uuid4().hex[:6]}")
        sent += len(run.server_ms)
    cpu = cpu_seconds(assistant.server_pid) - before
    return {"messages": sent, "server_cpu_ms_per_message": round(cpu * 1000 / sent, 2),
            "last_20_turns_mean_ms": round(statistics.mean(timings[-20:]), 1),
            "late_form_turn_mean_ms": round(statistics.mean(late_form.server_ms), 1)}


def measure(setting: str, messages: list[str]) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="gains-"))
    assistant = start_assistant(workdir, workers=1, extra_env={"RASA_PATCHES": setting})
    try:
        for text in messages[:10]:  # warm-up
            assistant.send("gains-warmup", text)
        return workload(assistant, messages)
    finally:
        assistant.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def patch_gains(messages: list[str], only: list[str] | None = None) -> dict:
    """`only`: RASA_PATCHES settings to compare instead of the full set (the first is the base)."""
    started = time.perf_counter()
    if only:
        settings = {setting: setting for setting in only}
    else:
        settings = {"all": "all", "none": "none"}
        settings.update({f"without {p.name}": f"all,-{p.name}" for p in PATCHES if p.kind == "speed"})
    results = {name: measure(setting, messages) for name, setting in settings.items()}
    base = next(iter(results.values()))
    for result in results.values():
        result["cpu_cost_vs_base_pct"] = round(
            100 * (result["server_cpu_ms_per_message"] / base["server_cpu_ms_per_message"] - 1), 1)
        for measure_ in ("last_20_turns_mean_ms", "late_form_turn_mean_ms"):
            result[measure_.replace("mean_ms", "cost_vs_base_pct")] = round(
                100 * (result[measure_] / base[measure_] - 1), 1)
    return {"seconds": round(time.perf_counter() - started), "settings": results}


def print_gains(gains: dict) -> None:
    print(f"{'server started with':44} {'CPU ms/msg':>10} {'vs base':>8} {'last 20 ms':>10} {'vs base':>8}"
          f" {'late form ms':>12} {'vs base':>8}")
    for name, r in gains["settings"].items():
        print(f"{name:44} {r['server_cpu_ms_per_message']:>10} {r['cpu_cost_vs_base_pct']:>+7}% "
              f"{r['last_20_turns_mean_ms']:>10} {r['last_20_turns_cost_vs_base_pct']:>+7}% "
              f"{r['late_form_turn_mean_ms']:>12} {r['late_form_turn_cost_vs_base_pct']:>+7}%")

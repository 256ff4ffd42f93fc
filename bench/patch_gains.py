"""What each speed patch of rasa_ext/patches.py saves: `make bench ARGS=--patch-gains`.

The same workload runs against a server started with every speed patch, with none
(RASA_PATCHES=none), and without each one in turn (RASA_PATCHES=all,-NAME): a
200-turn conversation of held-out questions and two pre-assessments. Reported for
each: the Rasa server's CPU time (all its processes, from /proc: steadier than wall
time on a shared machine) per message, and the mean wall time of the long
conversation's last 20 turns. One Sanic worker, so the CPU time is one process's.
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
    sent = turns
    for n in range(2):
        run = run_pre_assessment(assistant, f"gains-intake-{n}-{uuid.uuid4().hex[:6]}")
        sent += len(run.server_ms)
    cpu = cpu_seconds(assistant.server_pid) - before
    return {"messages": sent, "server_cpu_ms_per_message": round(cpu * 1000 / sent, 2),
            "last_20_turns_mean_ms": round(statistics.mean(timings[-20:]), 1)}


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


def patch_gains(messages: list[str]) -> dict:
    started = time.perf_counter()
    settings = {"all": "all", "none": "none"}
    settings.update({f"without {p.name}": f"all,-{p.name}" for p in PATCHES if p.kind == "speed"})
    results = {name: measure(setting, messages) for name, setting in settings.items()}
    base = results["all"]
    for result in results.values():
        result["cpu_cost_vs_all_pct"] = round(
            100 * (result["server_cpu_ms_per_message"] / base["server_cpu_ms_per_message"] - 1), 1)
        result["last_20_cost_vs_all_pct"] = round(
            100 * (result["last_20_turns_mean_ms"] / base["last_20_turns_mean_ms"] - 1), 1)
    return {"seconds": round(time.perf_counter() - started), "settings": results}


def print_gains(gains: dict) -> None:
    print(f"{'server started with':36} {'CPU ms/msg':>11} {'vs all':>8} {'last 20 ms':>11} {'vs all':>8}")
    for name, r in gains["settings"].items():
        print(f"{name:36} {r['server_cpu_ms_per_message']:>11} {r['cpu_cost_vs_all_pct']:>+7}% "
              f"{r['last_20_turns_mean_ms']:>11} {r['last_20_cost_vs_all_pct']:>+7}%")

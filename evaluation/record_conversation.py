"""Record a long conversation with a real assistant, as its tracker store keeps it.

    python -m evaluation.record_conversation   (writes tests/fixtures/long_conversation.json)

Questions, two pre-assessments (one with a side question, a stop the form rejects
and a resume), a crisis path and the turns after it: the events the policies
see in a long real conversation. tests/unit/test_prediction_window.py replays them.
Synthetic: no real person's messages.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

from evaluation.intake_script import USUAL_PATH, run_pre_assessment
from evaluation.nlu import load_heldout
from evaluation.server import ROOT, start_assistant

FIXTURE = ROOT / "tests" / "fixtures" / "long_conversation.json"
SENDER = "recorded-long-conversation"


def record(out: Path = FIXTURE) -> int:
    questions = [text for text, intent in load_heldout()
                 if not intent.startswith("crisis_") and intent not in ("request_callback", "continue_intake")]
    workdir = Path(tempfile.mkdtemp(prefix="record-"))
    assistant = start_assistant(workdir)
    try:
        for text in questions[:30]:
            assistant.send(SENDER, text)
        run_pre_assessment(assistant, SENDER, before={
            "intake_last_use": ["why do you ask?"],
            "intake_withdrawal_now": ["what is suboxone"],
            "intake_insurance": ["stop", "continue"],  # the form rejects "stop"; a rule answers it
        })
        for text in ["thanks", *questions[30:45], "I want to kill myself", "no", "I'm safe now, thank you",
                     *questions[45:60]]:
            assistant.send(SENDER, text)
        run_pre_assessment(assistant, SENDER, {**USUAL_PATH, "intake_consent": "no"})
        for text in questions[60:80]:
            assistant.send(SENDER, text)
        with sqlite3.connect(assistant.tracker_db) as db:
            rows = db.execute("SELECT data FROM events WHERE sender_id LIKE ? ORDER BY id", (f"%{SENDER}",)).fetchall()
    finally:
        assistant.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    events = [json.loads(data) for (data,) in rows]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(events, indent=0) + "\n", encoding="utf-8")
    return len(events)


if __name__ == "__main__":
    print(f"{record()} events written to {FIXTURE.relative_to(ROOT)}")

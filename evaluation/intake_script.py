"""Walk a running assistant through the pre-assessment over REST, answering each question it asks.

Used by the end-to-end test and `make bench`. The question being asked is
recognised from the bot's text (the catalog's wording), so the script follows
the dynamic question order the form chooses.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from assistant.intake.questions import catalog

USUAL_PATH = {  # self, 26-44, heroin only, no positive screens
    "intake_consent": "yes",
    "intake_age_group": "26-44",
    "intake_substances": "heroin",
    "intake_last_use": "today",
    "intake_drinks": "no",
    "intake_taps_3": "Daily or almost daily",
    "intake_injection": "no",
    "intake_benzo_daily": "no",
    "intake_withdrawal_now": "yes",
    "intake_overdose": "no",
    "intake_current_medication": "No, but I'm interested",
    "intake_phq2_1": "not at all",
    "intake_phq2_2": "Not at all",
    "intake_gad2_1": "several days",
    "intake_gad2_2": "not at all",
    "intake_cssrs_1": "no",
    "intake_cssrs_2": "no",
    "intake_cssrs_6": "no",
    "intake_pregnancy": "doesn't apply to me",
    "intake_insurance": "medicaid",
    "intake_state": "Ohio",
    "intake_care_preference": "outpatient",
    "intake_phone": "Sam 617-555-0142",
    "intake_best_time": "morning",
    "intake_contact_safety": "Voicemail and texts are OK",
    "intake_confirmed": "Yes, send it",
}
REFERENCE = re.compile(r"reference (CB-[0-9A-Z]+)")


def _question_texts() -> dict[str, str]:
    texts: dict[str, str] = {}
    for qid, q in catalog().questions.items():
        for text in (q.text, q.text_loved_one):
            if text:
                texts.setdefault(text, qid)
    return texts


@dataclass
class PreAssessmentRun:
    asked: list[str] = field(default_factory=list)  # question ids in the order asked
    replies: list[list[dict]] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)  # per message, round trip
    reference: str | None = None

    @property
    def last_answer_ms(self) -> float:
        return self.server_ms[-1]


def asked_question(replies: list[dict]) -> str | None:
    texts = _question_texts()
    for reply in reversed(replies):
        if reply.get("text") in texts:
            return texts[reply["text"]]
    return None


def run_pre_assessment(assistant, sender: str, answers: dict[str, str] = USUAL_PATH,
                       opening: str = "I want to start treatment", before: dict[str, list[str]] | None = None,
                       max_turns: int = 60) -> PreAssessmentRun:
    """`before`: extra messages sent when a question is first asked (digressions, "why do you ask?")."""
    run = PreAssessmentRun()
    pending = {qid: list(messages) for qid, messages in (before or {}).items()}
    message = opening
    for _ in range(max_turns):
        started = time.perf_counter()
        replies = assistant.send(sender, message)
        run.server_ms.append((time.perf_counter() - started) * 1000)
        run.replies.append(replies)
        found = REFERENCE.search(" ".join(r.get("text") or "" for r in replies))
        if found:
            run.reference = found.group(1)
            return run
        qid = asked_question(replies)
        if qid is None:
            return run  # the form ended without a request (declined, stopped)
        if not run.asked or run.asked[-1] != qid:
            run.asked.append(qid)
        if pending.get(qid):
            message = pending[qid].pop(0)
            continue
        if qid not in answers:
            raise AssertionError(f"no scripted answer for {qid}; bot said: {replies}")
        message = answers[qid]
    raise AssertionError(f"pre-assessment did not finish in {max_turns} turns; asked {run.asked}")

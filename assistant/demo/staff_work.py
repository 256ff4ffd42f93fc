"""What staff did with the demo requests: call outcomes, notes, a few claims, by assistant/db/calls.py's rules."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from assistant.db.calls import CALL_OUTCOMES, OUTCOME_STATUS, UNANSWERED_OUTCOMES

COORDINATOR, CLINICIAN, ADMIN = "demo-coordinator", "demo-clinician", "demo-admin"
DEMO_ACCOUNTS = ((COORDINATOR, "coordinator"), (CLINICIAN, "clinician"), (ADMIN, "admin"))

NOTES = {
    "no_answer": ("No answer. Will try again this afternoon.", "Rang out, no voicemail set up. Try tomorrow morning."),
    "left_voicemail": ("Left a short voicemail (OK per request), no details.", "Voicemail left with our number only."),
    "reached": ("Spoke with {name}. Using daily, wants to start Suboxone. Checking insurance before booking.",
                "Reached {name}. Asked good questions about withdrawal; will call back after talking to family.",
                "Talked with {name} about detox vs outpatient; they want to think it over."),
    "scheduled": ("Assessment booked. Insurance verified; reminded to bring ID and med list.",
                  "Booked intake with Dr. Reyes. Gave the address and parking info."),
    "wrong_number": ("The person who answered didn't know {name}. Number may have a typo.",),
    "referred": ("Lives out of state: referred to a program near them, gave SAMHSA helpline too.",),
    "not_interested": ("Spoke with {name}: not ready to start now. Told them they can reach us any time.",),
    "closed": ("Already in treatment elsewhere, wanted information only. Closing.",),
}
REVIEW_NOTES = (
    "Reviewed transcript: 988 and 911 given at once; person said they were not in danger. Coordinator to follow up.",
    "Person was safe at the time. Called back next morning, connected with our counselor.",
    "Third-party overdose: caller was given naloxone steps and 911. No further contact possible.",
    "Crisis reply appropriate. Flagged for team huddle.",
)


@dataclass
class Work:
    status: str = "new"
    changes: list[dict] = field(default_factory=list)  # StatusChange columns
    notes: list[dict] = field(default_factory=list)  # RequestNote columns
    attempts: int = 0
    unanswered: int = 0
    claimed_by: str | None = None
    claimed_at: datetime | None = None


def _story(rng: random.Random, age: timedelta, unanswered_limit: int) -> list[str]:
    """The call outcomes recorded so far on a request this old."""
    unanswered = ["left_voicemail" if rng.random() < 0.5 else "no_answer" for _ in range(rng.choice((0, 0, 1)))]
    if age < timedelta(hours=2):
        return []
    weights = {"new": 35, "no_answer": 20, "contacted": 25, "scheduled": 20}
    if age > timedelta(days=1):
        weights = {"new": 5, "no_answer": 10, "unable": 8, "contacted": 15, "scheduled": 32, "closed": 30}
    story = rng.choices(list(weights), list(weights.values()))[0]
    if story == "new":
        return []
    if story == "no_answer":
        return ["left_voicemail" if rng.random() < 0.5 else "no_answer"] * rng.randint(1, unanswered_limit - 1)
    if story == "unable":
        return ["wrong_number"] if rng.random() < 0.3 else ["no_answer"] * unanswered_limit
    if story == "contacted":
        return [*unanswered, "reached"]
    if story == "scheduled":
        return [*unanswered, "reached", "scheduled"]
    return [*unanswered, "reached", rng.choice(("referred", "not_interested", "closed"))]


def staff_work(rng: random.Random, request: dict, now: datetime, unanswered_limit: int, may_claim: bool = True) -> Work:
    """Outcomes, notes and a claim, by assistant/db/calls.py's rules (record_outcome), timed between creation and now."""
    created: datetime = request["created_at"]
    work = Work()
    outcomes = _story(rng, now - created, unanswered_limit)
    times = sorted(created + (now - created) * rng.uniform(0.05, 0.9) for _ in outcomes)
    for outcome, at in zip(outcomes, times, strict=True):
        if outcome == "left_voicemail" and not request["voicemail_ok"]:
            outcome = "no_answer"  # no message the person did not allow
        work.attempts += outcome in CALL_OUTCOMES
        work.unanswered += outcome in UNANSWERED_OUTCOMES
        status = OUTCOME_STATUS[outcome]
        if outcome in UNANSWERED_OUTCOMES and work.unanswered >= unanswered_limit:
            status = "unable_to_reach"
        scheduled_for: date | None = (at + timedelta(days=rng.randint(1, 6))).date() if outcome == "scheduled" else None
        work.changes.append({"from_status": work.status, "to_status": status, "changed_by": COORDINATOR,
                             "changed_at": at, "outcome": outcome, "scheduled_for": scheduled_for})
        work.status = status
        if rng.random() < 0.55:
            text = rng.choice(NOTES[outcome]).format(name=request["first_name"] or "the caller")
            work.notes.append({"author": COORDINATOR, "note": text, "at": at + timedelta(seconds=rng.randint(20, 300))})
    if may_claim and work.status in ("new", "no_answer") and now - created < timedelta(hours=3) and rng.random() < 0.3:
        work.claimed_by = COORDINATOR  # "I'm calling" now
        work.claimed_at = max(created, now - timedelta(minutes=rng.randint(1, 25)))
    return work

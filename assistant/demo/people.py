"""Who the demo's people are and how they answer the pre-assessment (assistant/intake/questions.yml)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from assistant.demo.texts import FIRST_NAMES, MEDICATION_DETAILS, RELATIONS, STATES
from assistant.intake.answers import STATES as STATE_NAMES
from assistant.intake.questions import SKIPPED, UNKNOWN, question
from assistant.intake.submission import Submission


@dataclass
class Person:
    """Who is asking, and the facts the answers follow from."""

    for_whom: str  # "self" | "loved_one"
    first_name: str
    phone: str  # E.164, fictional: +1 702 555 01xx
    relation: str = ""  # a family member's: "son"
    male: bool = False
    risky: bool = False  # more likely to answer the safety questions yes
    said_who: bool = False  # the first message said who it is for ("my son..."): consent is a plain yes
    answers: dict = field(default_factory=dict)
    templates: dict[bool, Submission] = field(default_factory=dict)  # a pool walk's submission, by "on SMS"


def new_person(rng: random.Random) -> Person:
    for_whom = "loved_one" if rng.random() < 0.35 else "self"
    return Person(for_whom=for_whom, first_name=rng.choice(FIRST_NAMES), phone=f"+1702555{rng.randint(100, 199):04d}",
                  relation=rng.choice(RELATIONS) if for_whom == "loved_one" else "", male=rng.random() < 0.55,
                  risky=rng.random() < 0.08)


_YES_ODDS = {
    "intake_injection": 0.15, "intake_injection_infection": 0.12, "intake_benzo_daily": 0.08, "intake_withdrawal_history": 0.12,
    "intake_withdrawal_now": 0.25, "intake_overdose": 0.05, "intake_cssrs_1": 0.12, "intake_cssrs_2": 0.02,
    "intake_cssrs_3": 0.35, "intake_cssrs_4": 0.12, "intake_cssrs_5": 0.05, "intake_cssrs_6": 0.03,
    "intake_cssrs_6_recent": 0.25, "intake_lo_safety": 0.04, "intake_drinks": 0.4,
}  # fmt: skip
_WEIGHTS = {
    "intake_age_group": {"under_18": 2, "18_25": 20, "26_44": 45, "45_64": 25, "65_plus": 6},
    "intake_last_use": {"today": 35, "1_3": 30, "4_7": 15, "more_than_week": 15},
    "intake_contact_safety": {"both": 40, "voicemail_only": 15, "texts_only": 20, "neither": 20},
    "intake_current_medication": {"yes": 15, "interested": 45, "not_interested": 15, "not_sure": 25},
    "intake_insurance": {"medicaid": 50, "medicare": 8, "private": 25, "none": 12, "not_sure": 5},
    "intake_substances": {"fentanyl": 30, "heroin": 10, "opioid_pills": 15, "alcohol": 25, "stimulants": 10,
                          "benzodiazepines": 5, "other": 5},
}
_FIXED = {"intake_consent": "yes", "intake_confirmed": "yes"}


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def pick_answer(qid: str, person: Person, rng: random.Random) -> Any:
    """A plausible stored value for one question, given what this person already answered."""
    q, answers = question(qid), person.answers
    given = {"intake_for": person.for_whom, "intake_phone": person.phone, "intake_name": person.first_name, **_FIXED}
    if qid in given:
        return given[qid]
    if qid == "intake_state":
        return rng.choice(STATES)
    if qid == "intake_current_medication_detail":
        return rng.choice(MEDICATION_DETAILS)
    if q.skippable and rng.random() < 0.04:
        return SKIPPED
    if q.allows_unknown(person.for_whom) and rng.random() < 0.12:
        return UNKNOWN
    if qid == "intake_substances":
        chosen = [_weighted(rng, _WEIGHTS[qid]) for _ in range(2 if rng.random() < 0.35 else 1)]
        return list(dict.fromkeys(chosen))
    if qid == "intake_sex":
        return "male" if person.male else "female"
    if qid == "intake_pregnancy":
        return "not_applicable" if person.male else _weighted(rng, {"no": 84, "yes": 3, "not_sure": 3, "not_applicable": 10})
    if qid in _WEIGHTS:
        return _weighted(rng, _WEIGHTS[qid])
    if qid in _YES_ODDS:
        odds = _YES_ODDS[qid] * (4 if person.risky and qid.startswith(("intake_cssrs", "intake_lo")) else 1)
        if qid == "intake_cssrs_2" and answers.get("intake_cssrs_1") == "yes":
            odds = 0.5
        return "yes" if rng.random() < odds else "no"
    values = [opt.value for opt in q.options]
    # Alcohol as the problem: often the heavier drinking answers.
    heavy = "alcohol" in (answers.get("intake_substances") or ()) and q.instrument == "AUDIT-C" and rng.random() < 0.4
    return rng.choice(values[-3:] if heavy else values)


def _typed_phone(phone: str, rng: random.Random) -> str:
    area, mid, last = phone[2:5], phone[5:8], phone[8:]
    return rng.choice((f"{area}-{mid}-{last}", f"({area}) {mid}-{last}", f"{area}{mid}{last}", f"{area} {mid} {last}"))


def option_text(qid: str, value: Any, for_whom: str, rng: random.Random) -> str:
    """What the person types or taps for an option value: mostly its button, sometimes their own words."""
    q = question(qid)
    if value == SKIPPED:
        return q.skip_label or "skip"
    if value == UNKNOWN:
        return "I don't know"
    if isinstance(value, list):
        return (" and " if rng.random() < 0.5 else ", ").join(option_text(qid, v, for_whom, rng) for v in value)
    opt = q.option(value)
    if opt is None:
        return str(value)
    if opt.synonyms and rng.random() < 0.3:
        return rng.choice(opt.synonyms)
    return opt.label_for(for_whom)


def answer_text(qid: str, value: Any, person: Person, rng: random.Random) -> tuple[str, bool]:
    """(what the person types, whether it also gave their name)."""
    if qid == "intake_consent":
        if person.said_who:
            return rng.choice(("Yes", "yes", "ok")), False
        return ("Yes, for me" if person.for_whom == "self" else "Yes, for someone I care about"), False
    if qid == "intake_phone":
        typed = _typed_phone(value, rng)
        return (f"{typed} its {person.first_name}", True) if rng.random() < 0.3 else (typed, False)
    if qid in ("intake_name", "intake_current_medication_detail"):
        return str(value), False
    if qid == "intake_state":
        return (value if rng.random() < 0.5 else STATE_NAMES[value]), False
    opt = question(qid).option(value) if isinstance(value, str) else None
    if qid == "intake_age_group" and opt and opt.range and rng.random() < 0.4:
        return str(rng.randint(int(opt.range[0]), min(int(opt.range[1]), 80))), False
    return option_text(qid, value, person.for_whom, rng), False

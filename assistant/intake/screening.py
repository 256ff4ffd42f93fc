"""Instrument scores (docs/clinical-sources.md#screening-instruments): pre-screen signals for staff.

Arguments are stored answer values (option values, "skipped", "unknown", or
None when the item was not asked); the points come from questions.yml.
Nothing here is shown to the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from assistant.intake.questions import SKIPPED, UNKNOWN, question
from assistant.intake.submission import Score

CSSRS_RISKS = ("none", "low", "moderate", "high")
TAPS = "TAPS-1 items 3-4"  # items 1-2 (tobacco, alcohol) are not asked: never shown as the whole TAPS-1
CSSRS_ITEMS = tuple(f"intake_cssrs_{n}" for n in range(1, 7)) + ("intake_cssrs_6_recent",)


def _points(question_id: str, value: str | None) -> int | None:
    if value in (None, SKIPPED, UNKNOWN):
        return None
    option = question(question_id).option(value)
    if option is None:
        raise ValueError(f"{question_id}: no option {value!r}")
    return option.score


def _not_scored(values: Sequence[str | None]) -> str:
    return "not scored: item skipped" if SKIPPED in values or None in values else "not scored: item not known"


# AUDIT-C cut-offs (Bush 1998; Bradley 2007): positive from 4 for men, 3 for women.
AUDIT_C_CUT_OFFS = {"male": 4, "female": 3}


def audit_c(item1: str | None, item2: str | None = None, item3: str | None = None, sex: str | None = None) -> Score:
    """AUDIT-C, 0-12, with the cut-off for the sex assigned at birth; 3 (the lower one) when sex is not given."""
    cut_off = AUDIT_C_CUT_OFFS.get(sex or "")
    cut_off_text = f"cut-off {cut_off} ({'men' if sex == 'male' else 'women'})" if cut_off else "cut-off 3 used (sex not given)"
    cut_off = cut_off or 3
    first = _points("intake_audit_c_1", item1)
    if first is None:
        return Score("AUDIT-C", None, 12, None, _not_scored([item1]))
    if first == 0:  # "Never": items 2-3 are not asked and score 0
        return Score("AUDIT-C", 0, 12, False, f"{cut_off_text}; no drinking in the past year")
    second, third = _points("intake_audit_c_2", item2), _points("intake_audit_c_3", item3)
    if second is None or third is None:
        return Score("AUDIT-C", None, 12, None, _not_scored([item2, item3]))
    total = first + second + third
    return Score("AUDIT-C", total, 12, total >= cut_off, cut_off_text)


def taps1(item3: str | None = None, item4: str | None = None) -> Score:
    """TAPS-1 items 3 (drugs) and 4 (prescription misuse): any use other than "Never" is positive for that class.

    Score: how many of the asked items are positive. None for an item that was not asked.
    """
    items = [
        (3, "drugs", "intake_taps_3", item3),
        (4, "prescription misuse", "intake_taps_4", item4),
    ]
    asked = [(n, name, qid, value) for n, name, qid, value in items if value is not None]
    if not asked:
        raise ValueError(f"{TAPS}: no item was asked")
    parts, positive_items, missing = [], [], []
    for n, name, qid, value in asked:
        points = _points(qid, value)
        if points is None:
            missing.append(value)
            parts.append(f"item {n} ({name}): {value}")
            continue
        option = question(qid).option(value)
        assert option is not None  # _points raised for a value that is no option
        parts.append(f"item {n} ({name}): {option.label}")
        if points > 0:
            positive_items.append(f"item {n}")
    if missing and not positive_items:
        return Score(TAPS, None, len(asked), None, f"{_not_scored(missing)}; " + "; ".join(parts))
    verdict = f"positive: {', '.join(positive_items)}" if positive_items else "negative"
    detail = "any use is positive; " + "; ".join(parts) + f"; {verdict}"
    return Score(TAPS, len(positive_items), len(asked), bool(positive_items), detail)


def _two_items(instrument: str, ids: tuple[str, str], a: str | None, b: str | None, follow_up: str) -> Score:
    first, second = _points(ids[0], a), _points(ids[1], b)
    if first is None or second is None:
        return Score(instrument, None, 6, None, _not_scored([a, b]))
    total = first + second
    positive = total >= 3
    return Score(instrument, total, 6, positive, "cut-off 3" + (f"; follow up with {follow_up}" if positive else ""))


def phq2(a: str | None, b: str | None) -> Score:
    """PHQ-2 (depression), 0-6, positive from 3."""
    return _two_items("PHQ-2", ("intake_phq2_1", "intake_phq2_2"), a, b, "PHQ-9")


def gad2(a: str | None, b: str | None) -> Score:
    """GAD-2 (anxiety), 0-6, positive from 3."""
    return _two_items("GAD-2", ("intake_gad2_1", "intake_gad2_2"), a, b, "GAD-7")


def _yes(answers: dict, item: int | str) -> bool:
    return answers.get(f"intake_cssrs_{item}") == "yes"


def _recent_attempt(answers: dict) -> bool:
    # Item 6 with an unanswered "within 3 months?" counts as recent: the safer reading.
    return _yes(answers, 6) and answers.get("intake_cssrs_6_recent") != "no"


def _risk_items(answers: dict) -> tuple[str, list[str]]:
    """The Columbia triage level and the answers that set it ("item 4", "item 6 within 3 months")."""
    recent = "item 6 within 3 months" if answers.get("intake_cssrs_6_recent") == "yes" else "item 6 (when: not given)"
    levels = (
        ("high", [("item 4", _yes(answers, 4)), ("item 5", _yes(answers, 5)), (recent, _recent_attempt(answers))]),
        ("moderate", [("item 3", _yes(answers, 3)), ("item 6 over 3 months ago", _yes(answers, 6))]),
        ("low", [("item 1", _yes(answers, 1)), ("item 2", _yes(answers, 2))]),
    )
    for level, items in levels:
        behind = [name for name, yes in items if yes]
        if behind:
            return level, behind
    return "none", []


def cssrs_risk(answers: dict) -> str:
    """C-SSRS screener risk by the Columbia triage points: "none" | "low" | "moderate" | "high".

    Low: yes to 1 or 2 only. Moderate: yes to 3, or 6 more than 3 months ago.
    High: yes to 4 or 5, or 6 within the past 3 months.
    """
    return _risk_items(answers)[0]


def cssrs(answers: dict) -> Score:
    """C-SSRS screener. Score: the risk level as 0-3 (none, low, moderate, high); positive: any yes to items 2-6."""
    risk, behind = _risk_items(answers)
    asked = [qid for qid in CSSRS_ITEMS if answers.get(qid) is not None]
    missing = [answers[qid] for qid in asked if answers[qid] in (SKIPPED, UNKNOWN)]
    if risk == "none" and missing:
        return Score("C-SSRS", None, 3, None, _not_scored(missing))
    yes_items = [
        qid.removeprefix("intake_cssrs_").replace("_recent", " within 3 months") for qid in asked if answers[qid] == "yes"
    ]
    detail = f"risk {risk}" + (f" (Columbia triage: yes to {', '.join(behind)})" if behind else "")
    detail += "; " + (f"yes to {', '.join(yes_items)}" if yes_items else "no to every item asked")
    if missing:
        detail += "; some items skipped"
    positive = any(_yes(answers, n) for n in range(2, 7))
    return Score("C-SSRS", CSSRS_RISKS.index(risk), 3, positive, detail)


def suicide_screen_positive(answers: dict) -> bool:
    """Any yes to C-SSRS 2-6, or a family member saying they talked about suicide: crisis flow and same-day contact."""
    return any(_yes(answers, n) for n in range(2, 7)) or answers.get("intake_lo_safety") == "yes"


def suicide_screen_known(answers: dict) -> bool:
    """suicide_screen_positive, once it is known what to do: a yes to item 6 waits for its "within
    the past 3 months?" (imminent_item then stops the questions), so the person gets one reply, not two."""
    if _yes(answers, 6) and answers.get("intake_cssrs_6_recent") is None:
        answers = {**answers, "intake_cssrs_6": None}
    return suicide_screen_positive(answers)


def imminent_item(answers: dict) -> str | None:
    """The answer that makes the risk imminent: C-SSRS 4, 5, or 6 within 3 months (a skipped "when" counts).

    The questions stop, the person gets 911/988 now and staff a live alert. Item 6
    waits for its "within the past 3 months?" before it counts.
    """
    for item in (4, 5):
        if _yes(answers, item):
            return f"intake_cssrs_{item}"
    if _yes(answers, 6) and answers.get("intake_cssrs_6_recent") not in (None, "no"):
        return "intake_cssrs_6_recent"
    return None


def imminent(answers: dict) -> bool:
    return imminent_item(answers) is not None


def score_all(answers: dict) -> tuple[Score, ...]:
    """Scores of the instruments that were asked (skipped items included), in the order asked."""
    scores = []
    if answers.get("intake_audit_c_1") is not None:
        scores.append(audit_c(answers["intake_audit_c_1"], answers.get("intake_audit_c_2"), answers.get("intake_audit_c_3"),
                              answers.get("intake_sex")))
    if answers.get("intake_taps_3") is not None or answers.get("intake_taps_4") is not None:
        scores.append(taps1(answers.get("intake_taps_3"), answers.get("intake_taps_4")))
    if answers.get("intake_phq2_1") is not None or answers.get("intake_phq2_2") is not None:
        scores.append(phq2(answers.get("intake_phq2_1"), answers.get("intake_phq2_2")))
    if answers.get("intake_gad2_1") is not None or answers.get("intake_gad2_2") is not None:
        scores.append(gad2(answers.get("intake_gad2_1"), answers.get("intake_gad2_2")))
    if any(answers.get(qid) is not None for qid in CSSRS_ITEMS):
        scores.append(cssrs(answers))
    if answers.get("intake_for") == "loved_one":
        # The instruments are validated as self-report; a family member's answers are a rougher signal.
        scores = [replace(s, detail=f"{s.detail}; answered by a family member") for s in scores]
    return tuple(scores)

"""Free-text answers to every pre-assessment question, scored through the form's own handling of a message
(evaluation/intake_answers.py): at least 95% mapped to the right value and at most 1% to a wrong one.

The gate set (tests/intake_answers/gate.yml) was written blind and is never tuned on: a failure prints its
per-question counts only, never its items. The dev set is the one to look at:
    python -m evaluation.intake_answers tests/intake_answers/dev.yml --failures
"""

from __future__ import annotations

import pytest

from evaluation.intake_answers import DEV, GATE, MAX_WRONG, TARGET_RIGHT, Item, evaluate, main, score

MIN_ITEMS = {DEV: 400, GATE: 500}


def test_the_gate_set_meets_the_target():
    report = evaluate(GATE)
    assert len(report.scored) >= MIN_ITEMS[GATE]
    assert report.meets_target(), f"gate set below target (per question: right, wrong, asked again):\n{report.table()}"


def test_the_dev_set_is_reported(capsys):
    report = evaluate(DEV)
    assert len(report.scored) >= MIN_ITEMS[DEV]
    with capsys.disabled():
        print(f"\nintake answers, dev set: {report.table().splitlines()[-1]}")


@pytest.mark.parametrize(
    "item, outcome",
    [
        (Item("intake_injection", "self", "nope", "no"), "right"),
        (Item("intake_injection", "self", "nope", "yes"), "wrong"),
        (Item("intake_injection", "self", "banana", "yes"), "asked_again"),
        (Item("intake_injection", "self", "banana", "ask_again"), "right"),
        (Item("intake_injection", "self", "yes", "ask_again"), "wrong"),
        # Every other answer the message gives must be right too.
        (Item("intake_phone", "self", "Sam 617-555-0142", "+16175550142", {"intake_name": "Sam"}), "right"),
        (Item("intake_phone", "self", "Sam 617-555-0142", "+16175550142", {"intake_name": "Pam"}), "wrong"),
        (Item("intake_phone", "self", "617-555-0142", "+16175550142", {"intake_name": "Sam"}), "asked_again"),
        (Item("intake_phone", "self", "Sam 617-555-0142", "+16175550142"), "wrong"),  # a name nobody expected
        # Multiple choice in any order; names in any case; "Fix something" opens the answers to fix.
        (Item("intake_substances", "self", "xanax and beer", ["benzodiazepines", "alcohol"]), "right"),
        (Item("intake_name", "self", "my name is alex", "alex"), "right"),
        (Item("intake_confirmed", "self", "no", "fix"), "right"),
    ],
)
def test_how_an_item_is_scored(item, outcome):
    assert score(item).outcome == outcome


def test_the_gate_items_are_never_listed(capsys):
    with pytest.raises(SystemExit):
        main([str(GATE), "--failures"])
    assert "never tuned on" in capsys.readouterr().err


def test_the_targets_are_the_issues():
    assert (TARGET_RIGHT, MAX_WRONG) == (0.95, 0.01)

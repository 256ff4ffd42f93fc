"""Score free-text pre-assessment answers through the form's own handling of a typed message.

Each item of an answer set (tests/intake_answers/*.yml, format in their header)
goes through assistant.intake.conversation.typed_turn: what validate_intake_form
does with the message (corrections of earlier answers, then the answer and what
else it brings). An item is
  right:       the question's value is the expected one (for "ask_again": nothing stored),
               and so is every other answer the item says the message gives (`also`);
  wrong:       a value is stored that is not the expected one, for the question or another;
  asked again: no value where one was expected (or an `also` answer missed).

    python -m evaluation.intake_answers tests/intake_answers/dev.yml --failures

The gate set is never tuned on: only its per-question counts are shown (--failures is refused).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.intake.conversation import Message, typed_turn
from assistant.intake.questions import catalog

ROOT = Path(__file__).resolve().parent.parent
SETS_DIR = ROOT / "tests" / "intake_answers"
DEV = SETS_DIR / "dev.yml"
GATE = SETS_DIR / "gate.yml"
BLIND = {GATE.name}  # sets whose items are never shown
TARGET_RIGHT = 0.95
MAX_WRONG = 0.01
ASK_AGAIN = "ask_again"
OUTCOMES = ("right", "wrong", "asked_again")
# The phone number the form holds once the contact questions start (it cannot be skipped).
KNOWN_PHONE = "+16175550142"
CONTACT_AFTER_PHONE = ("intake_name", "intake_best_time", "intake_contact_safety", "intake_confirmed")
# What the form stores next to the answers: not answers themselves.
BOOKKEEPING = {"intake_retries", "intake_halt", "intake_trigger", "requested_slot", "opioid_context"}


@dataclass(frozen=True)
class Item:
    question: str
    for_whom: str
    text: str
    expect: Any
    also: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scored:
    item: Item
    outcome: str
    stored: Any
    others: dict[str, Any]


def load_items(path: Path) -> list[Item]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = catalog().questions
    items = []
    for entry in raw["items"]:
        if entry["question"] not in questions:
            raise ValueError(f"{path.name}: unknown question {entry['question']!r}")
        items.append(Item(entry["question"], entry["for_whom"], str(entry["text"]), entry["expect"],
                          dict(entry.get("also") or {})))
    return items


def context(item: Item) -> dict[str, Any]:
    """The answers the form holds when it asks the item's question."""
    if item.question in ("intake_consent", "intake_for"):
        return {}  # consent and who it is for come first (one step when the request did not say)
    answers: dict[str, Any] = {"intake_consent": "yes", "intake_for": item.for_whom}
    if item.question in CONTACT_AFTER_PHONE:
        answers["intake_phone"] = KNOWN_PHONE
    return answers


def _fix_requested(item: Item, turn_slots: dict, replies: tuple) -> bool:
    """"Fix something" on the summary: the form shows what to change, or opens the field named."""
    if item.question != "intake_confirmed":
        return False
    clears = any(qid != item.question and value is None for qid, value in turn_slots.items() if qid not in BOOKKEEPING)
    return clears or any(reply.response == "utter_intake_what_to_change" for reply in replies)


def run_item(item: Item) -> tuple[Any, dict[str, Any]]:
    """(value stored for the question or None, other answers set) for the item's message."""
    before = context(item)
    turn = typed_turn(item.question, item.text, before, Message(item.text))
    stored = turn.slots.get(item.question)
    if stored is None and _fix_requested(item, turn.slots, turn.replies):
        stored = "fix"
    others = {qid: value for qid, value in turn.slots.items()
              if qid != item.question and qid not in BOOKKEEPING and value is not None and before.get(qid) != value}
    return stored, others


def same(question_id: str, got: Any, want: Any) -> bool:
    if isinstance(want, list) or isinstance(got, list):
        return isinstance(got, list) and isinstance(want, list) and set(got) == set(want)
    kind = catalog().questions[question_id].kind
    if kind == "name" and isinstance(got, str) and isinstance(want, str):
        # The same name, capitalised or not, initials with dots or without ("J.R." / "JR").
        return _letters(got) == _letters(want)
    if kind == "free_text" and isinstance(got, str) and isinstance(want, str):
        return " ".join(got.split()) == " ".join(want.split())
    return got == want


def _letters(name: str) -> str:
    """"J.R." and "jr" -> "jr"; "Mary Ann" -> "mary ann"."""
    tokens = name.replace(".", " ").casefold().split()
    return "".join(tokens) if all(len(token) == 1 for token in tokens) else " ".join(tokens)


def score(item: Item) -> Scored:
    stored, others = run_item(item)
    allowed_others = {**item.also}
    if item.question == "intake_consent":
        allowed_others.setdefault("intake_for", item.for_whom)  # "Yes, for me": who it is for, said with consent
    extra_wrong = any(qid not in allowed_others or not same(qid, value, allowed_others[qid])
                      for qid, value in others.items())
    missed = any(qid not in others for qid in item.also)
    if item.expect == ASK_AGAIN:
        outcome = "wrong" if stored is not None or extra_wrong else "asked_again" if missed else "right"
    elif (stored is not None and not same(item.question, stored, item.expect)) or extra_wrong:
        outcome = "wrong"
    elif stored is None or missed:
        outcome = "asked_again"
    else:
        outcome = "right"
    return Scored(item, outcome, stored, others)


@dataclass(frozen=True)
class Report:
    scored: list[Scored]

    def counts(self) -> dict[str, Counter]:
        table: dict[str, Counter] = {}
        for s in self.scored:
            table.setdefault(s.item.question, Counter())[s.outcome] += 1
        return table

    def total(self) -> Counter:
        return Counter(s.outcome for s in self.scored)

    def share(self, outcome: str) -> float:
        return self.total()[outcome] / len(self.scored) if self.scored else 0.0

    def meets_target(self) -> bool:
        return self.share("right") >= TARGET_RIGHT and self.share("wrong") <= MAX_WRONG

    def table(self) -> str:
        width = max(len(qid) for qid in self.counts())
        lines = [f"{'question':<{width}}  {'n':>4} {'right':>6} {'wrong':>6} {'asked':>6}"]
        for qid, counts in self.counts().items():
            lines.append(f"{qid:<{width}}  {sum(counts.values()):>4} "
                         + " ".join(f"{counts[outcome]:>6}" for outcome in OUTCOMES))
        total = self.total()
        lines.append(f"{'all':<{width}}  {len(self.scored):>4} " + " ".join(f"{total[o]:>6}" for o in OUTCOMES))
        lines.append(f"right {self.share('right'):.1%} (target >= {TARGET_RIGHT:.0%}), "
                     f"wrong {self.share('wrong'):.1%} (target <= {MAX_WRONG:.0%}), "
                     f"asked again {self.share('asked_again'):.1%}")
        return "\n".join(lines)

    def failures(self) -> str:
        return "\n".join(
            f"{s.outcome.upper():<11} {s.item.question} [{s.item.for_whom}] {s.item.text!r}: "
            f"expected {s.item.expect!r}{' also ' + str(s.item.also) if s.item.also else ''}, "
            f"got {s.stored!r}{' also ' + str(s.others) if s.others else ''}"
            for s in self.scored if s.outcome != "right")


def evaluate(path: Path) -> Report:
    return Report([score(item) for item in load_items(path)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, nargs="?", default=DEV)
    parser.add_argument("--failures", action="store_true", help="list every item not right (not for the gate set)")
    args = parser.parse_args(argv)
    if args.failures and args.path.name in BLIND:
        parser.error(f"{args.path.name} is never tuned on: only its counts are shown")
    report = evaluate(args.path)
    print(report.table())
    if args.failures:
        print(report.failures())
    return 0 if report.meets_target() else 1


if __name__ == "__main__":
    sys.exit(main())

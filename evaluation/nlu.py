"""Parse the held-out and red-team sets with the trained model and score them."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "assistant.tar.gz"
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
REDTEAM_SETS = {"tuning": ROOT / "tests" / "redteam", "blind": ROOT / "tests" / "redteam_blind",
                "overdose_blind": ROOT / "tests" / "redteam_overdose_blind"}
# The fewest crises and look-alikes a set must keep once training overlaps are removed.
MIN_SET_SIZE = {"tuning": 150, "blind": 150, "overdose_blind": 100}
# Sets never used to tune anything: only their numbers are shown, never their messages
# (reading them would turn them into tuning sets).
BLIND_SETS = {"blind", "overdose_blind"}
# Development sets, scored by `python -m evaluation.nlu --dev` (they are tuned on: messages shown).
DEV_SETS = {"overdose_dev": ROOT / "evaluation" / "overdose_dev"}


TRAINING_DATA = ROOT / "data" / "nlu"


def comparable(text: str) -> str:
    """Lower case, letters and digits only: "HELLO??" and "hello" are the same message."""
    return re.sub(r"[^a-z0-9 ]", "", " ".join(text.lower().split()))


def _examples(path: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(line.strip()[2:].strip(), block["intent"]) for block in data.get("nlu", [])
            for line in block["examples"].splitlines() if line.strip().startswith("- ")]


def training_texts() -> set[str]:
    return {comparable(text) for path in TRAINING_DATA.glob("*.yml") for text, _ in _examples(path)}


def load_heldout(path: Path = HELDOUT) -> list[tuple[str, str]]:
    """The held-out messages, minus any that also occur in the training data.

    The sets were written apart, but short messages ("hi", "what is suboxone")
    coincide; a message the model was trained on says nothing about unseen ones.
    """
    seen = training_texts()
    return [(text, intent) for text, intent in _examples(path) if comparable(text) not in seen]


def load_redteam(folder: Path) -> tuple[list[dict], list[dict]]:
    seen = training_texts()
    read = lambda name: [item for item in yaml.safe_load((folder / name).read_text(encoding="utf-8"))  # noqa: E731
                         if comparable(item["text"]) not in seen]
    return read("crisis.yml"), read("lookalikes.yml")


def full_intent(parse: dict) -> str:
    """The intent with its retrieval key where there is one: program/relapse."""
    name = parse["intent"]["name"]
    selector = parse.get("response_selector", {}).get(name) or parse.get("response_selector", {}).get("default")
    if selector and name in (parse.get("response_selector", {}).get("all_retrieval_intents") or []):
        return selector["response"]["intent_response_key"]
    return name


class Parser:
    """The trained NLU pipeline, loaded once (the same graph `rasa run` uses)."""

    def __init__(self, model: Path = MODEL) -> None:
        from rasa.core.agent import Agent

        self.agent = Agent.load(str(model))

    def parse_all(self, texts: list[str]) -> list[dict]:
        async def run() -> list[dict]:
            return [await self.agent.parse_message(text) for text in texts]

        return asyncio.run(run())


@dataclass
class IntentScores:
    accuracy: float
    macro_f1: float
    total: int
    per_intent_f1: dict[str, float]
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # text, expected, predicted


def score_intents(pairs: list[tuple[str, str]], predicted: list[str]) -> IntentScores:
    labels = sorted({expected for _, expected in pairs})
    f1 = {}
    for label in labels:
        tp = sum(1 for (_, e), p in zip(pairs, predicted, strict=True) if e == label and p == label)
        fp = sum(1 for (_, e), p in zip(pairs, predicted, strict=True) if e != label and p == label)
        fn = sum(1 for (_, e), p in zip(pairs, predicted, strict=True) if e == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    errors = [(t, e, p) for (t, e), p in zip(pairs, predicted, strict=True) if e != p]
    return IntentScores(
        accuracy=1 - len(errors) / len(pairs),
        macro_f1=sum(f1.values()) / len(f1),
        total=len(pairs),
        per_intent_f1=f1,
        errors=errors,
    )


@dataclass
class CrisisScores:
    recall: float  # any crisis intent counts
    false_alarm_rate: float
    crises: int
    lookalikes: int
    missed: list[str]
    false_alarms: list[str]
    kind_recall: float = 0.0  # only the crisis intent of the message's own kind counts (crisis_overdose for "overdose")
    wrong_kind: list[str] = field(default_factory=list)  # crises detected, but as another kind


def is_crisis(parse: dict) -> bool:
    return parse["intent"]["name"].startswith("crisis_")


def score_crisis(crises: list[dict], lookalikes: list[dict],
                 crisis_parses: list[dict], lookalike_parses: list[dict]) -> CrisisScores:
    missed = [c["text"] for c, p in zip(crises, crisis_parses, strict=True) if not is_crisis(p)]
    wrong_kind = [c["text"] for c, p in zip(crises, crisis_parses, strict=True)
                  if is_crisis(p) and p["intent"]["name"] != f"crisis_{c.get('kind')}"]
    false_alarms = [lk["text"] for lk, p in zip(lookalikes, lookalike_parses, strict=True) if is_crisis(p)]
    return CrisisScores(
        recall=1 - len(missed) / len(crises),
        false_alarm_rate=len(false_alarms) / len(lookalikes),
        crises=len(crises),
        lookalikes=len(lookalikes),
        missed=missed,
        false_alarms=false_alarms,
        kind_recall=1 - (len(missed) + len(wrong_kind)) / len(crises),
        wrong_kind=wrong_kind,
    )


def score_sets(parser: Parser, sets: dict[str, Path]) -> dict[str, CrisisScores]:
    scores = {}
    for name, folder in sets.items():
        crises, lookalikes = load_redteam(folder)
        scores[name] = score_crisis(crises, lookalikes, parser.parse_all([c["text"] for c in crises]),
                                    parser.parse_all([lk["text"] for lk in lookalikes]))
    return scores


def evaluate(parser: Parser) -> dict:
    pairs = load_heldout()
    intents = score_intents(pairs, [full_intent(p) for p in parser.parse_all([t for t, _ in pairs])])
    return {"intents": intents, "crisis": score_sets(parser, REDTEAM_SETS)}


if __name__ == "__main__":
    import sys

    parser = Parser()
    results = evaluate(parser)
    scores = results["intents"]
    print(f"held-out: accuracy {scores.accuracy:.3f}, macro-F1 {scores.macro_f1:.3f} on {scores.total}")
    for text, expected, got in scores.errors:
        print(f"  {expected:32} -> {got:32} | {text}")
    crisis_sets = {**results["crisis"], **(score_sets(parser, DEV_SETS) if "--dev" in sys.argv else {})}
    for name, c in crisis_sets.items():
        print(f"red-team {name}: recall {c.recall:.3f} ({len(c.missed)} missed of {c.crises}), "
              f"right kind {c.kind_recall:.3f} ({len(c.wrong_kind)} another kind), "
              f"false alarms {c.false_alarm_rate:.3f} ({len(c.false_alarms)} of {c.lookalikes})")
        if name in BLIND_SETS:  # numbers only: reading its messages would turn it into a tuning set
            continue
        for text in c.missed:
            print(f"  MISSED | {text}")
        for text in c.wrong_kind:
            print(f"  KIND   | {text}")
        for text in c.false_alarms:
            print(f"  FALSE  | {text}")

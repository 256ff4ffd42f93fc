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
REDTEAM_SETS = {"tuning": ROOT / "tests" / "redteam", "blind": ROOT / "tests" / "redteam_blind"}


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
    recall: float
    false_alarm_rate: float
    crises: int
    lookalikes: int
    missed: list[str]
    false_alarms: list[str]


def is_crisis(parse: dict) -> bool:
    return parse["intent"]["name"].startswith("crisis_")


def score_crisis(crises: list[dict], lookalikes: list[dict],
                 crisis_parses: list[dict], lookalike_parses: list[dict]) -> CrisisScores:
    missed = [c["text"] for c, p in zip(crises, crisis_parses, strict=True) if not is_crisis(p)]
    false_alarms = [lk["text"] for lk, p in zip(lookalikes, lookalike_parses, strict=True) if is_crisis(p)]
    return CrisisScores(
        recall=1 - len(missed) / len(crises),
        false_alarm_rate=len(false_alarms) / len(lookalikes),
        crises=len(crises),
        lookalikes=len(lookalikes),
        missed=missed,
        false_alarms=false_alarms,
    )


def evaluate(parser: Parser) -> dict:
    pairs = load_heldout()
    intents = score_intents(pairs, [full_intent(p) for p in parser.parse_all([t for t, _ in pairs])])
    crisis = {}
    for name, folder in REDTEAM_SETS.items():
        crises, lookalikes = load_redteam(folder)
        crisis[name] = score_crisis(crises, lookalikes, parser.parse_all([c["text"] for c in crises]),
                                    parser.parse_all([lk["text"] for lk in lookalikes]))
    return {"intents": intents, "crisis": crisis}


if __name__ == "__main__":
    results = evaluate(Parser())
    scores = results["intents"]
    print(f"held-out: accuracy {scores.accuracy:.3f}, macro-F1 {scores.macro_f1:.3f} on {scores.total}")
    for text, expected, got in scores.errors:
        print(f"  {expected:32} -> {got:32} | {text}")
    for name, c in results["crisis"].items():
        print(f"red-team {name}: recall {c.recall:.3f} ({len(c.missed)} missed of {c.crises}), "
              f"false alarms {c.false_alarm_rate:.3f} ({len(c.false_alarms)} of {c.lookalikes})")
        if name == "blind":  # numbers only: reading its messages would turn it into a tuning set
            continue
        for text in c.missed:
            print(f"  MISSED | {text}")
        for text in c.false_alarms:
            print(f"  FALSE  | {text}")

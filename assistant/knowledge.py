"""Clinical answers, read from knowledge/*.yml (clinician-reviewable text, one source each).

Answers are looked up, never generated: a medication and an aspect, two
medications, a substance and a topic. Every text carries its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
ASPECT_TITLES = {
    "info": "What it is",
    "side_effects": "Side effects",
    "how_taken": "How it's taken",
    "when_start": "When to start",
    "pregnancy": "Pregnancy",
}
ASPECTS = tuple(ASPECT_TITLES)
SUBSTANCES = ("alcohol", "opioids", "benzodiazepines", "stimulants")
WITHDRAWAL_TOPICS = ("cold_turkey", "symptoms")
OPTION_GROUPS = {
    "opioids": ["methadone", "buprenorphine_naloxone", "naltrexone", "sublocade", "vivitrol"],
    "alcohol": ["naltrexone", "acamprosate", "disulfiram", "vivitrol"],
}
# The medications offered as buttons when we need to ask which one is meant.
MAIN_MEDICATIONS = ["methadone", "buprenorphine_naloxone", "naltrexone", "vivitrol"]


@dataclass(frozen=True)
class Knowledge:
    medications: dict
    comparisons: list
    options: dict
    mixing_notes: dict
    withdrawal: dict

    def display_name(self, medication: str) -> str:
        return self.medications[medication]["name"]

    def medication_answer(self, medication: str, aspect: str) -> str | None:
        entry = self.medications.get(medication, {}).get("aspects", {}).get(aspect)
        return entry["text"] if entry else None

    def comparison(self, first: str, second: str) -> str | None:
        for item in self.comparisons:
            if set(item["pair"]) == {first, second}:
                return item["text"]
        return None

    def comparisons_with(self, medication: str) -> list[str]:
        return [other for item in self.comparisons if medication in item["pair"]
                for other in item["pair"] if other != medication]

    def medication_options(self, substance: str | None) -> str:
        return self.options.get(substance or "general", self.options["general"])["text"]

    def mixing(self, medication: str | None) -> str:
        return self.mixing_notes.get(medication or "general", self.mixing_notes["general"])["text"]

    def withdrawal_answer(self, substance: str | None, topic: str) -> str:
        entry = self.withdrawal["substances"].get(substance or "", {}).get(topic)
        return (entry or self.withdrawal["general"][topic])["text"]

    def all_texts(self) -> list[tuple[str, str, str]]:
        """(where, text, source) for every answer: for review and for tests."""
        out = []
        for med, entry in self.medications.items():
            for aspect, item in entry["aspects"].items():
                out.append((f"medications.{med}.{aspect}", item["text"], item.get("source", "")))
        for item in self.comparisons:
            out.append((f"comparisons.{'/'.join(item['pair'])}", item["text"], item.get("source", "")))
        for name, section in (("options", self.options), ("mixing", self.mixing_notes)):
            for key, item in section.items():
                out.append((f"{name}.{key}", item["text"], item.get("source", "")))
        for sub, entry in self.withdrawal["substances"].items():
            for topic in WITHDRAWAL_TOPICS:
                out.append((f"withdrawal.{sub}.{topic}", entry[topic]["text"], entry[topic].get("source", "")))
        for topic in WITHDRAWAL_TOPICS:
            item = self.withdrawal["general"][topic]
            out.append((f"withdrawal.general.{topic}", item["text"], item.get("source", "")))
        return out


def load_knowledge(directory: Path = KNOWLEDGE_DIR) -> Knowledge:
    meds = yaml.safe_load((directory / "medications.yml").read_text(encoding="utf-8"))
    withdrawal = yaml.safe_load((directory / "withdrawal.yml").read_text(encoding="utf-8"))
    return Knowledge(
        medications=meds["medications"],
        comparisons=meds["comparisons"],
        options=meds["options"],
        mixing_notes=meds["mixing"],
        withdrawal=withdrawal,
    )


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    return load_knowledge()

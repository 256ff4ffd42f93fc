"""Clinical answers, read from knowledge/*.yml (clinician-reviewable text, one source each).

Answers are looked up, never generated: a medication and an aspect, two
medications, a substance and a topic, or a program FAQ key (sent by Rasa as the
domain response utter_<intent>/<key>, generated into domain/faq.yml). Every text
carries its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
# The topics of a medication answer, in the order their buttons are offered (titles: knowledge/medications.yml).
ASPECTS = ("info", "side_effects", "how_taken", "when_start", "pregnancy")
SUBSTANCES = ("alcohol", "opioids", "benzodiazepines", "stimulants")
# The retrieval intents whose answers knowledge/program.yml holds, one section each.
FAQ_INTENTS = ("program", "loved_one")
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
    faq: dict  # retrieval intent -> key -> answer
    titles: dict  # button titles (medications.yml `titles`): `aspects` by aspect, and `comparison`

    def display_name(self, medication: str) -> str:
        return self.medications[medication]["name"]

    def aspect_title(self, aspect: str) -> str:
        return self.titles["aspects"][aspect]

    def comparison_title(self, first: str, second: str) -> str:
        """The title of a button that offers the comparison of two medications, `first` named first."""
        return self.titles["comparison"].format(first=self.display_name(first), second=self.display_name(second))

    def medication_answer(self, medication: str, aspect: str, sms: bool = False) -> str | None:
        entry = self.medications.get(medication, {}).get("aspects", {}).get(aspect)
        return _text(entry, sms) if entry else None

    def comparison(self, first: str, second: str, sms: bool = False) -> str | None:
        for item in self.comparisons:
            if set(item["pair"]) == {first, second}:
                return _text(item, sms)
        return None

    def comparisons_with(self, medication: str) -> list[str]:
        return [other for item in self.comparisons if medication in item["pair"]
                for other in item["pair"] if other != medication]

    def medication_options(self, substance: str | None, sms: bool = False) -> str:
        return _text(self.options.get(substance or "general", self.options["general"]), sms)

    def mixing(self, medication: str | None, sms: bool = False) -> str:
        return _text(self.mixing_notes.get(medication or "general", self.mixing_notes["general"]), sms)

    def withdrawal_answer(self, substance: str | None, topic: str, sms: bool = False) -> str:
        entry = self.withdrawal["substances"].get(substance or "", {}).get(topic)
        return _text(entry or self.withdrawal["general"][topic], sms)

    def all_texts(self) -> list[tuple[str, str, str]]:
        """(where, text, source) for every answer, SMS wordings too ("<where>.sms"): for review and for tests."""
        items = []
        for med, entry in self.medications.items():
            items += [(f"medications.{med}.{aspect}", item) for aspect, item in entry["aspects"].items()]
        items += [(f"comparisons.{'/'.join(item['pair'])}", item) for item in self.comparisons]
        for name, section in (("options", self.options), ("mixing", self.mixing_notes)):
            items += [(f"{name}.{key}", item) for key, item in section.items()]
        for sub, entry in self.withdrawal["substances"].items():
            items += [(f"withdrawal.{sub}.{topic}", entry[topic]) for topic in WITHDRAWAL_TOPICS]
        items += [(f"withdrawal.general.{topic}", self.withdrawal["general"][topic]) for topic in WITHDRAWAL_TOPICS]
        items += [(f"{intent}.{key}", item) for intent, answers in self.faq.items() for key, item in answers.items()]
        out = []
        for where, item in items:
            out.append((where, item["text"], item.get("source", "")))
            if "sms" in item:
                out.append((f"{where}.sms", item["sms"], item.get("source", "")))
        return out


def _text(entry: dict, sms: bool) -> str:
    """The SMS wording on SMS when the entry has one (knowledge/*.yml `sms`), else the text."""
    return entry.get("sms", entry["text"]) if sms else entry["text"]


def load_knowledge(directory: Path = KNOWLEDGE_DIR) -> Knowledge:
    meds = yaml.safe_load((directory / "medications.yml").read_text(encoding="utf-8"))
    withdrawal = yaml.safe_load((directory / "withdrawal.yml").read_text(encoding="utf-8"))
    program = yaml.safe_load((directory / "program.yml").read_text(encoding="utf-8"))
    return Knowledge(
        medications=meds["medications"],
        comparisons=meds["comparisons"],
        options=meds["options"],
        mixing_notes=meds["mixing"],
        withdrawal=withdrawal,
        faq={intent: program[intent] for intent in FAQ_INTENTS},
        titles=meds["titles"],
    )


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    return load_knowledge()


def faq_response(intent: str, key: str) -> str:
    """The domain response that sends knowledge/program.yml `<intent>.<key>`."""
    return f"utter_{intent}/{key}"


def load_time_sensitive(directory: Path = KNOWLEDGE_DIR) -> dict[str, dict]:
    """The FAQ answers whose facts change by date ("program.telehealth" -> the answer, with its `response`).

    Each has `review_by`, the date by which it must be checked again
    (tests/unit/test_time_sensitive.py fails after it), and `review`: what to check.
    """
    return {f"{intent}.{key}": {**item, "response": faq_response(intent, key)}
            for intent, answers in load_knowledge(directory).faq.items()
            for key, item in answers.items() if "review_by" in item}

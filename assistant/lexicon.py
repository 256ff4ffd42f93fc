"""Medication and substance names: every surface form -> one canonical key; topic and service names.

The same file (assistant/lexicon.yml) feeds the spaCy entity ruler, so what the
ruler finds and what the actions understand cannot drift apart.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_PATH = Path(__file__).with_name("lexicon.yml")
LABELS = ("medication", "substance")


def _key(text: str) -> str:
    text = re.sub(r"\s+", " ", text.lower().replace("\u2019", "'")).strip()
    return re.sub(r"\s*([/-])\s*", r"\1", text)


@dataclass(frozen=True)
class Lexicon:
    forms: dict[str, dict[str, str]]  # label -> surface form -> canonical
    brand_notes: dict[str, str]
    ambiguous: dict[str, list[str]]
    opioid: dict[str, frozenset[str]] = field(default_factory=dict)  # label -> canonical keys that are opioids
    topics: dict[str, str] = field(default_factory=dict)  # intent -> what it is about, in the person's words
    services: dict[str, str] = field(default_factory=dict)  # center.yml service key -> its name in an answer
    services_joined: str = "{first}, {last}"  # two or more service names in one answer (lexicon.yml's wording)

    def canonical(self, label: str, text: str) -> str | None:
        return self.forms.get(label, {}).get(_key(text))

    def is_opioid(self, label: str, canonical: str) -> bool:
        """True for a canonical key of the lexicon's opioid group ("opioids", "methadone", "sublocade"...)."""
        return canonical in self.opioid.get(label, ())

    def brand_note(self, text: str) -> str | None:
        return self.brand_notes.get(_key(text))

    def ambiguous_in(self, text: str) -> list[str]:
        """Medications a vague phrase in `text` could mean ("the shot" -> vivitrol, sublocade, brixadi)."""
        lowered = _key(text)
        for form, candidates in sorted(self.ambiguous.items(), key=lambda item: -len(item[0])):
            if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", lowered):
                return candidates
        return []

    def service_list(self, keys: list[str]) -> str:
        """The names of these services in one phrase ("outpatient care and medically supervised detox")."""
        names = [self.services[key] for key in keys]
        return names[-1] if len(names) == 1 else self.services_joined.format(first=", ".join(names[:-1]), last=names[-1])

    def ruler_patterns(self, tokenize) -> list[dict]:
        """spaCy EntityRuler patterns, case-insensitive, split by the pipeline's own tokenizer."""
        patterns = []
        for label, forms in self.forms.items():
            for form, canonical in forms.items():
                tokens = [{"LOWER": tok} for tok in tokenize(form)]
                patterns.append({"label": label, "pattern": tokens, "id": canonical})
        return patterns


def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    forms: dict[str, dict[str, str]] = {}
    for label in LABELS:
        table: dict[str, str] = {}
        for canonical, surface_forms in (raw.get(label) or {}).items():
            for form in [canonical.replace("_", " "), *surface_forms]:
                key = _key(str(form))
                if table.get(key, canonical) != canonical:
                    raise ValueError(f"{path}: '{key}' is listed under {table[key]} and {canonical}")
                table[key] = canonical
        forms[label] = table
    notes = {_key(k): v for k, v in (raw.get("brand_notes") or {}).items()}
    ambiguous = {_key(k): list(v) for k, v in (raw.get("ambiguous") or {}).items()}
    opioid = {label: frozenset(keys or ()) for label, keys in (raw.get("opioid") or {}).items()}
    for label, keys in opioid.items():
        unknown = keys - set(forms.get(label, {}).values())
        if unknown:
            raise ValueError(f"{path}: opioid lists unknown {label} keys {sorted(unknown)}")
    topics = {str(intent): str(label) for intent, label in (raw.get("topics") or {}).items()}
    services = {str(key): str(name) for key, name in (raw.get("services") or {}).items()}
    joined = str(raw.get("services_joined") or "")
    if {f for _, f, _, _ in string.Formatter().parse(joined) if f is not None} != {"first", "last"}:
        raise ValueError(f"{path}: services_joined must use {{first}} and {{last}}: {joined!r}")
    return Lexicon(forms=forms, brand_notes=notes, ambiguous=ambiguous, opioid=opioid, topics=topics,
                   services=services, services_joined=joined)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return load_lexicon()

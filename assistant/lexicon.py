"""Medication and substance names: every surface form -> one canonical key.

The same file (assistant/lexicon.yml) feeds the spaCy entity ruler, so what the
ruler finds and what the actions understand cannot drift apart.
"""

from __future__ import annotations

import re
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
    return Lexicon(forms=forms, brand_notes=notes, ambiguous=ambiguous, opioid=opioid)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return load_lexicon()

"""The state a reply names (assistant/intake/places.yml): "Reno, Nevada", "i'm in NV", "nyc", "Carolina del Sur"."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.intake.fuzzy import closest
from assistant.intake.words import MAX_MATCHED_TEXT, blank, find, has, norm, words

PLACES_PATH = Path(__file__).with_name("places.yml")
AMBIGUOUS = "?"


@lru_cache(maxsize=1)
def _places() -> dict:
    return yaml.safe_load(PLACES_PATH.read_text(encoding="utf-8"))


STATES: dict[str, str] = dict(_places()["states"])


@lru_cache(maxsize=1)
def _phrases() -> dict[str, str]:
    """Normalized name -> code, every name and other name; ambiguous places -> AMBIGUOUS."""
    phrases = {norm(name): code for code, name in STATES.items()}
    for code, names in _places()["names"].items():
        phrases.update({norm(str(name)): code for name in names})
    phrases.update({norm(str(place)): AMBIGUOUS for place in _places()["ambiguous"]})
    return phrases


def _codes_in(raw: str, text: str) -> list[str]:
    """Two-letter codes in a sentence: in capitals ("Houston TX"), or in lower case after "in" ("im in nv")."""
    code_words, after = set(_places()["code_words"]), set(_places()["code_after"])
    found = [token for token in re.findall(r"\b[A-Z]{2}\b", raw) if token in STATES and token not in code_words]
    tokens = text.split()
    found += [token.upper() for before, token in zip(tokens, tokens[1:], strict=False)
              if before in after and token.upper() in STATES and token.upper() not in code_words]
    return found


def parse_state(text: str) -> str | None:
    """Two-letter code of the one state a reply names (or the one it says the person lives in now);
    None if it names none or several."""
    raw = (text or "")[:MAX_MATCHED_TEXT]
    text = norm(raw)
    whole = text.replace(" ", "") if len(text.replace(" ", "")) == 2 else text
    if whole.upper() in STATES and (raw.strip().isupper() or whole not in _places()["not_alone"]):
        return whole.upper()
    if text in _places()["alone"]:
        return _places()["alone"][text]
    phrases = _phrases()
    matches = find(tuple(phrases), text)
    found = [(start, phrases[phrase]) for start, _, phrase in matches]
    rest = blank(text, [(start, end) for start, end, _ in matches])
    found += [(0, code) for code in _codes_in(raw, rest)]
    if not found:
        found = [(0, phrases[name]) for name in closest(text, phrases, min_length=4)]  # "Pensylvania", "Ohoi"
    codes = {code for _, code in found}
    if len(codes) > 1 and AMBIGUOUS in codes:  # "Kansas City, Missouri", "Texas, USA": the state said
        codes.discard(AMBIGUOUS)
    if len(codes) > 1:  # "born in Texas, living in Ohio": where they live now
        codes = {code for start, code in found if has(_lives_now(), " ".join(text[:start].split()[-3:]))}
    return codes.pop() if len(codes) == 1 and AMBIGUOUS not in codes else None


@lru_cache(maxsize=1)
def _lives_now() -> tuple[str, ...]:
    return words().phrases("lives_now")

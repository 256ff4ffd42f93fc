"""Earlier answers corrected at any point ("actually my number is ...", "call me in the evening instead")."""

from __future__ import annotations

import re

from assistant.intake.contact import normalize_phone, parse_name
from assistant.intake.parsed import Parsed, ok
from assistant.intake.phrases import one_option
from assistant.intake.places import parse_state
from assistant.intake.questions import question
from assistant.intake.words import MAX_MATCHED_TEXT, has, norm, words

_NAME_IS = re.compile(r"\b(?:my\s+(?:first\s+)?name\s+is|my\s+name['’]?s|name\s+is)\s+([^\s,.;!?]+)", re.IGNORECASE)
_CALL_ME_NAME = re.compile(r"\b[Cc]all me\s+([A-Z][^\s,.;!?]*)")


def _one_option(question_id: str, text: str) -> Parsed | None:
    value = one_option(question_id, text)
    return ok(question(question_id), value, None) if value else None


def _says(key: str, text: str) -> bool:
    return has(tuple(norm(str(w)) for w in words().raw["corrections"][key]), text)


def detect_correction(text: str) -> list[tuple[str, Parsed]]:
    """Earlier answers corrected in `text`. Conservative: each needs a correction cue and words about what
    changes (answer_words.yml corrections); a name needs "my name is" or "call me <Name>"."""
    raw = (text or "")[:MAX_MATCHED_TEXT]
    normalized = norm(raw)
    cue = _says("cues", normalized)
    found: list[tuple[str, Parsed]] = []
    phone = normalize_phone(raw) if cue or _says("phone", normalized) else None
    if phone:
        found.append(("intake_phone", ok(question("intake_phone"), phone, None)))
    for match in (_NAME_IS.search(raw), _CALL_ME_NAME.search(raw) if cue else None):
        name = parse_name(match.group(1)) if match else None
        if name:
            found.append(("intake_name", Parsed("ok", name, name)))
            break
    if not cue:
        return found
    for question_id in ("intake_best_time", "intake_insurance", "intake_contact_safety"):
        if _says(question_id, normalized) and (parsed := _one_option(question_id, normalized)):
            found.append((question_id, parsed))
    if _says("intake_state", normalized) and (code := parse_state(raw)):
        found.append(("intake_state", ok(question("intake_state"), code, None)))
    return found

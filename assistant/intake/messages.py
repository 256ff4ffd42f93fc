"""Voicemail and texts, said OK or not one by one: "texts are fine, no voicemail please" -> texts only.

The words, and which option each pair is, are in answer_words.yml (message_permissions).
"""

from __future__ import annotations

from functools import lru_cache

from assistant.intake.words import find, norm, words

# How many words before a channel a "no", "just" or "you can" still belongs to it ("don't leave me a voicemail").
REACH = 4


@lru_cache(maxsize=1)
def _config() -> dict:
    raw = words().raw["message_permissions"]
    phrases = {key: tuple(norm(str(p)) for p in raw[key])
               for key in ("only", "said_ok_after", "said_ok_before", "refused_after")}
    return {
        "question": raw["question"],
        "channels": {name: tuple(norm(p) for p in names) for name, names in raw["channels"].items()},
        "options": {value: (pair["voicemail"], pair["texts"]) for value, pair in raw["options"].items()},
        **phrases,
    }


def asks_permissions(question_id: str) -> bool:
    return question_id == _config()["question"]


def _starts(text: str, phrases: tuple[str, ...]) -> bool:
    return any(text == p or text.startswith(p + " ") for p in phrases)


def _ends(text: str, phrases: tuple[str, ...]) -> bool:
    return any(text == p or text.endswith(" " + p) for p in phrases)


def _groups(part: str) -> list[tuple[int, int, list[str]]]:
    """The channels mentioned, those joined by "and"/"or" as one group ("voicemail and texts are ok")."""
    mentions = sorted((start, end, name) for name, phrases in _config()["channels"].items()
                      for start, end, _ in find(phrases, part))
    groups: list[tuple[int, int, list[str]]] = []
    for start, end, name in mentions:
        if groups and part[groups[-1][1]:start].strip() in ("", *words().phrases("conjunctions")):
            groups[-1] = (groups[-1][0], end, [*groups[-1][2], name])
        else:
            groups.append((start, end, [name]))
    return groups


def _said(parts: list[str]) -> tuple[dict[str, bool], set[str]]:
    """Channel -> said OK (True) or refused (False), for those said either way; and those said with "only"."""
    config, negations = _config(), words().words("negations")
    said: dict[str, bool] = {}
    only: set[str] = set()
    for part in parts:
        groups = _groups(part)
        for i, (start, end, names) in enumerate(groups):
            since = groups[i - 1][1] if i else 0  # words of another channel are not this one's
            before = " ".join(part[since:start].split()[-REACH:])
            after = " ".join(part[end:groups[i + 1][0] if i + 1 < len(groups) else len(part)].split()[:4])
            after_verb = " ".join(after.split()[1:])  # "texts are not ok": past the verb
            refused = any(word in negations for word in before.split()) \
                or _starts(after, config["refused_after"]) or _starts(after_verb, config["refused_after"])
            exclusive = _ends(before, config["only"]) or _starts(after, config["only"])
            agreed = exclusive or not (before or after) or _starts(after, config["said_ok_after"]) \
                or _starts(after_verb, config["said_ok_after"]) or _ends(before, config["said_ok_before"]) \
                or _ends(" ".join(before.split()[:-1]), config["said_ok_before"])
            for name in names:
                if refused:
                    said[name] = False
                elif agreed:
                    said.setdefault(name, True)
                    if exclusive:
                        only.add(name)
    return said, only


UNCLEAR = ""


def permission_value(parts: list[str]) -> str | None:
    """The option for what the normalized parts of a reply say of voicemail and texts; None if they say
    nothing of either, UNCLEAR if what they say picks no option ("no texts": and voicemail?)."""
    config = _config()
    said, only = _said(parts)
    if only:  # "just texts": and not the other
        for other in config["channels"]:
            said.setdefault(other, False)
    voicemail, texts = said.get("voicemail"), said.get("texts")
    if voicemail is None and texts is None:
        return None
    if voicemail is None or texts is None:
        if voicemail is False or texts is False:
            return UNCLEAR  # one refused, the other not said: ask
        voicemail, texts = bool(voicemail), bool(texts)  # one said OK: only that one
    return next((value for value, pair in config["options"].items() if pair == (voicemail, texts)), None)

"""What the channels write themselves (channels/texts.yml), read once and checked when read.

Here rather than in channels/ because assistant/sms.py (the SMS rules the
channel and `make sms-report` share) writes the options line, and assistant/
imports no adapter. The channels read their texts from here too.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import yaml

TEXTS_PATH = Path(__file__).resolve().parent.parent / "channels" / "texts.yml"


@dataclass(frozen=True)
class SmsTexts:
    options: str  # {options}
    option: str  # {key}, {title}
    option_separator: str
    privacy_note: str
    opted_out: str
    opted_in: str  # {name}
    help: str  # {name}, {phone}, {hours}
    no_text: str
    slow_down: str  # {too_fast}
    apology: str  # {phone}


@dataclass(frozen=True)
class ChannelTexts:
    too_fast: str
    sms: SmsTexts


# The placeholders each text may use; a text without an entry uses none.
PLACEHOLDERS = {
    "sms.options": {"options"},
    "sms.option": {"key", "title"},
    "sms.opted_in": {"name"},
    "sms.help": {"name", "phone", "hours"},
    "sms.slow_down": {"too_fast"},
    "sms.apology": {"phone"},
}


class ChannelTextsError(ValueError):
    pass


def _texts(raw: object, names: list[str], where: str, path: Path) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ChannelTextsError(f"{path}: {where or 'the file'} must be a mapping of texts")
    unknown = sorted(set(raw) - set(names))
    missing = [name for name in names if not isinstance(raw.get(name), str) or not raw[name]]
    if unknown or missing:
        raise ChannelTextsError(f"{path}: {where or 'top level'}: missing or empty {missing}, unknown {unknown}")
    for name in names:
        key = f"{where}.{name}" if where else name
        used = {field for _, field, _, _ in string.Formatter().parse(raw[name]) if field is not None}
        if not used <= PLACEHOLDERS.get(key, set()):
            allowed = ", ".join(sorted(PLACEHOLDERS.get(key, set()))) or "none"
            raise ChannelTextsError(f"{path}: {key} uses {sorted(used)}; its placeholders: {allowed}")
    return {name: raw[name] for name in names}


def load_channel_texts(path: Path = TEXTS_PATH) -> ChannelTexts:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ChannelTextsError(f"cannot read channel texts {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise ChannelTextsError(f"{path}: must be a mapping (too_fast, sms)")
    top = _texts({k: v for k, v in raw.items() if k != "sms"}, ["too_fast"], "", path)
    sms = _texts(raw.get("sms"), [f.name for f in fields(SmsTexts)], "sms", path)
    return ChannelTexts(too_fast=top["too_fast"], sms=SmsTexts(**sms))


@lru_cache(maxsize=1)
def channel_texts() -> ChannelTexts:
    """channels/texts.yml, read once per process."""
    return load_channel_texts()

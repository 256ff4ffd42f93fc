"""Triage of a finished pre-assessment, from the rules in triage.yml (config over code)."""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from assistant.center import PROJECT_ROOT, Center
from assistant.intake.questions import SKIPPED, UNKNOWN, catalog
from assistant.intake.screening import suicide_screen_positive
from assistant.intake.submission import LEVELS, Triage

DEFAULT_PATH = PROJECT_ROOT / "triage.yml"
CRISIS_KINDS = ("suicide", "overdose", "medical")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WINDOW_PLACEHOLDERS = {"opening_day", "opening_time", "next_business_day"}


class TriageConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    level: str
    reason: str
    when: dict


@dataclass(frozen=True)
class TriageConfig:
    rules: tuple[Rule, ...]
    same_day_levels: frozenset[str]
    callback_windows: dict[str, dict[str, str]]  # level -> {"open": ..., "closed": ...}


def _check_condition(cond, where: str) -> dict:
    """The condition with YAML's true/false turned back into "yes"/"no" (staff may leave them unquoted)."""
    if not isinstance(cond, dict) or len(cond.keys() & {"any", "all", "question", "crisis"}) != 1:
        raise TriageConfigError(f"{where}: a condition is one of any, all, question or crisis: {cond!r}")
    if "any" in cond or "all" in cond:
        key = "any" if "any" in cond else "all"
        if set(cond) != {key} or not isinstance(cond[key], list) or not cond[key]:
            raise TriageConfigError(f"{where}: {key} needs a non-empty list of conditions")
        return {key: [_check_condition(c, where) for c in cond[key]]}
    if "crisis" in cond:
        kinds = cond["crisis"]
        if set(cond) != {"crisis"} or not isinstance(kinds, list) or not set(kinds) <= set(CRISIS_KINDS):
            raise TriageConfigError(f"{where}: crisis needs a list of {', '.join(CRISIS_KINDS)}")
        return {"crisis": list(kinds)}
    qid = cond["question"]
    q = catalog().questions.get(qid)
    if q is None or set(cond) != {"question", "in"} or not isinstance(cond["in"], list):
        raise TriageConfigError(f"{where}: needs a known question and an `in` list: {cond!r}")
    values = [{True: "yes", False: "no"}.get(v, v) if isinstance(v, bool) else v for v in cond["in"]]
    known = {opt.value for opt in q.options} | {SKIPPED, UNKNOWN}
    unknown = [v for v in values if v not in known]
    if unknown:
        raise TriageConfigError(f"{where}: {qid} has no value {', '.join(map(repr, unknown))}")
    return {"question": qid, "in": values}


def load_triage_config(path: str | os.PathLike | None = None) -> TriageConfig:
    path = Path(path or os.environ.get("TRIAGE_CONFIG") or DEFAULT_PATH)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise TriageConfigError(f"cannot read triage config {path}: {exc}") from exc
    rules = []
    for n, rule in enumerate(raw.get("rules") or [], start=1):
        where = f"{path}: rule {n}"
        if not isinstance(rule, dict) or rule.get("level") not in LEVELS or not str(rule.get("reason") or "").strip():
            raise TriageConfigError(f"{where}: needs a level ({', '.join(LEVELS)}) and a reason")
        rules.append(Rule(rule["level"], str(rule["reason"]), _check_condition(rule.get("when"), where)))
    same_day = raw.get("same_day_levels") or []
    if not set(same_day) <= set(LEVELS):
        raise TriageConfigError(f"{path}: same_day_levels must be among {', '.join(LEVELS)}")
    windows = raw.get("callback_windows") or {}
    for level in LEVELS:
        texts = windows.get(level) or {}
        for key in ("open", "closed"):
            text = texts.get(key)
            fields = {f for _, f, _, _ in string.Formatter().parse(text or "") if f is not None}
            if not text or not fields <= WINDOW_PLACEHOLDERS:
                raise TriageConfigError(
                    f"{path}: callback_windows.{level}.{key} needs a text using only {', '.join(sorted(WINDOW_PLACEHOLDERS))}"
                )
    return TriageConfig(tuple(rules), frozenset(same_day), {level: dict(windows[level]) for level in LEVELS})


@lru_cache(maxsize=1)
def triage_config() -> TriageConfig:
    """The configured rules, read once per process."""
    return load_triage_config()


def _matches(cond: dict, answers: dict, crisis_kinds: set[str]) -> bool:
    if "any" in cond:
        return any(_matches(c, answers, crisis_kinds) for c in cond["any"])
    if "all" in cond:
        return all(_matches(c, answers, crisis_kinds) for c in cond["all"])
    if "crisis" in cond:
        return bool(set(cond["crisis"]) & crisis_kinds)
    value = answers.get(cond["question"])
    given = value if isinstance(value, list) else [value]
    return any(v in cond["in"] for v in given)


def triage(answers: dict, crisis_kinds: set[str] = frozenset(), config: TriageConfig | None = None) -> Triage:
    """The most urgent matching level, with the reasons of every matching rule (most urgent first)."""
    config = config or triage_config()
    matched = [rule for rule in config.rules if _matches(rule.when, answers, set(crisis_kinds))]
    matched.sort(key=lambda rule: LEVELS.index(rule.level))
    level = matched[0].level if matched else "ROUTINE"
    return Triage(level, tuple(dict.fromkeys(rule.reason for rule in matched)))


def same_day(result: Triage, answers: dict, config: TriageConfig | None = None) -> bool:
    """Staff must reach the person today. A positive suicide screen always is (clinical reference 3.6)."""
    config = config or triage_config()
    return result.level in config.same_day_levels or suicide_screen_positive(answers)


# --- callback windows ------------------------------------------------------------------


def _hours(center: Center, day: date) -> tuple[time, time] | None:
    if not center.opening_hours:  # no hours configured: any day, any time
        return time(0, 0), time(23, 59, 59)
    span = center.opening_hours.get(WEEKDAYS[day.weekday()])
    return (time.fromisoformat(span[0]), time.fromisoformat(span[1])) if span else None


def _day_name(day: date, today: date) -> str:
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    return WEEKDAYS[day.weekday()].capitalize()


def _clock(t: time) -> str:
    hour = t.hour % 12 or 12
    minutes = f":{t.minute:02d}" if t.minute else ""
    return f"{hour}{minutes} {'am' if t.hour < 12 else 'pm'}"


def callback_window(level: str, now: datetime, center: Center, config: TriageConfig | None = None) -> str:
    """When to expect the call, in the center's time zone ("as soon as possible today", "Monday, after we open at 8 am").

    A naive `now` is read as the center's local time.
    """
    config = config or triage_config()
    tz = ZoneInfo(center.timezone)
    local = now.astimezone(tz) if now.tzinfo else now.replace(tzinfo=tz)
    today = local.date()
    hours = _hours(center, today)
    is_open = hours is not None and hours[0] <= local.time() < hours[1]
    opening_day, opening_time = None, None
    for offset in range(8):
        day = today + timedelta(days=offset)
        day_hours = _hours(center, day)
        if day_hours and (offset > 0 or local.time() < day_hours[0]):
            opening_day, opening_time = day, day_hours[0]
            break
    next_business_day = next(
        (today + timedelta(days=n) for n in range(1, 8) if _hours(center, today + timedelta(days=n))), None
    )
    if opening_day is None or next_business_day is None:
        raise ValueError("center.yml opening_hours has no opening day")
    template = config.callback_windows[level]["open" if is_open else "closed"]
    return template.format(
        opening_day=_day_name(opening_day, today),
        opening_time=_clock(opening_time),
        next_business_day=_day_name(next_business_day, today),
    )

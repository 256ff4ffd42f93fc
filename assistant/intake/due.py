"""When staff should have called a request: the end of the window the person was promised.

The staff console sorts its queue by this and flags a request past it as
overdue. The rules are triage.yml's `callback_due` (next to callback_windows,
which word the promise); `open` and `closed` are decided exactly as for the
promise (promises.moment), so the two never disagree. A due time is never in
closed hours. triage.yml's `unanswered_limit` is read here too: both are what
the console works by.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.center import Center, current_center
from assistant.intake.promises import closing_at, moment
from assistant.intake.submission import LEVELS
from assistant.intake.triage import DEFAULT_PATH, TriageConfigError

END_OF_DAYS = ("opening_day", "next_business_day")  # the day placeholders of callback_windows


@dataclass(frozen=True)
class DueRule:
    minutes: int | None = None  # N minutes after the request (open) or after the next opening (closed)
    end_of: str | None = None  # or the closing time of this day (one of END_OF_DAYS)


@dataclass(frozen=True)
class DueConfig:
    rules: dict[str, dict[str, DueRule]]  # level -> {"open": rule, "closed": rule}
    unanswered_limit: int


def _rule(raw: object, where: str) -> DueRule:
    if isinstance(raw, dict) and set(raw) == {"minutes"}:
        minutes = raw["minutes"]
        if isinstance(minutes, int) and not isinstance(minutes, bool) and minutes > 0:
            return DueRule(minutes=minutes)
    if isinstance(raw, dict) and set(raw) == {"end_of"} and raw["end_of"] in END_OF_DAYS:
        return DueRule(end_of=raw["end_of"])
    raise TriageConfigError(f"{where} needs {{minutes: N}} (N > 0) or {{end_of: {' | '.join(END_OF_DAYS)}}}: {raw!r}")


def load_due_config(path: str | os.PathLike | None = None) -> DueConfig:
    path = Path(path or os.environ.get("TRIAGE_CONFIG") or DEFAULT_PATH)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise TriageConfigError(f"cannot read triage config {path}: {exc}") from exc
    due = raw.get("callback_due")
    if not isinstance(due, dict):
        raise TriageConfigError(f"{path}: callback_due needs open and closed for each of {', '.join(LEVELS)}")
    rules: dict[str, dict[str, DueRule]] = {}
    for level in LEVELS:
        texts = due.get(level)
        if not isinstance(texts, dict):
            raise TriageConfigError(f"{path}: callback_due.{level} needs open and closed")
        rules[level] = {key: _rule(texts.get(key), f"{path}: callback_due.{level}.{key}") for key in ("open", "closed")}
    limit = raw.get("unanswered_limit")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise TriageConfigError(f"{path}: unanswered_limit needs a whole number of calls, 1 or more: {limit!r}")
    return DueConfig(rules, limit)


@lru_cache(maxsize=1)
def due_config() -> DueConfig:
    """triage.yml's callback_due and unanswered_limit, read once per process."""
    return load_due_config()


def due_at(level: str, now: datetime, center: Center | None = None, config: DueConfig | None = None) -> datetime:
    """When a request of this level made at `now` (naive: the center's local time) should have been called, in UTC."""
    center = center or current_center()
    config = config or due_config()
    at = moment(now, center)
    rule = config.rules[level]["open" if at.staffed else "closed"]
    if rule.end_of is not None:
        day = at.opening.date() if rule.end_of == "opening_day" else at.next_business_day
        return closing_at(center, day).astimezone(timezone.utc)
    assert rule.minutes is not None  # _rule gives one or the other
    # Open: from now, and staff are at work today. Closed: from the next opening, on that day.
    start = now if at.staffed else at.opening
    start = start if start.tzinfo else start.replace(tzinfo=at.opening.tzinfo)
    closing = closing_at(center, at.today if at.staffed else at.opening.date())
    # In UTC: a daylight-saving change inside the N minutes still counts N real minutes.
    return min(start.astimezone(timezone.utc) + timedelta(minutes=rule.minutes), closing.astimezone(timezone.utc))

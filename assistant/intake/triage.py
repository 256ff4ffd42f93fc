"""Triage of a finished pre-assessment, from the rules in triage.yml (config over code)."""

from __future__ import annotations

import os
import string
from collections.abc import Set
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.center import PROJECT_ROOT
from assistant.intake.questions import SKIPPED, UNKNOWN, catalog
from assistant.intake.screening import audit_c, suicide_screen_positive
from assistant.intake.submission import LEVELS, Level, Triage

DEFAULT_PATH = PROJECT_ROOT / "triage.yml"
CRISIS_KINDS = ("suicide", "overdose", "medical")
WINDOW_PLACEHOLDERS = {"opening_day", "opening_time", "next_business_day"}
# call_promises: each text and the placeholders it must use (exactly these).
PROMISE_PLACEHOLDERS = {"open": {"window"}, "closing_soon": {"window", "not_watched"},
                        "closed": {"window", "not_watched"}, "not_watched": set()}
# Instrument totals a rule can test ({score: AUDIT-C, at_least: 8}).
SCORED = {
    "AUDIT-C": lambda answers: audit_c(answers.get("intake_audit_c_1"), answers.get("intake_audit_c_2"),
                                       answers.get("intake_audit_c_3"), answers.get("intake_sex")),
}


class TriageConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    level: Level  # checked by load_triage_config
    reason: str
    when: dict
    source: str | None = None  # docs/clinical-sources.md#<anchor> or a public URL


@dataclass(frozen=True)
class TriageConfig:
    rules: tuple[Rule, ...]
    same_day_levels: frozenset[str]
    callback_windows: dict[str, dict[str, str]]  # level -> {"open": ..., "closed": ...}
    call_promises: dict[str, str]  # open, closing_soon, closed, not_watched: what the person reads


def _check_condition(cond, where: str) -> dict:
    """The condition with YAML's true/false turned back into "yes"/"no" (staff may leave them unquoted)."""
    if not isinstance(cond, dict) or len(cond.keys() & {"any", "all", "question", "crisis", "score"}) != 1:
        raise TriageConfigError(f"{where}: a condition is one of any, all, question, score or crisis: {cond!r}")
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
    if "score" in cond:
        if set(cond) != {"score", "at_least"} or cond["score"] not in SCORED or not isinstance(cond["at_least"], int):
            raise TriageConfigError(f"{where}: score needs one of {', '.join(SCORED)} and an integer at_least: {cond!r}")
        return {"score": cond["score"], "at_least": cond["at_least"]}
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
        rules.append(Rule(rule["level"], str(rule["reason"]), _check_condition(rule.get("when"), where), rule.get("source")))
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
    promises = raw.get("call_promises") or {}
    for key, needed in PROMISE_PLACEHOLDERS.items():
        text = promises.get(key) if isinstance(promises, dict) else None
        fields = {f for _, f, _, _ in string.Formatter().parse(text if isinstance(text, str) else "") if f is not None}
        if not text or not isinstance(text, str) or fields != needed:
            uses = ", ".join(sorted(needed)) or "no placeholder"
            raise TriageConfigError(f"{path}: call_promises.{key} needs a text using {uses}")
    return TriageConfig(tuple(rules), frozenset(same_day), {level: dict(windows[level]) for level in LEVELS},
                        {key: promises[key] for key in PROMISE_PLACEHOLDERS})


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
    if "score" in cond:
        total = SCORED[cond["score"]](answers).score
        return total is not None and total >= cond["at_least"]
    value = answers.get(cond["question"])
    given = value if isinstance(value, list) else [value]
    return any(v in cond["in"] for v in given)


def triage(answers: dict, crisis_kinds: Set[str] = frozenset(), config: TriageConfig | None = None) -> Triage:
    """The most urgent matching level, with the reasons of every matching rule (most urgent first)."""
    config = config or triage_config()
    matched = [rule for rule in config.rules if _matches(rule.when, answers, set(crisis_kinds))]
    matched.sort(key=lambda rule: LEVELS.index(rule.level))
    level = matched[0].level if matched else "ROUTINE"
    return Triage(level, tuple(dict.fromkeys(rule.reason for rule in matched)))


def same_day(result: Triage, answers: dict, config: TriageConfig | None = None) -> bool:
    """Staff must reach the person today. A positive suicide screen always is (docs/clinical-sources.md#c-ssrs-screener)."""
    config = config or triage_config()
    return result.level in config.same_day_levels or suicide_screen_positive(answers)

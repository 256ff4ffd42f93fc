"""The pre-assessment question catalog (assistant/intake/questions.yml), read once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CATALOG_PATH = Path(__file__).with_name("questions.yml")
KINDS = ("single", "multi", "phone", "name", "free_text", "state", "confirm")
ASAM_DIMENSIONS = ("D1", "D2", "D3", "D4", "D5", "D6")
# Dimensions of the person's own condition: a family member may not know these answers.
CLINICAL_DIMENSIONS = ("D1", "D2", "D3", "D4", "D5")
# Only items 3 and 4 of TAPS-1 are asked, so it is named that way wherever staff see it.
INSTRUMENTS = ("AUDIT-C", "TAPS-1 items 3-4", "PHQ-2", "GAD-2", "C-SSRS")
# What a number in an answer is (amounts.py): an age, days ago, drinks, times a week, days of the
# past two weeks, the hour of the day.
UNITS = ("age", "days", "drinks", "per_week", "days_of_14", "hour")
SKIP_LABELS = ("Skip", "Prefer not to say")
SKIPPED = "skipped"
UNKNOWN = "unknown"
# What the form says between the questions (assistant/intake/conversation.py, confirmation.py).
REPLIES = ("not_understood", "ask_again", "why_or_skip", "changed", "summary")


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    label_loved_one: str | None = None
    score: int | None = None
    synonyms: tuple[str, ...] = ()
    means: str | None = None  # "yes" / "no": a plain yes or no reply picks this option
    range: tuple[float, float] | None = None  # a number in the answer (age, days, drinks) within it picks this option

    def label_for(self, for_whom: str | None) -> str:
        return self.label_loved_one if for_whom == "loved_one" and self.label_loved_one else self.label


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text: str | None  # None: not asked of the person themself
    text_loved_one: str | None  # None: not asked of a family member
    why: str
    asam: str | None
    instrument: str | None
    summary_label: str | None  # None: not shown in the end summary
    skippable: bool
    skip_label: str | None
    options: tuple[Option, ...] = ()
    unit: str | None = None
    # Words that are no count (a bottle, a pint): the person is asked `ask_count_text` instead of a guess.
    ask_count_for: tuple[str, ...] = ()
    ask_count_text: str | None = None
    source: str | None = None  # docs/clinical-sources.md#<anchor> or a public URL
    # The question is about a time window ("in the past 3 months"): a time said within it is a yes, before it a no.
    window_days: int | None = None
    # The question asks for an OK (consent, messages, the summary): "sure", "fine", "ok" are a yes.
    asks_ok: bool = False

    def option(self, value: str) -> Option | None:
        return next((opt for opt in self.options if opt.value == value), None)

    def allows_unknown(self, for_whom: str | None) -> bool:
        """A family member may answer "I don't know" to clinical questions, unless "Not sure" is already an option."""
        return for_whom == "loved_one" and self.asam in CLINICAL_DIMENSIONS and self.option("not_sure") is None


@dataclass(frozen=True)
class Catalog:
    notice: dict[str, str]
    notice_version: str
    questions: dict[str, Question]
    notice_sms: dict[str, str]
    hints: dict[str, str]  # by question kind: how to answer
    replies: dict[str, dict[str, str]]  # by name: {"text": ..., "sms": ...}, "sms" optional
    unknown_label: str  # "I don't know": an answer a family member may give to a clinical question
    skipped_label: str  # a skipped answer, for a question without a skip_label
    # One step for consent and who it is for, when the request did not say (docs/pre-assessment.md).
    consent_with_for: tuple[str, ...]


class CatalogError(ValueError):
    pass


def _option(qid: str, raw: dict) -> Option:
    for key in ("value", "label"):
        if not isinstance(raw.get(key), str):
            raise CatalogError(f"{qid}: option {key} must be a string (quote yes/no): {raw!r}")
    if raw.get("means") not in (None, "yes", "no"):
        raise CatalogError(f"{qid}: option {raw['value']}: means must be yes or no")
    bounds = raw.get("range")
    return Option(
        value=raw["value"],
        label=raw["label"],
        label_loved_one=raw.get("label_loved_one"),
        score=raw.get("score"),
        synonyms=tuple(str(s) for s in raw.get("synonyms") or ()),
        means=raw.get("means"),
        range=(float(bounds[0]), float(bounds[1])) if bounds else None,
    )


def _question(qid: str, raw: dict) -> Question:
    options = tuple(_option(qid, opt) for opt in raw.get("options") or ())
    question = Question(
        id=qid,
        kind=raw.get("kind", ""),  # checked against KINDS below
        text=raw.get("text"),
        text_loved_one=raw.get("text_loved_one"),
        why=raw.get("why") or "",
        asam=raw.get("asam"),
        instrument=raw.get("instrument"),
        summary_label=raw.get("summary_label"),
        skippable=bool(raw.get("skippable")),
        skip_label=raw.get("skip_label"),
        options=options,
        unit=raw.get("unit"),
        ask_count_for=tuple(str(w) for w in raw.get("ask_count_for") or ()),
        ask_count_text=raw.get("ask_count_text"),
        source=raw.get("source"),
        window_days=raw.get("window_days"),
        asks_ok=bool(raw.get("asks_ok")),
    )
    problems = []
    if question.kind not in KINDS:
        problems.append(f"kind must be one of {', '.join(KINDS)}")
    if not (question.text or question.text_loved_one):
        problems.append("needs text or text_loved_one")
    if not question.why:
        problems.append("needs why")
    if question.asam not in (None, *ASAM_DIMENSIONS):
        problems.append(f"asam must be one of {', '.join(ASAM_DIMENSIONS)} or null")
    if question.instrument not in (None, *INSTRUMENTS):
        problems.append(f"instrument must be one of {', '.join(INSTRUMENTS)} or null")
    if question.unit not in (None, *UNITS):
        problems.append(f"unit must be one of {', '.join(UNITS)} or null")
    if question.skippable and question.skip_label not in SKIP_LABELS:
        problems.append(f"skip_label must be one of {', '.join(SKIP_LABELS)}")
    if (question.kind in ("single", "multi", "confirm")) != bool(options):
        problems.append("options are required for single, multi and confirm questions only")
    values = [opt.value for opt in options]
    if len(set(values)) != len(values) or {SKIPPED, UNKNOWN} & set(values):
        problems.append("option values must be unique and not 'skipped' or 'unknown'")
    if question.window_days is not None and not (isinstance(question.window_days, int) and question.window_days > 0):
        problems.append("window_days must be a number of days")
    if bool(question.ask_count_for) != bool(question.ask_count_text):
        problems.append("ask_count_for and ask_count_text go together")
    if question.instrument and any(opt.score is None for opt in options):
        problems.append("instrument options need a score")
    if problems:
        raise CatalogError(f"{qid}: " + "; ".join(problems))
    return question


def load_catalog(path: Path = CATALOG_PATH) -> Catalog:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    notice, notice_sms = raw.get("notice") or {}, raw.get("notice_sms") or {}
    if set(notice) != {"self", "loved_one"} or set(notice_sms) != {"self", "loved_one"} or not raw.get("notice_version"):
        raise CatalogError(f"{path}: needs notice and notice_sms (each self and loved_one) and notice_version")
    questions = {qid: _question(qid, body) for qid, body in (raw.get("questions") or {}).items()}
    hints, replies = raw.get("hints") or {}, raw.get("replies") or {}
    if set(hints) != set(KINDS):
        raise CatalogError(f"{path}: hints needs one per kind: {', '.join(KINDS)}")
    if set(replies) != set(REPLIES) or any(not body.get("text") or set(body) - {"text", "sms"}
                                           for body in replies.values()):
        raise CatalogError(f"{path}: replies needs {', '.join(REPLIES)}, each with text and an optional sms")
    labels = raw.get("labels") or {}
    if not (isinstance(labels.get("unknown"), str) and isinstance(labels.get("skipped"), str)
            and isinstance(labels.get("consent_with_for"), list) and labels["consent_with_for"]
            and all(isinstance(label, str) for label in labels["consent_with_for"])):
        raise CatalogError(f"{path}: labels needs unknown, skipped and consent_with_for (a list of labels)")
    return Catalog(notice=dict(notice), notice_version=str(raw["notice_version"]), questions=questions,
                   notice_sms=dict(notice_sms), hints=dict(hints), replies={k: dict(v) for k, v in replies.items()},
                   unknown_label=labels["unknown"], skipped_label=labels["skipped"],
                   consent_with_for=tuple(labels["consent_with_for"]))


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    return load_catalog()


def question(question_id: str) -> Question:
    try:
        return catalog().questions[question_id]
    except KeyError:
        raise KeyError(f"unknown intake question {question_id!r}") from None


def as_question(q: Question | str) -> Question:
    return q if isinstance(q, Question) else question(q)


def notice_text(for_whom: str | None, center_name: str, sms: bool = False) -> str:
    """The consent notice (its SMS wording on SMS); `for_whom` None (not known yet) gets the self wording."""
    key = "loved_one" if for_whom == "loved_one" else "self"
    notices = catalog().notice_sms if sms else catalog().notice
    return notices[key].replace("{center_name}", center_name)


def notice_version(sms: bool = False) -> str:
    """The version of the notice shown: the SMS wording is a version of its own, so the consent record says which."""
    return catalog().notice_version + ("-sms" if sms else "")


def hint(kind: str) -> str:
    return catalog().hints[kind]


def reply_text(name: str, sms: bool = False, **values: str) -> str:
    """A reply of the catalog, in its SMS wording on SMS when it has one, with `values` in its {placeholders}."""
    wording = catalog().replies[name]
    template = wording["sms"] if sms and wording.get("sms") else wording["text"]
    return template.format(**values)


def text_for(q: Question | str, for_whom: str | None) -> str:
    q = as_question(q)
    text = q.text_loved_one if for_whom == "loved_one" else q.text
    if text is None:
        raise ValueError(f"{q.id} is not asked on the {for_whom or 'self'} path")
    return text


def buttons_for(q: Question | str, for_whom: str | None) -> list[tuple[str, str]]:
    """(label, payload) pairs; the payload is the label itself, so a tap and a typed answer parse the same way.

    For intake_consent with `for_whom` None, the buttons also say who it is for.
    """
    q = as_question(q)
    if q.id == "intake_consent" and for_whom is None:
        labels = list(catalog().consent_with_for)
    else:
        labels = [opt.label_for(for_whom) for opt in q.options]
        if q.allows_unknown(for_whom):
            labels.append(catalog().unknown_label)
        if q.skippable:
            assert q.skip_label is not None  # _question: a skippable question has a skip_label
            labels.append(q.skip_label)
    return [(label, label) for label in labels]

"""The call-back queue as rows: the dict `intake callbacks --json` prints, and the CSV of `--csv` and the console's export.

No web framework here: the command and the console write the same CSV.
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

from assistant.db.models import CallbackRequest

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SCALARS = (
    "reference", "status", "priority", "crisis_flag", "same_day", "for_whom", "first_name", "phone_e164", "best_time",
    "callback_window", "voicemail_ok", "text_ok", "conversation_id", "consent_notice_version",
)  # fmt: skip
TIMES = ("consent_at", "created_at", "updated_at")
SCORE_PARTS = ("score", "max_score", "positive")


def as_dict(request: CallbackRequest) -> dict[str, Any]:
    row = {key: getattr(request, key) for key in SCALARS}
    row["triage_reasons"] = request.reasons
    row.update({key: getattr(request, key).isoformat() for key in TIMES})
    row["answers"] = [
        {"question_id": a.question_id, "value": a.parsed_value, "label": a.label, "asam_dimension": a.asam_dimension}
        for a in request.answers
    ]
    row["scores"] = [
        {"instrument": s.instrument, "score": s.score, "max_score": s.max_score, "positive": s.positive, "detail": s.detail}
        for s in request.scores
    ]
    return row


def cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: person-typed values starting with = + - @ would run as formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    is_phone = text.startswith("+") and text[1:].isdigit()  # +17025550123 stays dialable
    if text.startswith(FORMULA_STARTS) and not is_phone:
        return "'" + text
    return text


def write_csv(requests: list[CallbackRequest], out: TextIO) -> None:
    rows = [as_dict(r) for r in requests]
    fixed = [*SCALARS, "triage_reasons", *TIMES]
    # One column per question and per instrument, in the order they first appear.
    questions = list(dict.fromkeys(a["question_id"] for row in rows for a in row["answers"]))
    instruments = list(dict.fromkeys(s["instrument"] for row in rows for s in row["scores"]))
    header = fixed + [f"answer:{q}" for q in questions]
    header += [f"{part}:{i}" for i in instruments for part in SCORE_PARTS]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        answers = {a["question_id"]: a["label"] for a in row["answers"]}
        scores = {s["instrument"]: s for s in row["scores"]}
        cells = ["; ".join(row[key]) if key == "triage_reasons" else row[key] for key in fixed]
        cells += [answers.get(q) for q in questions]
        cells += [scores.get(i, {}).get(part) for i in instruments for part in SCORE_PARTS]
        writer.writerow([cell(c) for c in cells])

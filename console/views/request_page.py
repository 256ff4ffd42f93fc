"""One request, laid out for the phone call: contact and safety, triage, answers by ASAM dimension, scores,
consent, transcript, calls, notes and history; and what staff do on it: claim, outcome, note."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import yaml
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from assistant.center import PROJECT_ROOT
from assistant.db import calls
from assistant.db.audit import Seen
from assistant.db.callbacks import get_callback, normalize_reference
from console import transcript
from console.app import audit_view, can, client_address, database_url, requires, username

blueprint = Blueprint("request_page", __name__)
NOTE_MAX = 4000
OUTCOME_LABELS = {
    "reached": "Reached the person",
    "left_voicemail": "Left a voicemail",
    "no_answer": "No answer",
    "wrong_number": "Wrong number",
    "scheduled": "Assessment scheduled",
    "referred": "Referred elsewhere",
    "not_interested": "Not interested",
    "closed": "Closed",
}


FOR_STAFF = PROJECT_ROOT / "assistant" / "intake" / "for_staff.yml"


@lru_cache(maxsize=1)
def for_staff() -> dict:
    """ASAM dimension names and what each screening score means (clinical text: data, with sources)."""
    with open(FOR_STAFF, encoding="utf-8") as file:
        return yaml.safe_load(file)


def _reference(reference: str) -> str:
    return normalize_reference(reference)[:16]


@blueprint.route("/requests/<reference>")
@requires("queue")
def show(reference: str) -> ResponseReturnValue:
    reference = _reference(reference)
    found = get_callback(reference, url=database_url())
    if found is None:
        audit_view("request", [Seen(reference=reference)], detail="not found")
        abort(404)
    audit_view("request", [Seen(reference=reference, conversation_id=found.conversation_id)], detail="request and transcript")
    by_dimension: dict[str, list] = {}
    for answer in found.answers:
        by_dimension.setdefault(answer.asam_dimension or "", []).append(answer)
    texts = for_staff()
    dimensions = [(code, texts["asam_dimensions"].get(code, texts["no_dimension"]), by_dimension[code])
                  for code in sorted(by_dimension, key=lambda c: (c == "", c))]
    return render_template(
        "request.html", title=f"Request {found.reference}", r=found, dimensions=dimensions,
        meanings={name: entry["meaning"] for name, entry in texts["scores"].items()},
        shown=transcript.load(found.conversation_id, database_url()),
        outcomes=OUTCOME_LABELS, today=date.today(), mine=found.claimed_by == username(),
        may_release=found.claimed_by == username() or can("users"),
    )


def _back(reference: str) -> ResponseReturnValue:
    return redirect(url_for("request_page.show", reference=reference))


@blueprint.route("/requests/<reference>/claim", methods=["POST"])
@requires("queue")
def claim(reference: str) -> ResponseReturnValue:
    reference = _reference(reference)
    try:
        result = calls.claim(reference, username(), client_address(), url=database_url())
    except calls.CallError as exc:
        flash(str(exc), "error")
        return _back(reference)
    if not result.won:
        flash(f"{result.claimed_by} is already calling this person.", "error")
    return _back(reference)


@blueprint.route("/requests/<reference>/release", methods=["POST"])
@requires("queue")
def release(reference: str) -> ResponseReturnValue:
    reference = _reference(reference)
    try:
        calls.release(reference, username(), client_address(), may_override=can("users"), url=database_url())
    except calls.CallError as exc:
        flash(str(exc), "error")
    return _back(reference)


@blueprint.route("/requests/<reference>/outcome", methods=["POST"])
@requires("queue")
def outcome(reference: str) -> ResponseReturnValue:
    reference = _reference(reference)
    chosen = request.form.get("outcome", "")
    scheduled_for = None
    if chosen == "scheduled":
        try:
            scheduled_for = date.fromisoformat(request.form.get("scheduled_for", ""))
        except ValueError:
            flash("Give the date of the assessment.", "error")
            return _back(reference)
    note = request.form.get("note", "").strip()[:NOTE_MAX] or None
    try:
        calls.record_outcome(reference, chosen, username(), client_address(), scheduled_for=scheduled_for, note=note,
                             url=database_url())
    except calls.CallError as exc:
        flash(str(exc), "error")
        return _back(reference)
    flash(f"Recorded: {OUTCOME_LABELS.get(chosen, chosen)}.", "ok")
    return _back(reference)


@blueprint.route("/requests/<reference>/notes", methods=["POST"])
@requires("queue")
def add_note(reference: str) -> ResponseReturnValue:
    reference = _reference(reference)
    text = request.form.get("note", "")
    if len(text) > NOTE_MAX:
        flash(f"A note holds at most {NOTE_MAX} characters: shorten it or add two.", "error")
        return _back(reference)
    try:
        calls.add_note(reference, username(), text, client_address(), url=database_url())
    except calls.CallError as exc:
        flash(str(exc), "error")
        return _back(reference)
    flash("Note added.", "ok")
    return _back(reference)

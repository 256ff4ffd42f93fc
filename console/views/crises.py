"""Crisis review for clinicians: every crisis event (unreviewed first), one event with its transcript, the review.

A crisis alert (assistant/intake/notify.py, with $CONSOLE_URL) links to /crises/<id>.
"""

from __future__ import annotations

import math

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from assistant.db import crises as records
from assistant.db.audit import Seen
from console import transcript
from console.app import audit_view, client_address, database_url, requires, username
from console.conversation_index import request_references
from console.query_args import page_arg

blueprint = Blueprint("crises", __name__)
PER_PAGE = 50


@blueprint.route("/crises")
@requires("crisis_review")
def crises() -> ResponseReturnValue:
    page = page_arg()
    rows, total = records.review_page(page, PER_PAGE, url=database_url())
    pages = max(1, math.ceil(total / PER_PAGE))
    if page > pages:
        rows, page = records.review_page(pages, PER_PAGE, url=database_url())[0], pages
    audit_view("crises", [Seen(reference=ref, conversation_id=event.conversation_id) for event, ref in rows] or None,
               detail=f"page {page}")
    return render_template("crises.html", title="Crisis review", rows=rows, total=total, page=page, pages=pages)


# An id past an INTEGER column's largest is no event (and SQLite's driver would fail on it): a 404.
@blueprint.route("/crises/<int(max=2147483647):event_id>")
@requires("crisis_review")
def show(event_id: int) -> ResponseReturnValue:
    event = records.get_crisis_event(event_id, url=database_url())
    if event is None:
        audit_view("crises", detail=f"crisis event {event_id} not found")
        abort(404)
    reference = request_references([event.conversation_id], database_url()).get(event.conversation_id)
    audit_view("crises", [Seen(reference=reference, conversation_id=event.conversation_id)],
               detail=f"crisis event {event_id} with transcript")
    return render_template("crisis.html", title=f"Crisis event #{event.id}", event=event, reference=reference,
                           shown=transcript.load(event.conversation_id, database_url()),
                           note_max=records.MAX_REVIEW_NOTE)


@blueprint.route("/crises/<int(max=2147483647):event_id>/review", methods=["POST"])
@requires("crisis_review")
def review(event_id: int) -> ResponseReturnValue:
    note = request.form.get("note", "").strip()
    if not note:
        flash("Write a review note: what you checked and what was done.", "error")
        return redirect(url_for("crises.show", event_id=event_id))
    if len(note) > records.MAX_REVIEW_NOTE:
        flash(f"A review note holds at most {records.MAX_REVIEW_NOTE} characters: shorten it.", "error")
        return redirect(url_for("crises.show", event_id=event_id))
    # Audited inside, in the same transaction as the review.
    reviewed = records.review_crisis_with_note(event_id, username(), note, address=client_address(), url=database_url())
    if reviewed is None:
        audit_view("review-crisis", detail=f"crisis event {event_id} not found")
        abort(404)
    event, recorded = reviewed
    if recorded:
        flash(f"Crisis event #{event_id} marked reviewed.", "ok")
    else:
        flash(f"Crisis event #{event_id} was already reviewed by {event.reviewed_by}: that review stands, "
              "and your note was not saved.", "error")
    return redirect(url_for("crises.show", event_id=event_id))

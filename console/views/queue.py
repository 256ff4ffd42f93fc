"""The call-back queue: URGENT first, then by due time; filters, search, pages, and the poll for new URGENT ones.

Filters (status, level, dates) are in the query string; a search term (a name or
a phone number: PHI) is posted and kept in the session, never put in a URL.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from assistant.db import calls
from assistant.db.audit import Seen
from assistant.db.models import STATUSES
from assistant.intake.submission import LEVELS
from console.app import audit_view, database_url, requires
from console.query_args import day_arg, page_arg

blueprint = Blueprint("queue", __name__)
PER_PAGE = 50
SEARCH_MAX = 64


@blueprint.route("/")
@requires("queue")
def home() -> ResponseReturnValue:
    return redirect(url_for("queue.queue"))


@blueprint.route("/queue")
@requires("queue")
def queue() -> ResponseReturnValue:
    statuses = [s for s in request.args.getlist("status") if s in STATUSES] or None
    levels: list[str] | None = [level for level in request.args.getlist("level") if level in LEVELS] or None
    created_from, created_to = day_arg("from"), day_arg("to")
    search = session.get("queue_search") or None
    result = calls.queue_page(statuses=statuses, levels=levels, created_from=created_from, created_to=created_to,
                              search=search, page=page_arg(), per_page=PER_PAGE, url=database_url())
    audit_view("queue", [Seen(reference=row.reference) for row in result.rows] or None,
               detail=f"page {result.page}" + (" (search)" if search else ""))
    return render_template("queue.html", title="Call-back queue", result=result, statuses=statuses or [],
                           levels=levels or [], created_from=created_from, created_to=created_to, search=search,
                           all_statuses=STATUSES, all_levels=LEVELS, open_statuses=calls.OPEN_STATUSES,
                           newest_urgent=result.last_id)


@blueprint.route("/queue/search", methods=["POST"])
@requires("queue")
def search() -> ResponseReturnValue:
    term = request.form.get("q", "").strip()[:SEARCH_MAX]
    if request.form.get("clear") or not term:
        session.pop("queue_search", None)
    else:
        session["queue_search"] = term
    return redirect(url_for("queue.queue"))


@blueprint.route("/queue/updates")
@requires("queue")
def updates() -> ResponseReturnValue:
    """Polled by console.js (X-Console-Poll: 1, so it does not keep the session open): new URGENT requests."""
    after = request.args.get("after", "0")
    since = int(after) if after.isdigit() else 0
    new = calls.newest_urgent(after_id=since, url=database_url())
    if new:
        audit_view("queue", [Seen(reference=item.reference) for item in new], detail="new URGENT alert")
    return jsonify(newest=max([since, *(item.id for item in new)]),
                   urgent=[{"reference": item.reference, "url": url_for("request_page.show", reference=item.reference)}
                           for item in new])

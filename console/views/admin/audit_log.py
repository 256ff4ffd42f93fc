"""The access log, newest first, 100 rows a page; filters in the query string; the hash-chain check.

The filters are no PHI (usernames, action names, request references, dates), so
they may be in a URL. Looking at the log is itself logged ("audit").
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from assistant.center import current_center
from assistant.db.audit import ACTIONS, verify_chain
from assistant.db.audit_search import LogFilters, log_page
from assistant.db.callbacks import normalize_reference
from console.app import audit_view, database_url, requires
from console.query_args import day_arg, page_arg
from console.views.admin import blueprint

PER_PAGE = 100
PROBLEMS_SHOWN = 20  # the rest are counted; `intake audit verify` lists every one


def _start_of(day: date | None) -> datetime | None:
    # A day in the center's time zone, as staff read the times on the page.
    return datetime.combine(day, time(), ZoneInfo(current_center().timezone)) if day else None


def _filters() -> tuple[LogFilters, dict[str, str]]:
    who = request.args.get("who", "").strip()[:255]
    action = request.args.get("action", "")
    action = action if action in ACTIONS else ""
    reference = request.args.get("reference", "").strip()[:16]
    reference = normalize_reference(reference)[:16] if reference else ""
    day_from, day_to = day_arg("from"), day_arg("to")
    filters = LogFilters(who=who or None, action=action or None, reference=reference or None, since=_start_of(day_from),
                         before=_start_of(day_to + timedelta(days=1)) if day_to and day_to < date.max else None)
    shown = {"who": who, "action": action, "reference": reference, "from": day_from.isoformat() if day_from else "",
             "to": day_to.isoformat() if day_to else ""}
    return filters, shown


@blueprint.route("/audit")
@requires("audit")
def audit() -> ResponseReturnValue:
    filters, shown = _filters()
    result = log_page(filters, page=page_arg(100_000), per_page=PER_PAGE, url=database_url())
    used = " ".join(f"{key}={value}" for key, value in shown.items() if value)
    audit_view("audit", detail=f"page {result.page}" + (f"; {used}" if used else ""))
    check = session.pop("chain_check", None)
    return render_template("admin_audit.html", title="Access log", result=result, shown=shown, actions=sorted(ACTIONS),
                           check=check if isinstance(check, dict) else None)


@blueprint.route("/audit/verify", methods=["POST"])
@requires("audit")
def verify() -> ResponseReturnValue:
    checked, problems = verify_chain(url=database_url())
    audit_view("audit-verify", detail=f"{checked} rows checked, {len(problems)} problems")
    # Kept in the (server-side) session for the page after the redirect: a reload does not run the check again.
    session["chain_check"] = {
        "checked": checked, "count": len(problems),
        "problems": [{"row": p.row_id, "what": p.what} for p in problems[:PROBLEMS_SHOWN]],
    }
    return redirect(url_for("admin.audit"))

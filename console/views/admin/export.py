"""The call-back queue as a CSV file (the same as `intake callbacks --csv`), for a spreadsheet.

A GET: it changes nothing but the audit log, and its one parameter (a status) is
no PHI. Every request in the file gets its own "export" audit row, committed
before the file is built.
"""

from __future__ import annotations

import io

from flask import Response, abort, request

from assistant.db.audit import Seen
from assistant.db.callbacks import list_callbacks
from assistant.db.models import STATUSES, utc_now
from assistant.intake.queue_csv import write_csv
from console.app import audit_view, database_url, requires
from console.views.admin import blueprint


@blueprint.route("/export.csv")
@requires("export")
def export_csv() -> Response:
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        abort(400)
    requests = list_callbacks(status=status, url=database_url())
    audit_view("export", [Seen(reference=r.reference) for r in requests] or None, detail=f"csv, status {status or 'any'}")
    out = io.StringIO()
    write_csv(requests, out)
    name = f"callbacks-{status or 'all'}-{utc_now():%Y%m%d-%H%M}.csv"
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",  # PHI: never kept by the browser or a proxy
    })

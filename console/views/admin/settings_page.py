"""What this console runs with, read-only: its settings, the center's hours, which databases, the second factor.

A database is shown by its kind (the SQLAlchemy driver name) only: never its
address, user or password.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from assistant.center import current_center
from assistant.db import engine
from assistant.db.console_settings import totp_required
from assistant.db.models import STATUSES
from console.app import audit_view, database_url, requires, tracker_url
from console.views.admin import blueprint
from rasa_ext import transcripts


def driver_name(url: str) -> str:
    try:
        return make_url(url).drivername
    except ArgumentError:
        return "not recognized"


@blueprint.route("/settings")
@requires("settings")
def settings() -> ResponseReturnValue:
    audit_view("settings", detail="settings page")
    center = current_center()
    return render_template(
        "admin_settings.html", title="Settings", console=current_app.config["CONSOLE"].shown(), center=center,
        records_kind=driver_name(database_url() or engine.database_url()),
        tracker_kind=driver_name(tracker_url() or transcripts.tracker_url()),
        totp_required=totp_required(database_url()), statuses=STATUSES,
    )

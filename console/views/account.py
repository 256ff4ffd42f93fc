"""Your account: the second factor, and personal tokens for the `intake` command ($INTAKE_TOKEN)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from assistant.db import tokens
from assistant.db.audit import Seen
from assistant.db.console_settings import totp_required
from assistant.db.staff import StaffError
from console.app import audit_view, database_url, requires, username

blueprint = Blueprint("account", __name__)


@blueprint.route("/account")
@requires("queue")
def account() -> ResponseReturnValue:
    # A token made just now is shown once, on this page, then forgotten.
    new_token = session.pop("new_token", None)
    return render_template("account.html", title="Your account", tokens=tokens.list_tokens(username(), url=database_url()),
                           new_token=new_token, totp_required=totp_required(database_url()))


@blueprint.route("/account/tokens", methods=["POST"])
@requires("queue")
def make_token() -> ResponseReturnValue:
    try:
        token = tokens.create_token(username(), request.form.get("label", ""), url=database_url())
    except StaffError as exc:
        flash(str(exc), "error")
        return redirect(url_for("account.account"))
    audit_view("token-create", [Seen(account=username())], detail=request.form.get("label", "")[:64])
    session["new_token"] = token
    return redirect(url_for("account.account"))


@blueprint.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@requires("queue")
def revoke(token_id: int) -> ResponseReturnValue:
    try:
        tokens.revoke_token(username(), token_id, url=database_url())
    except StaffError as exc:
        flash(str(exc), "error")
        return redirect(url_for("account.account"))
    audit_view("token-revoke", [Seen(account=username())], detail=f"token {token_id}")
    flash("Token revoked: `intake` no longer accepts it.", "ok")
    return redirect(url_for("account.account"))

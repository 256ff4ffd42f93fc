"""Your account: the second factor, and personal tokens for the `intake` command ($INTAKE_TOKEN)."""

from __future__ import annotations

from typing import cast

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from assistant.db import staff_admin, tokens
from assistant.db.audit import Seen
from assistant.db.console_settings import totp_required
from assistant.db.staff import StaffError, authenticate, reset_password
from assistant.staff_passwords import MIN_LENGTH, WeakPassword
from console.app import audit_view, database_url, requires, username
from console.sessions import ServerSession

blueprint = Blueprint("account", __name__)


@blueprint.route("/account")
@requires("queue")
def account() -> ResponseReturnValue:
    # A token made just now is shown once, on this page, then forgotten.
    new_token = session.pop("new_token", None)
    return _page(new_token=new_token)


def _page(status: int = 200, **extra: object) -> ResponseReturnValue:
    return render_template("account.html", title="Your account", tokens=tokens.list_tokens(username(), url=database_url()),
                           totp_required=totp_required(database_url()), min_length=MIN_LENGTH, **extra), status


@blueprint.route("/account/password", methods=["POST"])
@requires("queue")
def change_password() -> ResponseReturnValue:
    """Your own password: the current one first (a session left open must not be enough to take the account)."""
    current, new, again = (request.form.get(field, "")[:256] for field in ("current", "password", "password_again"))
    if authenticate(username(), current, url=database_url()).account is None:
        audit_view("user-password", [Seen(account=username())], detail="refused: current password wrong")
        return _page(400, password_error="Your current password was not right. (Five wrong tries lock the account.)")
    if new != again:
        return _page(400, password_error="The two new passwords differ: type the same one twice.")
    try:
        reset_password(username(), new, url=database_url())
    except (StaffError, WeakPassword) as exc:
        return _page(400, password_error=str(exc)[:1].upper() + str(exc)[1:])
    # A password changed because it may have got out: the account's other sessions end; this one goes on, new id.
    staff_admin.end_sessions(username(), url=database_url())
    cast(ServerSession, session).rotate()
    audit_view("user-password", [Seen(account=username())], detail="changed by the account itself")
    flash("Your password is changed.", "ok")
    return redirect(url_for("account.account"))


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


# An id past an INTEGER column's largest is no token (and SQLite's driver would fail on it): a 404.
@blueprint.route("/account/tokens/<int(max=2147483647):token_id>/revoke", methods=["POST"])
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

"""Staff accounts: list, add, change a role, disable and enable, set a password; and the second-factor requirement.

Every change is audited with the account acted on, refused ones too (with why).
Disabling and demoting go through assistant/db/staff_admin.py, which keeps at
least one enabled admin.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from assistant.db import staff, staff_admin
from assistant.db.audit import Seen
from assistant.db.console_settings import set_setting, totp_required
from assistant.db.models import STAFF_ROLES
from assistant.staff_passwords import MIN_LENGTH, WeakPassword
from console.app import audit_view, client_address, database_url, requires, username
from console.views.admin import blueprint

MAX_PASSWORD = 256  # as the login form: longer is refused, never cut short
REFUSALS = (staff.StaffError, WeakPassword)


def _sentence(error: Exception) -> str:
    text = str(error)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _typed_name() -> str:
    return request.form.get("username", "").strip().lower()[:64]


def _page(status: int = 200, **form_state: object) -> tuple[str, int]:
    accounts = staff.list_users(url=database_url())
    return render_template("admin_users.html", title="Staff accounts", accounts=accounts, roles=STAFF_ROLES, me=username(),
                           totp_required=totp_required(database_url()), min_length=MIN_LENGTH, max_password=MAX_PASSWORD,
                           **form_state), status


def _new_password() -> str:
    password, again = request.form.get("password", ""), request.form.get("password_again", "")
    if len(password) > MAX_PASSWORD:
        raise WeakPassword(f"too long: at most {MAX_PASSWORD} characters")
    if password != again:
        raise staff.StaffError("the two passwords differ: type the same one twice")
    return password


def _refused(action: str, account: str, error: Exception) -> None:
    audit_view(action, [Seen(account=account or None)], detail=f"refused: {error}")


@blueprint.route("/users")
@requires("users")
def users() -> ResponseReturnValue:
    audit_view("users", detail="staff accounts")
    return _page()


@blueprint.route("/users/add", methods=["POST"])
@requires("users")
def add() -> ResponseReturnValue:
    name, role = _typed_name(), request.form.get("role", "")
    try:
        account = staff.add_user(name, role, _new_password(), url=database_url())
    except REFUSALS as exc:
        _refused("user-add", name, exc)
        return _page(400, add_error=_sentence(exc), add_username=name, add_role=role)
    audit_view("user-add", [Seen(account=account.username)], detail=f"role {account.role}")
    flash(f"Account {account.username} added as {account.role}. Give them the password in person or by phone.", "ok")
    return redirect(url_for("admin.users"))


@blueprint.route("/users/password", methods=["POST"])
@requires("users")
def set_password() -> ResponseReturnValue:
    name = _typed_name()
    try:
        account = staff.reset_password(name, _new_password(), url=database_url())
    except REFUSALS as exc:
        _refused("user-password", name, exc)
        return _page(400, password_error=_sentence(exc), password_account=name)
    # A new password set by an admin usually means the old one got out: its sessions end (not the admin's own).
    if account.username != username():
        staff_admin.end_sessions(account.username, url=database_url())
    audit_view("user-password", [Seen(account=account.username)], detail="set by an admin")
    flash(f"New password set for {account.username}.", "ok")
    return redirect(url_for("admin.users"))


@blueprint.route("/users/<name>/role", methods=["POST"])
@requires("users")
def change_role(name: str) -> ResponseReturnValue:
    role = request.form.get("role", "")
    try:
        account = staff_admin.change_role(username(), name, role, address=client_address(), url=database_url())
    except staff.StaffError as exc:
        _refused("user-role", name[:64], exc)
        flash(_sentence(exc), "error")
    else:
        flash(f"{account.username} is now {account.role}.", "ok")
    return redirect(url_for("admin.users"))


@blueprint.route("/users/<name>/disable", methods=["POST"])
@requires("users")
def disable(name: str) -> ResponseReturnValue:
    try:
        account = staff_admin.disable(username(), name, address=client_address(), url=database_url())
    except staff.StaffError as exc:
        _refused("user-disable", name[:64], exc)
        flash(_sentence(exc), "error")
    else:
        flash(f"{account.username} is disabled and logged out.", "ok")
    return redirect(url_for("admin.users"))


@blueprint.route("/users/<name>/enable", methods=["POST"])
@requires("users")
def enable(name: str) -> ResponseReturnValue:
    try:
        account = staff.enable_user(name, url=database_url())
    except staff.StaffError as exc:
        _refused("user-enable", name[:64], exc)
        flash(_sentence(exc), "error")
    else:
        audit_view("user-enable", [Seen(account=account.username)])
        flash(f"{account.username} may log in again.", "ok")
    return redirect(url_for("admin.users"))


@blueprint.route("/users/<name>/second-factor/remove", methods=["POST"])
@requires("users")
def remove_second_factor(name: str) -> ResponseReturnValue:
    """A lost phone: the account sets up a new second factor at its next login (if one is required)."""
    try:
        staff.set_totp_secret(name, None, url=database_url())
    except staff.StaffError as exc:
        _refused("totp-reset", name[:64], exc)
        flash(_sentence(exc), "error")
        return redirect(url_for("admin.users"))
    staff_admin.end_sessions(name, url=database_url())
    audit_view("totp-reset", [Seen(account=staff.normalize_username(name))], detail="second factor removed by an admin")
    flash(f"The second factor of {name} is removed and their sessions ended.", "ok")
    return redirect(url_for("admin.users"))


@blueprint.route("/users/second-factor", methods=["POST"])
@requires("settings")
def require_second_factor() -> ResponseReturnValue:
    required = request.form.get("require") == "yes"
    set_setting("require_totp", "yes" if required else "no", username(), client_address(), url=database_url())  # audits itself
    flash("Every account now needs a second factor: those without one set it up at their next login." if required
          else "A second factor is now optional.", "ok")
    return redirect(url_for("admin.users"))

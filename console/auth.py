"""Login (password, then the TOTP second factor when set up or required), logout, and the lockouts.

One answer for an unknown user, a wrong password, a disabled or a locked account.
Failed logins from one address are limited (counted in the access log, so the
limit holds across processes and restarts).
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

import pyotp
from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from assistant.db import audit
from assistant.db.console_settings import totp_required
from assistant.db.engine import open_session
from assistant.db.models import AccessLog, utc_now
from assistant.db.staff import LOCKOUT, StaffError, authenticate, get_user, matching_step, set_totp_secret, use_totp_code
from console.app import client_address, database_url
from console.sessions import ServerSession
from console.settings import ConsoleSettings

blueprint = Blueprint("auth", __name__)
LOGIN_FAILED = "That username and password did not work. After 5 failed tries in a row an account is locked for 15 minutes."
UNKNOWN_USER = "(unknown user)"  # the audit's "who" for a failed login with a name no account has
TOTP_TRIES = 5  # wrong codes before the login starts over
# Wrong codes for one account, from any address or session, within LOCKOUT: then its codes are refused until the
# window has passed (starting the login over gives TOTP_TRIES more each time, so TOTP_TRIES alone limits nothing).
TOTP_ACCOUNT_TRIES = 10
MAX_FIELD = 256


def _session() -> ServerSession:
    return cast(ServerSession, session)


def _settings() -> ConsoleSettings:
    return current_app.config["CONSOLE"]


def _recent_failures(address: str, window: timedelta) -> int:
    query = select(func.count(AccessLog.id)).where(
        AccessLog.address == address, AccessLog.action.in_(("login-failed", "login-locked", "totp-failed")),
        AccessLog.at >= utc_now() - window)
    with open_session(database_url()) as db:
        return int(db.scalar(query) or 0)


def _recent_code_failures(username: str) -> int:
    query = select(func.count(AccessLog.id)).where(
        AccessLog.who == username, AccessLog.action == "totp-failed", AccessLog.at >= utc_now() - LOCKOUT)
    with open_session(database_url()) as db:
        return int(db.scalar(query) or 0)


def _finish(username: str) -> ResponseReturnValue:
    _session().sign_in(username)
    session.pop("pending", None)
    session.pop("totp_new", None)
    audit.record(username, "login", address=client_address(), url=database_url())
    target = session.pop("next", None)
    return redirect(target if isinstance(target, str) and target.startswith("/") and not target.startswith("//")
                    else url_for("queue.queue"))


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if g.get("user") is not None:
        return redirect(url_for("queue.queue"))
    ended = session.pop("ended", None)
    if request.method == "GET":
        return render_template("login.html", ended=ended)
    settings = _settings()
    address = client_address()
    if _recent_failures(address, settings.login_window) >= settings.login_attempts_per_address:
        minutes = int(settings.login_window.total_seconds() // 60)
        return render_template("login.html", error=(
            f"Too many failed logins from this computer. Wait {minutes} minutes and try again, "
            "or ask an admin.")), 429
    name = request.form.get("username", "")[:MAX_FIELD]
    password = request.form.get("password", "")[:MAX_FIELD]
    attempt = authenticate(name, password, url=database_url())
    if attempt.account is None:
        # An unknown name is not recorded as typed: it may be a password typed into the wrong field.
        try:
            known = get_user(name, url=database_url())
        except StaffError:
            known = None
        audit.record(known.username if known else UNKNOWN_USER,
                     "login-locked" if attempt.outcome == "locked" else "login-failed",
                     address=address, detail=attempt.outcome, url=database_url())
        return render_template("login.html", error=LOGIN_FAILED), 401
    username = attempt.account.username
    _session().rotate()  # the password step is done: a new id before anything else
    session["pending"] = username
    session["totp_tries"] = 0
    if attempt.totp_secret:
        return redirect(url_for("auth.totp"))
    if totp_required(database_url()):
        return redirect(url_for("auth.totp_setup"))
    return _finish(username)


def _pending() -> str | None:
    pending = session.get("pending")
    return pending if isinstance(pending, str) else None


def _wrong_code(username: str) -> ResponseReturnValue | None:
    audit.record(username, "totp-failed", address=client_address(), url=database_url())
    session["totp_tries"] = int(session.get("totp_tries", 0)) + 1
    if session["totp_tries"] >= TOTP_TRIES:
        _session().sign_out()
        return redirect(url_for("auth.login"))
    return None


@blueprint.route("/login/code", methods=["GET", "POST"])
def totp() -> ResponseReturnValue:
    username = _pending()
    if username is None:
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return render_template("totp.html")
    if _recent_code_failures(username) >= TOTP_ACCOUNT_TRIES:
        minutes = int(LOCKOUT.total_seconds() // 60)
        return render_template("totp.html", error=(
            f"Too many wrong codes for this account. Wait {minutes} minutes and try again, or ask an admin.")), 429
    code = request.form.get("code", "").replace(" ", "")[:12]
    if use_totp_code(username, code, url=database_url()):  # once only: a code seen over a shoulder is spent
        return _finish(username)
    refused = _wrong_code(username)
    return refused or (render_template("totp.html", error="That code did not work. Check the time on your phone and "
                                                          "try the newest code."), 401)


@blueprint.route("/login/code/setup", methods=["GET", "POST"])
def totp_setup() -> ResponseReturnValue:
    """A second factor set up at login (when an admin requires one) or from the account page."""
    username = _pending() or (g.user.username if g.get("user") else None)
    if username is None:
        return redirect(url_for("auth.login"))
    if g.get("user") is None:
        # Halfway through a login (the password only): set-up is for an account without a second factor. One
        # that has one must give its code: else the password alone would replace the factor and log in.
        account = get_user(username, url=database_url())
        if account is None or account.disabled:
            _session().sign_out()
            return redirect(url_for("auth.login"))
        if account.has_totp:
            return redirect(url_for("auth.totp"))
    secret = session.get("totp_new")
    if not isinstance(secret, str):
        secret = session["totp_new"] = pyotp.random_base32()
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="Intake console")
    if request.method == "POST":
        code = request.form.get("code", "").replace(" ", "")[:12]
        step = matching_step(secret, code)
        if step is not None:
            set_totp_secret(username, secret, url=database_url(), used_step=step)
            audit.record(username, "totp-setup", address=client_address(), url=database_url())
            if g.get("user") is None:
                return _finish(username)
            session.pop("totp_new", None)
            return redirect(url_for("account.account"))
        refused = _wrong_code(username)
        if refused:
            return refused
        return render_template("totp_setup.html", secret=secret, uri=uri,
                               error="That code did not work. Enter the newest 6-digit code."), 401
    return render_template("totp_setup.html", secret=secret, uri=uri)


@blueprint.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    if g.get("user") is not None:
        audit.record(g.user.username, "logout", address=client_address(), url=database_url())
    _session().sign_out()
    return redirect(url_for("auth.login"))

"""The staff console: a Flask app of server-rendered pages (console/templates), its own process (python -m console).

Every page needs a login and a permission (assistant/staff_roles.py); every state
change needs the CSRF token (Flask-WTF); every response carries a strict
Content-Security-Policy, no referrer and no caching. Visitor text is only ever
put into pages by Jinja2's autoescaping: no template marks it safe.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, Response, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from assistant.db import audit
from assistant.db.audit import Seen
from assistant.db.models import utc_now
from assistant.staff_roles import allowed
from console.sessions import DatabaseSessions, ServerSession, purge_expired
from console.settings import ConsoleSettings

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
View = TypeVar("View", bound=Callable[..., Any])


def create_app(settings: ConsoleSettings | None = None, database_url: str | None = None,
               tracker_url: str | None = None) -> Flask:
    settings = settings or ConsoleSettings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=b"unused: sessions are server-side",  # Flask-WTF signs its token with it; the token lives server-side
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, which has its own limits
        WTF_CSRF_SSL_STRICT=True,
        CONSOLE=settings,
        DATABASE_URL=database_url,
        TRACKER_URL=tracker_url,
        MAX_CONTENT_LENGTH=64 * 1024,  # forms only: notes are short
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.jinja_env.autoescape = True  # every template, whatever its name
    app.session_interface = DatabaseSessions(settings.idle, settings.max_age, database_url)
    if settings.behind_proxy:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    # Before the CSRF check: a session that ended (idle, too old) is audited even when the request is a form post,
    # whose token died with it (the row is deleted as it is read, so no later request could record it).
    app.before_request(_load_user)
    app.before_request(_refuse_nul)
    CSRFProtect(app)

    from console import auth, filters, views

    filters.install(app)
    app.register_blueprint(auth.blueprint)
    for blueprint in views.BLUEPRINTS:
        app.register_blueprint(blueprint)

    app.after_request(_security_headers)
    app.errorhandler(CSRFError)(_csrf_refused)
    app.errorhandler(403)(lambda error: (render_template("error.html", title="Not allowed", message=(
        "Your role does not allow this page. Ask an admin if you need it.")), 403))
    app.errorhandler(404)(lambda error: (render_template("error.html", title="Not found", message=(
        "There is nothing here. It may have been mistyped.")), 404))
    app.context_processor(lambda: {"user": g.get("user"), "can": lambda permission: can(permission),
                                   "settings": settings})
    return app


def _refuse_nul() -> None:
    """A NUL character is in no name, note, id or filter: PostgreSQL refuses it in text, so it would fail the page
    (500), and a search kept in the session would fail the queue until logout. Refused at the door instead."""
    if "\x00" in request.path or any("\x00" in key or "\x00" in value for fields in (request.args, request.form)
                                     for key, value in fields.items(multi=True)):
        from flask import abort

        abort(400)


PURGE_EVERY = timedelta(minutes=10)
# Session rows past their idle limit are deleted a while after it, so someone coming back soon still reads
# "you were logged out after 15 minutes" (and that logoff is audited) before the row goes.
PURGE_GRACE = timedelta(hours=1)
_last_purge = [datetime.min.replace(tzinfo=timezone.utc)]


def _purge_now_and_then() -> None:
    from flask import current_app

    now = utc_now()
    if now - _last_purge[0] < PURGE_EVERY:
        return
    _last_purge[0] = now
    settings: ConsoleSettings = current_app.config["CONSOLE"]
    purge_expired(settings.idle + PURGE_GRACE, url=database_url())


def _load_user() -> None:
    _purge_now_and_then()
    current = cast(ServerSession, session)
    g.user = None
    if current.username:
        from assistant.db.staff import get_user

        account = get_user(current.username, url=database_url())
        if account is None or account.disabled:
            current.sign_out()  # disabled since the login: out at once
        else:
            g.user = account
    if current.ended:
        session["ended"] = current.ended  # for the login page the person is sent to next
    if current.ended and getattr(current, "ended_username", None):
        audit.record(current.ended_username, "logoff-idle", address=client_address(),  # type: ignore[attr-defined]
                     detail=current.ended, url=database_url())


def _security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"  # pages hold PHI: never kept by the browser or a proxy
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


def _csrf_refused(error: CSRFError) -> tuple[str, int]:
    return render_template("error.html", title="Form expired", message=(
        "This form could not be accepted (its security token was missing or old). "
        "Go back, reload the page and try again.")), 400


def database_url() -> str | None:
    from flask import current_app

    return current_app.config["DATABASE_URL"]


def tracker_url() -> str | None:
    from flask import current_app

    return current_app.config["TRACKER_URL"]


def client_address() -> str:
    return (request.remote_addr or "unknown")[:64]


def username() -> str:
    return g.user.username


def can(permission: str) -> bool:
    return g.get("user") is not None and allowed(g.user.role, permission)


def audit_view(action: str, seen: list[Seen] | None = None, detail: str | None = None) -> None:
    """The audit row for what this request shows or does, committed before the page is built."""
    audit.record(username(), action, seen or [Seen()], address=client_address(), detail=detail, url=database_url())


def requires(permission: str) -> Callable[[View], View]:
    """A login, then the permission; a refusal is a 403 and an audit row ("forbidden")."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if g.get("user") is None:
                if request.method == "GET" and request.headers.get("X-Console-Poll") != "1":
                    session["next"] = request.path  # a path, never a query string (no PHI in it anyway)
                return redirect(url_for("auth.login"))
            if not allowed(g.user.role, permission):
                audit.record(username(), "forbidden", address=client_address(), detail=f"{request.method} {request.path}"[:255],
                             url=database_url())
                from flask import abort

                abort(403)
            return view(*args, **kwargs)

        guarded.permission = permission  # type: ignore[attr-defined]  # tests check every route has one
        return cast(View, guarded)

    return decorate

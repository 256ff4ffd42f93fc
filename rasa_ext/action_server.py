"""The action server: rasa_sdk's, for Rasa only.

    python -m rasa_ext.action_server --actions actions --port 5055 [--host 127.0.0.1]

rasa_sdk's own server (`rasa run actions`) runs any action for anyone who can
reach its port, on every interface unless SANIC_HOST is set, and takes any
Content-Type, so a web page could post to it from a browser without a CORS
preflight. This launcher builds the same app (rasa_sdk.endpoint.create_app)
and adds:

- **A shared secret.** Every call except GET /health must carry
  `Authorization: Bearer $ACTION_SERVER_TOKEN` (Rasa sends it: `headers` of
  `action_endpoint` in endpoints.yml). Anything else gets 401 before the body
  is read by any action; the refusal is logged with the path and the caller's
  address, never the body. The server does not start without a token of at
  least 32 characters.
- **JSON only**: POST /webhook with any other Content-Type gets 415.
- **Loopback by default**: 127.0.0.1 unless `--host` (or
  $ACTION_SERVER_HOST) names another address; SANIC_HOST is ignored.
- **No CORS**: no browser page has any business calling it.
- **Owner-only files**: the process creates files with umask 077 (the records
  database it writes through the actions).

/health answers without the token ({"status": "ok"}: it reveals nothing) for
readiness checks (scripts/run.sh, evaluation/server.py).
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
from collections.abc import Mapping
from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.private_files import private_umask

logger = logging.getLogger(__name__)

TOKEN_ENV = "ACTION_SERVER_TOKEN"
HOST_ENV = "ACTION_SERVER_HOST"
DEFAULT_HOST = "127.0.0.1"
MIN_TOKEN_LENGTH = 32
OPEN_PATHS = frozenset({"/health"})  # GET, no secret: answers {"status": "ok"}


class ConfigurationError(Exception):
    """The server cannot start safely as configured."""


def token_from_env(environ: Mapping[str, str] = os.environ) -> str:
    token = environ.get(TOKEN_ENV) or ""
    if len(token) < MIN_TOKEN_LENGTH or token != token.strip():
        raise ConfigurationError(
            f"${TOKEN_ENV} must be set to a secret of at least {MIN_TOKEN_LENGTH} characters (no spaces around it),"
            " the same one Rasa sends"
            " (endpoints.yml: action_endpoint headers Authorization: Bearer ${" + TOKEN_ENV + "}); `make run` generates"
            " one into var/action-server-token"
        )
    return token


def _authorized(request: Request, expected: bytes) -> bool:
    given = request.headers.get("authorization", "")
    # Bytes: compare_digest refuses non-ASCII str, and an attacker chooses this header.
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected)


def _is_json(request: Request) -> bool:
    media_type = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    return media_type == "application/json"


def refusal(request: Request, expected: bytes) -> HTTPResponse | None:
    """The answer to a call that must not reach an action (None: let it through)."""
    if request.path in OPEN_PATHS and request.method in ("GET", "HEAD"):
        return None
    if not _authorized(request, expected):
        # The refusal only: never the body, the headers or the token tried.
        logger.warning("refused %s %s from %s: no valid action-server token", request.method, request.path,
                       request.ip or "?")
        return response.json({"error": "unauthorized"}, status=401, headers={"WWW-Authenticate": "Bearer"})
    if request.path == "/webhook" and not _is_json(request):
        logger.warning("refused %s %s: Content-Type is not application/json", request.method, request.path)
        return response.json({"error": "Content-Type must be application/json"}, status=415)
    return None


def protect(app: Sanic, token: str) -> Sanic:
    """Adds the secret and Content-Type checks to a rasa_sdk app, before any of its routes and middleware."""
    if len(token) < MIN_TOKEN_LENGTH:
        raise ConfigurationError(f"the action server token must have at least {MIN_TOKEN_LENGTH} characters")
    expected = f"Bearer {token}".encode()

    async def guard(request: Request) -> HTTPResponse | None:
        return refusal(request, expected)

    def first_in_line(app_: Sanic, _loop: Any = None) -> None:
        # Before any other request middleware, e.g. sanic_cors's, which answers preflights itself
        # and puts itself first when the server starts (hence this listener, registered after its own).
        if guard in app_.request_middleware:
            app_.request_middleware.remove(guard)
        app_.request_middleware.appendleft(guard)

    app.register_middleware(guard, "request")
    first_in_line(app)
    app.register_listener(first_in_line, "before_server_start")
    return app


def create_app(actions: str, token: str, auto_reload: bool = False) -> Sanic:
    from rasa_sdk.endpoint import create_app as sdk_create_app

    # No CORS origin: Rasa calls this server-to-server; a browser page never should.
    return protect(sdk_create_app(actions, cors_origins="", auto_reload=auto_reload), token)


def _parser() -> argparse.ArgumentParser:
    from rasa_sdk.endpoint import create_argument_parser

    parser = create_argument_parser()
    parser.description = "The action server for Rasa: shared secret required, loopback by default."
    parser.add_argument("--host", default=None,
                        help=f"address to bind (default: ${HOST_ENV} or {DEFAULT_HOST}); another host only on a private "
                             "network, see README, Security")  # fmt: skip
    return parser


def main(argv: list[str] | None = None) -> int:
    private_umask()
    args = _parser().parse_args(argv)
    if args.cors:
        print("action server: --cors is not supported: only Rasa calls this server", file=sys.stderr)
        return 2
    try:
        token = token_from_env()
    except ConfigurationError as exc:
        print(f"action server: {exc}", file=sys.stderr)
        return 2
    host = args.host or os.environ.get(HOST_ENV) or DEFAULT_HOST

    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
    from rasa_sdk.endpoint import create_ssl_context
    from rasa_sdk.plugin import plugin_manager

    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel,
                                 args.logging_config_file)
    utils.update_sanic_log_level()

    app = create_app(args.actions or "actions", token, auto_reload=args.auto_reload)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    protocol = "https" if ssl_context else "http"
    logger.info("action server on %s://%s:%s (token required)", protocol, host, args.port)
    app.run(host, args.port, ssl=ssl_context, workers=utils.number_of_sanic_workers())
    return 0


if __name__ == "__main__":
    sys.exit(main())

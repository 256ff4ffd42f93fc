"""A replacement for Rasa 3.6.21's root route, for hostile traffic (issue 10).

GET / answers {"status": "ok"}, not "Hello from Rasa: 3.6.21": the version would
tell a scanner which advisories apply (no response carries a Server header either;
tests/e2e/test_rest.py checks both). And no request body above MAX_REQUEST_BYTES is
read, on any route of any app Rasa builds (Sanic's default is 100 MB); the REST
channel has its own, smaller limit, and the website chat's socket.io packets theirs.
"""

from __future__ import annotations

from collections.abc import Callable

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

# Above the website chat's socket.io packets (channels/webchat.MAX_PACKET_BYTES, 2 MiB) and
# far above a REST request or an SMS webhook; Sanic answers 413 without reading further.
MAX_REQUEST_BYTES = 4 * 1024 * 1024


def quiet_root_route(original: Callable) -> Callable:
    """rasa.server.add_root_route, which every app Rasa builds goes through (with or
    without its HTTP API): says the server is up without naming Rasa, and caps bodies."""

    def add_root_route(app: Sanic) -> None:
        app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, MAX_REQUEST_BYTES)

        @app.get("/")
        async def hello(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

    return add_root_route

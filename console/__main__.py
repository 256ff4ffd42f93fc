"""`python -m console`: the staff console on CONSOLE_HOST:CONSOLE_PORT (default 127.0.0.1:5080), served by waitress."""

from __future__ import annotations

import logging

from waitress import serve

from assistant import safe_logging
from console.app import create_app
from console.settings import ConsoleSettings


def main() -> None:
    safe_logging.install()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = ConsoleSettings.from_env()
    app = create_app(settings)
    print(f"Staff console: http://{settings.host}:{settings.port}/", flush=True)
    # No access log (waitress writes none): paths name requests, and a log is no place for them.
    serve(app, host=settings.host, port=settings.port, threads=8, ident="console")


if __name__ == "__main__":
    main()

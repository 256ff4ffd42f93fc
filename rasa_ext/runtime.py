"""Run Rasa's command line with our patches installed (rasa_ext/patches.py lists them).

    python -m rasa_ext.runtime run --model ...        (same arguments as `rasa`)
    RASA_PATCHES=none python -m rasa_ext.runtime ...  (without the speed patches, for `make bench`)

The patches replace private Rasa 3.6.21 code, so the server refuses to start under
any other Rasa version. The tracker itself is kept between turns by
rasa_ext.tracker_store; log records are one line each (assistant.safe_logging).
"""

from __future__ import annotations

import os
import sys

from rasa_ext import RASA_VERSION


def require_rasa_version(found: str) -> None:
    if found != RASA_VERSION:
        raise SystemExit(
            f"rasa_ext patches were written for Rasa {RASA_VERSION}, but Rasa {found} is installed. "
            "Re-check every patch and override in rasa_ext/patches.py against the new Rasa "
            "(tests/unit/test_rasa_patches.py names each whose Rasa source changed), "
            "then update RASA_VERSION in rasa_ext/__init__.py."
        )


def main() -> None:
    import rasa

    require_rasa_version(rasa.__version__)
    from assistant import safe_logging
    from rasa_ext import patches

    safe_logging.install()
    patches.install(patches.selected(os.environ.get("RASA_PATCHES")))
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()

"""Responses that no rule sends must be sent by the code scripts/validate.py names."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("validate", ROOT / "scripts" / "validate.py")
assert spec is not None and spec.loader is not None  # a .py file: a source loader
validate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(validate)


def test_every_response_sent_by_an_action_is_really_sent_there():
    for response, where in validate.SENT_BY_ACTIONS.items():
        if where.startswith("Rasa's"):
            continue  # Rasa's own default actions
        source = (ROOT / where.split(" ")[0]).read_text(encoding="utf-8")
        assert f'"{response}"' in source, f"{response} is not sent by {where}"

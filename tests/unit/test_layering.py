"""Which package may import which: assistant/ is framework-free, Rasa stays in its adapters."""

import ast
from pathlib import Path

from tests.conftest import ROOT

ADAPTERS = ("rasa", "rasa_sdk", "rasa_ext", "actions", "channels", "sanic")
# Rasa's tracker-store format, read without importing Rasa (the `intake` command starts fast).
FRAMEWORK_FREE_IN_RASA_EXT = {"rasa_ext.transcripts"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_assistant_imports_no_framework_and_no_adapter():
    offending = {}
    for path in sorted((ROOT / "assistant").rglob("*.py")):
        bad = sorted(m for m in imported_modules(path)
                     if m.split(".")[0] in ADAPTERS and m not in FRAMEWORK_FREE_IN_RASA_EXT)
        if bad:
            offending[str(path.relative_to(ROOT))] = bad
    assert not offending, f"assistant/ must stay framework-free (move Rasa code to rasa_ext/): {offending}"


def test_the_check_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from rasa.core import agent\n    import rasa_sdk\n", encoding="utf-8")
    assert imported_modules(sample) == {"rasa.core", "rasa_sdk"}


def test_rasa_ext_does_not_reach_into_actions_or_channels():
    for path in sorted((ROOT / "rasa_ext").rglob("*.py")):
        bad = sorted(m for m in imported_modules(path) if m.split(".")[0] in ("actions", "channels"))
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_what_assistant_may_use_from_rasa_ext_imports_no_framework():
    for module in FRAMEWORK_FREE_IN_RASA_EXT:
        path = ROOT / (module.replace(".", "/") + ".py")
        bad = sorted(m for m in imported_modules(path) if m.split(".")[0] in ("rasa", "rasa_sdk", "sanic"))
        assert not bad, f"{module} imports {bad}"

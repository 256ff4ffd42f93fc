"""The rules of the suite itself, run on throwaway suites in a subprocess: in CI a skip not on
tests/skips_allowed.txt fails the run (tests/skip_policy.py), and a test that starts a server or
loads the model without its marker fails (tests/markers.py)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.skip_policy import ALLOWED, load_allowed

ROOT = Path(__file__).resolve().parents[2]

SKIPPING_SUITE = '''
import pytest

def test_runs():
    assert True

def test_needs_a_service():
    pytest.skip("the frobnicator is not reachable")
'''


def run_suite(tmp_path: Path, source: str, plugin: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # not the project's: a suite of its own
    (tmp_path / "test_suite.py").write_text(textwrap.dedent(source))
    environment = {key: value for key, value in os.environ.items() if key not in ("CI", "SKIPS_ALLOWED")}
    environment.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", plugin, "-rA", *args,
                           "test_suite.py"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120)


def allow_list(tmp_path: Path, text: str) -> str:
    path = tmp_path / "allowed.txt"
    path.write_text(text)
    return str(path)


def test_in_ci_an_unlisted_skip_fails_the_run(tmp_path):
    allowed = allow_list(tmp_path, "# another limit\ntest_suite.py::test_other :: frobnicator\n")
    result = run_suite(tmp_path, SKIPPING_SUITE, "tests.skip_policy", {"CI": "true", "SKIPS_ALLOWED": allowed})
    assert result.returncode == 1, result.stdout
    assert "skipped tests fail the run in CI" in result.stdout
    assert "test_suite.py::test_needs_a_service: the frobnicator is not reachable" in result.stdout


def test_in_ci_a_listed_skip_passes(tmp_path):
    allowed = allow_list(tmp_path, "# no frobnicator on CI machines\ntest_suite.py::test_needs_* :: frobnicator\n")
    result = run_suite(tmp_path, SKIPPING_SUITE, "tests.skip_policy", {"CI": "true", "SKIPS_ALLOWED": allowed})
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 skipped" in result.stdout and "fail the run in CI" not in result.stdout


def test_outside_ci_a_skip_is_only_reported(tmp_path):
    allowed = allow_list(tmp_path, "")
    result = run_suite(tmp_path, SKIPPING_SUITE, "tests.skip_policy", {"SKIPS_ALLOWED": allowed})
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 skipped" in result.stdout


def test_every_allowed_skip_says_why():
    entries = load_allowed(ALLOWED)
    assert 0 < len(entries) <= 5  # short
    lines = ALLOWED.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.strip() and not line.startswith("#"):
            assert number and lines[number - 1].startswith("# "), f"{ALLOWED.name}:{number + 1} has no comment above it"


GUARDED_SUITE = f'''
import subprocess
import sys

import pytest

MODEL = {str(ROOT / "models" / "assistant.tar.gz")!r}
SERVER = [sys.executable, "-m", "rasa_ext.runtime", "run", "--model", MODEL, "--port", "1"]


def open_model():
    try:
        open(MODEL, "rb").close()
    except FileNotFoundError:
        pass


def test_loads_the_model_unmarked():
    open_model()


@pytest.mark.needs_model
def test_loads_the_model_marked():
    open_model()


def test_starts_a_server_unmarked_and_hides_the_error():
    try:
        subprocess.run(SERVER, timeout=1)
    except Exception:
        pass


def test_runs_another_command():
    subprocess.run([sys.executable, "-c", "pass"], check=True)
'''


def test_starting_a_server_or_loading_the_model_needs_the_marker(tmp_path):
    result = run_suite(tmp_path, GUARDED_SUITE, "tests.conftest", {})
    outcomes = {line.split()[1].split("::")[1]: line.split()[0] for line in result.stdout.splitlines()
                if line.split()[:1] in (["PASSED"], ["FAILED"], ["ERROR"])}
    assert outcomes == {
        "test_loads_the_model_unmarked": "FAILED",
        "test_loads_the_model_marked": "PASSED",
        "test_starts_a_server_unmarked_and_hides_the_error": "FAILED",
        "test_runs_another_command": "PASSED",
    }, result.stdout
    assert "is not marked `needs_model`" in result.stdout and "starts a server" in result.stdout


def test_a_test_over_the_fast_budget_fails(tmp_path):
    slow = "import time\n\ndef test_slow():\n    time.sleep(1.5)\n\ndef test_quick():\n    pass\n"
    result = run_suite(tmp_path, slow, "tests.conftest", {}, "--max-test-seconds=1")
    assert result.returncode == 1, result.stdout
    assert "FAILED test_suite.py::test_slow" in result.stdout and "PASSED test_suite.py::test_quick" in result.stdout
    assert "mark it `slow`" in result.stdout

"""A real action server and a real Rasa server for end-to-end tests (evaluation/server.py)."""

import pytest

from evaluation.server import MODEL, start_assistant


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train`")
    running = start_assistant(tmp_path_factory.mktemp("assistant"))
    yield running
    running.stop()

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


def send_all_at_once(assistant, sender: str, texts: list[str]) -> None:
    """Each message from its own thread, released together: several workers get the same conversation."""
    import threading

    barrier = threading.Barrier(len(texts))
    errors = []

    def send(text):
        barrier.wait()
        try:
            assistant.send(sender, text)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(text,)) for text in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def assert_turns_one_after_another(rows: list[tuple[str, str | None]], messages: int) -> None:
    """Stored (type_name, action_name) rows: every message kept, and each turn finished
    (the assistant listening again) before the next message was taken."""
    assert sum(1 for kind, _ in rows if kind == "user") == messages
    last_action = None
    for kind, action in rows:
        if kind == "user":
            assert last_action == "action_listen", rows
        elif kind == "action":
            last_action = action

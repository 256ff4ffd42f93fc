"""Website chat channel: session tokens, the history a resumed session gets, configuration."""

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

from channels.webchat import SECRET_ENV, SessionTokens, WebChatInput, bot_messages, history_messages

SESSION = "0123456789abcdef0123456789abcdef"


class Clock:
    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_token_resumes_only_its_own_session():
    tokens = SessionTokens(b"s" * 32, ttl_seconds=3600)
    token = tokens.issue(SESSION)
    assert tokens.valid(SESSION, token)
    assert not tokens.valid("f" * 32, token)  # another (guessed) id
    assert not SessionTokens(b"t" * 32, 3600).valid(SESSION, token)  # another server's secret


@pytest.mark.parametrize("token", [None, "", "abc", "1.", ".sig", "9999999999999.x", "１２.sig", "²³.sig", 12])
def test_malformed_tokens_are_refused_without_error(token):
    assert not SessionTokens(b"s" * 32, 3600).valid(SESSION, token)


def test_a_tampered_expiry_or_signature_is_refused():
    tokens = SessionTokens(b"s" * 32, 3600)
    expires, signature = tokens.issue(SESSION).split(".")
    assert not tokens.valid(SESSION, f"{int(expires) + 10_000}.{signature}")
    tampered = signature[:-1] + ("A" if signature[-1] != "A" else "B")  # always a different last character
    assert not tokens.valid(SESSION, f"{expires}.{tampered}")


@pytest.mark.parametrize("session_id", [SESSION.upper(), SESSION[:-1], SESSION + "0", "../" + SESSION[3:], None, 5])
def test_only_ids_this_server_issues_are_accepted(session_id):
    tokens = SessionTokens(b"s" * 32, 3600)
    assert not tokens.valid(session_id, tokens.issue(SESSION))


def test_tokens_expire():
    clock = Clock()
    tokens = SessionTokens(b"s" * 32, ttl_seconds=60, clock=clock)
    token = tokens.issue(SESSION)
    clock.now += 59
    assert tokens.valid(SESSION, token)
    clock.now += 2
    assert not tokens.valid(SESSION, token)


def test_a_renewal_extends_the_session_and_leaves_the_old_token_to_expire_on_its_own():
    """Decided (issue 10): renewal does not revoke. Revoking would need state shared by every
    Rasa process and would end a second tab's or a dropped reconnect's conversation; the old
    token stays usable at most token_ttl_hours after it was issued, never longer."""
    clock = Clock()
    tokens = SessionTokens(b"s" * 32, ttl_seconds=3600, clock=clock)
    old = tokens.issue(SESSION)
    clock.now += 1800
    renewed = tokens.issue(SESSION)  # a resume
    assert tokens.valid(SESSION, old) and tokens.valid(SESSION, renewed)
    clock.now += 1801  # the old token's hour is over
    assert not tokens.valid(SESSION, old)
    assert tokens.valid(SESSION, renewed)
    clock.now += 1800
    assert not tokens.valid(SESSION, renewed)


def test_bot_messages_split_like_the_live_channel_with_buttons_on_the_last_part():
    buttons = [{"title": "Side effects", "payload": '/med_side_effects{"medication": "naltrexone"}'}]
    assert bot_messages("First.\n\nSecond.", {"buttons": buttons}) == [
        {"sender": "bot", "text": "First."},
        {"sender": "bot", "text": "Second.", "quick_replies": [{"title": "Side effects", "payload": buttons[0]["payload"]}]},
    ]
    assert bot_messages(None, {}) == []
    assert bot_messages(None, {"buttons": buttons})[0]["text"] == ""


def test_history_shows_what_the_person_saw():
    greet = [{"title": "Medications", "payload": "/med_options"}, {"title": "Yes, for me", "payload": "Yes, for me"}]
    events = [
        ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
        UserUttered("/greet"),  # the widget's greeting: never typed
        BotUttered("Hi, I'm the automated assistant."),
        BotUttered("What would you like to know?", {"buttons": greet}),
        UserUttered("/med_options"),  # a tapped button: shown as its title
        BotUttered("There are several medications."),
        UserUttered("<script>alert(1)</script>"),  # typed text: shown as typed
        UserUttered("/med_options"),  # no button offered since the last message: a typed payload, not shown
    ]
    assert history_messages(events) == [
        {"sender": "bot", "text": "Hi, I'm the automated assistant."},
        {"sender": "bot", "text": "What would you like to know?",
         "quick_replies": [{"title": "Medications", "payload": "/med_options"},
                           {"title": "Yes, for me", "payload": "Yes, for me"}]},
        {"sender": "user", "text": "Medications"},
        {"sender": "bot", "text": "There are several medications."},
        {"sender": "user", "text": "<script>alert(1)</script>"},
    ]


def test_history_keeps_the_latest_messages():
    events = [BotUttered(f"message {n}") for n in range(10)]
    assert [m["text"] for m in history_messages(events, limit=3)] == ["message 7", "message 8", "message 9"]


def test_the_channel_needs_a_long_secret(monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "short")
    with pytest.raises(ValueError, match=SECRET_ENV):
        WebChatInput.from_credentials({})
    monkeypatch.delenv(SECRET_ENV)
    with pytest.raises(ValueError, match=SECRET_ENV):
        WebChatInput.from_credentials(None)


def test_origins_default_to_this_server_only(monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "x" * 48)
    assert WebChatInput.from_credentials({"allowed_origins": []}).allowed_origins is None
    configured = WebChatInput.from_credentials({"allowed_origins": ["https://center.example"], "token_ttl_hours": 2})
    assert configured.allowed_origins == ["https://center.example"]
    assert configured.session_persistence

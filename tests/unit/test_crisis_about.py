"""A suicide crisis about someone else gets words about that person ("my son says he wants to kill himself")."""

import asyncio

import pytest
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from assistant.crisis import about_someone_else
from rasa_ext.nlu_components import CRISIS_ABOUT, CrisisDetector
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("my son says he wants to kill himself", True),
        ("my mom keeps saying she wants to end it all and she gave her dog away today", True),
        ("i think my daughter is going to hurt herself", True),
        ("he keeps talking about suicide", True),
        ("my friend texted me goodbye and her phone is off, she said she wants to die", True),
        ("mi hijo se va a matar", True),
        ("she left me and i want to die", False),
        ("they would be better off without me", False),
        ("i want to kill myself", False),
        ("my boyfriend broke up with me, i dont want to be alive anymore", False),
        ("kms", False),
    ],
)
def test_whom_a_suicide_message_is_about(text, other):
    assert about_someone_else(text) is other


def _entity(text: str) -> str | None:
    message = Message(data={"text": text, "intent": {"name": "greet", "confidence": 0.5}, "intent_ranking": []})
    CrisisDetector({}).process([message])
    return next((e["value"] for e in message.get("entities", []) if e["entity"] == CRISIS_ABOUT), None)


def test_the_detector_says_whom_every_suicide_crisis_is_about():
    assert _entity("my husband said he is going to kill himself tonight") == "other"
    assert _entity("i want to end my life") == "self"
    assert _entity("he collapsed and isnt breathing") is None  # only suicide replies have two wordings


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain"))


def _reply(domain, events, channel=None) -> str:
    tracker = DialogueStateTracker.from_events("test", events, slots=domain.slots)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    return asyncio.run(nlg.generate("utter_crisis_suicide", tracker, channel))["text"]


@pytest.mark.parametrize("channel", [None, "rest", "webchat", "sms"])
def test_the_reply_speaks_of_the_other_person(domain, channel):
    about_self = _reply(domain, [SlotSet(CRISIS_ABOUT, "self")], channel)
    about_other = _reply(domain, [SlotSet(CRISIS_ABOUT, "other")], channel)
    assert "You matter" in about_self and "You matter" not in about_other
    assert "they" in about_other and "988 also helps people worried about someone else" in about_other
    for text in (about_self, about_other):
        assert "911" in text and "988" in text
    assert _reply(domain, [], channel) == about_self  # no slot yet: the writer's own wording

"""Issue 9: once opioids came up, every emergency reply says to give naloxone.

The slot `opioid_context` (true) is filled from the `opioid_context` entity that
CanonicalEntityMapper adds for an opioid name (or set by the pre-assessment),
and utter_crisis_medical / utter_crisis_urgent have a conditional variation
for it. Rasa's own NLG picks the variation, so no action server is involved.
"""

import asyncio

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from assistant.lexicon import load_lexicon
from rasa_ext.nlu_components import OPIOID_CONTEXT, CanonicalEntityMapper
from tests.conftest import ROOT

SLOT = "opioid_context"
EMERGENCY_REPLIES = ["utter_crisis_medical", "utter_crisis_urgent"]
CHANNELS = [None, "rest", "webchat", "sms"]  # None: Rasa's default (no channel given)


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain"))


def _reply(domain, response, events, channel):
    tracker = DialogueStateTracker.from_events("test", events, slots=domain.slots)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    texts = {asyncio.run(nlg.generate(response, tracker, channel))["text"] for _ in range(5)}
    assert len(texts) == 1, texts  # one fixed wording per state: crisis replies are not random
    return texts.pop()


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("response", EMERGENCY_REPLIES)
def test_emergency_replies_add_naloxone_only_after_opioids_came_up(domain, response, channel):
    plain = _reply(domain, response, [], channel)
    with_opioids = _reply(domain, response, [SlotSet(SLOT, True)], channel)
    assert "naloxone" not in plain.lower() and "narcan" not in plain.lower()
    assert "naloxone (Narcan)" in with_opioids and "opioids" in with_opioids
    assert "911" in with_opioids
    # the same reply otherwise: the naloxone sentence is added, nothing taken away
    assert set(plain.split(". ")) <= set(with_opioids.split(". "))
    assert _reply(domain, response, [SlotSet(SLOT, False)], channel) == plain


def test_the_slot_and_entity_never_steer_the_dialogue(domain):
    slot = next(s for s in domain.slots if s.name == SLOT)
    assert slot.type_name == "bool" and not slot.influence_conversation
    assert [m["entity"] for m in slot.mappings] == [OPIOID_CONTEXT]
    assert OPIOID_CONTEXT in domain.entities
    assert all(OPIOID_CONTEXT not in props.get("used_entities", []) for props in domain.intent_properties.values())


def test_rasa_fills_the_slot_from_the_entity_and_keeps_it(domain):
    """Rasa's own slot extraction (no action server): an opioid named once is remembered."""
    entity = {"entity": OPIOID_CONTEXT, "value": True, "start": 6, "end": 10}
    first = UserUttered("i use dope", {"name": "med_options", "confidence": 1.0}, [entity])
    tracker = DialogueStateTracker.from_events("test", [first], slots=domain.slots)
    action = ActionExtractSlots(action_endpoint=None)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    events = asyncio.run(action.run(CollectingOutputChannel(), nlg, tracker, domain))
    assert SlotSet(SLOT, True) in events
    tracker.update_with_events(events, domain)
    later = UserUttered("he is having a seizure", {"name": "crisis_medical", "confidence": 1.0}, [])
    tracker.update(later, domain)
    assert not [e for e in asyncio.run(action.run(CollectingOutputChannel(), nlg, tracker, domain)) if e.key == SLOT]
    assert tracker.get_slot(SLOT) is True


def _entities(text, found):
    message = Message(data={"text": text, "entities": [
        {"entity": label, "value": value, "start": 0, "end": len(value)} for label, value in found]})
    CanonicalEntityMapper().process([message])
    return message.get("entities")


@pytest.mark.parametrize("label,value", [
    ("substance", "dope"), ("substance", "fent"), ("substance", "percs"), ("medication", "methadone"),
    ("medication", "subs"), ("medication", "sublocade"), ("medication", "bupe"),
])
def test_an_opioid_adds_the_entity_once(label, value):
    entities = _entities(f"i use {value} and {value}", [(label, value), (label, value)])
    assert [e["value"] for e in entities if e["entity"] == OPIOID_CONTEXT] == [True]


@pytest.mark.parametrize("label,value", [
    ("substance", "beer"), ("substance", "xanax"), ("substance", "meth"), ("medication", "narcan"),
    ("medication", "naltrexone"), ("medication", "vivitrol"), ("medication", "lucemyra"),
])
def test_other_substances_and_medications_do_not(label, value):
    assert not [e for e in _entities(f"i use {value}", [(label, value)]) if e["entity"] == OPIOID_CONTEXT]


def test_the_lexicon_opioid_group():
    lex = load_lexicon()
    assert lex.opioid == {"substance": {"opioids"},
                          "medication": {"methadone", "buprenorphine", "buprenorphine_naloxone", "sublocade", "brixadi"}}


def test_an_unknown_key_in_the_opioid_group_is_refused(tmp_path):
    bad = tmp_path / "lexicon.yml"
    bad.write_text("medication:\n  methadone: [methadose]\nsubstance: {}\nopioid:\n  medication: [methadon]\n")
    with pytest.raises(ValueError, match="methadon"):
        load_lexicon(bad)

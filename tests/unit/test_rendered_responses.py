"""rasa_ext/responses.py fills in the actions' messages exactly as Rasa's own code does.

Rasa turns the messages of a custom action into bot messages in
RemoteAction._utter_responses; `rendered` does the same without loading the
action machinery. Both are run here on what the actions really send, on the web
and on SMS, and on the edge cases (a text without a response, a response the
domain does not have, the action's buttons after the response's).
"""

from __future__ import annotations

import asyncio
import copy

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionDefaultAskAffirmation
from actions.knowledge import ActionAnswerMedication, ActionAnswerWithdrawal, ActionMedicationOptions
from actions.safety import ActionCrisisFollowup
from assistant import domain_files
from rasa_ext.responses import rendered
from tests.actions.conftest import make_tracker, med, substance


class _Channel:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


class _Slots:
    """What the response generator reads from Rasa's tracker."""

    def __init__(self, slots: dict) -> None:
        self._slots = slots

    def current_slot_values(self) -> dict:
        return self._slots


DOMAIN = domain_files.load()
INITIAL_SLOTS = {name: (slot or {}).get("initial_value") for name, slot in (DOMAIN.get("slots") or {}).items()}


def rasa_rendered(messages: list[dict], channel: str, slots: dict) -> list[dict]:
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN["responses"])
    tracker = _Slots({**INITIAL_SLOTS, **slots})
    bots = asyncio.run(RemoteAction._utter_responses(copy.deepcopy(messages), _Channel(channel), nlg, tracker))
    return [{"text": bot.text, **{key: value for key, value in bot.data.items() if value}} for bot in bots]


def _sent(action, tracker) -> list[dict]:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages


CASES = {
    "medication answer": (ActionAnswerMedication(), make_tracker("med_side_effects", entities=[med("methadone")])),
    "which medication": (ActionAnswerMedication(), make_tracker("med_info", text="does the shot hurt")),
    "which comparison": (ActionAnswerMedication(), make_tracker("med_compare", entities=[med("methadone")])),
    "no comparison": (ActionAnswerMedication(), make_tracker("med_compare", entities=[med("methadone"), med("lofexidine")])),
    "options": (ActionMedicationOptions(), make_tracker("med_options", entities=[substance("alcohol")])),
    "withdrawal": (ActionAnswerWithdrawal(), make_tracker("withdrawal_symptoms")),
    "fallback": (ActionDefaultAskAffirmation(), make_tracker("nlu_fallback", entities=[med("methadone")],
                                                            ranking=[{"name": "med_mixing", "confidence": 0.4}])),
    "crisis staff contact": (ActionCrisisFollowup(), make_tracker("affirm", slots={"crisis_stage": "checked"})),
}


@pytest.mark.parametrize("channel", ["rest", "sms"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_what_the_actions_send_is_filled_in_as_rasa_does(case, channel):
    action, tracker = CASES[case]
    messages = _sent(action, tracker)
    assert any(m.get("response") for m in messages)
    mine = [{k: v for k, v in m.items() if k != "response"} for m in rendered(messages, channel, tracker.slots)]
    assert mine == rasa_rendered(messages, channel, tracker.slots)
    assert not any("{" in (m.get("text") or "") for m in mine), mine  # every placeholder filled


def test_texts_unknown_responses_and_the_actions_own_buttons_as_rasa_does():
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(text="A plain text.", buttons=[{"title": "Go", "payload": "/go"}])
    dispatcher.utter_message(response="utter_no_such_response")
    dispatcher.utter_message(response="utter_default", buttons=[{"title": "Extra", "payload": "/extra"}])
    dispatcher.utter_message(response="utter_disclaimer", center_name="Harbor Recovery")
    for channel in ("rest", "sms"):
        mine = [{k: v for k, v in m.items() if k != "response"} for m in rendered(dispatcher.messages, channel)]
        assert mine == rasa_rendered(dispatcher.messages, channel, {})
        assert len(mine) == 3 and mine[1]["buttons"][-1]["title"] == "Extra"
        assert "Harbor Recovery" in mine[2]["text"]

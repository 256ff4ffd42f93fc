import re

import pytest
from rasa_sdk.events import SlotSet

from actions.knowledge import (
    ActionAnswerMedication,
    ActionAnswerWithdrawal,
    ActionCenterInfo,
    ActionMedicationMixing,
    ActionMedicationOptions,
)
from assistant.center import current_center
from assistant.knowledge import knowledge
from tests.actions.conftest import make_tracker, med, substance

KB = knowledge()


def test_answers_the_named_medication_and_remembers_it(run_action):
    messages, events = run_action(ActionAnswerMedication(), make_tracker("med_side_effects", entities=[med("methadone")]))
    assert messages[0]["text"] == KB.medication_answer("methadone", "side_effects")
    assert SlotSet("medication", "methadone") in events
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert '/med_info{"medication": "methadone"}' in payloads and "/request_callback" in payloads


def test_follow_up_without_a_name_uses_the_medication_being_discussed(run_action):
    tracker = make_tracker("med_pregnancy", text="is it safe when pregnant?", slots={"medication": "buprenorphine_naloxone"})
    messages, _ = run_action(ActionAnswerMedication(), tracker)
    assert messages[0]["text"] == KB.medication_answer("buprenorphine_naloxone", "pregnancy")


def test_no_medication_known_asks_which_one(run_action):
    messages, events = run_action(ActionAnswerMedication(), make_tracker("med_how_taken", text="how often do i take it"))
    assert messages[0]["text"] == "Which medication do you mean?"
    assert all(b["payload"].startswith("/med_how_taken{") for b in messages[0]["buttons"])
    assert events == []


def test_a_vague_name_is_asked_about_not_guessed(run_action):
    tracker = make_tracker("med_side_effects", text="does the shot hurt", slots={"medication": "methadone"})
    messages, _ = run_action(ActionAnswerMedication(), tracker)
    assert messages[0]["text"] == "Which medication do you mean?"
    assert [b["title"] for b in messages[0]["buttons"]] == ["Vivitrol", "Sublocade", "Brixadi"]


def test_discontinued_brand_gets_a_correction_first(run_action):
    tracker = make_tracker("med_side_effects", entities=[med("buprenorphine", "Subutex")])
    messages, _ = run_action(ActionAnswerMedication(), tracker)
    assert messages[0]["text"].startswith("The Subutex brand was discontinued")


def test_no_correction_when_the_answer_already_gives_it(run_action):
    messages, _ = run_action(ActionAnswerMedication(), make_tracker("med_info", entities=[med("buprenorphine", "Subutex")]))
    assert messages[0]["text"] == KB.medication_answer("buprenorphine", "info")
    assert messages[0]["text"].count("Subutex") == 1


def test_comparison_of_two_named_medications(run_action):
    tracker = make_tracker("med_compare", entities=[med("buprenorphine_naloxone", "suboxone"), med("buprenorphine", "subutex")])
    messages, _ = run_action(ActionAnswerMedication(), tracker)
    assert KB.comparison("buprenorphine_naloxone", "buprenorphine") in messages[0]["text"]


def test_comparison_with_one_medication_offers_pairs(run_action):
    messages, _ = run_action(ActionAnswerMedication(), make_tracker("med_compare", entities=[med("methadone")]))
    assert any("med_compare" in b["payload"] and "methadone" in b["payload"] for b in messages[0]["buttons"])


def test_options_for_alcohol(run_action):
    messages, events = run_action(ActionMedicationOptions(), make_tracker("med_options", entities=[substance("alcohol")]))
    assert messages[0]["text"] == KB.medication_options("alcohol")
    assert SlotSet("substance", "alcohol") in events


def test_mixing_on_disulfiram_warns_about_alcohol(run_action):
    messages, _ = run_action(ActionMedicationMixing(), make_tracker("med_mixing", entities=[med("disulfiram")]))
    assert messages[0]["text"] == KB.mixing("disulfiram")


def test_mixing_without_a_medication_gives_the_general_warning(run_action):
    messages, _ = run_action(ActionMedicationMixing(), make_tracker("med_mixing", text="can i mix xanax with my meds"))
    assert messages[0]["text"] == KB.mixing(None)


def test_alcohol_cold_turkey(run_action):
    tracker = make_tracker("withdrawal_cold_turkey", entities=[substance("alcohol")])
    messages, events = run_action(ActionAnswerWithdrawal(), tracker)
    assert messages[0]["text"] == KB.withdrawal_answer("alcohol", "cold_turkey")
    assert SlotSet("substance", "alcohol") in events


def test_withdrawal_without_substance_offers_each(run_action):
    messages, _ = run_action(ActionAnswerWithdrawal(), make_tracker("withdrawal_symptoms"))
    assert messages[0]["text"] == KB.withdrawal_answer(None, "symptoms")
    assert len(messages[0]["buttons"]) == 4


def test_center_hours_come_from_config(run_action):
    messages, _ = run_action(ActionCenterInfo(), make_tracker("center_hours"))
    assert current_center().hours in messages[0]["text"]


@pytest.mark.parametrize("channel", ["rest", "sms"])
def test_every_answer_and_question_back_is_filled_in(run_action, channel):
    """Every response the knowledge actions send gets each value it names, on the web and on SMS."""
    def tracker(intent, entities=(), text=""):
        t = make_tracker(intent, text=text, entities=list(entities))
        t.events.append({"event": "user", "text": text, "input_channel": channel})
        return t

    cases = [(ActionAnswerMedication(), tracker(intent, [med(m)])) for m in KB.medications
             for intent in ("med_info", "med_side_effects", "med_how_taken", "med_when_start", "med_pregnancy", "med_compare")]
    cases += [(ActionAnswerMedication(), tracker("med_compare", [med(a), med(b)])) for a in KB.medications for b in KB.medications
              if a != b]
    cases += [(ActionAnswerMedication(), tracker(i, text="the shot")) for i in ("med_info", "med_compare")]
    cases += [(ActionMedicationOptions(), tracker("med_options", [substance(s)] if s else []))
              for s in (None, "opioids", "alcohol")]
    cases += [(ActionMedicationMixing(), tracker("med_mixing", [med("naltrexone")]))]
    cases += [(ActionAnswerWithdrawal(), tracker(i, [substance(s)] if s else [])) for s in (None, "alcohol")
              for i in ("withdrawal_symptoms", "withdrawal_cold_turkey")]
    cases += [(ActionCenterInfo(), tracker(f"center_{t}")) for t in ("hours", "contact", "services", "location")]
    for action, t in cases:
        messages, _ = run_action(action, t)
        shown = [m.get("text") or "" for m in messages] + [v for m in messages for b in m.get("buttons") or []
                                                           for v in b.values()]
        assert messages and not [s for s in shown if re.search(r"{\w+}", s)], (action.name(), t.latest_message, messages)

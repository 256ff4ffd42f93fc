"""`rasa data validate`, failing on any warning that is not explained below.

Each allowed warning says why it is expected. Anything else fails the build.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Responses sent by custom actions or by Rasa's built-in fallback actions, not
# by a rule step; tests/unit/test_domain.py checks each is really sent somewhere.
SENT_BY_ACTIONS = {
    "utter_disclaimer": "actions/session.py (every session opens with it)",
    "utter_crisis_urgent": "actions/safety.py (crisis follow-up)",
    "utter_crisis_kind_check": "actions/safety.py (crisis follow-up)",
    "utter_crisis_close": "actions/safety.py (crisis follow-up)",
    "utter_crisis_staff_contact": "actions/safety.py (crisis follow-up: how to reach our staff)",
    "utter_check_topic": "actions/fallback.py (the model is unsure: its best guess, to confirm)",
    **{name: "actions/knowledge.py (knowledge answers and the questions they ask back)" for name in (
        "utter_medication_answer", "utter_which_medication", "utter_medication_comparison", "utter_no_comparison",
        "utter_which_comparison", "utter_which_medications_to_compare", "utter_medication_options",
        "utter_medication_options_for", "utter_medication_mixing", "utter_withdrawal_symptoms_answer",
        "utter_withdrawal_cold_turkey_answer", "utter_withdrawal_which_substance")},
    **{name: "assistant/center.py (center facts, sent by actions/knowledge.py: the response for the case)"
       for name in ("utter_center_cost_insurance", "utter_center_hours", "utter_center_location",
                    "utter_center_location_website", "utter_center_contact", "utter_center_contact_website",
                    "utter_center_services", "utter_center_services_no_medications",
                    "utter_center_services_not_listed", "utter_center_services_not_listed_no_medications")},
    "utter_ask_rephrase": "Rasa's action_default_ask_rephrase and actions/fallback.py",
    "utter_default": "actions/fallback.py (final fallback offers a human)",
    "utter_restart": "Rasa's action_restart (default rule for the default intent restart)",
    **{name: "actions/intake.py (pre-assessment)" for name in (
        "utter_intake_resume", "utter_intake_stopped", "utter_intake_paused", "utter_intake_declined",
        "utter_intake_infection_emergency")},
    **{name: "assistant/intake/conversation.py (pre-assessment: between the questions, after an answer)" for name in (
        "utter_intake_after_crisis", "utter_intake_wish_dead_support", "utter_intake_lo_safety_crisis",
        "utter_intake_withdrawal_warning", "utter_intake_still_here", "utter_intake_you_are_welcome",
        "utter_intake_back_to_questions", "utter_intake_skipped")},
    "utter_intake_what_to_change": "assistant/intake/confirmation.py (pre-assessment: fix an answer)",
    "utter_intake_save_failed": "actions/handoff.py (request not stored)",
    **{name: "assistant/intake/callback_request.py (request stored, call promised)" for name in (
        "utter_intake_urgent_reminder", "utter_intake_submitted", "utter_intake_minor_support",
        "utter_intake_crisis_request")},
    **{name: "actions/safety.py (call back offered after a crisis stopped the questions)" for name in (
        "utter_intake_offer_call", "utter_intake_call_declined")},
}
ALLOWED = [
    (re.compile(r"The utterance '(\w+)' is not used in any story or rule\."),
     lambda m: m.group(1) in SENT_BY_ACTIONS),
    # The retrieval intents and their utter_ actions: Rasa adds them and warns that
    # domain/ lists them too, which the rule reader needs (docs/rasa-3.6-notes.md,
    # "Warnings when training").
    (re.compile(r"duplicated intents have been found across multiple domain files: (.+)"),
     lambda m: {i.strip() for i in m.group(1).split(",")} <= {"program", "loved_one"}),
    (re.compile(r"duplicated actions have been found across multiple domain files: (.+)"),
     lambda m: {a.strip() for a in m.group(1).split(",")} <= {"utter_program", "utter_loved_one"}),
]


def main() -> int:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT)}
    rasa = ROOT / ".venv" / "bin" / "rasa"
    proc = subprocess.run([str(rasa), "data", "validate", "--domain", "domain", "--fail-on-warnings"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    warnings = [line.split("UserWarning: ", 1)[1].strip() for line in output.splitlines() if "UserWarning: " in line]
    unexplained = [w for w in warnings if not any((m := pattern.search(w)) and ok(m) for pattern, ok in ALLOWED)]
    errors = [line for line in output.splitlines() if " ERROR " in line]
    for line in unexplained + errors:
        print(f"UNEXPLAINED: {line}")
    print(f"rasa data validate: {len(warnings)} warnings, {len(unexplained)} unexplained, {len(errors)} errors")
    return 1 if unexplained or errors else 0


if __name__ == "__main__":
    sys.exit(main())

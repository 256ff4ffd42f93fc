"""Which pre-assessment questions apply, given the answers so far.

Follows the "asked when" column of docs/pre-assessment.md. `answers` maps
question ids to stored values (option values, lists for multi-select,
"skipped", "unknown"); a missing or None value is an answer not given yet.
"""

from __future__ import annotations

from assistant.intake.answers import label_for
from assistant.intake.questions import question
from assistant.intake.submission import Answer

OPIOIDS = {"heroin", "fentanyl", "opioid_pills"}
TAPS_3_SUBSTANCES = {"heroin", "fentanyl", "stimulants", "other"}  # illicit drugs
TAPS_4_SUBSTANCES = {"opioid_pills", "benzodiazepines"}  # prescription medications
SEIZURE_RISK_SUBSTANCES = {"alcohol", "benzodiazepines"}
WITHDRAWAL_SUBSTANCES = OPIOIDS | SEIZURE_RISK_SUBSTANCES
CONTACT_QUESTIONS = ("intake_phone", "intake_name", "intake_best_time", "intake_contact_safety")
# intake_contact_safety -> (voicemail_ok, text_ok) of the Submission; skipped: not known, so neither is assumed.
MESSAGE_PERMISSIONS: dict[str, tuple[bool | None, bool | None]] = {
    "both": (True, True),
    "voicemail_only": (True, False),
    "texts_only": (False, True),
    "neither": (False, False),
}


def _given(answers: dict, question_id: str) -> bool:
    return answers.get(question_id) is not None


def _chosen(answers: dict) -> set[str]:
    value = answers.get("intake_substances")
    return set(value) if isinstance(value, list) else set()


# After a crisis stopped the questions (see actions/intake.py): "crisis" asks
# nothing more; "callback" asks only how to reach the person, then the request
# goes to staff with the answers so far. Only "continue" brings the rest back.
HALT_CRISIS = "crisis"
HALT_CALLBACK = "callback"
# Whether voicemail and texts are safe matters most then: phones are shared.
CALLBACK_QUESTIONS = ("intake_phone", "intake_name", "intake_contact_safety")


def relevant_questions(answers: dict, ask_state: bool = True) -> list[str]:
    """Every question that applies to these answers, answered or not, in the order asked."""
    if answers.get("intake_consent") == "no":
        return ["intake_consent"]
    ids = ["intake_consent", "intake_for", "intake_age_group"]
    if answers.get("intake_age_group") == "under_18":
        # A callback only (consent rules for minors differ), but never without the suicide screen.
        ids += _safety_questions(answers)
    else:
        ids += _adult_questions(answers, ask_state)
    return [*ids, *CONTACT_QUESTIONS, "intake_confirmed"]


def _drinks(answers: dict) -> bool:
    return "alcohol" in _chosen(answers) or answers.get("intake_drinks") == "yes"


def seizure_risk(answers: dict) -> bool:
    """Alcohol or benzodiazepines in the picture (chosen, drinking, or daily benzodiazepines): seizures or DTs on stopping."""
    return bool(_chosen(answers) & SEIZURE_RISK_SUBSTANCES) or _drinks(answers) or answers.get("intake_benzo_daily") == "yes"


def _adult_questions(answers: dict, ask_state: bool) -> list[str]:
    chosen = _chosen(answers)
    ids = ["intake_substances", "intake_last_use"]
    # AUDIT-C is for everyone who drinks at all, not only those who chose alcohol.
    if "alcohol" not in chosen:
        ids.append("intake_drinks")
    if _drinks(answers):
        ids.append("intake_audit_c_1")
        if answers.get("intake_audit_c_1") != "never":
            ids += ["intake_audit_c_2", "intake_audit_c_3", "intake_sex"]
    if chosen & TAPS_3_SUBSTANCES:
        ids.append("intake_taps_3")
    if chosen & TAPS_4_SUBSTANCES:
        ids.append("intake_taps_4")
    if chosen - {"alcohol"}:
        ids.append("intake_injection")
        if answers.get("intake_injection") == "yes":
            ids.append("intake_injection_infection")
    # TAPS-1 item 4 asks about misuse only: daily use as prescribed carries the same withdrawal risk.
    ids.append("intake_benzo_daily")
    at_risk = seizure_risk(answers)
    if at_risk:
        ids.append("intake_withdrawal_history")
    # A skipped or unknown last use may still be recent: ask.
    if (chosen & WITHDRAWAL_SUBSTANCES or at_risk) and answers.get("intake_last_use") != "more_than_week":
        ids.append("intake_withdrawal_now")
    ids.append("intake_overdose")
    ids.append("intake_current_medication")
    if answers.get("intake_current_medication") == "yes":
        ids.append("intake_current_medication_detail")
    if answers.get("intake_for") != "loved_one":
        ids += ["intake_phq2_1", "intake_phq2_2", "intake_gad2_1", "intake_gad2_2"]
    ids += _safety_questions(answers)
    if answers.get("intake_age_group") != "65_plus":
        ids.append("intake_pregnancy")
    ids.append("intake_insurance")
    if ask_state:
        ids.append("intake_state")
    ids.append("intake_care_preference")
    return ids


def _safety_questions(answers: dict) -> list[str]:
    """The C-SSRS screener as Columbia orders it: 1 and 2; if yes to 2, then 3-5; then 6 for everyone.

    A family member is asked one question about the other person instead.
    """
    if answers.get("intake_for") == "loved_one":
        return ["intake_lo_safety"]
    ids = ["intake_cssrs_1", "intake_cssrs_2"]
    if answers.get("intake_cssrs_2") == "yes":
        ids += ["intake_cssrs_3", "intake_cssrs_4", "intake_cssrs_5"]
    ids.append("intake_cssrs_6")
    if answers.get("intake_cssrs_6") == "yes":
        ids.append("intake_cssrs_6_recent")
    return ids


def form_questions(answers: dict, halt: str | None, ask_state: bool = True) -> list[str]:
    """The form's required slots: every relevant question, or after a crisis only what the halt allows."""
    if halt == HALT_CRISIS:
        return []
    if halt == HALT_CALLBACK:
        return list(CALLBACK_QUESTIONS)
    return relevant_questions(answers, ask_state)


def required_questions(answers: dict, ask_state: bool = True) -> list[str]:
    """The questions still to ask, in order: the form asks the first one.

    intake_for is absent once known from the request, intake_name once the phone answer brought a name.
    """
    return [qid for qid in relevant_questions(answers, ask_state) if not _given(answers, qid)]


def count_questions(answers: dict, ask_state: bool = True) -> int:
    """How many messages the person answers on the path `answers` describes, walked from an empty form.

    Consent and who it is for are one step ("Yes, for me"), so intake_for comes with intake_consent.
    """
    state: dict = {}
    count = 0
    while pending := required_questions(state, ask_state):
        qid = pending[0]
        state[qid] = answers[qid]
        if qid == "intake_consent" and "intake_for" in answers:
            state["intake_for"] = answers["intake_for"]
        count += 1
    return count


def answer_records(answers: dict, for_whom: str) -> tuple[Answer, ...]:
    """The answers staff read: relevant, given, in order; consent and confirmation steps are not answers."""
    records = []
    for qid in relevant_questions(answers):
        q = question(qid)
        if q.summary_label and _given(answers, qid):
            records.append(Answer(qid, answers[qid], label_for(q, answers[qid], for_whom), q.asam))
    return tuple(records)


def message_permissions(answers: dict) -> tuple[bool | None, bool | None]:
    """(voicemail_ok, text_ok) from the contact-safety answer; (None, None) when skipped or not asked."""
    return MESSAGE_PERMISSIONS.get(answers.get("intake_contact_safety") or "", (None, None))


def summary_lines(answers: dict, for_whom: str) -> list[str]:
    """One plain line per answer for the person to check ("Age: 26-44"); labels only, no scores or triage."""
    return [f"{question(a.question_id).summary_label}: {a.label}" for a in answer_records(answers, for_whom)]

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
MESSAGE_PERMISSIONS = {
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


def relevant_questions(answers: dict, ask_state: bool = True) -> list[str]:
    """Every question that applies to these answers, answered or not, in the order asked."""
    if answers.get("intake_consent") == "no":
        return ["intake_consent"]
    ids = ["intake_consent", "intake_for", "intake_age_group"]
    # Under 18: a callback only (consent rules for minors differ; staff take it from there).
    if answers.get("intake_age_group") != "under_18":
        ids += _adult_questions(answers, ask_state)
    return [*ids, *CONTACT_QUESTIONS, "intake_confirmed"]


def _adult_questions(answers: dict, ask_state: bool) -> list[str]:
    chosen = _chosen(answers)
    ids = ["intake_substances", "intake_last_use"]
    if "alcohol" in chosen:
        ids.append("intake_audit_c_1")
        if answers.get("intake_audit_c_1") != "never":
            ids += ["intake_audit_c_2", "intake_audit_c_3"]
    if chosen & TAPS_3_SUBSTANCES:
        ids.append("intake_taps_3")
    if chosen & TAPS_4_SUBSTANCES:
        ids.append("intake_taps_4")
    if chosen - {"alcohol"}:
        ids.append("intake_injection")
    if chosen & SEIZURE_RISK_SUBSTANCES:
        ids.append("intake_withdrawal_history")
    # A skipped or unknown last use may still be recent: ask.
    if chosen & WITHDRAWAL_SUBSTANCES and answers.get("intake_last_use") != "more_than_week":
        ids.append("intake_withdrawal_now")
    ids.append("intake_current_medication")
    if answers.get("intake_current_medication") == "yes":
        ids.append("intake_current_medication_detail")
    if answers.get("intake_for") == "loved_one":
        ids.append("intake_lo_safety")
    else:
        ids += ["intake_phq2_1", "intake_phq2_2", "intake_gad2_1", "intake_gad2_2", "intake_cssrs_1", "intake_cssrs_2"]
        if answers.get("intake_cssrs_2") == "yes":
            ids += ["intake_cssrs_3", "intake_cssrs_4", "intake_cssrs_5", "intake_cssrs_6"]
            if answers.get("intake_cssrs_6") == "yes":
                ids.append("intake_cssrs_6_recent")
    if answers.get("intake_age_group") != "65_plus":
        ids.append("intake_pregnancy")
    ids.append("intake_insurance")
    if ask_state:
        ids.append("intake_state")
    ids.append("intake_care_preference")
    return ids


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
    return MESSAGE_PERMISSIONS.get(answers.get("intake_contact_safety"), (None, None))


def summary_lines(answers: dict, for_whom: str) -> list[str]:
    """One plain line per answer for the person to check ("Age: 26-44"); labels only, no scores or triage."""
    return [f"{question(a.question_id).summary_label}: {a.label}" for a in answer_records(answers, for_whom)]

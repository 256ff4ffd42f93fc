"""What the pre-assessment does with a message while a question is open.

The message answers the question; or corrects an earlier answer; or asks
something on the side (answered, then the question comes back); or is small
talk; or is not understood (asked again, then skipped or a person offered).
An answer can also set something off: the crisis reply, the emergency-room
advice that stops the questions, a withdrawal warning. actions/intake.py
reads the tracker, calls `answer_turn` and sends what it returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.center import current_center
from assistant.intake.answers import detect_correction, parse
from assistant.intake.confirmation import changed_reply, field_named, fix_step
from assistant.intake.flow import HALT_CRISIS, OPIOIDS, seizure_risk
from assistant.intake.questions import SKIPPED, Question, hint, question, reply_text
from assistant.intake.reply import Reply
from assistant.intake.screening import imminent_item, suicide_screen_known
from assistant.knowledge import FAQ_INTENTS

# Below this, the message is taken as an attempt at the answer, not as small talk or another question.
MIN_CONFIDENCE = 0.6
# The second miss of a question skips it, or offers a person when it cannot be skipped: never a loop.
MAX_TRIES = 2
# Questions asked on the side, answered by the knowledge actions (actions/knowledge.py) or a response.
SIDE_QUESTION_ACTIONS = {
    **dict.fromkeys(
        ("med_info", "med_side_effects", "med_how_taken", "med_when_start", "med_pregnancy", "med_compare"),
        "action_answer_medication",
    ),
    "med_options": "action_medication_options",
    "med_mixing": "action_medication_mixing",
    "withdrawal_cold_turkey": "action_answer_withdrawal",
    "withdrawal_symptoms": "action_answer_withdrawal",
    **dict.fromkeys(
        ("center_cost_insurance", "center_hours", "center_location", "center_contact", "center_services"),
        "action_center_info",
    ),
}
SIDE_QUESTION_RESPONSES = {"med_dose_request": "utter_dose_referral", "bot_challenge": "utter_bot_challenge"}
# Small talk is no answer: acknowledged, the question asked again, and it does not count as a miss.
SMALL_TALK = {"greet": "utter_intake_still_here", "thank": "utter_intake_you_are_welcome"}
# Answers that stop the questions like imminent risk does: go to an emergency room now.
STOPPING_ANSWERS = ("intake_injection_infection",)
LOVED_ONE_CUE = re.compile(
    r"\b(?:my|our)\s+(?:\w+\s+)?(?:son|daughter|kid|child|children|husband|wife|partner|boyfriend|girlfriend|"
    r"bf|gf|fianc[eé]e?|mom|mother|mum|dad|father|brother|sister|bro|sis|friend|cousin|grandson|granddaughter|"
    r"nephew|niece|uncle|aunt|loved one|family member|roommate|stepson|stepdaughter)s?\b",
    re.IGNORECASE,
)
SELF_CUE = re.compile(r"\b(?:i|i'm|im|i've|me|myself|my self)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Message:
    """The person's message as NLU read it."""

    text: str
    intent: str | None = None
    confidence: float = 0.0
    faq_answer: str | None = None  # for a retrieval intent: the selected response key ("program/cost")


@dataclass(frozen=True)
class Turn:
    """The slots to set and the replies, in order; `crisis_detected_by`: a suicide crisis to record."""

    slots: dict[str, Any]
    replies: tuple[Reply, ...] = ()
    crisis_detected_by: str | None = None


def for_whom_from_text(text: str) -> str | None:
    """Who the request is for, when its words say so ("help for my son")."""
    if LOVED_ONE_CUE.search(text or ""):
        return "loved_one"
    return "self" if SELF_CUE.search(text or "") else None


def corrections(message: Message, requested: str | None, for_whom: str | None, answers: dict | None = None) -> Turn:
    """Earlier answers the message corrects ("actually my number is ..."), thanked for in one line.

    With `answers` (the form's answers before this message): a value already stored is no change,
    and what the answer to the open question brings along ("702 463 2292, my name is Alex") is
    part of that answer, not a correction.
    """
    changed = [(qid, parsed) for qid, parsed in detect_correction(message.text) if qid != requested]
    if answers is not None:
        brought = _brought_along(requested, message.text, for_whom)
        changed = [(qid, parsed) for qid, parsed in changed
                   if qid not in brought and answers.get(qid) != parsed.value]
    if not changed:
        return Turn({})
    return Turn({qid: parsed.value for qid, parsed in changed}, (changed_reply(changed, for_whom),))


def _brought_along(requested: str | None, text: str, for_whom: str | None) -> set[str]:
    """The questions an answer to `requested` sets besides its own."""
    if requested is None:
        return set()
    parsed = parse(question(requested), text, for_whom)
    return {qid for qid, _ in parsed.also} if parsed.status != "invalid" else set()


def is_leaving(qid: str, value: Any, message: Message, for_whom: str | None) -> bool:
    """A goodbye that is no answer: the form steps aside for the rule that pauses it."""
    if message.intent != "goodbye" or message.confidence < MIN_CONFIDENCE:
        return False
    return parse(question(qid), value if isinstance(value, str) else "", for_whom).status == "invalid"


def answer_turn(qid: str, value: Any, answers: dict, message: Message, sms: bool, retries: dict | None,
                corrected: bool | None = None) -> Turn:
    """The form's turn after `value` was given for question `qid`.

    `answers`: every answer so far, `qid` still holding the raw text; `retries`:
    misses per question (the intake_retries slot); `corrected`: the same message
    changed an earlier answer (`corrections`); None: whether it changes one of `answers`.
    """
    text = value if isinstance(value, str) else ""
    for_whom = answers.get("intake_for")
    q = question(qid)
    retries = dict(retries or {})
    parsed = parse(q, text, for_whom)
    if corrected is None:
        corrected = any(other != qid and answers.get(other) != fix.value for other, fix in detect_correction(message.text))
    if parsed.status == "invalid" and corrected:
        # Only a correction of another answer, thanked for by `corrections`; no miss. A correction
        # that changes nothing is no correction (`corrections`): it counts as a miss, so none loops.
        return Turn({qid: None})
    if parsed.status == "ask_count":  # "a bottle": how many drinks is that? (counts as a miss: no loop)
        retries[qid] = retries.get(qid, 0) + 1
        if retries[qid] < MAX_TRIES or not q.skippable:
            return Turn({qid: None, "intake_retries": retries}, (Reply(text=parsed.label),))
        parsed = parse(q, q.skip_label or "skip", for_whom)
    if parsed.status != "invalid":
        retries.pop(qid, None)
        slots = {qid: parsed.value, "intake_retries": retries, **{other: p.value for other, p in parsed.also}}
        turn = _after_answer(qid, slots, text, answers, sms)
        if parsed.asks and "intake_halt" not in turn.slots:
            # "yes but will they tell my job?": the yes is kept, and the question answered when NLU knows it.
            turn = Turn(turn.slots, turn.replies + _side_answer(message), turn.crisis_detected_by)
        return turn
    if qid == "intake_confirmed" and (named := field_named(text, answers)):
        return Turn({named: None, qid: None})  # "Phone": that question is asked again
    side = _side_replies(q, message)
    if side:
        return Turn({qid: None}, side)
    return _missed(q, retries, sms)


def typed_turn(qid: str, text: str, answers: dict, message: Message, sms: bool = False,
               retries: dict | None = None) -> Turn:
    """One typed message while `qid` is open, as validate_intake_form handles it (actions/intake.py):
    its extraction step (`corrections`), then its validation step (`answer_turn`).

    `answers`: the answers before the message. The evaluation (evaluation/intake_answers.py) and
    the tests drive the form through here.
    """
    fixed = corrections(message, qid, answers.get("intake_for"), answers)
    after = {**answers, **fixed.slots, qid: text}  # the requested slot holds the raw text
    turn = answer_turn(qid, text, after, message, sms, retries, corrected=bool(fixed.slots))
    return Turn({**fixed.slots, **turn.slots}, fixed.replies + turn.replies, turn.crisis_detected_by)


def _side_replies(q: Question, message: Message) -> tuple[Reply, ...]:
    """"Why do you ask?", small talk, or a question we can answer: replied to, then the question comes back."""
    if message.intent == "why_ask":
        return (why_reply(q),)
    if message.confidence < MIN_CONFIDENCE:
        return ()
    if message.intent in SMALL_TALK:
        return (Reply(response=SMALL_TALK[message.intent]),)
    return _side_answer(message)


def _side_answer(message: Message) -> tuple[Reply, ...]:
    """The answer to a question asked on the side (knowledge action, response or FAQ), then back to the questions."""
    if message.confidence < MIN_CONFIDENCE:
        return ()
    if message.intent in SIDE_QUESTION_ACTIONS:
        answer = Reply(action=SIDE_QUESTION_ACTIONS[message.intent])
    elif message.intent in SIDE_QUESTION_RESPONSES:
        answer = Reply(response=SIDE_QUESTION_RESPONSES[message.intent])
    elif message.intent in FAQ_INTENTS and message.faq_answer:  # the response selector picked the answer
        answer = Reply(response=f"utter_{message.faq_answer}")
    else:
        return ()
    return (answer, Reply(response="utter_intake_back_to_questions"))


def why_reply(q: Question) -> Reply:
    """"Why do you ask?": the question's why, and how to skip it when it can be skipped."""
    if q.skippable:
        assert q.skip_label is not None  # a skippable question has one (questions._question)
        return Reply(text=reply_text("why_or_skip", why=q.why, skip_label=q.skip_label.lower()))
    return Reply(text=q.why)


def not_understood(q: Question, misses: int, sms: bool) -> Reply:
    """Before the question is asked again: how to answer it; after the last miss (of a question that
    cannot be skipped), why we ask and a way to a person."""
    if misses >= MAX_TRIES:
        return Reply(text=reply_text("ask_again", sms, why=q.why, hint=hint(q.kind),
                                     center_phone=current_center().phone))
    return Reply(text=reply_text("not_understood", hint=hint(q.kind)))


def _missed(q: Question, retries: dict, sms: bool) -> Turn:
    retries[q.id] = retries.get(q.id, 0) + 1
    if retries[q.id] >= MAX_TRIES and q.skippable:
        retries.pop(q.id)
        return Turn({q.id: SKIPPED, "intake_retries": retries}, (Reply(response="utter_intake_skipped"),))
    return Turn({q.id: None, "intake_retries": retries}, (not_understood(q, retries[q.id], sms),))


def _after_answer(qid: str, slots: dict, text: str, answers: dict, sms: bool) -> Turn:
    for_whom = answers.get("intake_for")
    replies: list[Reply] = []
    if qid == "intake_consent" and for_whom is None:
        who = parse("intake_for", text, None)  # "Yes, for me": consent and who it is for in one tap
        if who.status == "ok":
            slots["intake_for"] = who.value
    if qid == "intake_confirmed" and slots[qid] == "fix":
        replies.append(fix_step(answers, sms))
        slots[qid] = None
    before = {**answers, qid: None}  # the slot holds the raw text until now
    after = {**before, **slots}
    trigger = imminent_item(after) or (qid if qid in STOPPING_ANSWERS and slots[qid] == "yes" else None)
    if trigger and not imminent_item(before):
        # No more questions. The form ends here and action_intake_submit gives the crisis
        # reply or the emergency-room advice, then the danger check or the call back (answers kept).
        # requested_slot None says so to Rasa (rasa_sdk cannot: it is sent no domain to compare with).
        halt = {"intake_halt": HALT_CRISIS, "intake_trigger": trigger, "requested_slot": None}
        return Turn({**slots, **halt}, tuple(replies))
    crisis = None
    if suicide_screen_known(after) and not suicide_screen_known(before):
        # Crisis first, at once, in fixed wording; staff see the flag on the request.
        replies.append(Reply(response="utter_intake_lo_safety_crisis" if for_whom == "loved_one"
                             else "utter_crisis_suicide"))
        replies.append(Reply(response="utter_intake_after_crisis"))
        crisis = f"intake:{qid}"
    elif qid == "intake_cssrs_1" and slots[qid] == "yes":
        replies.append(Reply(response="utter_intake_wish_dead_support"))  # low risk, but never unanswered
    elif qid == "intake_withdrawal_now" and slots[qid] == "yes" and seizure_risk(after):
        replies.append(Reply(response="utter_intake_withdrawal_warning"))  # alcohol/benzo withdrawal can turn fast
    if qid == "intake_substances" and set(slots[qid] or ()) & OPIOIDS:
        slots["opioid_context"] = True  # every emergency reply from now on includes naloxone (domain/)
    return Turn(slots, tuple(replies), crisis)

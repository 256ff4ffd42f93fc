"""Demo conversations that end in a call-back request: the real questions, Submission and triage.

Each answer comes from assistant/demo/people.py; the form's replies, crisis stops and the
stored request's replies are the real code's (assistant/intake/). Bulk requests share a
pool of walks through the questions and get an abridged transcript (bulk_submission).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime

from assistant.center import current_center
from assistant.demo.people import Person, answer_text, new_person, option_text, pick_answer
from assistant.demo.texts import CALL_ASKS, RELATIONS, XSS_TEXTS
from assistant.demo.transcript import DEMO_PREFIX, Transcript, crisis_exchange, faq_exchange, goodbye, greeting
from assistant.intake.answers import label_for
from assistant.intake.callback_request import build_submission, stored_replies
from assistant.intake.confirmation import summary_text
from assistant.intake.conversation import STOPPING_ANSWERS
from assistant.intake.due import due_at
from assistant.intake.flow import CALLBACK_QUESTIONS, CONTACT_QUESTIONS, message_permissions, required_questions, seizure_risk
from assistant.intake.promises import CallPromise, call_promise
from assistant.intake.questions import SKIPPED, UNKNOWN, buttons_for, notice_text, question, text_for
from assistant.intake.screening import imminent_item, suicide_screen_known
from assistant.intake.submission import Answer, Submission

XSS_CONVERSATION_ID = "demo-web-xss-escaping"  # the one conversation with markup in it (console escaping)
LONG_CONVERSATION_ID = "demo-web-long-transcript"  # a request whose transcript has LONG_TURNS messages from the person
LONG_TURNS = 300


def _after(t: Transcript, qid: str, before: dict, person: Person) -> None:
    """The replies the form adds after an answer (conversation.py _after_answer), and a crisis it records."""
    after, loved_one = person.answers, person.for_whom == "loved_one"
    if suicide_screen_known(after) and not suicide_screen_known(before):
        t.respond("utter_intake_lo_safety_crisis" if loved_one else "utter_crisis_suicide", "intake_form")
        t.respond("utter_intake_after_crisis", "", loved_one)
        t.crisis("suicide", f"intake:{qid}")
    elif qid == "intake_cssrs_1" and after[qid] == "yes":
        t.respond("utter_intake_wish_dead_support", "intake_form")
    elif qid == "intake_withdrawal_now" and after[qid] == "yes" and seizure_risk(after):
        t.respond("utter_intake_withdrawal_warning", "intake_form", loved_one)


def _questions(t: Transcript, person: Person, only: tuple[str, ...] | None = None, quiet: bool = False) -> str | None:
    """Ask until done (or only the callback questions); returns the answer that stopped the questions, if one did.

    `quiet`: the answers without the messages (an abridged transcript; the summary still lists them).
    """
    rng, answers = t.rng, person.answers
    ask_state = current_center().asks_state()
    while True:
        pending = [q for q in (only or required_questions(answers, ask_state)) if answers.get(q) is None]
        if not pending:
            return None
        qid = pending[0]
        if qid == "intake_confirmed":
            t.send("intake_form", summary_text(answers, person.for_whom, t.sms))
        before = dict(answers)
        value = pick_answer(qid, person, rng)
        gave_name = False
        if quiet and qid != "intake_confirmed":
            t.clock += rng.uniform(5, 30)
        else:
            # Consent before it is known who it is for: "Yes, for me" buttons.
            for_whom = None if qid == "intake_consent" and not person.said_who else person.for_whom
            t.send(f"action_ask_{qid}", text_for(qid, person.for_whom), buttons_for(qid, for_whom))
            t.listen()
            text, gave_name = answer_text(qid, value, person, rng)
            t.user(text, "affirm" if qid == "intake_consent" else "inform")
        answers[qid] = value
        if qid == "intake_consent":
            answers["intake_for"] = person.for_whom
        if gave_name:
            answers["intake_name"] = person.first_name
        trigger = imminent_item(answers) or (qid if qid in STOPPING_ANSWERS and value == "yes" else None)
        if only is None and trigger and not imminent_item(before):
            return trigger
        _after(t, qid, before, person)


def _stop_for_crisis(t: Transcript, person: Person, trigger: str) -> None:
    """The questions stopped (actions/intake.py stop_for_crisis); the person then asks for the call."""
    loved_one = person.for_whom == "loved_one"
    t.action("action_intake_submit")
    if trigger in STOPPING_ANSWERS:
        t.respond("utter_intake_infection_emergency", "", loved_one)
        t.respond("utter_intake_offer_call", "")
    else:
        t.respond("utter_crisis_suicide", "")
        t.respond("utter_crisis_resources", "")
        t.crisis("suicide", f"intake:{trigger}")
        t.respond("utter_crisis_ask_danger", "")
        t.listen()
        t.user(t.rng.choice(("no", "im safe right now", "no not tonight")), "deny")
        t.respond("utter_crisis_kind_check", "action_crisis_followup")
    t.listen()
    t.user(t.rng.choice(("yes", "yes please", "ok")), "affirm")
    t.action("action_intake_resume")


def answer_pool(rng: random.Random, size: int) -> list[Person]:
    """Paths through the real questions for bulk requests to share; none with a crisis (their transcript is abridged)."""
    pool: list[Person] = []
    while len(pool) < size:
        t, person = Transcript(DEMO_PREFIX + "web-pool", rng), new_person(rng)
        if _questions(t, person, quiet=True) is None and not t.crises:
            pool.append(person)
    return pool


def from_walk(walk: Person, rng: random.Random) -> Person:
    """Someone new who answered the clinical questions as `walk` did: own name, number and contact wishes."""
    person = new_person(rng)
    person.for_whom = walk.for_whom
    person.relation = rng.choice(RELATIONS) if walk.for_whom == "loved_one" else ""
    person.answers = {**walk.answers, "intake_phone": person.phone}
    for qid in ("intake_name", "intake_best_time", "intake_contact_safety"):
        person.answers[qid] = pick_answer(qid, person, rng)
    return person


def bulk_submission(conversation_id: str, person: Person, walk: Person, created_at: datetime,
                     sms: bool) -> tuple[Submission, CallPromise]:
    """build_submission's result for `person`, from the walk's (built once per channel by the real code).

    Triage, scores and flags come from the clinical answers, which are the walk's; what differs
    is redone here as build_submission does it: the contact answers, the promise and the due time.
    """
    template = walk.templates.get(sms)
    if template is None:
        template = walk.templates[sms] = build_submission(conversation_id, walk.answers, set(), created_at, sms)[0]
    level, for_whom, answers = template.triage.level, person.for_whom, person.answers
    # from_walk: the same contact questions answered (perhaps "skipped"), so each record is swapped in place.
    contact = {qid: Answer(qid, answers[qid], label_for(qid, answers[qid], for_whom), question(qid).asam)
               for qid in CONTACT_QUESTIONS}
    name, best_time = answers["intake_name"], answers["intake_best_time"]
    promise = call_promise(level, created_at)
    voicemail_ok, text_ok = message_permissions(answers)
    return replace(
        template, conversation_id=conversation_id, first_name="" if name in (SKIPPED, UNKNOWN) else name,
        phone_e164=person.phone, best_time="" if best_time in (SKIPPED, UNKNOWN) else contact["intake_best_time"].label,
        voicemail_ok=voicemail_ok, text_ok=text_ok, answers=tuple(contact.get(a.question_id, a) for a in template.answers),
        callback_window=promise.window, consent_at=created_at, due_at=due_at(level, created_at),
    ), promise


def _opening(t: Transcript, person: Person) -> None:
    if t.conversation_id == XSS_CONVERSATION_ID:
        for text in XSS_TEXTS:
            t.user(text, "nlu_fallback", confidence=0.08)
            t.respond("utter_ask_rephrase", "action_default_ask_affirmation")
            t.listen()
    elif person.for_whom == "loved_one":
        using = t.rng.choice(("fentanyl", "meth", "pills", "again", "and drinking every day"))
        t.user(f"my {person.relation} is using {using} and i dont know what to do", "loved_one")
        person.said_who = True
        t.respond("utter_loved_one/how_to_help", "utter_loved_one")
        t.listen()
    else:
        greeting(t)


def _consent_and_confirm(t: Transcript, person: Person) -> None:
    """An abridged pre-assessment: the consent, the questions left out, the confirmation."""
    for_whom = person.for_whom if person.said_who else None
    t.send("action_ask_intake_consent", text_for("intake_consent", person.for_whom), buttons_for("intake_consent", for_whom))
    t.listen()
    t.user(answer_text("intake_consent", "yes", person, t.rng)[0], "affirm")
    t.clock += t.rng.uniform(120, 420)
    t.send("action_ask_intake_confirmed", text_for("intake_confirmed", person.for_whom),
           buttons_for("intake_confirmed", person.for_whom))
    t.listen()
    t.user(option_text("intake_confirmed", "yes", person.for_whom, t.rng), "affirm")


def request_conversation(conversation_id: str, rng: random.Random, reference: str, created_at: datetime,
                         pad_to: int = 0, walk: Person | None = None) -> tuple[Transcript, Submission]:
    """A conversation that ends in a call-back request: the real Submission and triage, as made at `created_at`.

    Once shifted, the request is sent at created_at. `pad_to`: questions after it until the person
    has sent that many messages. `walk` (from answer_pool): its answers, and a transcript without
    the questions and small talk, so bulk data is quick to make and small.
    """
    t = Transcript(conversation_id, rng)
    person = from_walk(walk, rng) if walk else new_person(rng)
    _opening(t, person)
    crisis_kinds: set[str] = set()
    if walk is None:
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            faq_exchange(t)
        if rng.random() < 0.03:  # a crisis earlier in the conversation: triage makes the request URGENT
            kind = rng.choice(("overdose", "medical"))
            crisis_exchange(t, kind)
            crisis_kinds.add(kind)
    t.user(rng.choice(CALL_ASKS), "request_callback")
    t.send("action_intake_start", notice_text(person.for_whom if person.said_who else None, current_center().name, t.sms))
    trigger = None
    if walk is not None:
        _consent_and_confirm(t, person)
    elif trigger := _questions(t, person):
        _stop_for_crisis(t, person, trigger)
        _questions(t, person, only=CALLBACK_QUESTIONS)
    at_submit = t.clock
    if walk is not None:
        submission, promise = bulk_submission(conversation_id, person, walk, created_at, t.sms)
    else:
        submission, promise = build_submission(conversation_id, person.answers, crisis_kinds, created_at, t.sms, trigger)
    t.action("action_intake_submit")
    for item in stored_replies(person.answers, submission, promise, reference, in_crisis=False):
        assert item.response is not None  # stored_replies: domain responses only
        t.respond(item.response, "", person.for_whom == "loved_one", **item.values)
    t.listen()
    while t.user_turns < pad_to:
        faq_exchange(t)
    if not (pad_to or walk):
        goodbye(t)
    t.shift(created_at.timestamp() - at_submit)
    return t, submission

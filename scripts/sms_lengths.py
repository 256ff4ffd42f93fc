"""How many SMS segments every response takes, as the SMS channel sends it.

    make sms-report                     # or: python -m scripts.sms_lengths [--all]

Measured as sent: the `channel: sms` variant of each domain response when it
has one (the program FAQ of knowledge/program.yml among them, generated into
domain/faq.yml), the other knowledge answers and center facts from the actions themselves
(run for a conversation on SMS, so their SMS wording and buttons, in the
responses Rasa fills with what the action passes: rasa_ext/responses.py; the
center facts also for a center with a website and with more or fewer services), the
questions those actions ask back and the fallback's check of each topic, the
pre-assessment questions (both wordings, with the consent notice and the end
summary), what the form says between them (hints, why we ask, corrections) and
what the SMS channel writes itself (channels/texts.yml: HELP, STOP, START...).
Buttons become "Reply 1 for ..." options and the text is normalized as
channels/sms.py does (assistant/sms.py). Target: at least 95% in 2 segments,
none above 4. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionDefaultAskAffirmation
from actions.intake import QUESTION_IDS, AskQuestion
from actions.knowledge import (
    ASPECT_BY_INTENT,
    ActionAnswerMedication,
    ActionAnswerWithdrawal,
    ActionCenterInfo,
    ActionMedicationMixing,
    ActionMedicationOptions,
)
from assistant import domain_files, sms
from assistant.center import SERVICES, center_reply, current_center
from assistant.channel_texts import channel_texts
from assistant.intake.answers import detect_correction, parse
from assistant.intake.confirmation import changed_reply
from assistant.intake.conversation import MAX_TRIES, not_understood, why_reply
from assistant.intake.flow import relevant_questions
from assistant.intake.promises import call_promise
from assistant.intake.questions import catalog
from assistant.intake.submission import LEVELS
from assistant.knowledge import SUBSTANCES, WITHDRAWAL_TOPICS, knowledge
from assistant.lexicon import lexicon
from evaluation.intake_script import USUAL_PATH
from rasa_ext.responses import rendered

ROOT = Path(__file__).resolve().parent.parent
TARGET_SHARE = 0.95
BUCKETS = ("1", "2", "3", "4", ">4")
SOURCES = ("domain", "knowledge", "center", "intake", "channel")
CENTER_TOPICS = ("cost_insurance", "hours", "location", "contact", "services")
# For the center facts' other cases, when center.yml has no website: one of a common length.
EXAMPLE_WEBSITE = "www.our-treatment-center.org"
PLACEHOLDER = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Sent:
    source: str  # one of SOURCES
    where: str
    text: str
    responses: tuple[str, ...] = ()  # the domain responses it was filled from


    @property
    def segments(self) -> int:
        return sms.segments(self.text)


def _bucket(segments: int) -> str:
    return str(segments) if segments <= sms.MAX_SEGMENTS else f">{sms.MAX_SEGMENTS}"


def domain_responses() -> list[Sent]:
    """Every response as the NLG picks it on SMS: the sms variant when there is one.

    A response with values only an action knows (an {answer}, a medication's name)
    is measured as that action sends it, with each value (knowledge_answers, prompts).
    """
    center = current_center()
    values = {"center_name": center.name, "center_phone": center.phone, "center_hours": center.hours,
              "reference": "CB-7K3M9Q", "call_promise": _longest_call_promise()}
    responses = domain_files.responses()
    out = []
    for name, variants in responses.items():
        on_sms = [v for v in variants if v.get("channel") == "sms"] or [v for v in variants if not v.get("channel")]
        if not set(PLACEHOLDER.findall(str(on_sms))) <= set(values):
            continue
        for i, variant in enumerate(on_sms):
            text = variant.get("text", "").format(**values)
            where = name if len(on_sms) == 1 else f"{name}[{i}]"
            out.append(Sent("domain", where, sms.compose([{"text": text, "buttons": variant.get("buttons")}])[0], (name,)))
    return out


def _longest_call_promise() -> str:
    center = current_center()
    moments = [datetime(2025, 3, day, hour) for day in (3, 7, 8) for hour in (7, 12, 20)]  # Mon, Fri, Sat
    return max((call_promise(level, now, center).text for level in LEVELS for now in moments),
               key=len)


def _tracker(intent: str, entities: list | None = None, slots: dict | None = None, text: str = "",
             ranking: list | None = None) -> Tracker:
    chosen = {"name": intent, "confidence": 0.9}
    latest = {"text": text, "intent": chosen, "intent_ranking": ranking or [chosen], "entities": entities or []}
    user = {"event": "user", "text": text, "parse_data": latest, "input_channel": "sms"}
    return Tracker("sms-report", slots or {}, latest, [user], False, None, {}, "action_listen")


def _sent(source: str, where: str, action, tracker: Tracker) -> Sent:
    """What `action` sends on SMS for `tracker`: its messages filled in as Rasa does, as one SMS text."""
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    names = tuple(m["response"] for m in dispatcher.messages if m.get("response"))
    return Sent(source, where, sms.compose(rendered(dispatcher.messages, "sms", tracker.slots))[0], names)


def _run(action, tracker: Tracker) -> str:
    return _sent("", "", action, tracker).text


def knowledge_answers() -> list[Sent]:
    """Each answer in knowledge/*.yml, sent by its action for a conversation on SMS."""
    kb = knowledge()
    out = []
    for intent, aspect in ASPECT_BY_INTENT.items():
        for medication in kb.medications:
            entities = [{"entity": "medication", "value": medication}]
            out.append(_sent("knowledge", f"medications.{medication}.{aspect}", ActionAnswerMedication(),
                             _tracker(intent, entities)))
    for item in kb.comparisons:
        entities = [{"entity": "medication", "value": m} for m in item["pair"]]
        out.append(_sent("knowledge", f"comparisons.{'/'.join(item['pair'])}", ActionAnswerMedication(),
                         _tracker("med_compare", entities)))
    for key in kb.options:
        entities = [] if key == "general" else [{"entity": "substance", "value": key}]
        out.append(_sent("knowledge", f"options.{key}", ActionMedicationOptions(), _tracker("med_options", entities)))
    for key in kb.mixing_notes:
        entities = [] if key == "general" else [{"entity": "medication", "value": key}]
        out.append(_sent("knowledge", f"mixing.{key}", ActionMedicationMixing(), _tracker("med_mixing", entities)))
    for topic in WITHDRAWAL_TOPICS:
        for substance in (*SUBSTANCES, None):
            entities = [{"entity": "substance", "value": substance}] if substance else []
            out.append(_sent("knowledge", f"withdrawal.{substance or 'general'}.{topic}", ActionAnswerWithdrawal(),
                             _tracker(f"withdrawal_{topic}", entities)))
    return out


def prompts() -> list[Sent]:
    """The questions the knowledge actions ask back, and the fallback's check of each topic, on SMS.

    Which medication: with every set of medications offered. Which comparison: for each medication
    with comparisons. No comparison: for the two longest names (only the names change).
    """
    kb = knowledge()
    out = [_sent("knowledge", "which_medication", ActionAnswerMedication(), _tracker("med_info"))]
    for phrase, choices in lexicon().ambiguous.items():
        out.append(_sent("knowledge", f"which_medication.{'/'.join(choices)}", ActionAnswerMedication(),
                         _tracker("med_info", text=phrase)))
    out.append(_sent("knowledge", "which_medications_to_compare", ActionAnswerMedication(), _tracker("med_compare")))
    for medication in kb.medications:
        if kb.comparisons_with(medication):
            entities = [{"entity": "medication", "value": medication}]
            out.append(_sent("knowledge", f"which_comparison.{medication}", ActionAnswerMedication(),
                             _tracker("med_compare", entities)))
    compared = {frozenset(item["pair"]) for item in kb.comparisons}
    first, second = sorted((pair for pair in _pairs(kb.medications) if frozenset(pair) not in compared),
                           key=lambda pair: -len(kb.display_name(pair[0]) + kb.display_name(pair[1])))[0]
    entities = [{"entity": "medication", "value": first}, {"entity": "medication", "value": second}]
    out.append(_sent("knowledge", "no_comparison", ActionAnswerMedication(), _tracker("med_compare", entities)))
    for intent in lexicon().topics:
        ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": intent, "confidence": 0.35}]
        out.append(_sent("domain", f"check_topic.{intent}", ActionDefaultAskAffirmation(),
                         _tracker("nlu_fallback", ranking=ranking)))
    return [*{s.text: s for s in out}.values()]  # once each: ambiguous phrases share their choices


def _pairs(items) -> list[tuple[str, str]]:
    items = list(items)
    return [(a, b) for i, a in enumerate(items) for b in items[i + 1:]]


def center_answers() -> list[Sent]:
    """Each center fact as the action sends it for center.yml, then every other case its responses cover:
    a website, every service with the medications, services but no medications, medications but no services."""
    out = [_sent("center", f"center.{topic}", ActionCenterInfo(), _tracker(f"center_{topic}")) for topic in CENTER_TOPICS]
    center = current_center()
    medications = center.offered_medications() or ["methadone", "buprenorphine", "naltrexone"]
    cases = {
        "website": dataclasses.replace(center, website=center.website or EXAMPLE_WEBSITE),
        "every_service": dataclasses.replace(center, services={**{key: True for key in SERVICES},
                                                               "medications": medications}),
        "no_medications": dataclasses.replace(center, services={**{key: True for key in SERVICES}, "medications": []}),
        "no_services_listed": dataclasses.replace(center, services={"medications": medications}),
        "nothing_listed": dataclasses.replace(center, services={}),
    }
    for case, other in cases.items():
        for topic in CENTER_TOPICS:
            response, facts = center_reply(other, topic)  # what ActionCenterInfo sends for that center.yml
            text = sms.compose(rendered([{"response": response, **facts}], "sms"))[0]
            out.append(Sent("center", f"center.{topic}.{case}", text, (response,)))
    once: dict[str, Sent] = {}  # each text once, under its first name: most cases change one topic's answer only
    for sent in out:
        once.setdefault(sent.text, sent)
    return list(once.values())


def channel_replies() -> list[Sent]:
    """What the SMS channel writes itself (channels/sms.py, channels/texts.yml), with the center's facts;
    the privacy note goes before the first reply a number gets, measured with the longest of them (HELP)."""
    center, texts = current_center(), channel_texts()
    replies = {
        "help": texts.sms.help.format(name=center.name, phone=center.phone, hours=center.hours),
        "opted_out": texts.sms.opted_out,
        "opted_in": texts.sms.opted_in.format(name=center.name),
        "no_text": texts.sms.no_text,
        "slow_down": texts.sms.slow_down.format(too_fast=texts.too_fast),
        "apology": texts.sms.apology.format(phone=center.phone),
    }
    replies["help.first"] = f"{texts.sms.privacy_note}\n{replies['help']}"
    return [Sent("channel", f"sms.{where}", sms.normalize(text)) for where, text in replies.items()]


def intake_questions() -> list[Sent]:
    """Each question in both wordings with its options (the first with the consent notice), and a full summary.

    Consent is measured a third time before it is known who it is for: its options then say so ("Yes, for me").
    """
    out = []
    for qid in QUESTION_IDS:
        action = type(f"Ask_{qid}", (AskQuestion,), {"question_id": qid})()
        for for_whom in (None, "self", "loved_one") if qid == "intake_consent" else ("self", "loved_one"):
            slots = {"intake_for": for_whom, **(_usual_answers() if qid == "intake_confirmed" else {})}
            try:
                text = _run(action, _tracker("intake", slots=slots))
            except ValueError:  # not asked on this path (e.g. pregnancy of a loved one is, age of self is)
                continue
            out.append(Sent("intake", f"{qid}.{for_whom or 'not_known'}", text))
    return out


def intake_replies() -> list[Sent]:
    """Between the questions, on SMS: the hint for each kind of question, each question's why, the
    last try of each question that cannot be skipped, and a correction of every contact answer at once."""
    questions = catalog().questions.values()
    replies = {f"hint.{q.kind}": not_understood(q, 1, sms=True) for q in questions}
    replies.update({f"{q.id}.why": why_reply(q) for q in questions})
    replies.update({f"{q.id}.last_try": not_understood(q, MAX_TRIES, sms=True) for q in questions if not q.skippable})
    every_change = detect_correction("actually my name is Maria and my number is 617-555-0199, "
                                     "call me in the evening instead, and texts only")
    replies["changed"] = changed_reply(every_change, "self")
    return [Sent("intake", where, sms.compose([{"text": reply.text}])[0]) for where, reply in replies.items()]


def _usual_answers() -> dict:
    answers: dict = {"intake_for": "self"}
    for qid in relevant_questions({qid: parse(qid, text, "self").value for qid, text in USUAL_PATH.items()}):
        if qid in USUAL_PATH and qid != "intake_confirmed":
            answers[qid] = parse(qid, USUAL_PATH[qid], "self").value
    answers["intake_name"] = "Sam"
    return answers


def measure() -> list[Sent]:
    return [*domain_responses(), *knowledge_answers(), *prompts(), *center_answers(), *intake_questions(),
            *intake_replies(), *channel_replies()]


def report(sent: list[Sent], show_all: bool = False) -> tuple[float, int]:
    """Prints the table; returns (share within TARGET_SEGMENTS, how many above MAX_SEGMENTS)."""
    counts = Counter(_bucket(s.segments) for s in sent)
    within = sum(1 for s in sent if s.segments <= sms.TARGET_SEGMENTS) / len(sent)
    above = counts[f">{sms.MAX_SEGMENTS}"]
    print(f"{len(sent)} responses as sent on SMS (GSM-7: 160 characters in 1 segment, 153 per segment after)")
    print("segments  " + "  ".join(f"{b:>4}" for b in BUCKETS))
    for source in SOURCES:
        mine = Counter(_bucket(s.segments) for s in sent if s.source == source)
        print(f"{source:<9} " + "  ".join(f"{mine[b]:>4}" for b in BUCKETS))
    print("all       " + "  ".join(f"{counts[b]:>4}" for b in BUCKETS))
    print(f"within {sms.TARGET_SEGMENTS} segments: {within:.1%} (target {TARGET_SHARE:.0%}); above {sms.MAX_SEGMENTS}: {above}")
    longer = sorted((s for s in sent if show_all or s.segments > sms.TARGET_SEGMENTS), key=lambda s: (-s.segments, s.where))
    for s in longer:
        print(f"  {s.segments} seg {len(s.text):>4} chars {sms.encoding(s.text)}  {s.source}: {s.where}")
    return within, above


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="list every response, not only those above the target")
    args = parser.parse_args(argv)
    within, above = report(measure(), show_all=args.all)
    return 0 if within >= TARGET_SHARE and above == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

"""How many SMS segments every response takes, as the SMS channel sends it.

    make sms-report                     # or: python -m scripts.sms_lengths [--all]

Measured as sent: the `channel: sms` variant of each domain response when it
has one (the program FAQ of knowledge/program.yml among them, generated into
domain/faq.yml), the other knowledge answers and center facts from the actions themselves
(run for a conversation on SMS, so their SMS wording and buttons), the
pre-assessment questions (both wordings, with the consent notice and the end
summary) and what the form says between them (hints, why we ask, corrections).
Buttons become "Reply 1 for ..." options and the text is normalized as
channels/sms.py does (assistant/sms.py). Target: at least 95% in 2 segments,
none above 4. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

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
from assistant.center import current_center
from assistant.intake.answers import detect_correction, parse
from assistant.intake.confirmation import changed_reply
from assistant.intake.conversation import MAX_TRIES, not_understood, why_reply
from assistant.intake.flow import relevant_questions
from assistant.intake.promises import call_promise
from assistant.intake.questions import catalog
from assistant.intake.submission import LEVELS
from assistant.knowledge import SUBSTANCES, WITHDRAWAL_TOPICS, knowledge
from evaluation.intake_script import USUAL_PATH

ROOT = Path(__file__).resolve().parent.parent
TARGET_SHARE = 0.95
BUCKETS = ("1", "2", "3", "4", ">4")
CENTER_TOPICS = ("cost_insurance", "hours", "location", "contact", "services")


@dataclass(frozen=True)
class Sent:
    source: str  # domain | knowledge | center | intake
    where: str
    text: str

    @property
    def segments(self) -> int:
        return sms.segments(self.text)


def _bucket(segments: int) -> str:
    return str(segments) if segments <= sms.MAX_SEGMENTS else f">{sms.MAX_SEGMENTS}"


def domain_responses() -> list[Sent]:
    """Every response as the NLG picks it on SMS: the sms variant when there is one."""
    center = current_center()
    values = {"center_name": center.name, "center_phone": center.phone, "reference": "CB-7K3M9Q",
              "call_promise": _longest_call_promise()}
    responses = domain_files.responses()
    out = []
    for name, variants in responses.items():
        on_sms = [v for v in variants if v.get("channel") == "sms"] or [v for v in variants if not v.get("channel")]
        for i, variant in enumerate(on_sms):
            text = variant.get("text", "").format(**values)
            where = name if len(on_sms) == 1 else f"{name}[{i}]"
            out.append(Sent("domain", where, sms.compose([{"text": text, "buttons": variant.get("buttons")}])[0]))
    return out


def _longest_call_promise() -> str:
    center = current_center()
    moments = [datetime(2025, 3, day, hour) for day in (3, 7, 8) for hour in (7, 12, 20)]  # Mon, Fri, Sat
    return max((call_promise(level, now, center).text for level in LEVELS for now in moments),
               key=len)


def _tracker(intent: str, entities: list | None = None, slots: dict | None = None) -> Tracker:
    chosen = {"name": intent, "confidence": 0.9}
    latest = {"text": "", "intent": chosen, "intent_ranking": [chosen], "entities": entities or []}
    user = {"event": "user", "text": "", "parse_data": latest, "input_channel": "sms"}
    return Tracker("sms-report", slots or {}, latest, [user], False, None, {}, "action_listen")


def _run(action, tracker: Tracker) -> str:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return sms.compose(dispatcher.messages)[0]


def knowledge_answers() -> list[Sent]:
    """Each answer in knowledge/*.yml, sent by its action for a conversation on SMS."""
    kb = knowledge()
    out = []
    for intent, aspect in ASPECT_BY_INTENT.items():
        for medication in kb.medications:
            entities = [{"entity": "medication", "value": medication}]
            out.append(Sent("knowledge", f"medications.{medication}.{aspect}",
                            _run(ActionAnswerMedication(), _tracker(intent, entities))))
    for item in kb.comparisons:
        entities = [{"entity": "medication", "value": m} for m in item["pair"]]
        out.append(Sent("knowledge", f"comparisons.{'/'.join(item['pair'])}",
                        _run(ActionAnswerMedication(), _tracker("med_compare", entities))))
    for key in kb.options:
        entities = [] if key == "general" else [{"entity": "substance", "value": key}]
        out.append(Sent("knowledge", f"options.{key}", _run(ActionMedicationOptions(), _tracker("med_options", entities))))
    for key in kb.mixing_notes:
        entities = [] if key == "general" else [{"entity": "medication", "value": key}]
        out.append(Sent("knowledge", f"mixing.{key}", _run(ActionMedicationMixing(), _tracker("med_mixing", entities))))
    for topic in WITHDRAWAL_TOPICS:
        for substance in (*SUBSTANCES, None):
            entities = [{"entity": "substance", "value": substance}] if substance else []
            out.append(Sent("knowledge", f"withdrawal.{substance or 'general'}.{topic}",
                            _run(ActionAnswerWithdrawal(), _tracker(f"withdrawal_{topic}", entities))))
    return out


def center_answers() -> list[Sent]:
    return [Sent("center", f"center.{topic}", _run(ActionCenterInfo(), _tracker(f"center_{topic}"))) for topic in CENTER_TOPICS]


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
    return [*domain_responses(), *knowledge_answers(), *center_answers(), *intake_questions(), *intake_replies()]


def report(sent: list[Sent], show_all: bool = False) -> tuple[float, int]:
    """Prints the table; returns (share within TARGET_SEGMENTS, how many above MAX_SEGMENTS)."""
    counts = Counter(_bucket(s.segments) for s in sent)
    within = sum(1 for s in sent if s.segments <= sms.TARGET_SEGMENTS) / len(sent)
    above = counts[f">{sms.MAX_SEGMENTS}"]
    print(f"{len(sent)} responses as sent on SMS (GSM-7: 160 characters in 1 segment, 153 per segment after)")
    print("segments  " + "  ".join(f"{b:>4}" for b in BUCKETS))
    for source in ("domain", "knowledge", "center", "intake"):
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

"""Checking the answers: the summary before "Is this right?", fixing one, and corrections typed at any point."""

from __future__ import annotations

import re

from assistant.intake.answers import Parsed, label_for
from assistant.intake.flow import CONTACT_QUESTIONS, answer_records, relevant_questions, summary_lines
from assistant.intake.questions import question, reply_text
from assistant.intake.reply import Reply


def summary_text(answers: dict, for_whom: str, sms: bool) -> str:
    """Every answer to check; on SMS only how we reach the person: texts show on lock screens and shared phones."""
    if not sms:
        lines = summary_lines(answers, for_whom)
    else:
        contact = [a for a in answer_records(answers, for_whom) if a.question_id in CONTACT_QUESTIONS]
        lines = [f"{question(a.question_id).summary_label}: {a.label}" for a in contact]
    return reply_text("summary", sms, lines="\n".join(f"- {line}" for line in lines))


def fix_step(answers: dict, sms: bool) -> Reply:
    """"Fix something": the answers to pick from. On SMS only the contact answers were shown;
    any other answer can still be corrected by typing it."""
    shown = CONTACT_QUESTIONS if sms else None
    labels = [label for qid in relevant_questions(answers)
              if answers.get(qid) is not None and (label := question(qid).summary_label) and (shown is None or qid in shown)]
    return Reply(response="utter_intake_what_to_change", buttons=tuple(labels))


def field_named(text: str, answers: dict) -> str | None:
    """The answered question a reply to "Is this right?" names ("Phone", "change my name"), if any."""
    wanted = re.sub(r"[^a-z0-9 ]", "", (text or "").lower()).strip()
    wanted = re.sub(r"^(?:change|fix|edit)\s+(?:my\s+|the\s+)?", "", wanted)
    for qid in relevant_questions(answers):
        label = question(qid).summary_label
        if label and answers.get(qid) is not None and re.sub(r"[^a-z0-9 ]", "", label.lower()) == wanted:
            return qid
    return None


def changed_reply(changed: list[tuple[str, Parsed]], for_whom: str | None) -> Reply:
    """The thanks for corrected answers, each with its new value as the person reads it."""
    listed = "; ".join(f"{question(qid).summary_label or qid}: {parsed.label or label_for(qid, parsed.value, for_whom)}"
                       for qid, parsed in changed)
    return Reply(text=reply_text("changed", changes=listed))

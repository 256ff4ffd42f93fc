"""A demo conversation as Rasa's SQLTrackerStore stores it, and the chats that end without a request.

Every event is the `as_dict` of rasa.shared.core.events (rasa/core/tracker_store.py
SQLTrackerStore.save writes one row per event), so the console reads it like a real one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timezone

from assistant import crisis
from assistant.demo.texts import CRISIS_TEXTS, GARBLED, OPENERS, TOPICS, Topic, knowledge_text, response

DEMO_PREFIX = "demo-"  # every demo conversation id starts with it: how demo rows are found and wiped
CHANNELS = {"web": "webchat", "sms": "sms", "rest": "rest"}  # id part -> input_channel (channels/*.py names)


@dataclass
class DemoCrisis:
    kind: str
    detected_by: str  # as actions/safety.py records it: rule:<name> | model | intake:<question id>
    at: float  # seconds since the conversation began, until Transcript.shift


Buttons = list[tuple[str, str]]


class Transcript:
    """One conversation's events, timed from 0 until shift() places them at a real time."""

    def __init__(self, conversation_id: str, rng: random.Random) -> None:
        self.conversation_id = conversation_id
        self.rng = rng
        self.channel = CHANNELS[conversation_id.removeprefix(DEMO_PREFIX).split("-", 1)[0]]
        self.sms = self.channel == "sms"
        self.clock = 0.0
        self.events: list[dict] = []
        self.crises: list[DemoCrisis] = []
        self.user_turns = 0
        # Rasa's session start; actions/session.py sends the disclaimer with it.
        self.action("action_session_start", policy=None)
        self.events.append({"event": "session_started", "timestamp": self.clock})
        self.respond("utter_disclaimer", "")
        self.action("action_listen")

    def action(self, name: str, policy: str | None = "RulePolicy") -> None:
        self.events.append({"event": "action", "timestamp": self.clock, "name": name, "policy": policy,
                            "confidence": 1.0 if policy else None, "action_text": None, "hide_rule_turn": False})

    def bot(self, text: str, utter: str | None = None, buttons: Buttons | None = None) -> None:
        self.clock += self.rng.uniform(0.3, 1.5)
        data = {"elements": None, "quick_replies": None, "attachment": None, "image": None, "custom": None,
                "buttons": [{"title": title, "payload": payload} for title, payload in buttons] if buttons else None}
        self.events.append({"event": "bot", "timestamp": self.clock, "metadata": {"utter_action": utter} if utter else {},
                            "text": text, "data": data})

    def user(self, text: str, intent: str, confidence: float | None = None) -> None:
        self.clock += self.rng.uniform(4, 40) if self.user_turns else self.rng.uniform(2, 20)
        self.user_turns += 1
        confidence = round(confidence if confidence is not None else self.rng.uniform(0.82, 0.999), 4)
        message_id = f"{self.rng.getrandbits(128):032x}"
        ranked = {"name": intent, "confidence": confidence}
        parse_data = {"intent": ranked, "entities": [], "text": text, "message_id": message_id, "metadata": {},
                      "intent_ranking": [ranked]}
        self.events.append({"event": "user", "timestamp": self.clock, "text": text, "parse_data": parse_data,
                            "input_channel": self.channel, "message_id": message_id, "metadata": {}})

    def respond(self, utter: str, action: str | None = None, loved_one: bool = False, **values: str) -> None:
        """A domain response, sent by `action` (default: the response itself; "": by the action just written)."""
        if action != "":
            self.action(action or utter)
        text, buttons = response(utter, self.sms, loved_one, **values)
        self.bot(text, utter, buttons)

    def send(self, action: str, text: str, buttons: Buttons | None = None) -> None:
        """`action` sending its own text (a question, the notice, the summary)."""
        self.action(action)
        self.bot(text, None, buttons)

    def listen(self) -> None:
        self.action("action_listen")

    def crisis(self, kind: str, detected_by: str) -> None:
        self.action("action_record_crisis")
        self.crises.append(DemoCrisis(kind, detected_by, self.clock))

    def shift(self, start: float) -> None:
        """Move the conversation to begin at `start` (a POSIX timestamp)."""
        for event in self.events:
            event["timestamp"] = round(event["timestamp"] + start, 6)
        for item in self.crises:
            item.at += start

    def rows(self) -> list[dict]:
        """The rows of the tracker store's `events` table, as SQLTrackerStore.save writes them."""
        return [{"sender_id": self.conversation_id, "type_name": event["event"], "timestamp": event["timestamp"],
                 "intent_name": (event.get("parse_data") or {}).get("intent", {}).get("name"),
                 "action_name": event.get("name"), "data": event} for event in self.events]


# --- what people say ------------------------------------------------------------------


def faq_exchange(t: Transcript, topic: Topic | None = None) -> None:
    topic = topic or t.rng.choice(TOPICS)
    t.user(t.rng.choice(topic.asks), topic.intent)
    answer = knowledge_text(t.sms, topic.answer) if topic.answer else ""
    t.respond(topic.utter, topic.action, answer=answer)
    t.listen()


def fallback_exchange(t: Transcript) -> None:
    """A message the assistant did not understand: the rephrase request, and on a second miss the default fallback."""
    t.user(t.rng.choice(GARBLED), "nlu_fallback", confidence=t.rng.uniform(0.05, 0.14))
    t.action("action_two_stage_fallback")
    t.respond("utter_ask_rephrase", "action_default_ask_affirmation")
    t.listen()
    if t.rng.random() < 0.6:
        t.user(t.rng.choice(GARBLED), "nlu_fallback", confidence=t.rng.uniform(0.05, 0.14))
        t.respond("utter_default", "action_default_fallback")
        t.listen()


def crisis_exchange(t: Transcript, kind: str) -> None:
    """A crisis message: the fixed reply and resources, the recorded event, the danger check and its answer."""
    text = t.rng.choice(CRISIS_TEXTS[kind])
    signal = crisis.detect(text)
    t.user(text, f"crisis_{kind}", confidence=1.0)
    t.respond(f"utter_crisis_{kind}")
    t.respond("utter_crisis_resources")
    t.crisis(kind, f"rule:{signal.rule}" if signal else "model")
    t.respond("utter_crisis_ask_danger")
    t.listen()
    if t.rng.random() < 0.2:
        t.user(t.rng.choice(("yes", "yes he is", "i dont know")), "affirm")
        t.respond("utter_crisis_urgent", "action_crisis_followup")
    else:
        t.user(t.rng.choice(("no", "no im ok right now", "not right now")), "deny")
        t.respond("utter_crisis_kind_check", "action_crisis_followup")
    t.listen()


def goodbye(t: Transcript) -> None:
    if t.rng.random() < 0.6:
        t.user(t.rng.choice(("thank you", "thanks", "ty", "ok thank u so much")), "thank")
        t.respond("utter_thank")
        t.listen()
    if t.rng.random() < 0.4:
        t.user(t.rng.choice(("bye", "ok bye", "goodnight")), "goodbye")
        t.respond("utter_goodbye")
        t.listen()


def greeting(t: Transcript) -> None:
    opener, intent = t.rng.choice(OPENERS)
    t.user(opener, intent)
    t.respond("utter_greet" if intent == "greet" else "utter_help_menu")
    t.listen()


def faq_conversation(conversation_id: str, rng: random.Random, crisis_kind: str | None = None,
                     fallbacks: bool = False) -> Transcript:
    """A chat without a request: a few questions, perhaps a misunderstanding, perhaps ending in a crisis."""
    t = Transcript(conversation_id, rng)
    if rng.random() < 0.5:
        greeting(t)
    topics = rng.sample(TOPICS, rng.randint(1, 4))
    for n, topic in enumerate(topics):
        if fallbacks and n == len(topics) // 2:
            fallback_exchange(t)
        faq_exchange(t, topic)
    if crisis_kind:
        crisis_exchange(t, crisis_kind)
    else:
        goodbye(t)
    return t


def utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, timezone.utc)

"""What the demo's people say and what the assistant answers: the real responses (domain/), knowledge
answers (knowledge/) and the typed, misspelled way people ask. Names and details are fictional."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import yaml

from assistant.center import PROJECT_ROOT, current_center

XSS_TEXTS = (
    "<script>alert(1)</script> is this chat safe to use?",
    'my clinic page is <a href="javascript:alert(1)">here</a> <img src=x onerror=alert(1)>',
)

FIRST_NAMES = (
    "Maria", "James", "Dana", "Luis", "Keisha", "Tyler", "Ashley", "Marcus", "Brianna", "Jose", "Kayla", "Derek",
    "Nicole", "Andre", "Samantha", "Cody", "Jasmine", "Travis", "Crystal", "Miguel", "Amber", "Jordan", "Latoya",
    "Kevin", "Heather", "Darnell", "Megan", "Ricardo", "Tiffany", "Shawn", "Vanessa", "Brandon", "Rosa", "Dustin",
    "Monique", "Ethan", "Leah", "Tony", "Gloria", "Wes", "Priya", "Hannah", "Omar", "Beth", "Carlos", "Renee",
    "D.", "J.R.", "Sam", "Lupe", "Frank", "Tasha", "Alex", "Nina", "Ray", "Jade", "Curtis", "Mei", "Kim", "Pat",
)  # fmt: skip
RELATIONS = ("son", "daughter", "husband", "wife", "brother", "sister", "boyfriend", "mom", "dad", "girlfriend")
STATES = ("NV", "NV", "NV", "NV", "CA", "AZ", "UT")
MEDICATION_DETAILS = (
    "Suboxone 8mg film, Dr. Patel at the Eastside clinic",
    "methadone at the clinic on Charleston",
    "vivitrol shot every month, my PCP",
    "subs from a telehealth doctor",
    "naltrexone pills, not sure who prescribes",
)
# A person's first message, then what they type to ask for a call.
OPENERS = (
    ("hi", "greet"), ("hello", "greet"), ("hey is anyone there", "greet"), ("I need help getting off fentanyl", "help_menu"),
    ("i want to stop drinking", "help_menu"), ("hi, i have questions about suboxone", "greet"),
)  # fmt: skip
CALL_ASKS = ("can someone call me", "I want to talk to a person", "yes please call me", "how do i sign up",
             "talk to your staff", "can i get a call back")


# --- the texts the assistant says ----------------------------------------------------


@lru_cache(maxsize=1)
def _responses() -> dict[str, list[dict]]:
    responses: dict[str, list[dict]] = {}
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        responses.update((_load_yaml(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    return responses


@lru_cache(maxsize=1)
def _knowledge() -> dict[str, Any]:
    return {name: _load_yaml((PROJECT_ROOT / "knowledge" / f"{name}.yml").read_text(encoding="utf-8"))
            for name in ("medications", "withdrawal")}


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when installed: faster


class _Blank(dict):
    def __missing__(self, key: str) -> str:  # a placeholder we do not fill stays readable
        return "{" + key + "}"


@cache
def _variant(name: str, sms: bool, loved_one: bool) -> dict:
    """The response variant Rasa would pick: the SMS one on SMS, the family member's when asked for someone else."""
    def fits(v: dict, sms: bool) -> bool:
        conditions = v.get("condition") or []
        for_other = any(c.get("name") == "intake_for" and c.get("value") == "loved_one" for c in conditions)
        return (v.get("channel") == "sms") == sms and for_other == loved_one and len(conditions) == int(for_other)

    variants = _responses()[name]
    return (next((v for v in variants if fits(v, sms)), None) or next((v for v in variants if fits(v, False)), None)
            or variants[0])


def response(name: str, sms: bool = False, loved_one: bool = False, **values: str) -> tuple[str, list[tuple[str, str]]]:
    """A domain response as the person reads it, with its buttons (those we can fill)."""
    variant = _variant(name, sms, loved_one)
    center = current_center()
    filled = _Blank(center_name=center.name, center_phone=center.phone, center_hours=center.hours,
                    center_address=center.address, center_website=center.website,
                    insurance_notes=center.insurance_notes, **values)
    buttons = [(str(b["title"]).format_map(filled), str(b["payload"]).format_map(filled))
               for b in variant.get("buttons") or ()]
    return str(variant["text"]).format_map(filled), [b for b in buttons if "{" not in b[0] + b[1]]


def knowledge_text(sms: bool, path: tuple[str, ...]) -> str:
    node: Any = _knowledge()
    for key in path:
        node = node[key]
    return str(node.get("sms") if sms and node.get("sms") else node["text"])


@dataclass(frozen=True)
class Topic:
    """A question people ask, and how the assistant answers it."""

    intent: str
    asks: tuple[str, ...]  # typed the way people type
    action: str
    utter: str  # the response the answer goes out as
    answer: tuple[str, ...] = ()  # a path into knowledge/ ({answer} of the response); () for a plain response


def _medication(intent: str, asks: tuple[str, ...], *path: str) -> Topic:
    action = "action_medication_mixing" if path[0] == "mixing" else "action_answer_medication"
    utter = "utter_medication_mixing" if path[0] == "mixing" else "utter_medication_answer"
    return Topic(intent, asks, action, utter, ("medications", *path))


def _withdrawal(asks: tuple[str, ...], substance: str, part: str) -> Topic:
    return Topic(f"withdrawal_{part}", asks, "action_answer_withdrawal", f"utter_withdrawal_{part}_answer",
                 ("withdrawal", "substances", substance, part))


TOPICS = (
    _medication("med_info", ("what is suboxone", "whats suboxone and does it work", "is suboxone the same as subutex"),
                "medications", "buprenorphine", "aspects", "info"),
    _medication("med_when_start", ("when can i start suboxone after my last use", "how long do i wait to take subs after fent"),
                "medications", "buprenorphine", "aspects", "when_start"),
    _medication("med_side_effects", ("does methadone have side effects", "methadone side effects?"),
                "medications", "methadone", "aspects", "side_effects"),
    _medication("med_mixing", ("can i drink on naltrexone", "is it ok to take xanax with suboxone"), "mixing", "general"),
    _withdrawal(("can i just quit cold turkey", "is it safe to stop fent cold turkey", "i want to quit cold turkey this weekend"),
                "opioids", "cold_turkey"),
    _withdrawal(("can i stop drinking cold turkey", "is it dangerous to just stop drinking"), "alcohol", "cold_turkey"),
    _withdrawal(("how long does withdrawal last", "what does dope sick feel like", "how bad is fentanyl withdrawal"),
                "opioids", "symptoms"),
    _withdrawal(("i get the shakes in the morning is that withdrawal", "alcohol withdrawal symptoms"), "alcohol", "symptoms"),
    _withdrawal(("can i stop xanax on my own",), "benzodiazepines", "cold_turkey"),
    Topic("center_cost_insurance", ("do you take medicaid", "how much does it cost", "do u accept insurance"),
          "action_center_info", "utter_center_cost_insurance"),
    Topic("center_hours", ("what are your hours", "are you open on weekends"), "action_center_info", "utter_center_hours"),
    Topic("program", ("isnt suboxone just trading one addiction for another",), "utter_program",
          "utter_program/trading_addictions"),
    Topic("program", ("what is detox like", "do you do detox"), "utter_program", "utter_program/detox_what_is"),
    Topic("program", ("is this confidential", "will my job find out"), "utter_program", "utter_program/confidentiality"),
    Topic("program", ("can i do this online", "do you have telehealth"), "utter_program", "utter_program/telehealth"),
    Topic("program", ("what if i relapse",), "utter_program", "utter_program/relapse"),
    Topic("loved_one", ("how do i help my son", "my daughter is using again what do i do"), "utter_loved_one",
          "utter_loved_one/how_to_help"),
    Topic("loved_one", ("how do i use narcan", "where do i get narcan for my brother"), "utter_loved_one",
          "utter_loved_one/prepare_overdose"),
    Topic("loved_one", ("my husband refuses to get help",), "utter_loved_one", "utter_loved_one/refuses_help"),
)
# What a person in crisis writes; the kind and rule are assistant.crisis's own reading (model: a rule would not catch it).
CRISIS_TEXTS = {
    "suicide": ("i want to kill myself tonight", "I dont want to be here anymore", "i keep thinking about ending it all",
                "everyone would be better off without me honestly"),
    "overdose": ("my brother took something and he is not breathing, his lips are blue",
                 "i took too many pills and feel like im dying"),
    "medical": ("I had a seizure this morning and I am still shaking",
                "been shaking and seeing things that arent there, day 3 no drinking"),
}
GARBLED = ("asdfgh", "whats the weather tmrw", "k", "???", "idk man its just a lot", "can u order me a pizza")

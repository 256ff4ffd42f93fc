"""What the SMS channel sends: within the segment targets, with every emergency number the web wording has."""

import re

import pytest

from assistant import domain_files, sms
from assistant.center import current_center
from assistant.intake.questions import catalog
from assistant.knowledge import load_knowledge
from scripts import sms_lengths

RESPONSES = domain_files.responses()
SMS_VARIANTS = {name: (next(v for v in variants if not v.get("channel")), v)
                for name, variants in RESPONSES.items() for v in variants if v.get("channel") == "sms"}
NUMBERS = re.compile(r"\b(?:911|988|1-800-\d{3}-\d{4})\b")
DOSE = re.compile(r"\b\d+(\.\d+)?\s*(mg|milligrams?|ml)\b", re.I)
# A lone opt-out word is a carrier keyword on SMS: asking people to text one would end all their texts.
QUOTED_OPT_OUT = re.compile(r"[\"'](?:" + "|".join(w.lower() for w in sms.OPT_OUT) + r")[\"']", re.I)


@pytest.fixture(scope="module")
def sent():
    return sms_lengths.measure()


def test_none_above_4_segments_and_the_share_within_2(sent, capsys):
    with capsys.disabled():
        print()
        within, above = sms_lengths.report(sent)
    assert above == 0, [s.where for s in sent if s.segments > sms.MAX_SEGMENTS]
    assert within >= sms_lengths.TARGET_SHARE, f"{within:.1%} within {sms.TARGET_SEGMENTS} segments"


def test_the_report_measures_every_kind_of_response(sent):
    sources = {s.source for s in sent}
    assert sources == set(sms_lengths.SOURCES) == {"domain", "knowledge", "center", "intake", "channel"}
    # Every response, each variant the NLG may pick on SMS (conditional ones too: "utter_x[1]"), or, when
    # an action fills it in (an answer, a medication's name), as that action sends it.
    assert {name for s in sent for name in s.responses} == set(RESPONSES)
    assert {s.where.split("[")[0] for s in sent if s.source == "domain" and s.where.startswith("utter_")} == {
        name for name, variants in RESPONSES.items() if not any(sms_lengths.PLACEHOLDER.findall(str(variants)))
        or set(sms_lengths.PLACEHOLDER.findall(str(variants))) <= {"center_name", "center_phone", "center_hours",
                                                                    "reference", "call_promise"}}


def test_the_report_measures_the_sms_wording_of_every_knowledge_answer(sent):
    """Medications and withdrawal as their actions send them, the program FAQ as domain responses."""
    texts = {where: text for where, text, _ in load_knowledge().all_texts()}
    name = current_center().name
    unmeasured = [where for where, text in texts.items() if not where.endswith(".sms") and not any(
        sms.normalize(texts.get(f"{where}.sms", text).replace("{center_name}", name)) in s.text for s in sent)]
    assert not unmeasured, f"SMS wording not in what the report measures: {unmeasured}"


def test_the_report_measures_every_text_the_sms_channel_writes(sent):
    """channels/texts.yml: each SMS reply of the channel; the options line is in every reply with buttons."""
    from assistant.channel_texts import channel_texts

    texts = channel_texts().sms
    measured = {s.where for s in sent if s.source == "channel"}
    assert measured >= {f"sms.{name}" for name in ("help", "opted_out", "opted_in", "no_text", "slow_down", "apology")}
    assert any(s.text.startswith(texts.privacy_note) for s in sent if s.source == "channel")
    first_option = texts.options.split("{options}")[0] + texts.option.format(key="1", title="Talk to our staff")
    assert any(first_option in s.text for s in sent)  # "Reply 1 for Talk to our staff"


def test_nothing_sent_asks_people_to_text_an_opt_out_word(sent):
    for s in sent:
        assert not QUOTED_OPT_OUT.search(s.text), s.where


@pytest.mark.parametrize("name", sorted(SMS_VARIANTS))
def test_sms_variants_keep_every_emergency_number_and_placeholder(name):
    default, variant = SMS_VARIANTS[name]
    assert set(NUMBERS.findall(default["text"])) <= set(NUMBERS.findall(variant["text"])), name
    assert set(re.findall(r"{\w+}", variant["text"])) <= set(re.findall(r"{\w+}", default["text"])), name
    assert not DOSE.search(variant["text"])


def test_crisis_wording_is_the_same_on_sms():
    assert not [name for name in SMS_VARIANTS if name.startswith("utter_crisis")]


def test_knowledge_sms_wording_keeps_every_emergency_number():
    texts = {where: text for where, text, _ in load_knowledge().all_texts()}
    for where, text in texts.items():
        if where.endswith(".sms"):
            web = texts[where.removesuffix(".sms")]
            assert set(NUMBERS.findall(web)) <= set(NUMBERS.findall(text)), where


def test_the_sms_consent_notice_keeps_what_consent_needs():
    for text in catalog().notice_sms.values():
        for part in ("42 CFR Part 2", "911", "988", "Skip", '"pause"'):
            assert part in text

"""SMS text rules (assistant/sms.py): segments, normalization, keywords, numbered options, TwiML."""

import xml.etree.ElementTree as ET

import pytest

from assistant import sms


@pytest.mark.parametrize("text,expected", [
    ("", 0),
    ("a" * 160, 1),
    ("a" * 161, 2),
    ("a" * 306, 2),
    ("a" * 307, 3),
    ("a" * 612, 4),
    ("a" * 613, 5),
    ("[" * 80, 1),  # extended characters take two places
    ("[" * 81, 2),
    ("a" * 152 + "[" + "a" * 10, 2),  # the escape pair is not split: 152 + (2 moved on) + 10
    ("é" * 160, 1),  # é is in the GSM basic set
    ("í" * 70, 1),  # í is not: UCS-2
    ("í" * 71, 2),
    ("í" * 134, 2),
    ("í" * 135, 3),
    ("😀" * 35, 1),  # an emoji is two UTF-16 units
    ("😀" * 36, 2),
    ("a" * 66 + "😀" + "a" * 66, 3),  # 134 units, but the surrogate pair is not split across parts
])
def test_segments(text, expected):
    assert sms.segments(text) == expected


def test_escape_pairs_are_not_split_across_segments():
    # 152 plain + 1 extended: 154 septets in 153-septet parts would split the pair; it moves to the next part.
    assert sms.segments("a" * 152 + "{" + "a" * 152) == 3
    assert sms.segments("a" * 151 + "{" + "a" * 153) == 2


def test_encoding():
    assert sms.encoding("Hello, can I get help? 100% yes & more: @home") == "GSM-7"
    assert sms.encoding("¿Habla español? Línea de Ayuda") == "UCS-2"  # í
    assert sms.encoding("€5 {x}") == "GSM-7"


@pytest.mark.parametrize("text,expected", [
    ("It\u2019s \u201cfine\u201d \u2013 really\u2026", 'It\'s "fine" - really...'),
    ("a\u00a0b", "a b"),
    ("Llame a la Línea de Ayuda", "Llame a la Linea de Ayuda"),  # accents dropped: now GSM-7
    ("Ñandú café", "Ñandu café"),  # Ñ and é are GSM-7 and stay
    ("Línea 😀", "Línea 😀"),  # UCS-2 anyway: the accent stays
    ("你好", "你好"),
])
def test_normalize(text, expected):
    assert sms.normalize(text) == expected
    assert sms.normalize(expected) == expected


@pytest.mark.parametrize("text,expected", [
    ("STOP", "opt_out"), ("stop", "opt_out"), ("  Stop  ", "opt_out"), ("Stop.", "opt_out"),
    ("stopall", "opt_out"), ("UNSUBSCRIBE", "opt_out"), ("cancel", "opt_out"), ("End", "opt_out"),
    ("quit", "opt_out"), ("revoke", "opt_out"), ("opt out", "opt_out"), ("OPT  OUT", "opt_out"),
    ("START", "opt_in"), ("unstop", "opt_in"), ("yes", "opt_in"),
    ("HELP", "help"), ("info", "help"), ("Help!", "help"),
    ("I want to end it all", None), ("stop texting me please", None), ("please stop", None),
    ("stop it", None), ("end my life", None), ("help me", None), ("yes please", None), ("optout", None),
    ("", None), ("   ", None), ("1", None),
])
def test_keywords_are_exact_single_words(text, expected):
    assert sms.keyword(text) == expected


def test_buttons_are_numbered_in_order_and_letters_when_titles_hold_numbers():
    buttons = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    assert [(o.key, o.title, o.payload) for o in sms.number_options(buttons)] == [("1", "Yes", "/affirm"), ("2", "No", "/deny")]
    drinks = [{"title": "1 or 2", "payload": "1 or 2"}, {"title": "3 or 4", "payload": "3 or 4"}]
    assert [o.key for o in sms.number_options(drinks)] == ["A", "B"]
    assert sms.options_line(sms.number_options(buttons)) == "Reply 1 for Yes, 2 for No."


@pytest.mark.parametrize("reply,expected", [
    ("1", "/affirm"), (" 2 ", "/deny"), ("2.", "/deny"), ("3", None), ("1 and 2", None), ("yes", None), ("", None),
])
def test_a_reply_naming_an_option_maps_to_its_payload(reply, expected):
    assert sms.chosen_payload(reply, {"1": "/affirm", "2": "/deny"}) == expected


def test_letter_keys_are_case_insensitive():
    assert sms.chosen_payload("b", {"A": "1 or 2", "B": "3 or 4"}) == "3 or 4"


def test_compose_joins_messages_numbers_across_them_and_never_shows_payloads():
    messages: list[dict] = [
        {"text": "I\u2019m glad you told me."},
        {"text": "Are you in danger?", "buttons": [{"title": "Yes, in danger", "payload": "/affirm"},
                                                   {"title": "No, not right now", "payload": "/deny"}]},
        {"text": "Or pick:", "buttons": [{"title": "Talk to our staff", "payload": "/request_callback"}]},
    ]
    text, options = sms.compose(messages)
    assert text == ("I'm glad you told me.\nAre you in danger?\nReply 1 for Yes, in danger, 2 for No, not right now.\n"
                    "Or pick:\nReply 3 for Talk to our staff.")
    assert [o.payload for o in options] == ["/affirm", "/deny", "/request_callback"]
    assert "/" not in text


def test_compose_of_nothing_is_empty():
    assert sms.compose([]) == ("", [])


def test_bodies_cut_long_text_at_line_breaks_then_spaces():
    short = "hello\nworld"
    assert sms.bodies(short) == [short]
    lines = ["x" * 1000, "y" * 1000]
    assert sms.bodies("\n".join(lines)) == lines
    words = " ".join(["word"] * 500)  # 2,499 characters, one line
    parts = sms.bodies(words)
    assert all(len(p) <= sms.MAX_BODY for p in parts) and " ".join(parts) == words


def test_twiml_escapes_and_empty_answer_sends_nothing():
    doc = sms.twiml(["<script>alert('x')</script> & \"q\"", "second\x00"])
    root = ET.fromstring(doc)
    assert [m.text for m in root.findall("Message")] == ["<script>alert('x')</script> & \"q\"", "second"]
    assert "<script>" not in doc
    assert ET.fromstring(sms.twiml([])).tag == "Response" and not list(ET.fromstring(sms.twiml([])))

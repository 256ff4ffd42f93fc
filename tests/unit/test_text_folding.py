"""assistant.text_folding: what a person sees is what crisis detection and NLU read."""

import time

import pytest

from assistant.text_folding import MAX_EXPANSION, fold


@pytest.mark.parametrize("text,expected", [
    ("i wаnt to k\u00adіll mysеlf", "i want to kill myself"),
    ("ｉ ｗａｎｔ ｔｏ ｄｉｅ", "i want to die"),
    ("𝐤𝐢𝐥𝐥 ⓜⓔ", "kill me"),
    ("k̶i̶l̶l̶", "kill"),
    ("e\u0301", "é"),  # an accent typed separately is composed, not dropped
    ("ѕех", "sex"),  # a word of look-alikes only
    ("Ｗｈａｔ’ｓ ｓｕｂｏｘｏｎｅ？", "What’s suboxone?"),
    ("caf\u00e9 ½…", "café 1⁄2..."),
])
def test_fold(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize("text", [
    "what is suboxone?", "", "¿hablan español?", "necesito información", "😭😭😭🙏", "thank you 🙏",
    "привет, мне нужна помощь", "νερό", "我需要帮助", "مرحبا", "1\ufe0f\u20e3 or 2\ufe0f\u20e3", "ü ñ ç ø",
])
def test_other_languages_and_emoji_are_kept(text):
    assert fold(text) == text


def test_emoji_sequences_only_lose_their_joiners():
    assert fold("👨\u200d👩\u200d👧 ❤\ufe0f") == "👨👩👧 ❤\ufe0f"


def test_fold_is_idempotent_and_bounded():
    text = "ｋ\u00adі\u200bll ﷺ ㍿ 𝐦𝐞 " * 50
    once = fold(text)
    assert fold(once) == once
    assert len(fold("ﷺ" * 1000)) <= MAX_EXPANSION * 1000  # an 18-letter ligature stays one character


def test_a_long_message_is_folded_quickly():
    from channels.rest import MAX_MESSAGE_LENGTH

    text = ("ｗｈａｔ ｉｓ ѕuboxone\u00ad " * MAX_MESSAGE_LENGTH)[:MAX_MESSAGE_LENGTH]
    start = time.perf_counter()
    fold(text)
    assert time.perf_counter() - start < 0.2

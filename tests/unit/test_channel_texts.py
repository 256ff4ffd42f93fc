"""What the channels write themselves (channels/texts.yml): complete, checked when read, safe to send."""

import pytest
import yaml

from assistant import sms
from assistant.channel_texts import TEXTS_PATH, ChannelTextsError, channel_texts, load_channel_texts
from channels import limits
from channels import sms as sms_channel

EMERGENCY = ("911", "988")


def test_the_channels_use_the_texts_of_the_file():
    texts = channel_texts()
    assert texts.too_fast == limits.TOO_FAST and limits.Refusal(limits.RATE_LIMITED, 1).message == texts.too_fast
    assert texts.sms.privacy_note == sms_channel.PRIVACY_NOTE
    assert texts.sms.slow_down.format(too_fast=texts.too_fast) == sms_channel.SLOW_DOWN
    assert texts.sms.help == sms_channel.HELP and texts.sms.apology == sms_channel.APOLOGY
    options = sms.number_options([{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}])
    assert sms.options_line(options) == "Reply 1 for Yes, 2 for No."


@pytest.mark.parametrize("name", ["opted_out", "help", "slow_down", "apology"])
def test_answers_that_end_or_refuse_a_conversation_keep_911_and_988(name):
    text = getattr(channel_texts().sms, name)
    assert all(number in text for number in EMERGENCY), name


def test_help_and_stop_say_what_carriers_require():
    texts = channel_texts().sms
    for part in ("{name}", "{phone}", "Msg & data rates may apply", "STOP"):
        assert part in texts.help, part
    assert "START" in texts.opted_out


def _write(tmp_path, change):
    raw = yaml.safe_load(TEXTS_PATH.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "texts.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_a_missing_text_or_a_wrong_placeholder_is_reported(tmp_path):
    with pytest.raises(ChannelTextsError, match="help"):
        load_channel_texts(_write(tmp_path, lambda raw: raw["sms"].pop("help")))
    with pytest.raises(ChannelTextsError, match="sms.apology"):
        load_channel_texts(_write(tmp_path, lambda raw: raw["sms"].update(apology="Call {center_phone}.")))
    with pytest.raises(ChannelTextsError, match="unknown"):
        load_channel_texts(_write(tmp_path, lambda raw: raw["sms"].update(goodbye="Bye.")))
    assert load_channel_texts(_write(tmp_path, lambda raw: None)) == channel_texts()

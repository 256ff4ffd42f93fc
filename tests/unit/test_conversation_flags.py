"""Reply flags and conversation tags (assistant/db/flags.py): each change commits with its audit row."""

import pytest

from assistant.db import flags
from assistant.db.audit import access_log, verify_chain


def _audit(url):
    return [(r.who, r.action, r.conversation_id, r.address, r.detail) for r in access_log(url=url)]


def test_a_flag_is_stored_with_its_audit_row(records_url):
    flag = flags.flag_reply("conv-a", 41, "unsafe", "  told them to stop cold turkey ", "rosa", address="10.0.0.9",
                            url=records_url)
    assert (flag.conversation_id, flag.event_id, flag.kind, flag.note, flag.flagged_by) == (
        "conv-a", 41, "unsafe", "told them to stop cold turkey", "rosa")
    flags.flag_reply("conv-b", 7, "wrong", "", "lee", url=records_url)
    assert [(f.conversation_id, f.kind) for f in flags.list_flags(url=records_url)] == [("conv-b", "wrong"), ("conv-a", "unsafe")]
    assert [f.event_id for f in flags.list_flags("conv-a", url=records_url)] == [41]
    assert _audit(records_url) == [("rosa", "flag", "conv-a", "10.0.0.9", "unsafe reply 41"),
                                   ("lee", "flag", "conv-b", None, "wrong reply 7")]


def test_a_bad_flag_writes_nothing(records_url):
    with pytest.raises(ValueError, match="unknown flag kind"):
        flags.flag_reply("conv-a", 1, "rude", "", "rosa", url=records_url)
    with pytest.raises(ValueError, match="conversation id"):
        flags.flag_reply("", 1, "wrong", "", "rosa", url=records_url)
    assert flags.list_flags(url=records_url) == [] and access_log(url=records_url) == []


def test_tags_are_added_once_removed_and_read_for_many_conversations(records_url):
    assert flags.tag_conversation("conv-a", "  Follow  Up ", "rosa", address="10.0.0.9", url=records_url)
    assert not flags.tag_conversation("conv-a", "follow up", "lee", url=records_url)  # had it: nothing written
    assert flags.tag_conversation("conv-a", "training-data", "rosa", url=records_url)
    assert flags.tag_conversation("conv-b", "follow up", "rosa", url=records_url)
    many = [f"conv-{n}" for n in range(1200)]  # more than one IN (...) chunk
    tags = flags.tags_for(["conv-a", *many, "conv-b", "conv-x"], url=records_url)  # conv-b in the third chunk
    assert (tags["conv-a"], tags["conv-b"], tags["conv-x"]) == (["follow up", "training-data"], ["follow up"], [])
    assert len(tags) == 1203
    assert flags.untag("conv-a", "Follow Up", "lee", url=records_url)
    assert not flags.untag("conv-a", "follow up", "lee", url=records_url)
    assert flags.tags_for(["conv-a"], url=records_url) == {"conv-a": ["training-data"]}
    assert _audit(records_url) == [
        ("rosa", "tag", "conv-a", "10.0.0.9", "add follow up"), ("rosa", "tag", "conv-a", None, "add training-data"),
        ("rosa", "tag", "conv-b", None, "add follow up"), ("lee", "tag", "conv-a", None, "remove follow up"),
    ]
    assert verify_chain(url=records_url)[1] == []


@pytest.mark.parametrize("tag", ["", "   ", "x" * 41, "<script>", "a/b"])
def test_a_bad_tag_is_refused(tag):
    with pytest.raises(ValueError, match="a tag is"):
        flags.normalize_tag(tag)

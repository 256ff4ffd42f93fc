from pathlib import Path

import pytest

from assistant.knowledge import load_knowledge
from assistant.lexicon import load_lexicon

MEDICATIONS = {"methadone", "buprenorphine", "buprenorphine_naloxone", "sublocade", "brixadi", "naltrexone",
               "vivitrol", "disulfiram", "acamprosate", "lofexidine", "naloxone"}


def test_canonical_keys_match_the_knowledge_base():
    lex = load_lexicon()
    assert set(lex.forms["medication"].values()) == MEDICATIONS == set(load_knowledge().medications)
    assert set(lex.forms["substance"].values()) == {"opioids", "alcohol", "benzodiazepines", "stimulants"}


@pytest.mark.parametrize("text,canonical", [
    ("Subs", "buprenorphine_naloxone"), ("suboxen", "buprenorphine_naloxone"), ("ZUBSOLV", "buprenorphine_naloxone"),
    ("bupe", "buprenorphine"), ("subutex", "buprenorphine"), ("vivitrol shot", "vivitrol"), ("vivatrol", "vivitrol"),
    ("antabuse", "disulfiram"), ("campral", "acamprosate"), ("lucemyra", "lofexidine"), ("narcan", "naloxone"),
    ("methodone", "methadone"), ("bup / nx", "buprenorphine_naloxone"),
])
def test_brands_misspellings_and_slang_resolve(text, canonical):
    assert load_lexicon().canonical("medication", text) == canonical


def test_meth_is_a_stimulant_not_methadone():
    lex = load_lexicon()
    assert lex.canonical("substance", "meth") == "stimulants"
    assert lex.canonical("medication", "meth") is None


def test_discontinued_and_pain_brands_carry_a_note():
    lex = load_lexicon()
    for brand in ("subutex", "buprenex", "butrans", "belbuca", "campral"):
        assert lex.brand_note(brand), brand
    assert lex.brand_note("suboxone") is None  # current product: no correction needed


def test_duplicate_forms_are_refused(tmp_path: Path):
    bad = tmp_path / "lexicon.yml"
    bad.write_text("medication:\n  methadone: [done]\n  naltrexone: [done]\nsubstance: {}\n")
    with pytest.raises(ValueError, match="done"):
        load_lexicon(bad)


def test_built_spacy_pipeline_finds_entities(tmp_path: Path):
    from assistant.spacy_pipeline import build

    nlp = build(tmp_path / "pipeline")
    doc = nlp("can i take my SUBS with xanax or the vivitrol shot")
    found = [(ent.label_, ent.ent_id_) for ent in doc.ents]
    assert found == [("medication", "buprenorphine_naloxone"), ("substance", "benzodiazepines"), ("medication", "vivitrol")]
    assert not nlp("i'm done with juice, going to the sub shop").ents


def test_the_fallback_topics_name_intents_that_can_be_sent_again():
    """Each topic is an intent of the domain a "Yes" button can send: not a FAQ (retrieval) or crisis intent."""
    from assistant import domain_files
    from assistant.knowledge import FAQ_INTENTS

    topics = load_lexicon().topics
    intents = set(domain_files.load()["intents"])
    assert topics and set(topics) <= intents, set(topics) - intents
    assert not [i for i in topics if i in FAQ_INTENTS or i.startswith("crisis_")]
    assert all(label and label == label.strip() and not label[0].isupper() for label in topics.values())

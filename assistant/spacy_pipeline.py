"""Builds the spaCy pipeline Rasa loads (SpacyNLP), from our own files only.

A blank English tokenizer plus an entity ruler with every medication and
substance form from assistant/lexicon.yml. No model is downloaded: spaCy's
official models are not reachable here, and rules are what we need.

    python -m assistant.spacy_pipeline build/spacy_pipeline
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import cast

import spacy
from spacy.pipeline import EntityRuler

from assistant.lexicon import load_lexicon


def build(output: Path) -> spacy.language.Language:
    nlp = spacy.blank("en")
    ruler = cast(EntityRuler, nlp.add_pipe("entity_ruler", config={"overwrite_ents": True}))
    ruler.add_patterns(load_lexicon().ruler_patterns(lambda text: [t.lower_ for t in nlp.make_doc(text)]))
    nlp.meta["name"] = "recovery_assistant"
    nlp.meta["description"] = "Tokenizer + medication/substance entity ruler built from assistant/lexicon.yml"
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return nlp


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build/spacy_pipeline")
    pipeline = build(target)
    print(f"spaCy pipeline with {len(cast(EntityRuler, pipeline.get_pipe('entity_ruler')))} patterns written to {target}")

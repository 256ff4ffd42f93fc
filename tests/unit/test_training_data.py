"""The training data is organized by topic, the generated file is current, and the evaluation sets stay big enough."""

import yaml

from evaluation.nlu import MIN_SET_SIZE, REDTEAM_SETS, TRAINING_DATA, load_heldout, load_redteam
from scripts.crisis_training_data import OUTPUT, render


def test_each_intent_is_written_in_one_file():
    """data/nlu/ is by topic, not by writing round: new examples go where the intent's others are."""
    files: dict[str, set[str]] = {}
    for path in TRAINING_DATA.glob("*.yml"):
        if path != OUTPUT:  # the crisis examples of the dev sets, generated
            for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
                files.setdefault(block["intent"], set()).add(path.name)
    assert not {intent: names for intent, names in files.items() if len(names) > 1}


def test_generated_crisis_examples_are_current():
    assert OUTPUT.read_text(encoding="utf-8") == render(), "run scripts/crisis_training_data.py"


def test_evaluation_sets_stay_large_enough_once_training_overlaps_are_removed():
    """evaluation/nlu.py drops every test message that also occurs in the training data."""
    assert len(load_heldout()) >= 300
    for name, folder in REDTEAM_SETS.items():
        sizes = tuple(len(items) for items in load_redteam(folder))  # sizes only: blind messages are never shown
        assert min(sizes) >= MIN_SET_SIZE[name], (name, sizes)

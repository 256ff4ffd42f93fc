"""Custom Rasa NLU components: thin adapters over assistant.crisis and assistant.lexicon."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from assistant import crisis
from assistant.lexicon import lexicon

CRISIS_INTENT = {kind: f"crisis_{kind}" for kind in crisis.KINDS}
CRISIS_INTENTS = set(CRISIS_INTENT.values())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class CanonicalEntityMapper(GraphComponent):
    """Rewrites medication/substance entity values to their canonical key.

    SpacyEntityExtractor reports the text it matched ("subs", "suboxen"); the
    actions want one name per medication ("buprenorphine_naloxone"). The raw
    text stays in the entity as `text` so a brand note can be given.
    """

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CanonicalEntityMapper":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        lex = lexicon()
        for message in messages:
            for entity in message.get(ENTITIES, []):
                raw = str(entity.get(ENTITY_ATTRIBUTE_VALUE, ""))
                canonical = lex.canonical(entity.get(ENTITY_ATTRIBUTE_TYPE, ""), raw)
                if canonical:
                    entity["text"] = raw
                    entity[ENTITY_ATTRIBUTE_VALUE] = canonical
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisDetector(GraphComponent):
    """Makes sure a crisis message gets a crisis intent, whatever DIET said.

    Runs after DIETClassifier and FallbackClassifier. A deterministic match in
    assistant.crisis wins outright (confidence 1.0). Otherwise, when the
    classifier's own best guess was a crisis intent with at least
    `model_crisis_threshold`, that crisis intent is kept even where the
    FallbackClassifier replaced it with nlu_fallback.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"model_crisis_threshold": 0.4}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.threshold = float(config["model_crisis_threshold"])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CrisisDetector":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            signal = crisis.detect(message.get(TEXT) or "")
            if signal:
                self._set_crisis(message, CRISIS_INTENT[signal.kind], 1.0, f"rule:{signal.rule}")
                continue
            best = self._best_model_guess(message)
            if best and best[INTENT_NAME_KEY] in CRISIS_INTENTS and best[PREDICTED_CONFIDENCE_KEY] >= self.threshold:
                self._set_crisis(message, best[INTENT_NAME_KEY], best[PREDICTED_CONFIDENCE_KEY], "model")
        return messages

    @staticmethod
    def _best_model_guess(message: Message) -> Dict[Text, Any] | None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r[INTENT_NAME_KEY] != "nlu_fallback"]
        return ranking[0] if ranking else None

    @staticmethod
    def _set_crisis(message: Message, intent: str, confidence: float, source: str) -> None:
        chosen = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: confidence}
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r[INTENT_NAME_KEY] != intent]
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        message.set("crisis", {"intent": intent, "source": source}, add_to_output=True)

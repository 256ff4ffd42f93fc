"""Custom Rasa NLU components: thin adapters over assistant.crisis, .lexicon and .intent_model."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    RESPONSE_SELECTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant import crisis, intent_model
from assistant.lexicon import lexicon
from assistant.text_folding import fold

# Added to a message that names an opioid (the lexicon's `opioid` group); it fills
# the slot of the same name, which makes utter_crisis_medical and
# utter_crisis_urgent add naloxone steps for the rest of the conversation.
OPIOID_CONTEXT = "opioid_context"
# On a suicide crisis: "other" when the message is about someone else, so the fixed reply speaks of that person.
CRISIS_ABOUT = "crisis_about"
CRISIS_INTENT = {kind: f"crisis_{kind}" for kind in crisis.KINDS}
CRISIS_INTENTS = set(CRISIS_INTENT.values())
EMPTY_MESSAGE_INTENT = "help_menu"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TextFolder(GraphComponent):
    """First in the pipeline: the text every later component reads is folded
    (assistant.text_folding: no soft hyphens or zero-width characters, no fullwidth or
    look-alike Cyrillic/Greek letters), for training examples and messages alike.

    Only the NLU's copy changes: Rasa stores the message as the person typed it
    (UserUttered.text: the transcript staff read, the history the website chat shows,
    slots filled from text); the folded text is the parse data's `text`.
    """

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> TextFolder:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str):
                folded = fold(text)
                if folded != text:
                    message.set(TEXT, folded)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class CanonicalEntityMapper(GraphComponent):
    """Rewrites medication/substance entity values to their canonical key.

    SpacyEntityExtractor reports the text it matched ("subs", "suboxen"); the
    actions want one name per medication ("buprenorphine_naloxone"). The raw
    text stays in the entity as `text` so a brand note can be given.

    When one of them is an opioid ("dope", "fentanyl", "methadone", "subs"),
    it also adds one `opioid_context` entity with the value true, at the span
    of the first opioid named.
    """

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CanonicalEntityMapper:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        lex = lexicon()
        for message in messages:
            entities = message.get(ENTITIES, [])
            opioid = None
            for entity in entities:
                label = entity.get(ENTITY_ATTRIBUTE_TYPE, "")
                raw = str(entity.get(ENTITY_ATTRIBUTE_VALUE, ""))
                canonical = lex.canonical(label, raw)
                if canonical:
                    entity["text"] = raw
                    entity[ENTITY_ATTRIBUTE_VALUE] = canonical
                    if opioid is None and lex.is_opioid(label, canonical):
                        opioid = entity
            if opioid is not None and all(e.get(ENTITY_ATTRIBUTE_TYPE) != OPIOID_CONTEXT for e in entities):
                entities.append({
                    ENTITY_ATTRIBUTE_TYPE: OPIOID_CONTEXT, ENTITY_ATTRIBUTE_VALUE: True,
                    ENTITY_ATTRIBUTE_START: opioid.get(ENTITY_ATTRIBUTE_START),
                    ENTITY_ATTRIBUTE_END: opioid.get(ENTITY_ATTRIBUTE_END),
                    EXTRACTOR: self.__class__.__name__,
                })
                message.set(ENTITIES, entities, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisDetector(GraphComponent):
    """Decides crisis intents last, so nothing after it can undo them.

    Runs after the classifier and the FallbackClassifier:
    - a deterministic match in assistant.crisis wins outright (confidence 1.0),
      whatever the model said, nlu_fallback included;
    - a crisis intent from the model alone stands when its confidence reaches
      `model_crisis_threshold`; below that it is demoted to the best
      non-crisis intent (or nlu_fallback under `fallback_threshold`), because
      an unsure model on a message with no crisis words was measured to be
      mostly look-alikes ("this detox is killing me").
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"model_crisis_threshold": 0.9, "fallback_threshold": 0.15}

    def __init__(self, config: dict[str, Any]) -> None:
        config = {**self.get_default_config(), **config}
        self.threshold = float(config["model_crisis_threshold"])
        self.fallback_threshold = float(config["fallback_threshold"])

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CrisisDetector:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            signal = crisis.detect(message.get(TEXT) or "")
            if signal:
                _set_intent(message, CRISIS_INTENT[signal.kind], 1.0)
                message.set("crisis", {"intent": CRISIS_INTENT[signal.kind], "source": f"rule:{signal.rule}"}, add_to_output=True)
                self._say_whom_about(message)
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r[INTENT_NAME_KEY] != "nlu_fallback"]
            if not ranking or ranking[0][INTENT_NAME_KEY] not in CRISIS_INTENTS:
                continue
            best = ranking[0]
            if best[PREDICTED_CONFIDENCE_KEY] >= self.threshold:
                _set_intent(message, best[INTENT_NAME_KEY], best[PREDICTED_CONFIDENCE_KEY])
                message.set("crisis", {"intent": best[INTENT_NAME_KEY], "source": "model"}, add_to_output=True)
                self._say_whom_about(message)
                continue
            fallback = next((r for r in ranking if r[INTENT_NAME_KEY] not in CRISIS_INTENTS), None)
            if fallback and fallback[PREDICTED_CONFIDENCE_KEY] >= self.fallback_threshold:
                _set_intent(message, fallback[INTENT_NAME_KEY], fallback[PREDICTED_CONFIDENCE_KEY])
            else:
                _set_intent(message, "nlu_fallback", self.fallback_threshold)
        return messages


    def _say_whom_about(self, message: Message) -> None:
        """A suicide crisis carries whom it is about (the crisis_about slot picks the reply's wording)."""
        if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != CRISIS_INTENT[crisis.SUICIDE]:
            return
        about = "other" if crisis.about_someone_else(message.get(TEXT) or "") else "self"
        text = message.get(TEXT) or ""
        entities = [e for e in message.get(ENTITIES, []) if e.get(ENTITY_ATTRIBUTE_TYPE) != CRISIS_ABOUT]
        entities.append({ENTITY_ATTRIBUTE_TYPE: CRISIS_ABOUT, ENTITY_ATTRIBUTE_VALUE: about, ENTITY_ATTRIBUTE_START: 0,
                         ENTITY_ATTRIBUTE_END: len(text), EXTRACTOR: self.__class__.__name__})
        message.set(ENTITIES, entities, add_to_output=True)


def _set_intent(message: Message, intent: str, confidence: float) -> None:
    chosen = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: confidence}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r[INTENT_NAME_KEY] != intent]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Intents and FAQ responses from one flat model (assistant.intent_model).

    For a retrieval label such as "program/relapse" it sets the intent to
    "program" and fills `response_selector` exactly as Rasa's ResponseSelector
    does, so domain, rules and `utter_program` work unchanged.
    """

    TRUSTED_TYPES = {
        "sklearn.pipeline.Pipeline", "sklearn.pipeline.FeatureUnion",
        "sklearn.feature_extraction.text.CountVectorizer", "assistant.intent_model.SublinearTfidf",
        "sklearn.linear_model._logistic.LogisticRegression", "numpy.int64", "numpy.float64", "numpy.str_",
        "builtins.dict", "builtins.list", "builtins.tuple", "builtins.set", "builtins.frozenset",
        "scipy.sparse._csr.csr_matrix", "scipy.sparse._dia.dia_matrix",
    }

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": 20.0, "random_seed": 7, "ranking_length": 10}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, pipeline: Any = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = pipeline

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        texts = [m.get(TEXT) for m in examples]
        labels = [m.get_full_intent() for m in examples]
        self.pipeline = intent_model.build_pipeline(self.config["C"], self.config["random_seed"]).fit(texts, labels)
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(self.pipeline, directory / "intent_model.skops")
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LinearIntentClassifier:
        import skops.io as sio

        with model_storage.read_from(resource) as directory:
            path = directory / "intent_model.skops"
            untrusted = set(sio.get_untrusted_types(file=path))
            unexpected = untrusted - cls.TRUSTED_TYPES
            if unexpected:  # refuse rather than run an unknown object from a model file
                raise ValueError(f"intent model contains unexpected types: {sorted(unexpected)}")
            pipeline = sio.load(path, trusted=sorted(untrusted))
        return cls(config, model_storage, resource, intent_model.ready_for_prediction(pipeline))

    def process(self, messages: list[Message]) -> list[Message]:
        if self.pipeline is None:
            return messages
        texts = [m.get(TEXT) or "" for m in messages]
        rankings = intent_model.rank(self.pipeline, texts, self.config["ranking_length"])
        retrieval_intents = sorted({label.split("/")[0] for label in self.pipeline.classes_ if "/" in label})
        for message, text, ranking in zip(messages, texts, rankings, strict=True):
            if not text.strip():
                # An empty message gets the menu: the person sees what they can ask.
                ranking = [intent_model.Prediction(EMPTY_MESSAGE_INTENT, 1.0)]
            intent_ranking: list[dict[str, Any]] = []
            for prediction in ranking:  # one entry per intent: the best of its retrieval keys
                name = prediction.label.split("/")[0]
                if all(r[INTENT_NAME_KEY] != name for r in intent_ranking):
                    intent_ranking.append({INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: prediction.confidence})
            message.set(INTENT, intent_ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, intent_ranking, add_to_output=True)
            message.set(RESPONSE_SELECTOR, _selector_output(ranking, retrieval_intents), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


def _selector_output(ranking: list[intent_model.Prediction], retrieval_intents: list[str]) -> dict[str, Any]:
    """The shape ResponseSelector writes, so Rasa's retrieval actions find the answer.

    Every retrieval intent in the ranking gets its best key, so a later
    component that changes the intent (CrisisDetector) still finds an answer.
    """
    output: dict[str, Any] = {"all_retrieval_intents": retrieval_intents}
    for prediction in ranking:
        if "/" not in prediction.label:
            continue
        intent = prediction.label.split("/")[0]
        if intent in output:
            continue
        output[intent] = {
            "response": {"responses": [], "confidence": prediction.confidence, INTENT_RESPONSE_KEY: prediction.label,
                         "utter_action": f"utter_{prediction.label}"},
            "ranking": [{INTENT_RESPONSE_KEY: p.label, PREDICTED_CONFIDENCE_KEY: p.confidence}
                        for p in ranking if p.label.startswith(intent + "/")],
        }
        output.setdefault("default", output[intent])
    return output

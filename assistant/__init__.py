"""Plain Python core of the assistant: center config, knowledge, safety, records.

Nothing here imports Rasa, so it is testable on its own; the Rasa adapters live
in `actions/` (custom actions) and `assistant/nlu_components.py` (pipeline).
"""

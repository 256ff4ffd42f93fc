"""Plain Python core of the assistant: center config, knowledge, safety, intake, records.

Nothing here imports Rasa (a test checks), so it is testable on its own. The Rasa
adapters are `actions/` (custom actions), `channels/` (input channels) and
`rasa_ext/` (runtime patches, tracker and lock stores, NLU components).
"""

"""Everything that imports Rasa and is not a custom action or a channel: the runtime
patches and the command that installs them (runtime.py, patches.py), the tracker
and lock stores, and the NLU pipeline components. transcripts.py reads what was
said from the tracker store's tables, without importing Rasa (the `intake` command);
responses.py fills in what the actions send as Rasa does (for tests and the SMS report).

`assistant/` stays framework-free; `actions/` (rasa_sdk) and `channels/` (Rasa's
input channels) are the other two adapters. The patches are written for one Rasa
version (RASA_VERSION); runtime.main() refuses to start under any other.
"""

RASA_VERSION = "3.6.21"

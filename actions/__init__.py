"""Rasa custom actions: thin adapters over the plain modules in `assistant`."""

from assistant import safe_logging

# rasa_sdk imports this package before it serves: the action server's log records are
# one line each, whatever a conversation id or an error message holds.
safe_logging.install()

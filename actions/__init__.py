"""Rasa custom actions: thin adapters over the plain modules in `assistant`."""

"""The parts of `make demo-data` (assistant/demo_data.py): synthetic people, conversations and staff work."""

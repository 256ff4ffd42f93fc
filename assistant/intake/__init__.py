"""Pre-assessment and callback handoff: plain Python, testable without Rasa."""

"""Measuring the trained model: held-out intent accuracy and the crisis red-team sets.

Used by tests/evaluation (thresholds that fail the build) and by `make bench`.
"""

"""Synthetic input data with planted patterns, for the demo, tests, benchmarks and evaluation."""

"""Whole-graph analytics over a projection: ownership, risk, detectors."""

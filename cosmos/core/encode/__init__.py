"""Encoder policy, quality settings and determinism profiles."""

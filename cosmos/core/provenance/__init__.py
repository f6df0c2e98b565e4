"""Sidecar and run document builders, identifiers and paths."""

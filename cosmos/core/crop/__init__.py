"""Crop geometry, jobs files and curated view specs: pure parsing and arithmetic."""

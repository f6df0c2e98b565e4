"""Crop jobs files and curated view specs (public paths of the crop SDK)."""

"""Run and artifact identifiers."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def make_run_id(prefix: str, utc_compact: str, token: str) -> str:
    """Build a run id such as ``ing_20261204T210000Z_1a2b3c``.

    ``utc_compact`` is the start time (``YYYYmmddTHHMMSSZ``) and ``token`` random hex; both come
    from the shell, so the id sorts by time and stays unique within one second.
    """
    return f"{prefix}_{utc_compact}_{token}"


def make_artifact_id(kind: str, output_stem: str, sha256: str) -> str:
    """Build a stable, readable artifact id: ``<kind>-<output stem>-<first 8 hex of sha256>``."""
    stem = _UNSAFE.sub("_", output_stem).strip("_") or "output"
    return f"{kind}-{stem}-{sha256[:8]}"

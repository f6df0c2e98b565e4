"""The command line starts light: help loads neither PyAV nor torch, and `optimize run` loads
only what it needs before FFmpeg starts."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
from cosmos.cli.app import run_app
try:
    run_app({tokens!r})
except SystemExit:
    pass
heavy = sorted(name for name in ("av", "torch", "torchcodec", "numpy") if name in sys.modules)
print("HEAVY=" + ",".join(heavy))
"""


@pytest.mark.parametrize(
    "tokens",
    [["--help"], ["ingest", "run", "--help"], ["video", "probe", "--help"], ["crop", "--help"]],
    ids=["root", "ingest", "video", "crop"],
)
def test_help_imports_no_heavy_module(tokens: list[str]) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE.format(tokens=tokens)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.rstrip().endswith("HEAVY=")


LOADED = """
import sys
import cosmos.cli.app
import cosmos.cli.optimize
print(" ".join(sorted(name for name in sys.modules if name.startswith("cosmos."))))
"""


def test_optimize_defers_post_ffmpeg_imports() -> None:
    # A remux needs none of these modules before FFmpeg starts, so importing them earlier would
    # only delay the FFmpeg start.
    completed = subprocess.run(
        [sys.executable, "-c", LOADED], capture_output=True, text=True, check=True
    )
    loaded = set(completed.stdout.split())
    assert "cosmos.shell.optimize" in loaded
    for deferred in (
        "cosmos.shell.optimize_records",
        "cosmos.shell.provenance",
        "cosmos.shell.encoders",
        "cosmos.core.provenance.optimize_documents",
        "cosmos.core.ingest.plan",
    ):
        assert deferred not in loaded, deferred

"""The command line starts light: help loads neither PyAV nor torch."""

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

"""The ``cosmos`` command line, built with cyclopts over the SDK.

Command modules load lazily, so ``cosmos --help`` imports neither PyAV nor torch.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from cosmos.cli.app import run_app


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``cosmos`` console script; exits with the command's status."""
    sys.exit(run_app(list(sys.argv[1:] if argv is None else argv)))

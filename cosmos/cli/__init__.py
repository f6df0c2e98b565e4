"""The ``cosmos`` command line, built with cyclopts over the SDK.

Command modules load lazily, so ``cosmos --help`` imports neither PyAV nor torch.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``cosmos`` console script; exits with the command's status.

    The imports create tens of thousands of long-lived objects (classes, functions, type
    annotations) and no garbage, so the cyclic garbage collector is paused while they load and
    the objects are then frozen out of later collections. Freezing again before exit lets the
    interpreter skip traversing them at shutdown. On the 2-core benchmark machine this cut
    ``cosmos optimize run`` by about 25 ms (9 ms at import, 18 ms at exit). The collector stays
    on while the command runs.
    """
    gc.disable()
    try:
        from cosmos.cli.app import run_app
    finally:
        gc.freeze()
        gc.enable()
    status = run_app(list(sys.argv[1:] if argv is None else argv))
    gc.freeze()
    sys.exit(status)

"""Local paths in FFmpeg argv lists, shell quoting of argv for people, and the files that
record an FFmpeg run beside its output."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path, PurePath


def file_url(path: PurePath) -> str:
    """Return ``path`` as an FFmpeg ``file:`` URL.

    Without the prefix FFmpeg reads ``a:b.mp4`` as protocol ``a`` and a leading ``-`` as an
    option. With it, every local name is taken literally, spaces, quotes and non-ASCII included.
    """
    return f"file:{path}"


def shell_join(argv: Sequence[str]) -> str:
    """Quote an argv list for a POSIX shell, so ``cmd.txt`` can be pasted and run as is."""
    return shlex.join(argv)


def command_path(output: Path) -> Path:
    """Name the ``<output>.cmd.txt`` file that stores the last argv run for ``output``."""
    return output.with_name(f"{output.name}.cmd.txt")


def log_path(output: Path) -> Path:
    """Name the ``<output>.log.txt`` file that stores each FFmpeg attempt and its stderr."""
    return output.with_name(f"{output.name}.log.txt")

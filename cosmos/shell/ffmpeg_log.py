"""Run FFmpeg for one output and record each run in ``<output>.cmd.txt`` and ``<output>.log.txt``.

Optimize and crop write these files in the same format as ingest: ``cmd.txt`` is the argv of the
last run that exited with 0, shell-quoted so it can be pasted, and ``log.txt`` lists every attempt
of the last run, failed ones included, as ``$ <argv>``, ``# exit N, S s`` and FFmpeg's stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cosmos.core.ffmpeg.paths import shell_join
from cosmos.shell import fs
from cosmos.shell.runner import Completed, run


@dataclass(slots=True)
class CommandLog:
    """The ``cmd.txt`` and ``log.txt`` files of one output, and the attempts logged so far."""

    cmd: Path
    log: Path
    attempts: list[str] = field(default_factory=list)

    def run(
        self, argv: Sequence[str], *, on_stdout_line: Callable[[str], None] | None = None
    ) -> Completed:
        """Run ``argv``, rewrite ``log.txt`` with every attempt so far, and write ``cmd.txt``
        when FFmpeg exits with 0.

        ``cmd.txt`` is written only then, so a failed or interrupted run that keeps an earlier
        output (``force``) leaves the argv that made that output beside it. Raises ``OSError``,
        after logging it, when ``argv`` cannot be started.
        """
        command = shell_join(argv)
        try:
            completed = run(argv, on_stdout_line=on_stdout_line)
        except OSError as error:
            self._append(f"$ {command}\n{error}\n")
            raise
        self._append(
            f"$ {command}\n# exit {completed.returncode}, {completed.seconds:.2f} s\n"
            f"{completed.stderr}"
        )
        if completed.returncode == 0:
            fs.atomic_write_text(self.cmd, command + "\n")
        return completed

    def _append(self, attempt: str) -> None:
        self.attempts.append(attempt)
        fs.atomic_write_text(self.log, "\n".join(self.attempts))

"""Run FFmpeg for one output and record each run in ``<output>.cmd.txt`` and ``<output>.log.txt``.

Optimize and crop write these files in the same format as ingest: ``cmd.txt`` is the argv that
made the output beside it, shell-quoted so it can be pasted, and ``log.txt`` lists every attempt
of the last run, failed ones included, as ``$ <argv>``, ``# exit N, S s`` and FFmpeg's stderr.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cosmos.core.ffmpeg.paths import shell_join
from cosmos.shell import fs
from cosmos.shell.runner import Completed, run

logger = logging.getLogger("cosmos")


@dataclass(slots=True)
class CommandLog:
    """The ``cmd.txt`` and ``log.txt`` files of one output, and the attempts logged so far."""

    cmd: Path
    log: Path
    attempts: list[str] = field(default_factory=list)
    # The argv of the last run that exited with 0, written to cmd.txt by commit().
    finished: str | None = None

    def run(
        self, argv: Sequence[str], *, on_stdout_line: Callable[[str], None] | None = None
    ) -> Completed:
        """Run ``argv`` and rewrite ``log.txt`` with every attempt so far.

        Raises ``OSError``, after logging it, when ``argv`` cannot be started. A ``log.txt`` that
        cannot be written after the run is removed, with a warning, rather than left stale.
        """
        command = shell_join(argv)
        try:
            completed = run(argv, on_stdout_line=on_stdout_line)
        except OSError as error:
            self._append(f"$ {command}\n{error}\n")
            raise
        try:
            self._append(
                f"$ {command}\n# exit {completed.returncode}, {completed.seconds:.2f} s\n"
                f"{completed.stderr}"
            )
        except OSError as error:
            # FFmpeg did run, so this is not reported as a failure to start it. A later write
            # on the same full disk fails the output with its own message.
            fs.remove_quietly(self.log)
            logger.warning("cannot write %s (%s); it was removed", self.log, error)
        if completed.returncode == 0:
            self.finished = command
        return completed

    def commit(self) -> None:
        """Write ``cmd.txt`` with the argv of the last run that exited with 0.

        Call it once the output is renamed into place, so a run that fails or is interrupted
        later, and keeps an earlier output (``force``), leaves that output's argv beside it. A
        ``cmd.txt`` that cannot be written is removed rather than left describing another file.
        """
        if self.finished is None:
            return
        try:
            fs.atomic_write_text(self.cmd, self.finished + "\n")
        except OSError as error:
            fs.remove_quietly(self.cmd)
            logger.warning("cannot write %s (%s); it was removed", self.cmd, error)

    def _append(self, attempt: str) -> None:
        self.attempts.append(attempt)
        fs.atomic_write_text(self.log, "\n".join(self.attempts))

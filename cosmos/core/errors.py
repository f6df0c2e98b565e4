"""Error values returned by the core and the shell.

Each failure is a small frozen Struct whose ``message`` is complete: what failed, on which value,
and what to do next. A message that names an option gives both forms, as in ``pass force=True
(CLI: --force)``. SDK users read it as it is, and the CLI prints only the bracketed form (see
:func:`cosmos.cli.output.cli_wording`).

The SDK boundary (:mod:`cosmos.sdk._boundary`) turns each kind into the documented exception with
one exhaustive ``match``:

    InvalidOption   -> cosmos.sdk.errors.InvalidOptionError  (ValueError; CLI exit 2)
    InvalidInput    -> cosmos.sdk.errors.InvalidInputError   (ValueError; CLI exit 3)
    ToolUnavailable -> cosmos.sdk.errors.ToolNotFoundError   (FileNotFoundError; CLI exit 4)
    ProbeFailed     -> cosmos.sdk.errors.VideoProbeError     (RuntimeError; CLI exit 3)
    DecodeFailed    -> cosmos.sdk.errors.VideoDecodeError    (RuntimeError; CLI exit 5)
    BackendMissing  -> cosmos.sdk.errors.BackendNotInstalledError (a VideoDecodeError; exit 4)
    SourceMissing   -> cosmos.sdk.errors.VideoFileNotFoundError (VideoProbeError, ValueError)
    OutputExists    -> cosmos.sdk.errors.OutputExistsError (FileExistsError; CLI exit 3)
    ProcessingFailed-> cosmos.sdk.errors.ProcessingError     (RuntimeError; CLI exit 5)
"""

from __future__ import annotations

import re

import msgspec


class InvalidOption(msgspec.Struct, frozen=True):
    """An option value outside its accepted range or set."""

    field: str
    value: str
    message: str


class InvalidInput(msgspec.Struct, frozen=True):
    """An input path or file that cannot be used (missing, empty, not video, unwritable)."""

    value: str
    message: str


class ToolUnavailable(msgspec.Struct, frozen=True):
    """FFmpeg, ffprobe or an encoder that could not be found or does not work."""

    tool: str
    message: str


class ProbeFailed(msgspec.Struct, frozen=True):
    """ffprobe could not describe a file as video."""

    path: str
    message: str
    stderr: str = ""


class DecodeFailed(msgspec.Struct, frozen=True):
    """FFmpeg could not decode the requested frames."""

    path: str
    message: str
    stderr: str = ""


class BackendMissing(msgspec.Struct, frozen=True):
    """An explicitly chosen decode backend whose extra is not installed."""

    backend: str
    extra: str
    message: str


def not_a_file_message(role: str, path: str, exists: bool) -> str:
    """Return the message for a ``role`` path (``"input"``, ``"video file"``) that is not a
    regular file: missing when ``exists`` is false, else a folder or device."""
    if exists:
        return f"{role} {path} is not a regular file; pass a video file"
    return f"{role} {path} does not exist; check the path"


def empty_file_message(role: str, path: str) -> str:
    """Return the message for a ``role`` path that is a file of 0 bytes."""
    return (
        f"{role} {path} is empty (0 bytes); it was not copied completely or its recording "
        "failed, so pass a complete video file"
    )


class SourceMissing(msgspec.Struct, frozen=True):
    """A video path that does not exist or is not a regular file."""

    path: str
    message: str


class OutputExists(msgspec.Struct, frozen=True):
    """Outputs that already exist, when the caller did not allow replacing them."""

    paths: list[str]
    message: str


def outputs_exist_message(paths: list[str], remedy: str) -> str:
    """Return the message for outputs a run would replace: up to five of ``paths``, then how
    many more, then ``remedy`` (what to pass instead)."""
    listed = ", ".join(paths[:5])
    more = f" and {len(paths) - 5} more" if len(paths) > 5 else ""
    return f"output(s) already exist: {listed}{more}; {remedy}"


class ProcessingFailed(msgspec.Struct, frozen=True):
    """A media job ran and failed (FFmpeg exit status, invalid output)."""

    value: str
    message: str
    stderr: str = ""


CosmosFailure = (
    InvalidOption
    | InvalidInput
    | ToolUnavailable
    | ProbeFailed
    | DecodeFailed
    | BackendMissing
    | SourceMissing
    | OutputExists
    | ProcessingFailed
)


_CONTEXT_ADDRESS = re.compile(r" @ 0x[0-9a-fA-F]+\]")


def stderr_tail(stderr: str, max_lines: int = 3) -> str:
    """Return the last ``max_lines`` non-empty lines of a tool's stderr on one line.

    Error messages stay one line long; the full stderr travels in the error's ``stderr`` field
    and in ``log.txt``.
    """
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    # FFmpeg prefixes log lines with the address of the logging context
    # ("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5567ed181380]"), which differs on every run, so the same
    # bad input would give a different message each time.
    return " | ".join(_CONTEXT_ADDRESS.sub("]", line) for line in lines[-max_lines:])

"""Output modes, error lines and exit codes shared by every command."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path
from typing import Annotated, Literal, Protocol

import msgspec
from cyclopts import Parameter

from cosmos.core.model.documents import FindingRecord
from cosmos.sdk.errors import (
    CosmosError,
    InvalidInputError,
    InvalidOptionError,
    OutputExistsError,
    ProcessingError,
    ToolNotFoundError,
    VideoDecodeError,
    VideoProbeError,
)

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INVALID_INPUT = 3
EXIT_TOOL = 4
EXIT_PROCESSING = 5
EXIT_INTERRUPTED = 130

Mode = Literal["human", "json", "plain"]
# Each command's docstring describes what its --json and --plain print.
JsonFlag = Annotated[bool, Parameter(name="--json", negative="")]
PlainFlag = Annotated[bool, Parameter(name="--plain", negative="")]


class UsageError(CosmosError):
    """A command line that cannot run as given (exit 2)."""


class RunResult(Protocol):
    """Fields common to the results of crop, ingest and optimize runs."""

    @property
    def run_id(self) -> str: ...
    @property
    def dry_run(self) -> bool: ...
    @property
    def produced(self) -> tuple[Path, ...]: ...
    @property
    def run_document(self) -> Path | None: ...
    @property
    def dry_run_plan(self) -> Path | None: ...


_command_line: list[str] = ["cosmos"]


def set_command_line(tokens: list[str]) -> None:
    """Remember the command line being run, for the ``command`` field of dry-run plans."""
    _command_line[:] = ["cosmos", *tokens]


def command_line() -> str:
    """Return the command line being run, shell-quoted."""
    return shlex.join(_command_line)


def output_mode(json_flag: bool, plain_flag: bool) -> Mode:
    if json_flag and plain_flag:
        raise UsageError("--json and --plain cannot be used together; choose one")
    if json_flag:
        return "json"
    return "plain" if plain_flag else "human"


def exit_code_for(error: CosmosError) -> int:
    """Map an SDK exception to the documented exit status."""
    if isinstance(error, UsageError | InvalidOptionError):
        return EXIT_USAGE
    # Before VideoProbeError: a missing ffprobe is both, and it is a tool problem.
    if isinstance(error, ToolNotFoundError):
        return EXIT_TOOL
    if isinstance(error, InvalidInputError | VideoProbeError | OutputExistsError):
        return EXIT_INVALID_INPUT
    if isinstance(error, ProcessingError | VideoDecodeError):
        return EXIT_PROCESSING
    return EXIT_PROCESSING


# An option named in both forms in a core or shell message: ``force=True (CLI: --force)``.
_SDK_AND_CLI_FORMS = re.compile(r"\S+ \(CLI: ([^)]+)\)")


def cli_wording(message: str) -> str:
    """Replace each option named as ``force=True (CLI: --force)`` with its CLI form ``--force``."""
    return _SDK_AND_CLI_FORMS.sub(r"\1", message)


def print_error(message: str) -> None:
    print(f"error: {cli_wording(message)}", file=sys.stderr)


def print_json(value: object) -> None:
    sys.stdout.write(msgspec.json.format(msgspec.json.encode(value), indent=2).decode() + "\n")


def run_summary(result: RunResult) -> dict[str, object]:
    """Return the leading fields of a run's ``--json`` output: run id, documents, paths.

    The paths are under ``planned`` for a dry run and under ``produced`` otherwise.
    """
    return {
        "run_id": result.run_id,
        "dry_run": result.dry_run,
        "run_document": str(result.run_document) if result.run_document else None,
        "dry_run_plan": str(result.dry_run_plan) if result.dry_run_plan else None,
        ("planned" if result.dry_run else "produced"): [str(p) for p in result.produced],
    }


class _PlanValidation(msgspec.Struct):
    validation: list[FindingRecord] = msgspec.field(default_factory=list)


def dry_run_status(result: RunResult, status: int) -> int:
    """Return ``status`` for a real run, and for a dry run whose plan has no blocking finding.

    A plan with a blocking finding (an output that exists without force, a clip that would be
    skipped) is a run that would stop, so the dry run exits 3 with an error line, as the real
    run would.
    """
    if not result.dry_run or result.dry_run_plan is None or status != EXIT_OK:
        return status
    try:
        plan = msgspec.json.decode(Path(result.dry_run_plan).read_bytes(), type=_PlanValidation)
    except (OSError, msgspec.DecodeError):
        return status
    blocking = sorted({finding.code for finding in plan.validation if finding.blocking})
    if not blocking:
        return status
    print_error(
        f"the plan has blocking findings ({', '.join(blocking)}), so the real run would stop "
        f"before any work; see {result.dry_run_plan}"
    )
    return EXIT_INVALID_INPUT


def run_line(result: RunResult) -> str:
    """Return the last line of a run's human output: the run id and its run document or plan."""
    return f"run {result.run_id}: {result.run_document or result.dry_run_plan}"


def print_plain(rows: list[list[str]]) -> None:
    for row in rows:
        print("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in row))

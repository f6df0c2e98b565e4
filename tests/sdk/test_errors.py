"""SDK exceptions: each error value becomes the documented exception and exit code."""

from __future__ import annotations

import pytest

from cosmos.cli.output import exit_code_for
from cosmos.core.errors import (
    CosmosFailure,
    DecodeFailed,
    InvalidInput,
    InvalidOption,
    ProbeFailed,
    ProcessingFailed,
    ToolUnavailable,
)
from cosmos.sdk._boundary import to_exception
from cosmos.sdk.errors import (
    CosmosError,
    InvalidInputError,
    InvalidOptionError,
    ProcessingError,
    ToolNotFoundError,
    VideoDecodeError,
    VideoProbeError,
    VideoToolNotFoundError,
)

# (error value, exception type, builtin the caller may catch, CLI exit code)
CASES: list[tuple[CosmosFailure, type[CosmosError], type[Exception], int]] = [
    (InvalidOption(field="crf", value="99", message="m"), InvalidOptionError, ValueError, 2),
    (InvalidInput(value="/in", message="m"), InvalidInputError, ValueError, 3),
    (ToolUnavailable(tool="ffmpeg", message="m"), ToolNotFoundError, FileNotFoundError, 4),
    (ProbeFailed(path="/a.mp4", message="m", stderr="e"), VideoProbeError, RuntimeError, 3),
    (DecodeFailed(path="/a.mp4", message="m", stderr="e"), VideoDecodeError, RuntimeError, 5),
    (ProcessingFailed(value="/a.mp4", message="m", stderr="e"), ProcessingError, RuntimeError, 5),
]


@pytest.mark.parametrize(
    ("failure", "exception_type", "builtin", "code"),
    CASES,
    ids=[type(case[0]).__name__ for case in CASES],
)
def test_error_mapping(
    failure: CosmosFailure, exception_type: type[CosmosError], builtin: type[Exception], code: int
) -> None:
    error = to_exception(failure)
    assert type(error) is exception_type
    assert isinstance(error, builtin)
    assert error.message == "m"
    assert str(error) == "m"
    assert exit_code_for(error) == code


def test_error_keeps_stderr() -> None:
    error = to_exception(ProbeFailed(path="/a.mp4", message="m", stderr="moov atom not found"))
    assert error.stderr == "moov atom not found"


def test_missing_ffprobe_is_tool_error() -> None:
    error = VideoToolNotFoundError("COSMOS_FFPROBE=/x is not an executable file")
    assert isinstance(error, VideoProbeError)
    assert isinstance(error, FileNotFoundError)
    assert exit_code_for(error) == 4

"""The one place where error values from the core and shell become exceptions."""

from __future__ import annotations

from typing import NoReturn, TypeVar, assert_never

from returns.result import Failure, Result

from cosmos.core.errors import (
    BackendMissing,
    CosmosFailure,
    DecodeFailed,
    InvalidInput,
    InvalidOption,
    OutputExists,
    ProbeFailed,
    ProcessingFailed,
    SourceMissing,
    ToolUnavailable,
)
from cosmos.sdk.errors import (
    BackendNotInstalledError,
    CosmosError,
    InvalidInputError,
    InvalidOptionError,
    OutputExistsError,
    ProcessingError,
    ToolNotFoundError,
    VideoDecodeError,
    VideoFileNotFoundError,
    VideoProbeError,
)

T = TypeVar("T")


def to_exception(error: CosmosFailure) -> CosmosError:
    """Map an error value to the documented exception type."""
    match error:
        case InvalidOption(message=message):
            return InvalidOptionError(message)
        case InvalidInput(message=message):
            return InvalidInputError(message)
        case ToolUnavailable(message=message):
            return ToolNotFoundError(message)
        case ProbeFailed(message=message, stderr=stderr):
            return VideoProbeError(message, stderr=stderr)
        case DecodeFailed(message=message, stderr=stderr):
            return VideoDecodeError(message, stderr=stderr)
        case BackendMissing(message=message):
            return BackendNotInstalledError(message)
        case SourceMissing(message=message):
            return VideoFileNotFoundError(message)
        case OutputExists(message=message):
            return OutputExistsError(message)
        case ProcessingFailed(message=message, stderr=stderr):
            return ProcessingError(message, stderr=stderr)
        case _:
            assert_never(error)


def raise_error(error: CosmosFailure) -> NoReturn:
    raise to_exception(error)


def unwrap_or_raise(result: Result[T, CosmosFailure]) -> T:
    """Return the success value, or raise the exception for the failure."""
    if isinstance(result, Failure):
        raise_error(result.failure())
    return result.unwrap()

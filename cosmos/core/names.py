"""Rules for names that become file names in an output folder: what a name chosen by a person
(a clip name, a view id) may contain, and how long the names a run writes can be.

Each output is written first under a temporary name that is longer still, and a folder takes
names of at most ``NAME_MAX`` bytes (255 on Linux), so a run checks every name before it starts
any work. This module imports nothing but :mod:`cosmos.core.errors` and :mod:`returns`, so every
command can use it without loading another stage's planner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from returns.result import Failure, Result, Success

from cosmos.core.errors import InvalidInput

# Of the names Cosmos derives from a view id, the temporary name of an optimized sidecar adds the
# most: ``.<stem>.mp4.cosmos_optimized.v1.json.<8 hex>.partial`` is 47 bytes more than the
# stem. Common Linux file systems (ext4, XFS, Btrfs, tmpfs) allow 255 bytes per name.
MAX_STEM_BYTES = 200

# ``cosmos.shell.fs.random_token`` returns this many hex characters.
TOKEN_LENGTH = 8
_PLACEHOLDER_TOKEN = "0" * TOKEN_LENGTH

CLIP_NAME_RULE = (
    "clip names become file names, so a name must not be empty, be '.' or '..', start with "
    "'.', or contain '/', '\\' or a NUL character"
)


def clip_name_problem(name: str) -> str | None:
    """Describe why ``name`` cannot be a clip name, or return ``None`` when it can."""
    if not name:
        return "is empty"
    for character, label in (("/", "'/'"), ("\\", "'\\'"), ("\0", "a NUL character")):
        if character in name:
            return f"contains {label}"
    if name in (".", ".."):
        return f"is {name!r}"
    if name.startswith("."):
        return "starts with '.'"
    return None


def temporary_name(name: str, token: str = _PLACEHOLDER_TOKEN) -> str:
    """Return the hidden name a file is written under before it is renamed to ``name``.

    ``cosmos.shell.fs.atomic_write_bytes`` and the FFmpeg outputs of ingest and optimize use
    this shape: ``.<name>.<token>.partial``.
    """
    return f".{name}.{token}.partial"


def with_temporaries(names: Sequence[str]) -> tuple[str, ...]:
    """Return ``names`` and the temporary name of each."""
    return (*names, *(temporary_name(name) for name in names))


def name_bytes(name: str) -> int:
    """Return the length of ``name`` in bytes as the filesystem stores it, in UTF-8.

    Names read from a folder keep undecodable bytes as surrogates, and each counts as one byte.
    """
    return len(name.encode("utf-8", "surrogateescape"))


@dataclass(frozen=True, slots=True)
class TooLong:
    """An input whose longest file name does not fit the output folder.

    ``stem`` is the part of every name that comes from the input (a clip name, a file stem), and
    ``label`` names it in messages (``its clip name``). ``pattern`` is the longest name with the
    stem written ``<name>`` and the random token written ``<token>``.
    """

    source: str
    stem: str
    label: str
    pattern: str
    longest_bytes: int
    limit: int

    @property
    def stem_limit(self) -> int:
        """The maximum length of ``stem`` in bytes at which every name fits."""
        return self.limit - (self.longest_bytes - name_bytes(self.stem))


def find_too_long(
    source: str, stem: str, label: str, names: Sequence[str], limit: int
) -> TooLong | None:
    """Return the problem of the longest of ``names`` when it is over ``limit`` bytes."""
    longest = max(names, key=name_bytes)
    size = name_bytes(longest)
    if size <= limit:
        return None
    pattern = longest.replace(stem, "<name>", 1).replace(_PLACEHOLDER_TOKEN, "<token>")
    return TooLong(source, stem, label, pattern, size, limit)


def too_long_message(problem: TooLong, folder: str, rename: str) -> str:
    """Describe a name that does not fit. ``rename`` is what the user should rename, such as the
    input file or the clip in the manifest."""
    return (
        f"{problem.source}: {problem.label} {problem.stem!r} has {name_bytes(problem.stem)} "
        f"bytes, so the longest name the run writes for it in {folder}, {problem.pattern}, "
        f"would have {problem.longest_bytes} bytes, over that folder's limit of {problem.limit} "
        f"bytes; rename {rename} so that {problem.label} has at most {problem.stem_limit} bytes"
    )


def check_name_lengths(
    problems: Sequence[TooLong], folder: str, rename: str
) -> Result[None, InvalidInput]:
    """Fail on the first of ``problems``, saying how many more inputs have one."""
    if not problems:
        return Success(None)
    first = problems[0]
    more = len(problems) - 1
    others = f" ({more} more input{'s' if more > 1 else ''} too)" if more else ""
    return Failure(
        InvalidInput(
            value=first.source,
            message=f"file name too long: {too_long_message(first, folder, rename)}{others}",
        )
    )


def stem_problem(stem: str) -> str | None:
    """Return why ``stem`` (a view id) cannot name files inside one output folder, or ``None``.

    The rules of :func:`clip_name_problem` apply, and the stem must leave room for the longest
    name derived from it.
    """
    problem = clip_name_problem(stem.strip())
    if problem is not None:
        return f"it {problem}"
    size = name_bytes(stem)
    if size > MAX_STEM_BYTES:
        return (
            f"it is {size} bytes long; at most {MAX_STEM_BYTES} bytes leave room for the "
            "names made from it"
        )
    return None

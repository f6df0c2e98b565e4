"""The contract every source layout adapter fulfils, and the folder listing it reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from returns.result import Result

from cosmos.core.errors import InvalidInput, ProbeFailed
from cosmos.core.model.media import MediaFacts


@dataclass(frozen=True, slots=True)
class FolderEntry:
    """One name in the input folder, as the shell saw it."""

    name: str
    is_file: bool
    size_bytes: int


@dataclass(frozen=True, slots=True)
class FolderListing:
    """The top level of an input folder; adapters decide from this alone."""

    root: Path
    entries: tuple[FolderEntry, ...]


@dataclass(frozen=True, slots=True)
class ClipSource:
    """One clip an adapter found: its output name and the files it reads."""

    name: str
    inputs: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """A validation result for one clip; ``blocking`` findings keep the clip from being encoded."""

    clip: str
    code: str
    message: str
    blocking: bool


class SourceAdapter(Protocol):
    """A source layout: how to recognise it, list its clips, check them and feed FFmpeg."""

    name: str

    def detect(self, listing: FolderListing) -> bool:
        """Tell whether the folder contains this layout."""
        ...

    def discover(self, listing: FolderListing) -> Result[tuple[ClipSource, ...], InvalidInput]:
        """List the clips of the folder, each with a unique output name."""
        ...

    def validate(
        self, clip: ClipSource, facts: MediaFacts | ProbeFailed, size_bytes: int
    ) -> tuple[Finding, ...]:
        """Check one clip against what the shell probed."""
        ...

    def input_args(self, clip: ClipSource) -> tuple[str, ...]:
        """Return the FFmpeg input options and ``-i`` arguments of the clip."""
        ...

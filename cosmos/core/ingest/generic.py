"""The generic-media adapter: every video file at the top of a folder is one clip."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePath

from returns.result import Failure, Result, Success

from cosmos.core.errors import InvalidInput, ProbeFailed
from cosmos.core.ffmpeg.paths import file_url
from cosmos.core.ingest.adapter import ClipSource, Finding, FolderEntry, FolderListing
from cosmos.core.model.media import MediaFacts

VIDEO_EXTENSIONS: frozenset[str] = frozenset(
    {".mp4", ".mov", ".mkv", ".avi", ".ts", ".mts", ".webm"}
)


def is_video_name(name: str) -> bool:
    """Tell whether ``name`` is a visible file name with a video extension (any case)."""
    return not name.startswith(".") and PurePath(name).suffix.lower() in VIDEO_EXTENSIONS


def _video_entries(listing: FolderListing) -> list[FolderEntry]:
    return sorted(
        (entry for entry in listing.entries if entry.is_file and is_video_name(entry.name)),
        key=lambda entry: (entry.name.casefold(), entry.name),
    )


def unique_clip_names(file_names: list[str]) -> list[str]:
    """Name each file's clip after its stem; stems shared by several files get the extension.

    Stems are compared case-insensitively, because ``Clip.mp4`` and ``clip.mp4`` would collide
    on a case-insensitive filesystem. Names still equal after that get ``_2``, ``_3``, ..., the
    first number whose name no other file takes.
    """
    stems = [PurePath(name).stem for name in file_names]
    stem_counts = Counter(stem.casefold() for stem in stems)
    names: list[str] = []
    for file_name, stem in zip(file_names, stems, strict=True):
        if stem_counts[stem.casefold()] > 1:
            names.append(f"{stem}_{PurePath(file_name).suffix.lstrip('.').lower()}")
        else:
            names.append(stem)

    # A numbered name must not take the name of a later file (``x_mp4_2.mkv`` beside two
    # ``x.mp4`` spellings), so every plain name is reserved up front.
    reserved = {name.casefold() for name in names}
    used: set[str] = set()
    unique: list[str] = []
    for name in names:
        candidate, count = name, 1
        while candidate.casefold() in used or (count > 1 and candidate.casefold() in reserved):
            count += 1
            candidate = f"{name}_{count}"
        used.add(candidate.casefold())
        unique.append(candidate)
    return unique


class GenericMediaAdapter:
    """Folder of video files, one clip per file, named after the file's stem."""

    name = "generic-media"

    def detect(self, listing: FolderListing) -> bool:
        return bool(_video_entries(listing))

    def discover(self, listing: FolderListing) -> Result[tuple[ClipSource, ...], InvalidInput]:
        entries = _video_entries(listing)
        if not entries:
            extensions = " ".join(sorted(VIDEO_EXTENSIONS))
            return Failure(
                InvalidInput(
                    value=str(listing.root),
                    message=f"no video files found in {listing.root} (looked for {extensions} "
                    "at the top of the folder, any case); point --input-dir at the folder that "
                    "holds the videos",
                )
            )
        names = unique_clip_names([entry.name for entry in entries])
        return Success(
            tuple(
                ClipSource(name=name, inputs=(listing.root / entry.name,))
                for name, entry in zip(names, entries, strict=True)
            )
        )

    def validate(
        self, clip: ClipSource, facts: MediaFacts | ProbeFailed, size_bytes: int
    ) -> tuple[Finding, ...]:
        source = clip.inputs[0]
        if size_bytes == 0:
            return (
                Finding(
                    clip=clip.name,
                    code="empty-file",
                    message=f"{source} is empty (0 bytes); replace it with the complete "
                    "recording or remove it from the folder",
                    blocking=True,
                ),
            )
        if isinstance(facts, ProbeFailed):
            return (
                Finding(clip=clip.name, code="not-video", message=facts.message, blocking=True),
            )
        findings: list[Finding] = []
        if facts.probe.duration_seconds is None:
            findings.append(
                Finding(
                    clip=clip.name,
                    code="unknown-duration",
                    message=f"ffprobe reports no duration for {source}; progress has no ETA",
                    blocking=False,
                )
            )
        return tuple(findings)

    def input_args(self, clip: ClipSource) -> tuple[str, ...]:
        return ("-i", file_url(clip.inputs[0]))

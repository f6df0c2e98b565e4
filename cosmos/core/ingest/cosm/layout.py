"""Locations of a COSM clip's frames, and the problems of the folders that contain them.

A session stores one folder per second, ``<h>H/<m>M/<s>S/``, each with ``meta.json`` and MPEG-TS
chunks. With ``fps`` frames per folder, session frame ``i`` lives in second ``i // fps``.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

import msgspec

from cosmos.core.ingest.adapter import Finding
from cosmos.core.ingest.cosm.manifest import ManifestClip

_NUMBER = re.compile(r"(\d+)")


def second_folder(second: int) -> str:
    """Return the folder of session second ``second``: ``0H/1M/0S`` for 60, unpadded."""
    return f"{second // 3600}H/{second % 3600 // 60}M/{second % 60}S"


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders numbers by value: ``9.ts`` before ``10.ts``."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in _NUMBER.split(name)
        if part
    )


class _Time(msgspec.Struct):
    x0: float
    offsets: list[float] = msgspec.field(name="xi-x0")


class _Meta(msgspec.Struct):
    Time: _Time


@dataclass(frozen=True, slots=True)
class FolderMeta:
    """Contents of ``meta.json``: epoch of the first frame and per-frame offsets in seconds."""

    x0: float
    offsets: tuple[float, ...]

    @property
    def frame_count(self) -> int:
        return len(self.offsets)

    def fps(self) -> float | None:
        """Frame rate from the timestamps, or ``None`` when there are too few frames."""
        if len(self.offsets) < 2 or self.offsets[-1] <= self.offsets[0]:
            return None
        return (len(self.offsets) - 1) / (self.offsets[-1] - self.offsets[0])


def parse_meta(data: bytes) -> FolderMeta | str:
    """Parse ``meta.json``; a string describes what is wrong with it."""
    try:
        meta = msgspec.json.decode(data, type=_Meta)
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        return f"meta.json is not valid ({error})"
    offsets = tuple(meta.Time.offsets)
    if not offsets or not all(math.isfinite(x) for x in (meta.Time.x0, *offsets)):
        return "meta.json has no frame offsets, or offsets that are not finite numbers"
    if any(later < earlier for earlier, later in itertools.pairwise(offsets)):
        return "meta.json frame offsets are not in increasing order"
    return FolderMeta(x0=meta.Time.x0, offsets=offsets)


def session_fps(measured: float) -> int:
    """Round a measured frame rate to the whole rate a COSM session records at."""
    return max(1, round(measured))


@dataclass(frozen=True, slots=True)
class FolderState:
    """One second folder as the shell found it. ``meta`` is text when it could not be parsed."""

    second: int
    exists: bool
    meta: FolderMeta | str | None
    chunks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClipLayout:
    """The folders a clip reads and the frames to keep from their concatenation."""

    clip: ManifestClip
    fps: int
    out_index: int
    seconds: tuple[int, ...]
    usable_seconds: tuple[int, ...]
    start_frame: int
    frame_count: int
    findings: tuple[Finding, ...]

    @property
    def partial(self) -> bool:
        return self.frame_count < self.out_index - self.clip.in_index


def clip_seconds(in_index: int, out_index: int, fps: int) -> tuple[int, ...]:
    """Return the session seconds holding frames ``[in_index, out_index)``."""
    return tuple(range(in_index // fps, (out_index - 1) // fps + 1))


def effective_out_index(clip: ManifestClip, fps: int, window_seconds: float | None) -> int:
    """Apply ``window_seconds`` (the first N seconds of the clip) to its end."""
    if window_seconds is None:
        return clip.out_index
    return min(clip.out_index, clip.in_index + max(1, round(window_seconds * fps)))


def _folder_problem(state: FolderState, fps: int) -> str | None:
    if not state.exists:
        return "is missing"
    if state.meta is None:
        return "has no meta.json"
    if isinstance(state.meta, str):
        return f"has a damaged meta.json: {state.meta}"
    if not state.chunks:
        return "has no .ts chunks"
    if state.meta.frame_count != fps:
        return f"lists {state.meta.frame_count} frames in meta.json, expected {fps} at {fps} fps"
    return None


# The number of missing folders a message names. It only counts the others.
MISSING_NAMED = 3


def missing_folders_message(
    clip_name: str, missing: Sequence[int], folder_count: int, allow_partial: bool
) -> str:
    """Describe the missing second folders of a clip in one line of bounded length.

    One missing folder is named. More are counted, with their range and the first
    ``MISSING_NAMED`` of them, so a clip whose ``OutIdx`` runs hours past the recording gives
    a short message, not one entry per second.
    """
    if len(missing) == 1:
        return f"clip {clip_name}: folder {second_folder(missing[0])} is missing"
    named = ", ".join(second_folder(second) for second in missing[:MISSING_NAMED])
    rest = len(missing) - MISSING_NAMED
    if rest > 0:
        named += f" and {rest} more"
    message = (
        f"clip {clip_name}: {len(missing)} of its {folder_count} folders are missing, from "
        f"{second_folder(missing[0])} to {second_folder(missing[-1])} ({named})"
    )
    if allow_partial:
        return message
    return (
        f"{message}; check the clip's InIdx and OutIdx against the recording, or pass "
        "allow_partial=True (CLI: --allow-partial) to encode the frames of the folders that can "
        "be read"
    )


def plan_layout(
    clip: ManifestClip,
    fps: int,
    states: Sequence[FolderState],
    window_seconds: float | None,
    allow_partial: bool,
) -> ClipLayout:
    """Check a clip's folders and compute the trim over the folders that can be read.

    Damaged folders are findings with their positions, and the missing ones are one finding
    that counts them (:func:`missing_folders_message`). They block the clip unless
    ``allow_partial`` is set; then their frames are left out and the rest is encoded.
    """
    out_index = effective_out_index(clip, fps, window_seconds)
    seconds = clip_seconds(clip.in_index, out_index, fps)
    by_second = {state.second: state for state in states}
    findings: list[Finding] = []

    expected_position = clip.in_index / fps
    if abs(clip.position_seconds - expected_position) > 1 / fps:
        findings.append(
            Finding(
                clip=clip.name,
                code="position-mismatch",
                message=f"clip {clip.name}: Pos is {clip.position_seconds:g} s but InIdx "
                f"{clip.in_index} at {fps} fps is {expected_position:g} s; frames are taken by "
                "InIdx",
                blocking=False,
            )
        )

    usable: list[int] = []
    missing: list[int] = []
    # Where the one finding for every missing folder goes, to keep the findings in time order.
    missing_at: int | None = None
    for second in seconds:
        state = by_second.get(second, FolderState(second, False, None, ()))
        problem = _folder_problem(state, fps)
        if problem is None:
            usable.append(second)
            continue
        if not state.exists:
            if missing_at is None:
                missing_at = len(findings)
            missing.append(second)
            continue
        findings.append(
            Finding(
                clip=clip.name,
                code="folder-unusable",
                message=f"clip {clip.name}: folder {second_folder(second)} {problem}",
                blocking=not allow_partial,
            )
        )
    if missing_at is not None:
        findings.insert(
            missing_at,
            Finding(
                clip=clip.name,
                code="folder-unusable",
                message=missing_folders_message(clip.name, missing, len(seconds), allow_partial),
                blocking=not allow_partial,
            ),
        )

    usable_frames = 0
    start_frame = 0
    if usable:
        first = usable[0]
        start_frame = max(clip.in_index, first * fps) - first * fps
        for second in usable:
            low = max(clip.in_index, second * fps)
            high = min(out_index, (second + 1) * fps)
            usable_frames += max(0, high - low)
    if not usable:
        findings.append(
            Finding(
                clip=clip.name,
                code="no-frames",
                message=f"clip {clip.name}: none of its {len(seconds)} folders can be read",
                blocking=True,
            )
        )
    elif allow_partial and usable_frames < out_index - clip.in_index:
        findings.append(
            Finding(
                clip=clip.name,
                code="partial",
                message=f"clip {clip.name}: encoding {usable_frames} of "
                f"{out_index - clip.in_index} frames because some folders are missing or damaged",
                blocking=False,
            )
        )
    return ClipLayout(
        clip=clip,
        fps=fps,
        out_index=out_index,
        seconds=seconds,
        usable_seconds=tuple(usable),
        start_frame=start_frame,
        frame_count=usable_frames,
        findings=tuple(findings),
    )


def chunk_paths(
    root: PurePath, layout: ClipLayout, states: Sequence[FolderState]
) -> list[PurePath]:
    """Return the chunk files of the usable folders in time order."""
    by_second = {state.second: state for state in states}
    paths: list[PurePath] = []
    for second in layout.usable_seconds:
        folder = root / second_folder(second)
        paths += [folder / name for name in sorted(by_second[second].chunks, key=natural_key)]
    return paths


def concat_escape(path: PurePath) -> str:
    """Quote a path for an FFmpeg concat list: single quotes, each ``'`` written ``'\\''``."""
    return "'" + str(path).replace("'", "'\\''") + "'"


def render_concat_list(paths: Sequence[PurePath]) -> str:
    """Render an ``ffconcat`` list of absolute paths (read with ``-safe 0``)."""
    lines = ["ffconcat version 1.0"]
    lines += [f"file {concat_escape(path)}" for path in paths]
    return "\n".join(lines) + "\n"

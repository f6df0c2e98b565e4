"""The shell side of COSM ingest: read the manifest and the second folders, plan each clip."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from returns.result import Failure, Result, Success

from cosmos.core.encode.policy import EncoderChoice
from cosmos.core.errors import CosmosFailure, InvalidInput
from cosmos.core.ingest.adapter import ClipSource, Finding, FolderListing
from cosmos.core.ingest.cosm.layout import (
    FolderMeta,
    FolderState,
    chunk_paths,
    clip_seconds,
    natural_key,
    parse_meta,
    plan_layout,
    render_concat_list,
    second_folder,
    session_fps,
)
from cosmos.core.ingest.cosm.manifest import ManifestClip, parse_manifest
from cosmos.core.ingest.cosm.plan import build_cosm_clip_plan
from cosmos.core.ingest.detect import manifest_names, select_clips
from cosmos.core.ingest.options import ResolvedIngest
from cosmos.core.ingest.plan import ClipPlan, clip_output_paths, concat_list_name
from cosmos.core.model.media import MediaFacts
from cosmos.shell import fs
from cosmos.shell.binaries import ResolvedTool
from cosmos.shell.encoders import select_encoder
from cosmos.shell.ingest_prepare import PreparedClip
from cosmos.shell.probe import probe_media

TILE_COUNT = 4


def load_manifest(
    listing: FolderListing, manifest: Path | None, requested: tuple[str, ...] | None
) -> Result[tuple[Path, list[ManifestClip]], InvalidInput]:
    """Find, read and parse the manifest, and keep the requested clips."""
    if manifest is None:
        names = manifest_names(listing)
        if len(names) != 1:
            return Failure(
                InvalidInput(
                    value=str(listing.root),
                    message=f"expected one *.xml manifest at the top of {listing.root}, found "
                    f"{len(names)} ({', '.join(names) or 'none'}); pass manifest= "
                    "(CLI: --manifest)",
                )
            )
        manifest = listing.root / names[0]
    try:
        data = manifest.read_bytes()
    except OSError as error:
        return Failure(
            InvalidInput(
                value=str(manifest), message=f"cannot read manifest {manifest} ({error.strerror})"
            )
        )
    parsed = parse_manifest(data, str(manifest))
    if isinstance(parsed, Failure):
        return parsed
    clips = list(parsed.unwrap().clips)
    selected = select_clips([clip.name for clip in clips], requested, listing.root)
    if isinstance(selected, Failure):
        return selected
    keep = set(selected.unwrap())
    return Success((manifest, [clip for clip in clips if clip.name in keep]))


def _read_folder(root: Path, second: int) -> FolderState:
    folder = root / second_folder(second)
    if not folder.is_dir():
        return FolderState(second, False, None, ())
    meta: FolderMeta | str | None = None
    meta_path = folder / "meta.json"
    if meta_path.is_file():
        try:
            meta = parse_meta(meta_path.read_bytes())
        except OSError as error:
            meta = f"meta.json cannot be read ({error.strerror})"
    chunks = tuple(
        sorted(
            (entry.name for entry in folder.iterdir() if entry.suffix.lower() == ".ts"),
            key=natural_key,
        )
    )
    return FolderState(second, True, meta, chunks)


def _measure_fps(root: Path, clips: list[ManifestClip]) -> int | None:
    """Derive the session frame rate from the first readable ``meta.json`` near a clip start."""
    for clip in clips:
        for second in (int(clip.position_seconds), int(clip.position_seconds) + 1):
            state = _read_folder(root, second)
            if isinstance(state.meta, FolderMeta):
                measured = state.meta.fps()
                if measured is not None:
                    return session_fps(measured)
    return None


def _blocked(clip: ManifestClip, manifest: Path, findings: tuple[Finding, ...]) -> PreparedClip:
    return PreparedClip(ClipSource(clip.name, (manifest,)), None, 0, findings, None, None)


def _planner(**fixed: Any) -> Callable[[EncoderChoice], ClipPlan]:
    """Bind everything of a clip's plan except the encoder, for the libx264 retry."""

    def plan_with(choice: EncoderChoice) -> ClipPlan:
        return build_cosm_clip_plan(choice=choice, **fixed)

    return plan_with


def prepare_cosm_clips(
    *,
    root: Path,
    manifest: Path,
    clips: list[ManifestClip],
    options: ResolvedIngest,
    ffmpeg: ResolvedTool,
    candidates: tuple[str, ...],
    hw_decode: str | None,
    output_dir: Path,
    allow_partial: bool,
) -> Result[list[PreparedClip], CosmosFailure]:
    """Validate each clip's folders and plan the clips that can be encoded."""
    fps = _measure_fps(root, clips)
    prepared: list[PreparedClip] = []
    for clip in clips:
        if fps is None:
            finding = Finding(
                clip=clip.name,
                code="no-frame-rate",
                message=f"clip {clip.name}: no readable meta.json at its start "
                f"({second_folder(int(clip.position_seconds))}) to derive the frame rate from",
                blocking=True,
            )
            prepared.append(_blocked(clip, manifest, (finding,)))
            continue
        seconds = clip_seconds(clip.in_index, clip.out_index, fps)
        states = [_read_folder(root, second) for second in seconds]
        layout = plan_layout(clip, fps, states, options.window_seconds, allow_partial)
        findings = list(layout.findings)
        chunks = [Path(p) for p in chunk_paths(root, layout, states)]

        tile_facts: MediaFacts | None = None
        if chunks:
            probed = probe_media(chunks[0])
            if isinstance(probed, Failure):
                findings.append(
                    Finding(clip.name, "chunk-unreadable", probed.failure().message, True)
                )
            elif probed.unwrap().video_stream_count != TILE_COUNT:
                count = probed.unwrap().video_stream_count
                findings.append(
                    Finding(
                        clip.name,
                        "not-quad-tile",
                        f"clip {clip.name}: {chunks[0]} has {count} video streams, expected "
                        f"{TILE_COUNT} tiles",
                        True,
                    )
                )
            else:
                tile_facts = probed.unwrap()
        if tile_facts is None or any(f.blocking for f in findings):
            prepared.append(_blocked(clip, manifest, tuple(findings)))
            continue

        paths = clip_output_paths(output_dir, clip.name, fs.random_token())
        concat_path = output_dir / concat_list_name(clip.name)
        concat_text = render_concat_list(chunks)
        width, height = options.width - options.width % 2, options.height - options.height % 2
        chosen = select_encoder(ffmpeg.path, candidates, width, height, "yuv420p")
        if isinstance(chosen, Failure):
            return chosen

        plan_with = _planner(
            ffmpeg=str(ffmpeg.path),
            layout=layout,
            concat_path=concat_path,
            concat_text=concat_text,
            manifest_path=manifest,
            options=options,
            hw_decode=hw_decode,
            paths=paths,
        )
        choice = chosen.unwrap()
        prepared.append(
            PreparedClip(
                ClipSource(clip.name, (manifest, *chunks)),
                tile_facts,
                0,
                tuple(findings),
                plan_with(choice),
                choice,
                plan_with,
            )
        )
    return Success(prepared)

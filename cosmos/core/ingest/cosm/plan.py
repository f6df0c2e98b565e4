"""The FFmpeg plan of one COSM clip: concat the chunks, stitch the four tiles, trim, encode."""

from __future__ import annotations

from pathlib import Path

from cosmos.core.encode.policy import SOFTWARE_ENCODER, EncoderChoice, encoder_setup, libx264_preset
from cosmos.core.ffmpeg.paths import file_url
from cosmos.core.ingest.adapter import ClipSource
from cosmos.core.ingest.cosm.layout import ClipLayout
from cosmos.core.ingest.options import ResolvedIngest
from cosmos.core.ingest.plan import (
    ClipPlan,
    OutputPaths,
    global_args,
    output_args,
    video_encode_args,
)

# Each tile repeats this many pixels of its neighbours along its inner edges.
TILE_OVERLAP = 32
# (stream, x offset, y offset) of each tile's crop: top-left, top-right, bottom-left,
# bottom-right. The offsets drop the overlap band on the inner edges.
_TILES = (
    ("tl", 0, 0, 0),
    ("tr", 1, TILE_OVERLAP, 0),
    ("bl", 2, 0, TILE_OVERLAP),
    ("br", 3, TILE_OVERLAP, TILE_OVERLAP),
)


def stitched_size(tile_width: int, tile_height: int) -> tuple[int, int]:
    """Return the size of the panorama four ``tile_width`` x ``tile_height`` tiles make."""
    return 2 * (tile_width - TILE_OVERLAP), 2 * (tile_height - TILE_OVERLAP)


def build_stitch_filtergraph(
    layout: ClipLayout, width: int, height: int, scale_filter: str, encoder: str
) -> str:
    """Build the ``-filter_complex`` graph: crop each tile, stack, trim to the clip, scale.

    ``trim`` counts frames of the stitched stream, which starts at the first frame of the first
    usable folder, so ``start_frame`` and ``end_frame`` select exactly the clip's frames.
    """
    crops = [
        f"[0:v:{stream}]crop=iw-{TILE_OVERLAP}:ih-{TILE_OVERLAP}:{x}:{y}[{name}]"
        for name, stream, x, y in _TILES
    ]
    end_frame = layout.start_frame + layout.frame_count
    steps = [
        *crops,
        "[tl][tr]hstack=inputs=2[top]",
        "[bl][br]hstack=inputs=2[bottom]",
        "[top][bottom]vstack=inputs=2[stitched]",
        f"[stitched]trim=start_frame={layout.start_frame}:end_frame={end_frame},"
        f"setpts=PTS-STARTPTS,scale={width}:{height}:flags={scale_filter},setsar=1,"
        f"{encoder_setup(encoder).filter_tail}[out]",
    ]
    return ";".join(steps)


def build_cosm_clip_plan(
    *,
    ffmpeg: str,
    layout: ClipLayout,
    concat_path: Path,
    concat_text: str,
    manifest_path: Path,
    options: ResolvedIngest,
    choice: EncoderChoice,
    hw_decode: str | None,
    paths: OutputPaths,
) -> ClipPlan:
    """Build the plan of one COSM clip, scaled to exactly ``width`` x ``height``."""
    encoder = choice.encoder
    width, height = options.width - options.width % 2, options.height - options.height % 2
    filtergraph = build_stitch_filtergraph(layout, width, height, options.scale_filter, encoder)
    preset = None
    if encoder == SOFTWARE_ENCODER:
        preset = libx264_preset(options.quality_mode, options.profile)

    argv: list[str] = [ffmpeg, "-hide_banner", "-nostdin", "-y"]
    argv += global_args(encoder, options, hw_decode)
    argv += ["-f", "concat", "-safe", "0", "-i", file_url(concat_path)]
    argv += ["-filter_complex", filtergraph, "-map", "[out]", "-an"]
    argv += video_encode_args(encoder, options)
    argv += output_args(paths.temporary)

    clip = layout.clip
    epoch_ms: tuple[int, int] | None = None
    if clip.epoch_seconds is not None:
        start_ms = round(clip.epoch_seconds * 1000)
        epoch_ms = (
            start_ms,
            start_ms + round((layout.out_index - clip.in_index) * 1000 / layout.fps),
        )
    return ClipPlan(
        clip=ClipSource(name=clip.name, inputs=(manifest_path,)),
        paths=paths,
        argv=tuple(argv),
        filtergraph=filtergraph,
        encoder=encoder,
        crf=options.crf,
        preset=preset,
        width=width,
        height=height,
        expected_duration_seconds=layout.frame_count / layout.fps,
        expected_frames=layout.frame_count,
        session_frames=(clip.in_index, layout.out_index),
        epoch_ms=epoch_ms,
        concat_path=concat_path,
        concat_text=concat_text,
        source_file=manifest_path,
    )

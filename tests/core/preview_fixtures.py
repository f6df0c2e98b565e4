"""Fixed clips, indices and views for the pure preview tests."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from cosmos.core.crop.geometry import crop_geometry
from cosmos.core.crop.jobs import AnyCropJob
from cosmos.core.crop.plan import TrimWindow
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.preview.plan import PreviewSource
from cosmos.core.preview.views import PreviewView
from tests.core.test_geometry import make_facts

TICKS_PER_FRAME = 512  # 25 fps in a 1/12800 time base


def make_index(frame_count: int = 50, last_frame_ticks: int = TICKS_PER_FRAME) -> PacketIndex:
    """Index a 25 fps clip of ``frame_count`` frames; frame ``k`` starts at ``k / 25`` s."""
    return PacketIndex(
        time_base=Fraction(1, 12800),
        pts=tuple(k * TICKS_PER_FRAME for k in range(frame_count)),
        keyframe_positions=(0,),
        last_frame_ticks=last_frame_ticks,
        format_start_seconds=0.0,
    )


def make_source(width: int = 1280, height: int = 720, frame_count: int = 50) -> PreviewSource:
    return PreviewSource(
        path=Path("clips/clip.mp4"),
        resolved=Path("/data/clips/clip.mp4"),
        sha256=None,
        size_bytes=123456,
        facts=make_facts(width, height, frame_count=frame_count),
        index=make_index(frame_count),
    )


def make_view(
    number: int,
    job: AnyCropJob,
    *,
    width: int = 1280,
    height: int = 720,
    trim: TrimWindow | None = None,
) -> PreviewView:
    geometry = crop_geometry(job, width, height, chroma_420=True).unwrap()
    window = trim or TrimWindow(seek_seconds=None, frame_count=None, first_index=0)
    return PreviewView(number, number - 1, job, geometry, window)

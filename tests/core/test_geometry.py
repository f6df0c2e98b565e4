"""Output size of generic-media clips."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from cosmos.core.ingest.geometry import display_size, fit_inside
from cosmos.core.model.media import MediaFacts, VideoProbe


def make_facts(
    width: int,
    height: int,
    *,
    rotation: int = 0,
    sar: Fraction | None = None,
    audio_codec: str | None = None,
    duration: float | None = 2.0,
    fps: float | None = 25.0,
    frame_count: int | None = 50,
) -> MediaFacts:
    """Build the facts a probe of a ``width`` x ``height`` (stored) H.264 file would return."""
    swapped = rotation in (90, 270)
    return MediaFacts(
        probe=VideoProbe(
            source_path=Path("/in/clip.mp4"),
            width=height if swapped else width,
            height=width if swapped else height,
            duration_seconds=duration,
            fps=fps,
            frame_count=frame_count,
            codec_name="h264",
            codec_long_name="H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10",
            format_name="mov,mp4,m4a,3gp,3g2,mj2",
        ),
        stored_width=width,
        stored_height=height,
        rotation_degrees=rotation,
        frame_rate=Fraction(25) if fps is not None else None,
        time_base=Fraction(1, 12800),
        sample_aspect_ratio=sar,
        pix_fmt="yuv420p",
        color_space=None,
        audio_codec=audio_codec,
        audio_stream_count=1 if audio_codec else 0,
    )


# (display size, box size, allow upscale, expected output size)
FIT_CASES: list[tuple[tuple[float, float], tuple[int, int], bool, tuple[int, int]]] = [
    ((1280, 720), (3840, 2160), False, (1280, 720)),
    ((3840, 2160), (3840, 2160), False, (3840, 2160)),
    ((3840, 2160), (1920, 1080), False, (1920, 1080)),
    ((3840, 2160), (1920, 1920), False, (1920, 1080)),
    ((1920, 1080), (1280, 1280), False, (1280, 720)),
    ((1080, 1920), (1920, 1080), False, (608, 1080)),
    ((321, 241), (3840, 2160), False, (320, 240)),
    ((641, 481), (320, 320), False, (320, 240)),
    ((640, 480), (1920, 1080), True, (1440, 1080)),
    ((640, 360), (1920, 1080), True, (1920, 1080)),
    ((640, 272), (3840, 2160), False, (640, 272)),
    ((192.5, 144), (3840, 2160), False, (192, 144)),
    ((4000, 10), (1920, 1080), False, (1920, 4)),
]


@pytest.mark.parametrize(
    ("display", "box", "upscale", "expected"),
    FIT_CASES,
    ids=[
        "smaller-kept",
        "equal-kept",
        "4k-into-1080p",
        "4k-into-square",
        "1080p-into-square",
        "portrait-into-landscape",
        "odd-rounded-down",
        "odd-downscaled",
        "upscale-limited-by-height",
        "upscale-fills-box",
        "bikes-kept",
        "non-square-pixels",
        "very-wide",
    ],
)
def test_fit_inside(
    display: tuple[float, float], box: tuple[int, int], upscale: bool, expected: tuple[int, int]
) -> None:
    assert fit_inside(*display, *box, allow_upscale=upscale) == expected


@pytest.mark.parametrize(
    ("width", "height", "box"),
    [(1919, 1079, (3840, 2160)), (3840, 2160, (1001, 999)), (7, 5, (16, 16)), (999, 3, (640, 480))],
)
def test_fit_inside_even_and_inside(width: int, height: int, box: tuple[int, int]) -> None:
    out_width, out_height = fit_inside(width, height, *box, allow_upscale=False)
    assert out_width % 2 == 0
    assert out_height % 2 == 0
    assert out_width <= box[0]
    assert out_height <= box[1]


def test_fit_inside_keeps_aspect_ratio() -> None:
    out_width, out_height = fit_inside(3840, 1634, 1920, 1080, allow_upscale=False)
    assert out_width == 1920
    assert abs(out_width / out_height - 3840 / 1634) < 0.01


def test_display_size_rotated() -> None:
    assert display_size(make_facts(1920, 1080, rotation=90)) == (1080, 1920)


def test_display_size_upside_down() -> None:
    assert display_size(make_facts(1920, 1080, rotation=180)) == (1920, 1080)


def test_display_size_sample_aspect_ratio() -> None:
    width, height = display_size(make_facts(176, 144, sar=Fraction(128, 117)))
    assert width == pytest.approx(176 * 128 / 117)
    assert height == 144


def test_fit_inside_rotated_source() -> None:
    size = fit_inside(
        *display_size(make_facts(1920, 1080, rotation=90)), 3840, 2160, allow_upscale=False
    )
    assert size == (1080, 1920)


def test_fit_inside_rotated_into_small_box() -> None:
    size = fit_inside(
        *display_size(make_facts(1920, 1080, rotation=270)), 1280, 720, allow_upscale=False
    )
    assert size == (404, 720)

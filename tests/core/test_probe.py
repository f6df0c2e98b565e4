"""ffprobe argv and the parser of its JSON output."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from returns.pipeline import is_successful

from cosmos.core.errors import ProbeFailed
from cosmos.core.ffmpeg.probe import (
    build_ffprobe_argv,
    parse_ffprobe_json,
    parse_positive_float,
    parse_ratio,
    parse_video_index,
)
from cosmos.core.model.media import MediaFacts

SOURCE = Path("/data/clip one.mp4")


def _video_stream(**fields: object) -> dict[str, object]:
    stream: dict[str, object] = {
        "index": 0,
        "codec_type": "video",
        "codec_name": "h264",
        "codec_long_name": "H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10",
        "width": 1920,
        "height": 1080,
        "avg_frame_rate": "30000/1001",
        "r_frame_rate": "30000/1001",
        "duration": "2.002000",
        "nb_frames": "60",
        "pix_fmt": "yuv420p",
        "color_space": "bt709",
        "sample_aspect_ratio": "1:1",
        "time_base": "1/30000",
    }
    stream.update(fields)
    return stream


def _output(*streams: dict[str, object], fmt: dict[str, object] | None = None) -> bytes:
    document = {
        "programs": [],
        "streams": list(streams),
        "format": fmt if fmt is not None else {"duration": "2.010000", "format_name": "mp4"},
    }
    return json.dumps(document).encode()


def _facts(output: bytes) -> MediaFacts:
    result = parse_ffprobe_json(SOURCE, output)
    assert is_successful(result), result
    return result.unwrap()


def _failure(output: bytes) -> ProbeFailed:
    result = parse_ffprobe_json(SOURCE, output)
    assert not is_successful(result), result
    return result.failure()


def test_argv_reads_file_url() -> None:
    argv = build_ffprobe_argv("ffprobe", SOURCE)
    assert argv[0] == "ffprobe"
    assert argv[-1] == "file:/data/clip one.mp4"
    assert "json" in argv


def test_parse_plain_stream() -> None:
    facts = _facts(_output(_video_stream()))
    assert facts.probe.source_path == SOURCE
    assert (facts.probe.width, facts.probe.height) == (1920, 1080)
    assert facts.probe.duration_seconds == pytest.approx(2.002)
    assert facts.probe.fps == pytest.approx(30000 / 1001)
    assert facts.probe.frame_count == 60
    assert facts.probe.codec_name == "h264"
    assert facts.probe.format_name == "mp4"
    assert facts.frame_rate == Fraction(30000, 1001)
    assert facts.time_base == Fraction(1, 30000)
    assert facts.pix_fmt == "yuv420p"
    assert facts.color_space == "bt709"
    assert facts.rotation_degrees == 0
    assert not facts.has_audio


# (stream fields, clockwise rotation, displayed width, displayed height)
ROTATION_CASES = [
    ({"side_data_list": [{"rotation": -90}]}, 90, 1080, 1920),
    ({"side_data_list": [{"rotation": 90}]}, 270, 1080, 1920),
    ({"side_data_list": [{"rotation": 180}]}, 180, 1920, 1080),
    ({"side_data_list": [{"rotation": -90.0}]}, 90, 1080, 1920),
    ({"tags": {"rotate": "90"}}, 90, 1080, 1920),
    ({"tags": {"rotate": "270"}}, 270, 1080, 1920),
    ({"tags": {"rotate": "sideways"}}, 0, 1920, 1080),
    ({"side_data_list": [{}, {"rotation": -90}]}, 90, 1080, 1920),
    ({"side_data_list": [{"rotation": 0}], "tags": {"rotate": "90"}}, 0, 1920, 1080),
]


@pytest.mark.parametrize(
    ("fields", "rotation", "width", "height"),
    ROTATION_CASES,
    ids=[
        "side-data-minus-90",
        "side-data-plus-90",
        "side-data-180",
        "side-data-float",
        "tag-90",
        "tag-270",
        "tag-garbage",
        "side-data-second-entry",
        "side-data-wins-over-tag",
    ],
)
def test_parse_rotation(fields: dict[str, object], rotation: int, width: int, height: int) -> None:
    facts = _facts(_output(_video_stream(**fields)))
    assert facts.rotation_degrees == rotation
    assert (facts.probe.width, facts.probe.height) == (width, height)
    assert (facts.stored_width, facts.stored_height) == (1920, 1080)


@pytest.mark.parametrize("value", ["N/A", "0.000000", "0", "-1.5", "nan", "inf", None])
def test_parse_duration_unusable(value: str | None) -> None:
    facts = _facts(
        _output(_video_stream(duration=value), fmt={"duration": value, "format_name": "mp4"})
    )
    assert facts.probe.duration_seconds is None


def test_parse_duration_falls_back_to_format() -> None:
    facts = _facts(_output(_video_stream(duration="N/A")))
    assert facts.probe.duration_seconds == pytest.approx(2.01)


def test_parse_without_format_block() -> None:
    document = {"streams": [_video_stream(duration="N/A")]}
    facts = _facts(json.dumps(document).encode())
    assert facts.probe.duration_seconds is None
    assert facts.probe.format_name is None


@pytest.mark.parametrize("value", ["N/A", "0", "-3", "many"])
def test_parse_frame_count_unusable(value: str) -> None:
    facts = _facts(_output(_video_stream(nb_frames=value)))
    assert facts.probe.frame_count is None


def test_parse_fps_falls_back_to_base_rate() -> None:
    facts = _facts(_output(_video_stream(avg_frame_rate="0/0", r_frame_rate="25/1")))
    assert facts.probe.fps == 25.0


def test_parse_fps_unknown() -> None:
    facts = _facts(_output(_video_stream(avg_frame_rate="0/0", r_frame_rate="N/A")))
    assert facts.probe.fps is None
    assert facts.frame_rate is None


def test_parse_audio_streams() -> None:
    audio = {"index": 1, "codec_type": "audio", "codec_name": "aac"}
    second = {"index": 2, "codec_type": "audio", "codec_name": "pcm_s16le"}
    facts = _facts(_output(_video_stream(), audio, second))
    assert facts.has_audio
    assert facts.audio_codec == "aac"
    assert facts.audio_stream_count == 2


def test_parse_first_video_stream() -> None:
    cover = _video_stream(index=1, width=320, height=240)
    facts = _facts(_output({"index": 0, "codec_type": "audio"}, _video_stream(), cover))
    assert (facts.probe.width, facts.probe.height) == (1920, 1080)


def test_parse_sample_aspect_ratio() -> None:
    facts = _facts(_output(_video_stream(sample_aspect_ratio="128:117")))
    assert facts.sample_aspect_ratio == Fraction(128, 117)


def test_parse_missing_video_stream() -> None:
    error = _failure(_output({"index": 0, "codec_type": "audio", "codec_name": "aac"}))
    assert "no video stream" in error.message
    assert str(SOURCE) in error.message


def test_parse_no_streams() -> None:
    error = _failure(b"{}")
    assert "no video stream" in error.message


@pytest.mark.parametrize(
    ("width", "height"), [(0, 1080), (1920, 0), (None, 1080), (-16, 1080)], ids=str
)
def test_parse_bad_dimensions(width: int | None, height: int | None) -> None:
    error = _failure(_output(_video_stream(width=width, height=height)))
    assert "no usable dimensions" in error.message
    assert f"width={width}" in error.message
    assert str(SOURCE) in error.message


@pytest.mark.parametrize(
    "output",
    [b"", b"not json", b'{"streams": [', b'{"streams": [{"width": "wide"}]}', b"[1, 2]"],
    ids=["empty", "text", "truncated", "wrong-type", "array"],
)
def test_parse_garbage(output: bytes) -> None:
    error = _failure(output)
    assert "cannot parse" in error.message
    assert str(SOURCE) in error.message
    assert error.path == str(SOURCE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30000/1001", Fraction(30000, 1001)),
        ("1:1", Fraction(1)),
        ("25", Fraction(25)),
        ("0/0", None),
        ("0:1", None),
        ("-1/2", None),
        ("N/A", None),
        ("", None),
        (None, None),
    ],
)
def test_ratio(text: str | None, expected: Fraction | None) -> None:
    assert parse_ratio(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2.5", 2.5), ("N/A", None), ("0", None), ("-2", None), ("inf", None), (None, None)],
)
def test_positive_float(text: str | None, expected: float | None) -> None:
    assert parse_positive_float(text) == expected


def _packet_listing(declared: str, file_size: str, last_end: int) -> bytes:
    """Three listed packets of 100 bytes at offsets 1000, 1100 and 1200, the last one cut so
    that it ends at ``last_end``."""
    packets = [
        {"pts": pts, "duration": 1000, "flags": flags, "pos": str(pos), "size": str(size)}
        for pts, flags, pos, size in (
            (0, "K_", 1000, 100),
            (2000, "__", 1200, last_end - 1200),
            (1000, "__", 1100, 100),
        )
    ]
    document = json.loads(_output(_video_stream(nb_frames=declared), fmt={"size": file_size}))
    document["packets"] = packets
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("declared", "file_size", "last_end", "frames"),
    [
        ("60", "1250", 1250, 2),  # truncated in the last packet: it is left out
        ("3", "1300", 1300, 3),  # complete: every declared frame is listed
        ("60", "1400", 1300, 3),  # truncated after the last video packet
    ],
    ids=["cut-packet", "complete", "cut-elsewhere"],
)
def test_index_drops_cut_packet(declared: str, file_size: str, last_end: int, frames: int) -> None:
    result = parse_video_index(SOURCE, _packet_listing(declared, file_size, last_end))
    assert is_successful(result), result
    _, index = result.unwrap()
    assert index.frame_count == frames
    assert index.pts[:2] == (0, 1000)

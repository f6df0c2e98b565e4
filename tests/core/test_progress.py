"""Parser of FFmpeg's ``-progress`` output."""

from __future__ import annotations

import pytest

from cosmos.core.ffmpeg.progress import ProgressBlock, ProgressParser, progress_line_handler

# Two blocks as FFmpeg 5.1 prints them with ``-progress pipe:1 -nostats``.
FFMPEG_PROGRESS = """\
frame=1
fps=0.00
stream_0_0_q=0.0
bitrate=N/A
total_size=48
out_time_us=0
out_time_ms=0
out_time=00:00:00.000000
dup_frames=0
drop_frames=0
speed=N/A
progress=continue
frame=5
fps=12.50
stream_0_0_q=-1.0
bitrate= 343.7kbits/s
total_size=3440
out_time_us=80078
out_time_ms=80078
out_time=00:00:00.080078
dup_frames=0
drop_frames=0
speed=10.6x
progress=end
"""


def _blocks(text: str) -> list[ProgressBlock]:
    parser = ProgressParser()
    blocks = [parser.feed(line) for line in text.splitlines(keepends=True)]
    return [block for block in blocks if block is not None]


def test_progress_blocks() -> None:
    assert _blocks(FFMPEG_PROGRESS) == [
        ProgressBlock(frame=1, fps=0.0, out_time_seconds=0.0, finished=False),
        ProgressBlock(frame=5, fps=12.5, out_time_seconds=0.080078, finished=True),
    ]


def test_line_handler_passes_blocks() -> None:
    received: list[ProgressBlock] = []
    on_line = progress_line_handler(received.append)
    for line in FFMPEG_PROGRESS.splitlines(keepends=True):
        on_line(line)
    assert received == _blocks(FFMPEG_PROGRESS)
    assert len(received) == 2


def test_progress_only_at_block_end() -> None:
    parser = ProgressParser()
    assert parser.feed("frame=3\n") is None
    assert parser.feed("out_time_us=1000000\n") is None


def test_progress_fields_reset_between_blocks() -> None:
    (first, second) = _blocks("frame=7\nprogress=continue\nfps=3\nprogress=continue\n")
    assert first.frame == 7
    assert second.frame is None


@pytest.mark.parametrize(
    "text",
    ["frame=N/A\nfps=N/A\nout_time_us=N/A\nprogress=continue\n", "progress=continue\n"],
    ids=["not-available", "empty-block"],
)
def test_progress_unknown_values(text: str) -> None:
    (block,) = _blocks(text)
    assert block == ProgressBlock(frame=None, fps=None, out_time_seconds=None, finished=False)


def test_progress_negative_time() -> None:
    (block,) = _blocks("out_time_us=-9223372036854775807\nprogress=continue\n")
    assert block.out_time_seconds is None


def test_progress_ignores_other_lines() -> None:
    (block,) = _blocks("garbage without equals\n\nframe=2\nprogress=end\n")
    assert block.frame == 2
    assert block.finished

"""Encode the benchmark clips once into the benchmark cache.

The clips are FFmpeg ``testsrc2`` patterns encoded with libx264 ``-preset veryfast`` (which
uses B-frames and CABAC, like typical camera and web H.264) and ``-sc_threshold 0``, so a keyframe
starts every GOP exactly. The cache is ``$COSMOS_BENCH_CACHE`` or ``<repo>/.cache/bench``, and a
clip whose file already exists is not encoded again. Run ``python -m benchmarks.media`` to
encode them ahead of a benchmark run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
X264_PRESET = "veryfast"


@dataclass(frozen=True, slots=True)
class BenchClip:
    """An H.264 MP4 of ``testsrc2``: size in pixels, rate in frames per second, length in seconds,
    and ``gop`` frames from one keyframe to the next."""

    width: int
    height: int
    fps: int
    seconds: int
    gop: int

    @property
    def frame_count(self) -> int:
        return self.fps * self.seconds

    @property
    def file_name(self) -> str:
        return (
            f"testsrc2_{self.width}x{self.height}_{self.fps}fps_{self.seconds}s_gop{self.gop}_"
            f"x264-{X264_PRESET}.mp4"
        )


CLIP_1080P = BenchClip(width=1920, height=1080, fps=30, seconds=60, gop=60)
CLIP_4K = BenchClip(width=3840, height=2160, fps=30, seconds=20, gop=250)
ALL_CLIPS = (CLIP_1080P, CLIP_4K)


def bench_cache() -> Path:
    """Return the folder that contains the encoded clips."""
    configured = os.environ.get("COSMOS_BENCH_CACHE")
    return Path(configured).expanduser() if configured else REPO_ROOT / ".cache" / "bench"


def ffmpeg_path() -> str:
    """Return the ``ffmpeg`` on ``PATH``; the references and the encoder both use it."""
    found = shutil.which("ffmpeg")
    if found is None:
        raise SystemExit("ffmpeg not found on PATH; install FFmpeg (5.1 or later) and retry")
    return found


def encode_argv(clip: BenchClip, output: Path) -> list[str]:
    """Build the ffmpeg argv that encodes ``clip`` into ``output``."""
    source = f"testsrc2=size={clip.width}x{clip.height}:rate={clip.fps}:duration={clip.seconds}"
    return [
        ffmpeg_path(),
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        source,
        "-c:v",
        "libx264",
        "-preset",
        X264_PRESET,
        "-g",
        str(clip.gop),
        "-sc_threshold",
        "0",
        "-pix_fmt",
        "yuv420p",
        "-an",
        "-f",
        "mp4",
        str(output),
    ]


def ensure_clip(clip: BenchClip) -> Path:
    """Return the path of ``clip`` in the cache, encoding it first when it is missing."""
    path = bench_cache() / clip.file_name
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    argv = encode_argv(clip, partial)
    print(f"encoding {path.name} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    subprocess.run(argv, check=True)  # noqa: S603 (an argv list built above)
    partial.replace(path)
    print(f"encoded {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def main() -> None:
    for clip in ALL_CLIPS:
        print(ensure_clip(clip))


if __name__ == "__main__":
    main()

"""Generate synthetic COSM C360 sessions for tests, benchmarks and the demo.

A scene is rendered at the stitched size with FFmpeg's ``testsrc2`` plus a strip of binary blocks
that encodes the session frame index, cut into the four overlapping tiles exactly as the camera
stores them (tiles of ``w x h`` at x offsets ``0`` and ``w-64`` and y offsets ``0`` and ``h-64``),
and muxed as four video streams per MPEG-TS chunk. Chunks go into one folder per second
(``<h>H/<m>M/<s>S/``) with a ``meta.json``, and a manifest XML lists the clips. Only the seconds
around the clips are materialized, so a session can reach past one hour cheaply.

Run ``python -m tools.cosm_session OUT_DIR`` for the demo session.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

OVERLAP = 32
CODE_BITS = 20


@dataclass(frozen=True)
class SessionClip:
    """A clip of the manifest: session frames ``[in_index, out_index)``."""

    name: str
    in_index: int
    out_index: int


@dataclass(frozen=True)
class SessionSpec:
    """Description of a session to generate. ``seconds`` are the session seconds to write
    (default: the seconds the clips touch). ``skip_seconds`` are left out, as missing folders."""

    fps: int = 30
    tile_width: int = 320
    tile_height: int = 180
    clips: Sequence[SessionClip] = ()
    seconds: Sequence[int] | None = None
    skip_seconds: Sequence[int] = ()
    chunks_per_second: int = 3
    epoch_seconds: float = 1723559236.0
    session_name: str = "SESSION"
    corrupt_meta_seconds: Sequence[int] = field(default_factory=tuple)
    # x264 CRF of the tiles; ``None`` stores them losslessly (``-qp 0``), which tests compare
    # pixel by pixel. Benchmarks of long sessions use a CRF to keep the files small.
    tile_crf: int | None = None

    @property
    def stitched_size(self) -> tuple[int, int]:
        return 2 * (self.tile_width - OVERLAP), 2 * (self.tile_height - OVERLAP)


def second_folder(second: int) -> str:
    return f"{second // 3600}H/{second % 3600 // 60}M/{second % 60}S"


def code_block_size(width: int) -> int:
    """Side in pixels of one bit block of the frame-index strip in a scene ``width`` wide."""
    return max(4, width // (CODE_BITS + 4))


def scene_filter(spec: SessionSpec, first_index: int, width: int, height: int) -> str:
    """Build the lavfi graph of the scene starting at session frame ``first_index``.

    Bit ``k`` of the session index is a white block (else black) at ``x = (k + 2) * block``,
    ``y = height / 2 - block / 2``.
    """
    block = code_block_size(width)
    y = height // 2 - block // 2
    steps = [
        f"testsrc2=size={width}x{height}:rate={spec.fps}",
        f"drawbox=x={block}:y={y - 2}:w={(CODE_BITS + 2) * block}:h={block + 4}:color=black:t=fill",
    ]
    for bit in range(CODE_BITS):
        enable = f"gte(mod(floor((n+{first_index})/{2**bit}),2),1)"
        steps.append(
            f"drawbox=x={(bit + 2) * block}:y={y}:w={block}:h={block}:color=white:t=fill:"
            f"enable='{enable}'"
        )
    steps.append("format=yuv420p")
    return ",".join(steps)


def read_frame_index(rgb24: bytes, width: int, height: int, scene_width: int) -> int:
    """Decode the session index from the bit strip of a frame scaled from a scene
    ``scene_width`` pixels wide to ``width`` x ``height``."""
    block = code_block_size(scene_width)
    scale = width / scene_width
    y = height // 2
    value = 0
    for bit in range(CODE_BITS):
        x = round(((bit + 2) * block + block / 2) * scale)
        offset = (y * width + x) * 3
        luma = sum(rgb24[offset : offset + 3]) / 3
        if luma > 128:
            value |= 1 << bit
    return value


def _run(argv: list[str]) -> None:
    completed = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise RuntimeError(f"ffmpeg failed ({completed.returncode}): {completed.stderr[-2000:]}")


def _contiguous_runs(seconds: Sequence[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for second in sorted(set(seconds)):
        if runs and second == runs[-1][1]:
            runs[-1] = (runs[-1][0], second + 1)
        else:
            runs.append((second, second + 1))
    return runs


def _write_run(spec: SessionSpec, root: Path, first_second: int, end_second: int) -> None:
    width, height = spec.stitched_size
    tw, th = spec.tile_width, spec.tile_height
    frames = (end_second - first_second) * spec.fps
    chunk_frames = spec.fps // spec.chunks_per_second
    first_index = first_second * spec.fps
    tiles = (
        f"split=4[a][b][c][d];[a]crop={tw}:{th}:0:0[t0];[b]crop={tw}:{th}:{tw - 64}:0[t1];"
        f"[c]crop={tw}:{th}:0:{th - 64}[t2];[d]crop={tw}:{th}:{tw - 64}:{th - 64}[t3]"
    )
    split_frames = ",".join(str(k) for k in range(chunk_frames, frames, chunk_frames))
    with tempfile.TemporaryDirectory(prefix="cosm-gen-") as scratch:
        pattern = Path(scratch) / "seg_%06d.ts"
        argv = [
            "ffmpeg",
            "-hide_banner",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            scene_filter(spec, first_index, width, height),
            "-frames:v",
            str(frames),
            "-filter_complex",
            f"[0:v]{tiles}",
            "-map",
            "[t0]",
            "-map",
            "[t1]",
            "-map",
            "[t2]",
            "-map",
            "[t3]",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-qp",
            "0",
            "-bf",
            "0",
            "-g",
            str(chunk_frames),
            "-keyint_min",
            str(chunk_frames),
            "-sc_threshold",
            "0",
            "-output_ts_offset",
            str(first_second),
            "-f",
            "segment",
            "-segment_format",
            "mpegts",
            "-reset_timestamps",
            "0",
        ]
        if split_frames:
            argv += ["-segment_frames", split_frames]
        else:
            argv += ["-segment_time", "3600"]
        _run([*argv, str(pattern)])

        segments = sorted(Path(scratch).glob("seg_*.ts"))
        for number, segment in enumerate(segments):
            session_frame = first_index + number * chunk_frames
            second = session_frame // spec.fps
            chunk_number = first_second * spec.chunks_per_second + number
            if second in spec.skip_seconds:
                continue
            folder = root / second_folder(second)
            folder.mkdir(parents=True, exist_ok=True)
            shutil.move(str(segment), folder / f"{chunk_number}.ts")

    for second in range(first_second, end_second):
        folder = root / second_folder(second)
        if second in spec.skip_seconds or not folder.is_dir():
            continue
        meta_path = folder / "meta.json"
        if second in spec.corrupt_meta_seconds:
            meta_path.write_text('{"Time": {"x0": 17235', encoding="utf-8")
            continue
        meta = {
            "Time": {
                "x0": spec.epoch_seconds + second,
                "xi-x0": [round(i / spec.fps, 6) for i in range(spec.fps)],
            }
        }
        meta_path.write_text(json.dumps(meta), encoding="utf-8")


def _position(in_index: int, fps: int) -> str:
    seconds = in_index / fps
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{int(hours)}H/{int(minutes)}M/{secs:.13g}S/"


def write_manifest(spec: SessionSpec, root: Path, num_dirs: int) -> Path:
    """Write ``<session_name>.xml`` with one element per clip, as the camera does."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<Clip_Manifest NumDirs="{num_dirs}">']
    for number, clip in enumerate(spec.clips, start=1):
        epoch = spec.epoch_seconds + clip.in_index / spec.fps
        local = datetime.fromtimestamp(epoch, UTC).strftime("%H:%M:%S.%f")[:-3]
        date = datetime.fromtimestamp(epoch, UTC).strftime("%m/%d/%Y")
        position = _position(clip.in_index, spec.fps)
        lines.append(
            f'  <_{number} Name="{clip.name}" InIdx="{clip.in_index}" OutIdx="{clip.out_index}" '
            f'InStr="{local} {date}" Epoch="{epoch:.3f}" Pos="{position}" '
            f'In="0" Out="0" Locked="0"/>'
        )
    lines.append("</Clip_Manifest>")
    manifest = root / f"{spec.session_name}.xml"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def materialized_seconds(spec: SessionSpec) -> list[int]:
    """Return the session seconds the generator writes (before ``skip_seconds``)."""
    if spec.seconds is not None:
        return sorted(set(spec.seconds))
    return sorted(
        {
            second
            for clip in spec.clips
            for second in range(clip.in_index // spec.fps, (clip.out_index - 1) // spec.fps + 1)
        }
    )


def render_scene_frame(spec: SessionSpec, index: int) -> bytes:
    """Render session frame ``index`` of the scene at the stitched size as packed rgb24.

    ``testsrc2`` moves with its own frame counter, which starts at each materialized run, so the
    frame is rendered from the start of the run that contains it.
    """
    second = index // spec.fps
    runs = _contiguous_runs(materialized_seconds(spec))
    first_second = next(first for first, end in runs if first <= second < end)
    first_index = first_second * spec.fps
    width, height = spec.stitched_size
    argv = [
        "ffmpeg",
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        scene_filter(spec, first_index, width, height),
        "-vf",
        f"select=eq(n\\,{index - first_index})",
        "-frames:v",
        "1",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "pipe:1",
    ]
    completed = subprocess.run(argv, capture_output=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise RuntimeError(f"ffmpeg failed rendering frame {index}: {completed.stderr[-2000:]!r}")
    return completed.stdout


def generate_session(root: Path, spec: SessionSpec) -> Path:
    """Write the session under ``root`` and return the manifest path."""
    root.mkdir(parents=True, exist_ok=True)
    seconds = materialized_seconds(spec)
    for first, end in _contiguous_runs(seconds):
        _write_run(spec, root, first, end)
    return write_manifest(spec, root, num_dirs=max(seconds) + 1 if seconds else 0)


DEMO_SPEC = SessionSpec(
    fps=30,
    tile_width=352,
    tile_height=224,
    clips=(
        SessionClip("CLIP1", 45, 150),
        SessionClip("CLIP2", 1785, 1845),
        SessionClip("CLIP3", 100, 130),
    ),
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.cosm_session",
        description="Write the synthetic COSM demo session (manifest, H/M/S folders, chunks).",
    )
    parser.add_argument(
        "out",
        nargs="?",
        type=Path,
        default=Path(".cache/media/cosm-demo"),
        help="output folder (default: .cache/media/cosm-demo, where the demo looks)",
    )
    arguments = parser.parse_args(argv)
    manifest = generate_session(arguments.out, DEMO_SPEC)
    print(manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

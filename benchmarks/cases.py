"""The benchmark cases: which commands run, and the targets they are checked against.

Every target is a ratio of medians (candidate over reference, both measured in the same session),
except ``import-sdk``, whose limit is in seconds. The targets are the acceptance limits of the
video substrate on a 2-core machine.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from benchmarks.measure import Command
from benchmarks.media import CLIP_4K, CLIP_1080P, BenchClip, ensure_clip, ffmpeg_path

WORKERS = Path(__file__).resolve().parent / "workers"
RANDOM_SEED = 20240601
PROBE_LOOP_COUNT = 50
BACKEND_VARIABLE = "COSMOS_VIDEO_BACKEND"
# Cosmos keeps ffprobe output on disk per unchanged file, so after the warm-up every Cosmos run
# reuses it. The commands labelled "no media cache" show the cost of a file never seen before.
NO_MEDIA_CACHE = {"COSMOS_NO_MEDIA_CACHE": "1"}

Metric = Literal["seconds", "rss"]


@dataclass(frozen=True, slots=True)
class Check:
    """Compare ``candidate`` with ``reference`` (command labels) on ``metric``.

    ``limit`` is the maximum ratio, or the maximum seconds when ``reference`` is ``None``; a
    check with no ``limit`` is reported for information only.
    """

    candidate: str
    reference: str | None
    limit: float | None
    metric: Metric = "seconds"


@dataclass(frozen=True, slots=True)
class Case:
    """A group of commands measured in alternation.

    Every command that prints ``resolved`` must report ``expected_resolved``, the sorted unique
    frame indices it decoded. ``sample_rss`` adds sampled runs for the RSS checks.
    """

    name: str
    summary: str
    commands: tuple[Command, ...]
    checks: tuple[Check, ...]
    expected_resolved: tuple[int, ...] | None = None
    sample_rss: bool = False


def _worker(name: str) -> str:
    return str(WORKERS / name)


def _pyav_reference(path: Path, indices: tuple[int, ...], *, one_pass: bool = False) -> Command:
    label = "raw PyAV one pass" if one_pass else "raw PyAV"
    flags = ("--one-pass",) if one_pass else ()
    return Command(
        label,
        (sys.executable, _worker("pyav_frames.py"), str(path), *flags, *map(str, indices)),
    )


def _cosmos_frames(
    label: str,
    path: Path,
    kind: Literal["index", "time"],
    values: tuple[str, ...],
    backend: str,
    *,
    media_cache: bool = True,
) -> Command:
    """Build a Cosmos worker command; an empty ``backend`` unsets the backend variable."""
    argv = (sys.executable, _worker("cosmos_frames.py"), str(path), kind, *values)
    environment: dict[str, str | None] = {BACKEND_VARIABLE: backend or None}
    if not media_cache:
        environment.update(NO_MEDIA_CACHE)
    return Command(label, argv, environment)


def _index_case(
    name: str,
    summary: str,
    clip: BenchClip,
    indices: tuple[int, ...],
    *,
    default_limit: float | None,
    pyav_limit: float | None,
    extra_commands: tuple[Command, ...] = (),
    extra_checks: tuple[Check, ...] = (),
) -> Case:
    path = ensure_clip(clip)
    values = tuple(map(str, indices))
    commands = (
        _pyav_reference(path, indices),
        _cosmos_frames("cosmos ffmpeg-cli", path, "index", values, ""),
        _cosmos_frames("cosmos pyav", path, "index", values, "pyav"),
        *extra_commands,
    )
    checks = (
        Check("cosmos ffmpeg-cli", "raw PyAV", default_limit),
        Check("cosmos pyav", "raw PyAV", pyav_limit),
        *extra_checks,
        Check("cosmos ffmpeg-cli", "raw PyAV", 1.5, "rss"),
        Check("cosmos pyav", "raw PyAV", 1.5, "rss"),
    )
    return Case(name, summary, commands, checks, tuple(sorted(set(indices))), sample_rss=True)


def _times_case() -> Case:
    path = ensure_clip(CLIP_1080P)
    fps = CLIP_1080P.fps
    indices = (150, 510, 870, 1230, 1590)
    # The middle of each frame's display interval, so the time maps to that index unambiguously.
    times = tuple(repr((index + 0.5) / fps) for index in indices)
    values = tuple(map(str, indices))
    commands = (
        _cosmos_frames("cosmos ffmpeg-cli by index", path, "index", values, ""),
        _cosmos_frames("cosmos ffmpeg-cli by time", path, "time", times, ""),
        _cosmos_frames("cosmos pyav by index", path, "index", values, "pyav"),
        _cosmos_frames("cosmos pyav by time", path, "time", times, "pyav"),
    )
    checks = (
        Check("cosmos ffmpeg-cli by time", "cosmos ffmpeg-cli by index", 1.1),
        Check("cosmos pyav by time", "cosmos pyav by index", 1.1),
    )
    summary = f"5 times on the 1080p clip ({', '.join(f'{float(t):.3f}' for t in times)} s)"
    return Case("times-1080p", summary, commands, checks, indices, sample_rss=False)


def _import_case() -> Case:
    commands = (
        Command("python -c pass", (sys.executable, "-c", "pass")),
        Command("import cosmos.sdk", (sys.executable, "-c", "import cosmos.sdk")),
    )
    checks = (
        Check("python -c pass", None, None),
        Check("import cosmos.sdk", None, 0.1),
    )
    return Case("import-sdk", "python -c 'import cosmos.sdk' as a whole process", commands, checks)


def _probe_case() -> Case:
    path = ensure_clip(CLIP_1080P)
    ffprobe = str(Path(ffmpeg_path()).with_name("ffprobe"))
    entries = "stream=width,height,codec_name,avg_frame_rate,duration,nb_frames"
    probe = (sys.executable, _worker("cosmos_probe.py"), str(path))
    commands = (
        Command("ffprobe", (ffprobe, "-v", "error", "-show_entries", entries, str(path))),
        Command("cosmos probe_video", probe),
        Command("cosmos probe_video, no media cache", probe, NO_MEDIA_CACHE),
    )
    checks = (
        Check("cosmos probe_video", "ffprobe", 1.3),
        Check("cosmos probe_video, no media cache", "ffprobe", None),
    )
    return Case("probe", "one probe of the 1080p clip as a whole process", commands, checks)


def _probe_loop_case() -> Case:
    path = ensure_clip(CLIP_1080P)
    count = str(PROBE_LOOP_COUNT)
    loop = _worker("probe_loop.py")
    commands = (
        Command("PyAV av.open", (sys.executable, loop, "pyav", str(path), count), {}, True),
        Command("cosmos probe_video", (sys.executable, loop, "cosmos", str(path), count), {}, True),
    )
    checks = (Check("cosmos probe_video", "PyAV av.open", 2.0),)
    summary = f"{PROBE_LOOP_COUNT} probes of the unchanged 1080p clip in one process (loop only)"
    return Case("probe-50x", summary, commands, checks)


def build_cases() -> tuple[Case, ...]:
    """Build every case, encoding the clips first when they are missing."""
    clip_1080p = ensure_clip(CLIP_1080P)
    every_10th = tuple(range(0, CLIP_1080P.frame_count, 10))
    full_decode = Command(
        "ffmpeg -f null",
        (ffmpeg_path(), "-nostdin", "-v", "error", "-i", str(clip_1080p), "-f", "null", "-"),
    )
    random_4k = tuple(sorted(random.Random(RANDOM_SEED).sample(range(CLIP_4K.frame_count), 8)))
    # The seeking reference decodes from a keyframe again for targets more than a second apart,
    # which on 250-frame GOPs costs more than one forward pass, so that pass is shown as well.
    one_pass_4k = _pyav_reference(ensure_clip(CLIP_4K), random_4k, one_pass=True)
    return (
        _index_case(
            "sparse-1080p",
            "indices 10, 900, 1750 of the 1080p clip",
            CLIP_1080P,
            (10, 900, 1750),
            default_limit=1.5,
            pyav_limit=1.15,
            extra_commands=(
                _cosmos_frames(
                    "cosmos ffmpeg-cli, no media cache",
                    clip_1080p,
                    "index",
                    ("10", "900", "1750"),
                    "",
                    media_cache=False,
                ),
                _cosmos_frames(
                    "cosmos pyav, no media cache",
                    clip_1080p,
                    "index",
                    ("10", "900", "1750"),
                    "pyav",
                    media_cache=False,
                ),
            ),
            extra_checks=(
                Check("cosmos ffmpeg-cli, no media cache", "raw PyAV", None),
                Check("cosmos pyav, no media cache", "raw PyAV", None),
            ),
        ),
        _index_case(
            "random-4k",
            f"8 random indices of the 4K clip (seed {RANDOM_SEED}: "
            f"{', '.join(map(str, random_4k))})",
            CLIP_4K,
            random_4k,
            default_limit=1.3,
            pyav_limit=None,
            extra_commands=(one_pass_4k,),
            extra_checks=(
                Check("cosmos ffmpeg-cli", one_pass_4k.label, None),
                Check("cosmos pyav", one_pass_4k.label, None),
            ),
        ),
        _index_case(
            "consecutive-1080p",
            "30 consecutive indices 600..629 of the 1080p clip",
            CLIP_1080P,
            tuple(range(600, 630)),
            default_limit=1.3,
            pyav_limit=1.3,
        ),
        _index_case(
            "every-10th-1080p",
            f"every 10th index of the 1080p clip (0..{every_10th[-1]}, {len(every_10th)} frames)",
            CLIP_1080P,
            every_10th,
            default_limit=1.3,
            pyav_limit=1.3,
            extra_commands=(full_decode,),
            extra_checks=(
                Check("cosmos ffmpeg-cli", "ffmpeg -f null", 1.1),
                Check("cosmos pyav", "ffmpeg -f null", 1.1),
            ),
        ),
        _times_case(),
        _import_case(),
        _probe_case(),
        _probe_loop_case(),
    )

"""Benchmark ingest (COSM), crop and optimize against the hand-written FFmpeg command, and the
lineage index over many sidecars.

Usage: ``python -m benchmarks.pipeline [--runs N] [--case NAME ...] [--markdown FILE]
[--cold fadvise|drop-caches]``.

For each media case the reference is the exact FFmpeg argv Cosmos plans (read from a dry run),
without its progress output and writing to a plain file: what a person would type by hand. The
candidate is the whole ``cosmos`` process (interpreter start, probes, encoder probes, hashing,
sidecars and run documents included). Commands run in alternation, ``--runs`` times; the table
lists medians and the ratio candidate over reference.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import Command, run_timed
from benchmarks.media import CLIP_1080P, REPO_ROOT, bench_cache, ensure_clip
from tools.cosm_session import SessionClip, SessionSpec, generate_session

COSMOS = (sys.executable, "-m", "cosmos")
LINEAGE_CLIPS = (3334, 33334)
LINEAGE_MARKER = ".generated"
REMUX_MIN_BYTES = 100_000_000
WORKERS = Path(__file__).resolve().parent / "workers"
SESSION_SPEC = SessionSpec(
    fps=30,
    tile_width=960,
    tile_height=540,
    clips=(SessionClip("MINUTE", 0, 1800),),
    tile_crf=23,
)


@dataclass(frozen=True, slots=True)
class MediaCase:
    """A Cosmos command, the dry-run plan it writes, and the limit on its ratio (``None``:
    shown for information, with no target)."""

    name: str
    summary: str
    cosmos_args: Callable[[Path], list[str]]
    plan_name: str
    limit: float | None
    reference_faststart: bool = True


def _session() -> Path:
    root = bench_cache() / "cosm-minute-960x540"
    if not (root / "SESSION.xml").is_file():
        print(f"generating a 60 s COSM session with 960x540 tiles into {root}", file=sys.stderr)
        generate_session(root, SESSION_SPEC)
    return root


def _remux_source() -> Path:
    """Return a file of just over 100 MB with its moov atom at the end, encoding it once.

    Measured: 26 s of ``testsrc2`` at x264 CRF 8 gave 101,057,355 bytes.
    """
    path = bench_cache() / "remux-26s-crf8.mp4"
    if path.is_file():
        return path
    partial = path.with_name(f".{path.name}.partial.mp4")
    argv = [
        "ffmpeg",
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=1920x1080:rate=30",
        "-t",
        "26",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-crf",
        "8",
        "-pix_fmt",
        "yuv420p",
        str(partial),
    ]
    subprocess.run(argv, check=True)  # noqa: S603
    if partial.stat().st_size < REMUX_MIN_BYTES:
        raise RuntimeError(
            f"{partial} is under {REMUX_MIN_BYTES} bytes; raise -t in the remux source encode"
        )
    partial.rename(path)
    return path


def _cases() -> list[MediaCase]:
    clip = ensure_clip(CLIP_1080P)
    return [
        MediaCase(
            "ingest-cosm",
            "ingest of a 60 s COSM session (960x540 tiles) to 1280x720, throughput profile",
            lambda out: [
                "ingest",
                "run",
                "--input-dir",
                str(_session()),
                "--output-dir",
                str(out),
                "--width",
                "1280",
                "--height",
                "720",
                "--profile",
                "throughput",
            ],
            "cosmos_ingest_dry_run.v1.json",
            1.05,
        ),
        MediaCase(
            "crop-1080p-20s",
            "1080x1080 square crop of 20 s of the 1080p clip",
            lambda out: [
                "crop",
                "run",
                "--input",
                str(clip),
                "--out-dir",
                str(out),
                "--size",
                "1080",
                "--trim-end",
                "20",
            ],
            "cosmos_crop_dry_run.json",
            1.03,
        ),
        MediaCase(
            "transcode-1080p-20s",
            "transcode of the first 20 s of the 1080p clip to 720p (the clip cut to 20 s first)",
            lambda out: [
                "optimize",
                "run",
                "--input",
                str(_first_20s(clip)),
                "--out-dir",
                str(out),
                "--target-height",
                "720",
                "--force",
            ],
            "cosmos_optimize_dry_run.json",
            1.03,
        ),
        MediaCase(
            "remux-100mb",
            "remux of a 101 MB 1080p file with its moov atom at the end, whole `cosmos` process",
            lambda out: [
                "optimize",
                "run",
                "--input",
                str(_remux_source()),
                "--out-dir",
                str(out),
                "--force",
            ],
            "cosmos_optimize_dry_run.json",
            # The 2.5x target applies to remux-100mb-sdk: this row adds about 0.10 s of
            # interpreter start and CLI imports that the bare FFmpeg process does not pay.
            None,
            reference_faststart=False,
        ),
    ]


def _first_20s(clip: Path) -> Path:
    path = bench_cache() / "clip-1080p-20s.mp4"
    if not path.is_file():
        argv = ["ffmpeg", "-v", "error", "-y", "-i", str(clip), "-t", "20", "-c", "copy", str(path)]
        subprocess.run(argv, check=True)  # noqa: S603
    return path


def _reference_argv(plan_path: Path, output: Path, faststart: bool) -> list[str]:
    """Turn the planned argv into the hand-written command: no progress, a plain output."""
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    argv: list[str] = list(plan["commands"][0]["argv"])
    for flag in ("-progress", "-nostats"):
        if flag in argv:
            position = argv.index(flag)
            del argv[position : position + (2 if flag == "-progress" else 1)]
    for flag in ("-movflags", "-moov_size"):
        if not faststart and flag in argv:
            position = argv.index(flag)
            del argv[position : position + 2]
    argv[-1] = str(output)
    return argv


@dataclass(slots=True)
class Row:
    name: str
    summary: str
    reference: float
    candidate: float
    limit: float | None

    @property
    def ratio(self) -> float:
        return self.candidate / self.reference


def _compile_bytecode() -> None:
    """Write current ``.pyc`` files for the ``cosmos`` package before timing it.

    An installed package has them, and Python writes them on first import. This benchmark's
    sandbox sets ``PYTHONDONTWRITEBYTECODE=1``, so without this step every timed process would
    compile each changed module again: about 28 ms for the modules that ``cosmos optimize run``
    loads, on the 2-core benchmark machine.
    """
    if not compileall.compile_dir(REPO_ROOT / "cosmos", quiet=1):
        raise RuntimeError("compiling the cosmos package to bytecode failed")


def run_media_case(case: MediaCase, runs: int, scratch: Path) -> Row:
    _compile_bytecode()
    plan_dir = scratch / f"{case.name}-plan"
    shutil.rmtree(plan_dir, ignore_errors=True)
    run_timed(Command("plan", (*COSMOS, *case.cosmos_args(plan_dir), "--dry-run")))
    reference_out = scratch / f"{case.name}-reference.mp4"
    reference = Command(
        "reference",
        tuple(_reference_argv(plan_dir / case.plan_name, reference_out, case.reference_faststart)),
    )
    candidate_dir = scratch / f"{case.name}-cosmos"
    candidate = Command("cosmos", (*COSMOS, *case.cosmos_args(candidate_dir), "--plain"))
    times: dict[str, list[float]] = {"reference": [], "cosmos": []}
    for repetition in range(runs):
        order = (reference, candidate) if repetition % 2 == 0 else (candidate, reference)
        for command in order:
            shutil.rmtree(candidate_dir, ignore_errors=True)
            reference_out.unlink(missing_ok=True)
            times[command.label].append(run_timed(command).seconds)
    return Row(
        case.name,
        case.summary,
        statistics.median(times["reference"]),
        statistics.median(times["cosmos"]),
        case.limit,
    )


def _verdict(row: Row) -> str:
    if row.limit is None:
        return "information only (no target)"
    return f"{'pass' if row.ratio <= row.limit else 'FAIL'} (at most {row.limit:g}x)"


def run_remux_sdk(runs: int, scratch: Path) -> Row:
    """Time ``optimize()`` remuxes in one process against the bare copy started from it.

    The whole-process case above also counts the interpreter and the CLI's imports, about
    0.10 s before FFmpeg starts. Here the worker imports Cosmos before its clock starts, as a
    program that calls the SDK does, so the row shows the cost of the remux itself: the probe,
    FFmpeg, both sha256 values, the output probe and the documents.
    """
    _compile_bytecode()
    source = _remux_source()
    plan_dir = scratch / "remux-sdk-plan"
    shutil.rmtree(plan_dir, ignore_errors=True)
    plan_args = ["optimize", "run", "--input", str(source), "--out-dir", str(plan_dir)]
    run_timed(Command("plan", (*COSMOS, *plan_args, "--dry-run")))
    reference_out = scratch / "remux-sdk-reference.mp4"
    argv = _reference_argv(plan_dir / "cosmos_optimize_dry_run.json", reference_out, False)
    completed = subprocess.run(  # noqa: S603 (the worker's argv, built here)
        [
            sys.executable,
            str(WORKERS / "optimize_remux.py"),
            str(source),
            str(scratch / "remux-sdk-cosmos"),
            str(reference_out),
            str(runs),
            json.dumps(argv),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    times: dict[str, list[float]] = json.loads(completed.stdout)
    return Row(
        "remux-100mb-sdk",
        "remux of the same 101 MB file, one `optimize()` call in a process that imported Cosmos",
        statistics.median(times["reference"]),
        statistics.median(times["cosmos"]),
        2.5,
    )


def _write_sidecars(root: Path, clips: int) -> None:
    """Write ``clips`` clip sidecars, a view per clip and an optimized file per view.

    The sha256 values are real digests of distinct strings, so they spread over the hex
    alphabet as real ones do. The marker file is written last, so a tree without it was
    interrupted and is written again.
    """
    marker = root / LINEAGE_MARKER
    if marker.is_file():
        return
    if root.exists():
        shutil.rmtree(root)
    for number in range(clips):
        folder = root / f"{number // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        clip_sha = hashlib.sha256(f"clip {number}".encode()).hexdigest()
        view_sha = hashlib.sha256(f"view {number}".encode()).hexdigest()
        optimized_sha = hashlib.sha256(f"optimized {number}".encode()).hexdigest()
        documents = (
            ("clip", f"c{number}.mp4", clip_sha, hashlib.sha256(b"recording").hexdigest()),
            ("view", f"v{number}.mp4", view_sha, clip_sha),
            ("optimized", f"o{number}.mp4", optimized_sha, view_sha),
        )
        for kind, media, sha, source in documents:
            document = {
                f"{kind}_id": f"{kind}-{number}-{sha[:8]}",
                "output": {"path": str(folder / media), "relpath": media, "sha256": sha},
                "source": {"path": "src", "sha256": source},
            }
            sidecar = folder / f"{media}.cosmos_{kind}.v1.json"
            sidecar.write_text(json.dumps(document), encoding="utf-8")
    marker.write_text(f"{clips} clips\n", encoding="utf-8")


def _evict_sidecars(root: Path, method: str) -> None:
    """Push the sidecars under ``root`` out of the page cache before a cold build.

    ``fadvise`` drops the cached data pages of each file with ``POSIX_FADV_DONTNEED``, but
    inodes and folders stay cached. ``drop-caches`` writes 3 to ``/proc/sys/vm/drop_caches``,
    which needs root and empties the page, inode and dentry caches of the whole machine.
    """
    if method == "drop-caches":
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n", encoding="ascii")
        return
    for path in root.rglob("*.json"):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fdatasync(descriptor)
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(descriptor)


@dataclass(frozen=True, slots=True)
class LineageRun:
    """Medians over the fresh processes that built one index."""

    build: float
    user: float
    system: float
    page_faults: float
    first_query: float
    query: float


def _build_in_fresh_process(root: Path) -> dict[str, float]:
    """Run one build in a new interpreter, as each ``cosmos lineage`` command does.

    Builds repeated in one process reuse the memory the previous index freed at 10,002
    sidecars (about 850 page faults per build against 3,500 in a fresh process). At 100,002
    the allocator returns that memory to the system, so repeated builds skewed the growth.
    """
    completed = subprocess.run(  # noqa: S603 (the worker's argv, built here)
        [sys.executable, str(WORKERS / "lineage_build.py"), str(root)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    result: dict[str, float] = json.loads(completed.stdout)
    return result


def _median_run(samples: list[dict[str, float]]) -> LineageRun:
    def median(key: str) -> float:
        return statistics.median(sample[key] for sample in samples)

    return LineageRun(
        build=median("build"),
        user=median("user"),
        system=median("system"),
        page_faults=median("page_faults"),
        first_query=median("first_query"),
        query=median("query"),
    )


def run_lineage(scratch: Path, runs: int, cold: str | None) -> list[str]:
    """Time ``build_index`` over 10,002 and 100,002 sidecars, warm and, with ``cold``, evicted.

    Each build runs in its own process, and the sizes alternate, so load on the machine
    falls on both. A warm round builds each size once untimed first, so every timed build
    reads from the page cache.
    """
    lines = []
    modes = ["warm"] + ([f"cold ({cold})"] if cold else [])
    roots = {clips: scratch / f"lineage-sidecars-{clips}" for clips in LINEAGE_CLIPS}
    for clips, root in roots.items():
        _write_sidecars(root, clips)
    for mode in modes:
        samples: dict[int, list[dict[str, float]]] = {clips: [] for clips in LINEAGE_CLIPS}
        if mode == "warm":
            for root in roots.values():
                _build_in_fresh_process(root)
        for _ in range(runs):
            for clips, root in roots.items():
                if mode != "warm" and cold:
                    _evict_sidecars(root, cold)
                samples[clips].append(_build_in_fresh_process(root))
        medians = {clips: _median_run(found) for clips, found in samples.items()}
        for clips, run in medians.items():
            sidecars = clips * 3
            verdict = "pass" if run.build < 10 and run.first_query < 0.05 else "FAIL"
            lines.append(
                f"| lineage, {sidecars} sidecars, {mode} | build {run.build:.3f} s (user "
                f"{run.user:.3f} s, system {run.system:.3f} s, {run.page_faults:.0f} page "
                f"faults) | chain query {run.query * 1000:.3f} ms, first after the build "
                f"{run.first_query * 1000:.1f} ms | {verdict} (build < 10 s, query < 50 ms) |"
            )
            print(lines[-1], flush=True)
        small, large = (medians[clips] for clips in LINEAGE_CLIPS)
        growth = large.build / small.build
        lines.append(
            f"| lineage growth 10k -> 100k, {mode} | {growth:.2f}x for 10x the sidecars (user "
            f"{large.user / small.user:.2f}x, system {large.system / small.system:.2f}x) | | "
            f"{'pass' if growth <= 10 else 'FAIL'} (at most linear) |"
        )
        print(lines[-1], flush=True)
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--case", action="append", default=[])
    parser.add_argument("--markdown", type=Path)
    parser.add_argument(
        "--lineage-runs",
        type=int,
        default=5,
        help="timed lineage builds per size and mode, each in a fresh process (default 5); "
        "the table lists medians",
    )
    parser.add_argument(
        "--cold",
        choices=("fadvise", "drop-caches"),
        help="also time lineage builds with the sidecars pushed out of the page cache before "
        "each build: fadvise drops their data pages, drop-caches empties the page, inode and "
        "dentry caches of the whole machine (root only)",
    )
    args = parser.parse_args(argv)
    scratch = bench_cache() / "pipeline-scratch"
    scratch.mkdir(parents=True, exist_ok=True)

    lines = [
        "| case | reference (median s) | cosmos (median s) | ratio | target |",
        "|---|---|---|---|---|",
    ]
    for case in _cases():
        if args.case and case.name not in args.case:
            continue
        row = run_media_case(case, args.runs, scratch)
        lines.append(
            f"| {row.name}: {row.summary} | {row.reference:.2f} | {row.candidate:.2f} | "
            f"{row.ratio:.3f} | {_verdict(row)} |"
        )
        print(lines[-1], flush=True)
    if not args.case or "remux-100mb-sdk" in args.case:
        row = run_remux_sdk(args.runs, scratch)
        lines.append(
            f"| {row.name}: {row.summary} | {row.reference:.3f} | {row.candidate:.3f} | "
            f"{row.ratio:.3f} | {_verdict(row)} |"
        )
        print(lines[-1], flush=True)
    if not args.case or "lineage" in args.case:
        lines.append("")
        lines.append("| case | build | query | target |")
        lines.append("|---|---|---|---|")
        lines += run_lineage(scratch, args.lineage_runs, args.cold)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

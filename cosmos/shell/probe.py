"""Run ffprobe on a file and parse what it reports."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

from returns.result import Failure, Result, Success

from cosmos.core.errors import (
    ProbeFailed,
    ToolUnavailable,
    empty_file_message,
    not_a_file_message,
    stderr_tail,
)
from cosmos.core.ffmpeg.probe import build_ffprobe_argv, parse_ffprobe_json
from cosmos.core.model.media import MediaFacts
from cosmos.shell.binaries import resolve_tool
from cosmos.shell.mediacache import reuse_or_probe

DEFAULT_PROBE_TIMEOUT_SECONDS = 60.0


def _precheck(path: Path) -> ProbeFailed | None:
    if not path.is_file():
        return ProbeFailed(
            path=str(path), message=not_a_file_message("video file", str(path), path.exists())
        )
    if path.stat().st_size == 0:
        return ProbeFailed(path=str(path), message=empty_file_message("video file", str(path)))
    return None


class _NotCached(Exception):
    """Carries a probe failure out of the cache, which keeps successes only."""

    def __init__(self, failure: ProbeFailed | ToolUnavailable) -> None:
        super().__init__(failure.message)
        self.failure = failure


def probe_media(
    path: Path,
    *,
    timeout_seconds: float | None = DEFAULT_PROBE_TIMEOUT_SECONDS,
    cached: bool = True,
) -> Result[MediaFacts, ProbeFailed | ToolUnavailable]:
    """Describe the first video stream of ``path`` (and its audio) with one ffprobe call.

    Results are cached per resolved path, size, modification time and ffprobe binary, so probing
    an unchanged file again in this process costs a ``stat``, and ffprobe's output is kept on
    disk (:mod:`cosmos.shell.mediacache`) for later processes. Failures are not cached: a
    timeout or a broken ffprobe is retried on the next call. ``cached=False`` bypasses both
    caches, for an output under a temporary name that no later probe will ask for.
    """
    problem = _precheck(path)
    if problem is not None:
        return Failure(problem)
    tool = resolve_tool("ffprobe")
    if isinstance(tool, Failure):
        return tool
    if not cached:
        output = _ffprobe_output(path, tool.unwrap().path, timeout_seconds)
        if isinstance(output, Failure):
            return output
        return parse_ffprobe_json(path, output.unwrap())
    stat = path.stat()
    try:
        facts = _probe_cached(
            path.resolve(), stat.st_size, stat.st_mtime_ns, tool.unwrap().path, timeout_seconds
        )
    except _NotCached as error:
        return Failure(error.failure)
    return Success(replace(facts, probe=replace(facts.probe, source_path=path)))


@functools.lru_cache(maxsize=256)
def _probe_cached(
    path: Path, size: int, mtime_ns: int, ffprobe: Path, timeout_seconds: float | None
) -> MediaFacts:
    del size, mtime_ns  # part of the cache key only
    result = _run_ffprobe(path, ffprobe, timeout_seconds)
    if isinstance(result, Failure):
        raise _NotCached(result.failure())
    return result.unwrap()


def _run_ffprobe(
    path: Path, ffprobe: Path, timeout_seconds: float | None
) -> Result[MediaFacts, ProbeFailed | ToolUnavailable]:
    def parse(output: bytes) -> Result[MediaFacts, ProbeFailed]:
        return parse_ffprobe_json(path, output)

    def probe() -> Result[bytes, ProbeFailed | ToolUnavailable]:
        return _ffprobe_output(path, ffprobe, timeout_seconds)

    return reuse_or_probe(path, ffprobe, "streams", probe, parse)


def _ffprobe_output(
    path: Path, ffprobe: Path, timeout_seconds: float | None
) -> Result[bytes, ProbeFailed | ToolUnavailable]:
    argv = build_ffprobe_argv(str(ffprobe), path)
    return ffprobe_output(path, argv, timeout_seconds, timeout_hint="raise the timeout")


def ffprobe_output(
    path: Path, argv: tuple[str, ...], timeout_seconds: float | None, *, timeout_hint: str
) -> Result[bytes, ProbeFailed | ToolUnavailable]:
    """Run the ffprobe ``argv`` on ``path`` and return its stdout.

    A failure names the file, quotes FFmpeg's stderr and says what to do next. ``timeout_hint``
    is the advice for allowing more time.
    """
    from cosmos.shell.runner import run  # imported here: a cache hit does not need it

    try:
        completed = run(argv, timeout_seconds=timeout_seconds)
    except OSError as error:
        return Failure(
            ToolUnavailable(
                tool="ffprobe",
                message=f"cannot run {argv[0]} ({error}); run `cosmos doctor` to check it",
            )
        )
    if completed.timed_out:
        return Failure(
            ProbeFailed(
                path=str(path),
                message=f"ffprobe timed out after {timeout_seconds:g} s on {path}; the file may "
                f"be on a stalled mount, or {timeout_hint}",
                stderr=completed.stderr,
            )
        )
    if not completed.ok:
        tail = stderr_tail(completed.stderr, 4) or "no stderr"
        return Failure(
            ProbeFailed(
                path=str(path),
                message=f"ffprobe cannot read {path} as media (exit {completed.returncode}: "
                f"{tail}); check that it is a complete video file",
                stderr=completed.stderr,
            )
        )
    return Success(completed.stdout)


def probe_and_hash(
    path: Path,
) -> tuple[Result[MediaFacts, ProbeFailed | ToolUnavailable], str]:
    """Probe a finished output and hash it at the same time (ffprobe runs while Python hashes).

    The output still has its temporary name, so the probe is not cached.
    """
    from concurrent.futures import ThreadPoolExecutor

    from cosmos.shell.hashing import sha256_file

    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(sha256_file, path)
        probed = probe_media(path, cached=False)
        return probed, digest.result()

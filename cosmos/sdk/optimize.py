"""Optimize videos for the web: fast-start MP4 by remux or transcode, with sidecars."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cosmos.core.optimize.options import OptimizeOptions
from cosmos.sdk._boundary import unwrap_or_raise
from cosmos.shell.optimize import OptimizeProgressCallback, OptimizeResult, run_optimize


def optimize_run(
    input_videos: Sequence[Path],
    out_dir: Path,
    *,
    options: OptimizeOptions | None = None,
    progress: OptimizeProgressCallback | None = None,
    command: str = "cosmos.sdk.optimize.optimize",
) -> OptimizeResult:
    """Run an optimize and return every input's outcome and the documents written.

    ``progress`` receives FFmpeg progress of each input.
    """
    return unwrap_or_raise(
        run_optimize(
            [Path(p) for p in input_videos],
            Path(out_dir),
            options if options is not None else OptimizeOptions(),
            progress=progress,
            command=command,
        )
    )


def optimize(
    input_videos: Sequence[Path],
    out_dir: Path,
    *,
    options: OptimizeOptions = OptimizeOptions(),  # noqa: B008 - frozen, so sharing it is safe
) -> list[Path]:
    """Write ``<out_dir>/<stem><suffix>.mp4`` for each input and return the produced paths.

    ``mode="auto"`` remuxes (stream copy, moov atom moved to the front) unless a transform is
    requested, then transcodes. Every output is checked before any work: an existing one raises
    ``FileExistsError`` (``OutputExistsError``) unless ``force``, and two inputs that map to one
    output raise ``ValueError``. A named ``encoder`` that cannot run raises
    ``FileNotFoundError`` (``ToolNotFoundError``). A dry run writes
    ``cosmos_optimize_dry_run.json`` and returns the planned paths.

    An input whose FFmpeg run fails is logged and left out of the returned list, so the list
    holds only outputs that exist. :func:`optimize_run` returns every input's outcome with the
    reason for each failure.
    """
    return list(optimize_run(input_videos, out_dir, options=options).produced)


__all__ = ["OptimizeOptions", "OptimizeResult", "optimize", "optimize_run"]

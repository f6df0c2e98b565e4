"""``cosmos video``: probe video files."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

from cyclopts import App, Parameter
from returns.pipeline import is_successful

from cosmos.cli.output import (
    JsonFlag,
    PlainFlag,
    UsageError,
    output_mode,
    print_json,
    print_plain,
)
from cosmos.core.errors import outputs_exist_message
from cosmos.core.image.png import encode_png, frame_file_name
from cosmos.sdk.errors import InvalidInputError, OutputExistsError
from cosmos.sdk.video import (
    extract_frames_at_indices,
    extract_frames_at_times,
    probe_video,
    probe_video_timeline,
)
from cosmos.shell.fs import atomic_write_bytes, writable_folder

app = App(name="video", help="Probe video files, list frame timestamps, export frames.")


@app.command
def probe(path: Path, *, json: JsonFlag = False, plain: PlainFlag = False) -> int:
    """Print the first video stream's size, duration, frame rate, frame count and codec.

    Width and height are the displayed size (a 90 or 270 degree rotation swaps them); values
    ffprobe does not report are null. Exit status 3 when the file cannot be probed.

    Parameters
    ----------
    path
        Video file to probe.
    json
        Print one JSON object.
    plain
        Print one ``field<TAB>value`` line per field.
    """
    mode = output_mode(json, plain)
    probe_result = probe_video(path)
    fields = {
        field.name: getattr(probe_result, field.name) for field in dataclasses.fields(probe_result)
    }
    fields["source_path"] = str(fields["source_path"])
    if mode == "json":
        print_json(fields)
    elif mode == "plain":
        print_plain([[name, "" if value is None else str(value)] for name, value in fields.items()])
    else:
        for name, value in fields.items():
            print(f"{name:<16} {'-' if value is None else value}")
    return 0


@app.command
def timeline(path: Path, *, json: JsonFlag = False, plain: PlainFlag = False) -> int:
    """List the PTS of every frame a decoder would output, in presentation order, with its time
    in seconds.

    Times count from the first frame. The list comes from the container's packets, so nothing
    is decoded.

    Parameters
    ----------
    path
        Video file.
    json
        Print one JSON object with the time base and the PTS list.
    plain
        Print ``index<TAB>pts<TAB>seconds`` per frame.
    """
    mode = output_mode(json, plain)
    result = probe_video_timeline(path)
    base = result.time_base
    first = result.pts_ticks[0] if result.pts_ticks else 0
    if mode == "json":
        print_json(
            {
                "source_path": str(result.source_path),
                "time_base": [result.time_base_numerator, result.time_base_denominator],
                "frame_count": result.frame_count,
                "pts_ticks": list(result.pts_ticks),
            }
        )
        return 0
    rows = [
        [str(i), str(pts), f"{float((pts - first) * base):.6f}"]
        for i, pts in enumerate(result.pts_ticks)
    ]
    if mode == "plain":
        print_plain(rows)
    else:
        print(f"{result.frame_count} frames, time base {base}")
        for row in rows:
            print(f"{row[0]:>7}  pts {row[1]:>12}  {row[2]} s")
    return 0


@app.command
def frames(
    path: Path,
    *,
    index: Annotated[list[int] | None, Parameter(name="--index")] = None,
    time: Annotated[list[float] | None, Parameter(name="--time")] = None,
    out: Annotated[Path, Parameter(name="--out")],
    force: Annotated[bool, Parameter(name="--force", negative="")] = False,
    json: JsonFlag = False,
    plain: PlainFlag = False,
) -> int:
    """Export frames as PNG files, chosen by index or by time (seconds from the first frame).

    Files are named ``frame_<index>_t<seconds>.png``. A time returns the frame displayed at it.
    PNG files already in --out are replaced only with --force. Exit status 2 for an invalid or
    out-of-range index or time, 3 when the file cannot be read or frames exist without --force.

    Parameters
    ----------
    path
        Video file.
    index
        Frame index, counting from 0 in presentation order; repeat for several.
    time
        Time in seconds; repeat for several.
    out
        Folder for the PNG files; created when missing.
    force
        Replace PNG files of the same names already in --out (frames of another video, or of
        an earlier export); without it the command writes nothing and exits 3.
    json
        Print one JSON list with each frame's request, resolved index and time, and file.
    plain
        Print ``index<TAB>seconds<TAB>file`` per frame.
    """
    mode = output_mode(json, plain)
    if index is None and time is None:
        raise UsageError("no frames requested; pass --index or --time, each one or more times")
    if index is not None and time is not None:
        raise UsageError("--index and --time cannot be used together; choose one")
    if index is not None:
        decoded = extract_frames_at_indices(path, index)
    else:
        decoded = extract_frames_at_times(path, time or [])
    folder = writable_folder(out, "output folder")
    if not is_successful(folder):
        raise InvalidInputError(folder.failure().message)
    targets = []
    for frame in decoded:
        assert frame.resolved_index is not None
        name = frame_file_name(frame.resolved_index, frame.resolved_time_seconds)
        targets.append(folder.unwrap() / name)
    existing = [str(target) for target in dict.fromkeys(targets) if target.exists()]
    if existing and not force:
        raise OutputExistsError(
            outputs_exist_message(existing, "pass --force to replace them, or choose another --out")
        )
    written: list[dict[str, object]] = []
    for frame, target in zip(decoded, targets, strict=True):
        atomic_write_bytes(target, encode_png(frame.width, frame.height, frame.rgb24))
        written.append(
            {
                "requested_index": frame.requested_index,
                "requested_time_seconds": frame.requested_time_seconds,
                "resolved_index": frame.resolved_index,
                "resolved_time_seconds": frame.resolved_time_seconds,
                "path": str(target),
            }
        )
    if mode == "json":
        print_json(written)
    elif mode == "plain":
        print_plain(
            [
                [str(w["resolved_index"]), str(w["resolved_time_seconds"]), str(w["path"])]
                for w in written
            ]
        )
    else:
        for entry in written:
            seconds = entry["resolved_time_seconds"]
            print(f"frame {entry['resolved_index']} at {seconds:.3f} s -> {entry['path']}")
    return 0

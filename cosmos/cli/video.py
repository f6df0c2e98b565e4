"""``cosmos video``: probe video files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from cyclopts import App

from cosmos.cli.output import JsonFlag, PlainFlag, output_mode, print_json, print_plain
from cosmos.sdk.video import probe_video

app = App(name="video", help="Probe video files.")


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

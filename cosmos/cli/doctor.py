"""``cosmos doctor``: what Cosmos found on this machine."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import sys

from returns.result import Failure

from cosmos.cli.output import (
    EXIT_OK,
    EXIT_TOOL,
    JsonFlag,
    PlainFlag,
    output_mode,
    print_error,
    print_json,
    print_plain,
)
from cosmos.core.encode.policy import encoder_candidates
from cosmos.shell.binaries import resolve_tool
from cosmos.shell.encoders import encoder_works, listed_encoders, usable_hw_decoders
from cosmos.shell.envinfo import tool_version

PROBE_SIZE = (1280, 720)


def _package_version(distribution: str, module: str) -> str | None:
    if importlib.util.find_spec(module) is None:
        return None
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "installed"


def doctor(*, json: JsonFlag = False, plain: PlainFlag = False) -> int:
    """Show the resolved ffmpeg and ffprobe, the encoders that pass a runtime probe, and
    whether the PyAV and TorchCodec backends are installed.

    Encoders are probed with a one-frame 1280x720 yuv420p encode. Exit status 4 when ffmpeg or
    ffprobe is missing.

    Parameters
    ----------
    json
        Print one JSON object.
    plain
        Print one ``key<TAB>value`` line per fact.
    """
    mode = output_mode(json, plain)
    report: dict[str, object] = {}
    status = EXIT_OK
    ffmpeg_path = None
    for name in ("ffmpeg", "ffprobe"):
        resolved = resolve_tool(name)
        if isinstance(resolved, Failure):
            report[name] = {"error": resolved.failure().message}
            # The report on stdout lists it too; stderr gets the one error line of every exit 4.
            print_error(resolved.failure().message)
            status = EXIT_TOOL
            continue
        tool = resolved.unwrap()
        report[name] = {
            "path": str(tool.path),
            "origin": tool.origin,
            "version": tool_version(tool.path),
        }
        if name == "ffmpeg":
            ffmpeg_path = tool.path

    encoders: dict[str, str] = {}
    hw_decoders: list[str] = []
    if ffmpeg_path is not None:
        listed = listed_encoders(ffmpeg_path)
        for encoder in encoder_candidates(sys.platform, None, None):
            if encoder not in listed:
                encoders[encoder] = "not built in"
            elif encoder_works(ffmpeg_path, encoder, *PROBE_SIZE, "yuv420p"):
                encoders[encoder] = "ok"
            else:
                encoders[encoder] = "listed, fails the runtime probe"
        hw_decoders = usable_hw_decoders(ffmpeg_path, sys.platform)
    report["encoders"] = encoders
    report["hardware_decoders"] = hw_decoders
    pyav_version = _package_version("av", "av")
    torchcodec_version = _package_version("torchcodec", "torchcodec")
    report["pyav"] = pyav_version
    report["torchcodec"] = torchcodec_version

    if mode == "json":
        print_json(report)
        return status
    rows: list[list[str]] = []
    for name in ("ffmpeg", "ffprobe"):
        facts = report[name]
        assert isinstance(facts, dict)
        rows.append([name, *(str(value) for value in facts.values())])
    rows += [[f"encoder {name}", state] for name, state in encoders.items()]
    rows.append(["hardware decoders", ", ".join(hw_decoders) or "none"])
    rows.append(["pyav", pyav_version or "not installed (pip install 'polli-cosmos[video-av]')"])
    rows.append(
        [
            "torchcodec",
            torchcodec_version or "not installed (pip install 'polli-cosmos[video-torchcodec]')",
        ]
    )
    if mode == "plain":
        print_plain(rows)
    else:
        for row in rows:
            print(f"{row[0]:<22} {'  '.join(row[1:])}")
    return status

"""Helpers shared by the tests: CLI results, leftover checks, snapshot placeholders.

Snapshots of real documents replace machine-specific values with placeholders. Paths under the
test's temporary folder become ``<tmp>``. Run ids, times, temporary-file tokens, the FFmpeg build
and the machine description become named placeholders. Hashes and sizes of encoded files become
placeholders as well, because another x264 build writes other bytes.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from cosmos.shell import fs


@dataclass(frozen=True, slots=True)
class CliResult:
    """Exit status and captured output of one ``cosmos`` command line."""

    code: int
    stdout: str
    stderr: str


CliRunner = Callable[..., CliResult]


def partial_files(folder: Path) -> list[Path]:
    """List temporary files an interrupted or failed write would leave under ``folder``."""
    return sorted(path for path in folder.rglob("*") if path.name.endswith(".partial"))


def media_files(folder: Path) -> list[str]:
    """List the names of the ``.mp4`` files at the top of ``folder``."""
    return sorted(path.name for path in folder.glob("*.mp4"))


def ffmpeg_failing_encodes(folder: Path, ffmpeg: str) -> Path:
    """Write an ``ffmpeg`` wrapper under ``folder`` whose encodes fail inside the real FFmpeg.

    Encodes are the calls with ``-progress``. The wrapper adds ``-profile:v no-such-profile``
    before their output, which libx264 rejects as it opens, so FFmpeg 5.1 exits with 1 and
    writes the error to stderr. Other calls (``-version``, ``-encoders``, encoder probes) reach
    ``ffmpeg`` unchanged.
    """
    script = folder / "ffmpeg-failing-encodes"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os\n"
        "import sys\n"
        "argv = sys.argv[1:]\n"
        'if "-progress" in argv:\n'
        '    argv[-1:-1] = ["-profile:v", "no-such-profile"]\n'
        f"os.execv({ffmpeg!r}, [{ffmpeg!r}, *argv])\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


RUN_ID = re.compile(r"\bing_\d{8}T\d{6}Z_[0-9a-f]{6}\b")
PARTIAL_TOKEN = re.compile(r"\.[0-9a-f]{8}\.partial\b")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
ARTIFACT_HASH = re.compile(r"^(clip-.+)-[0-9a-f]{8}$")

_BY_KEY: dict[str, str] = {
    "sha256": "<sha256>",
    "bytes": "<bytes>",
    "time": "<time>",
    "created_at": "<time>",
}


def scrub_text(text: str, tmp_root: Path, ffmpeg: str | None = None) -> str:
    """Replace the temporary folder, run ids, partial-file tokens and the FFmpeg path."""
    # Cosmos records resolved paths, and the temporary folder may sit behind a symlink (macOS).
    text = text.replace(str(tmp_root.resolve()), "<tmp>").replace(str(tmp_root), "<tmp>")
    if ffmpeg is not None:
        text = text.replace(ffmpeg, "<ffmpeg>")
    text = RUN_ID.sub("<run-id>", text)
    return PARTIAL_TOKEN.sub(".<token>.partial", text)


def _scrub_value(value: object, key: str | None, tmp_root: Path, ffmpeg: str) -> object:
    if isinstance(value, dict):
        return _scrub_mapping(value, tmp_root, ffmpeg)
    if isinstance(value, list):
        return [_scrub_value(item, None, tmp_root, ffmpeg) for item in value]
    if key in _BY_KEY and value is not None:
        return _BY_KEY[key]
    if isinstance(value, str):
        if key == "clip_id":
            return ARTIFACT_HASH.sub(r"\1-<sha8>", value)
        if ISO_TIME.match(value):
            return "<time>"
        return scrub_text(value, tmp_root, ffmpeg)
    return value


def _scrub_mapping(mapping: dict[str, object], tmp_root: Path, ffmpeg: str) -> dict[str, object]:
    scrubbed: dict[str, object] = {}
    for key, value in mapping.items():
        if key == "ffmpeg" and isinstance(value, dict):
            scrubbed[key] = {name: f"<ffmpeg-{name}>" for name in value}
        elif key == "system" and isinstance(value, dict):
            scrubbed[key] = {name: f"<system-{name}>" for name in value}
        else:
            scrubbed[key] = _scrub_value(value, key, tmp_root, ffmpeg)
    return scrubbed


def scrub_document(path: Path, tmp_root: Path, ffmpeg: str) -> str:
    """Read a JSON document and return it with placeholders, as two-space indented JSON."""
    document = json.loads(path.read_text(encoding="utf-8"))
    scrubbed = _scrub_value(document, None, tmp_root, ffmpeg)
    return json.dumps(scrubbed, indent=2, ensure_ascii=False) + "\n"


def fill_disk_for(monkeypatch: pytest.MonkeyPatch, name_part: str) -> None:
    """Make every file write whose name contains ``name_part`` fail as on a full disk (ENOSPC),
    and let other writes through."""
    write = fs.atomic_write_bytes

    def full_disk(path: Path, data: bytes) -> None:
        if name_part in path.name:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        write(path, data)

    monkeypatch.setattr(fs, "atomic_write_bytes", full_disk)

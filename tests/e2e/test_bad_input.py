"""Bad inputs through ``cosmos ingest run``: clear errors, documented exit codes, no leftovers.

Exit codes: 2 usage (bad option), 3 invalid input, 4 tool missing, 5 processing failed.
"""

from __future__ import annotations

import json
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import msgspec
import pytest

from cosmos.core.model.documents import IngestRunDocument
from tests.helpers import CliResult, CliRunner, media_files, partial_files
from tests.media import FFMPEG, GeneratedClip, MediaCache, write_truncated_mp4

pytestmark = pytest.mark.slow

SMALL = GeneratedClip(64, 48, seconds=0.4)


def _ingest(cli: CliRunner, input_dir: Path, output_dir: Path, *extra: str) -> CliResult:
    return cli("ingest", "run", "--input-dir", input_dir, "--output-dir", output_dir, *extra)


def _run_document(output_dir: Path) -> IngestRunDocument:
    data = (output_dir / "cosmos_ingest_run.v1.json").read_bytes()
    return msgspec.json.decode(data, type=IngestRunDocument, strict=True)


def _fake_ffmpeg(folder: Path, on_encode: str) -> Path:
    """Write an ffmpeg wrapper that runs ``on_encode`` for ingest encodes, else the real one.

    Ingest encodes are the calls with ``-progress``. Probes of encoders and hardware, and
    ``-version``, reach the real FFmpeg, so only the encode is faked.
    """
    script = folder / "fake-ffmpeg"
    script.write_text(
        "#!/bin/sh\n"
        'for arg; do last="$arg"; done\n'
        'case " $* " in\n'
        f'  *" -progress "*) {on_encode} ;;\n'
        "esac\n"
        f'exec {shlex.quote(FFMPEG)} "$@"\n'
    )
    script.chmod(0o755)
    return script


def test_missing_input_folder(cli: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "no such folder"
    result = _ingest(cli, missing, tmp_path / "out")
    assert result.code == 3
    assert result.stderr == f"error: input folder {missing} does not exist; check the path\n"
    assert not (tmp_path / "out").exists()


def test_input_is_a_file(cli: CliRunner, tmp_path: Path, media: MediaCache) -> None:
    clip = media.copy(SMALL, tmp_path, "clip.mp4")
    result = _ingest(cli, clip, tmp_path / "out")
    assert result.code == 3
    assert f"{clip} is not a folder" in result.stderr


def test_empty_input_folder(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    result = _ingest(cli, tmp_path / "in", tmp_path / "out")
    assert result.code == 3
    assert result.stderr.startswith(f"error: nothing to ingest in {tmp_path / 'in'}")
    assert "--adapter" in result.stderr
    assert not (tmp_path / "out").exists()


def test_zero_byte_mp4(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    empty = tmp_path / "in" / "empty.mp4"
    empty.write_bytes(b"")
    result = _ingest(cli, tmp_path / "in", tmp_path / "out")
    assert result.code == 3
    assert f"{empty} is empty (0 bytes)" in result.stderr
    (outcome,) = _run_document(tmp_path / "out").clips
    assert outcome.status == "skipped"
    assert outcome.reason is not None
    assert str(empty) in outcome.reason
    assert media_files(tmp_path / "out") == []
    assert partial_files(tmp_path / "out") == []


def test_text_file_named_mp4(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    text = tmp_path / "in" / "notes.mp4"
    text.write_text("shopping list: eggs, milk\n")
    result = _ingest(cli, tmp_path / "in", tmp_path / "out")
    assert result.code == 3
    assert f"ffprobe cannot read {text}" in result.stderr
    assert "Invalid data" in result.stderr
    (outcome,) = _run_document(tmp_path / "out").clips
    assert outcome.status == "skipped"
    assert [finding.code for finding in outcome.findings] == ["not-video"]
    assert media_files(tmp_path / "out") == []
    assert partial_files(tmp_path / "out") == []


def test_truncated_faststart_mp4(cli: CliRunner, tmp_path: Path) -> None:
    # The moov atom at the front still declares 7 s after the cut, and FFmpeg encodes the part
    # that is there and exits with status 0.
    truncated = write_truncated_mp4(tmp_path / "in" / "cut.mp4", width=160, height=90)

    result = _ingest(cli, tmp_path / "in", tmp_path / "out")

    assert result.code == 5
    assert f"{truncated} declares 7.000 s of video" in result.stderr
    assert "looks truncated" in result.stderr
    (outcome,) = _run_document(tmp_path / "out").clips
    assert outcome.status == "failed"
    assert media_files(tmp_path / "out") == []
    assert partial_files(tmp_path / "out") == []


def test_good_and_bad_inputs(cli: CliRunner, tmp_path: Path, media: MediaCache) -> None:
    media.copy(SMALL, tmp_path / "in", "good.mp4")
    (tmp_path / "in" / "broken.mp4").write_bytes(b"")
    result = _ingest(cli, tmp_path / "in", tmp_path / "out")
    assert result.code == 3
    statuses = [(clip.name, clip.status) for clip in _run_document(tmp_path / "out").clips]
    assert statuses == [("broken", "skipped"), ("good", "produced")]
    assert media_files(tmp_path / "out") == ["good.mp4"]


def test_output_under_regular_file(cli: CliRunner, tmp_path: Path, media: MediaCache) -> None:
    media.copy(SMALL, tmp_path / "in", "clip.mp4")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    output_dir = blocker / "out"
    result = _ingest(cli, tmp_path / "in", output_dir)
    assert result.code == 3
    assert f"cannot create output folder {output_dir}" in result.stderr
    assert partial_files(tmp_path) == []
    assert sorted(path.name for path in (tmp_path / "in").iterdir()) == ["clip.mp4"]


def test_output_folder_is_a_file(cli: CliRunner, tmp_path: Path, media: MediaCache) -> None:
    media.copy(SMALL, tmp_path / "in", "clip.mp4")
    blocker = tmp_path / "out"
    blocker.write_text("x")
    result = _ingest(cli, tmp_path / "in", blocker)
    assert result.code == 3
    assert f"output folder {blocker} exists but is not a folder" in result.stderr


def test_output_into_input_folder(cli: CliRunner, tmp_path: Path, media: MediaCache) -> None:
    clip = media.copy(SMALL, tmp_path / "in", "clip.mp4")
    before = clip.read_bytes()
    result = _ingest(cli, tmp_path / "in", tmp_path / "in")
    assert result.code == 3
    assert "would overwrite the input file" in result.stderr
    assert clip.read_bytes() == before
    assert sorted(path.name for path in (tmp_path / "in").iterdir()) == ["clip.mp4"]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--width", "5"), "invalid --width 5"),
        (("--crf", "99"), "invalid --crf 99"),
        (("--profile", "fastest"), "invalid profile 'fastest'"),
        (("--window", "0"), "invalid --window 0.0"),
        (("--filter-threads", "0"), "invalid --filter-threads 0"),
        (("--json", "--plain"), "--json and --plain cannot be used together"),
    ],
    ids=["width", "crf", "profile", "window", "filter-threads", "json-and-plain"],
)
def test_invalid_option(
    cli: CliRunner, tmp_path: Path, media: MediaCache, flags: tuple[str, ...], message: str
) -> None:
    media.copy(SMALL, tmp_path / "in", "clip.mp4")
    result = _ingest(cli, tmp_path / "in", tmp_path / "out", *flags)
    assert result.code == 2
    assert result.stderr.startswith(f"error: {message}")
    assert not (tmp_path / "out").exists()


def test_invalid_choice_rejected_by_parser(cli: CliRunner, tmp_path: Path) -> None:
    result = _ingest(cli, tmp_path, tmp_path / "out", "--quality", "fast")
    assert result.code == 2
    assert "fast" in result.stderr
    assert result.stdout == ""


def test_unknown_clip(cli: CliRunner, tmp_path: Path, media: MediaCache) -> None:
    media.copy(SMALL, tmp_path / "in", "clip.mp4")
    result = _ingest(cli, tmp_path / "in", tmp_path / "out", "--clip", "other")
    assert result.code == 3
    assert "unknown clip name(s) other" in result.stderr
    assert "known clips: clip" in result.stderr


@pytest.mark.parametrize("variable", ["COSMOS_FFMPEG", "COSMOS_FFPROBE"])
def test_tool_missing(
    cli: CliRunner,
    tmp_path: Path,
    media: MediaCache,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    media.copy(SMALL, tmp_path / "in", "clip.mp4")
    missing = tmp_path / "no-such-tool"
    monkeypatch.setenv(variable, str(missing))
    result = _ingest(cli, tmp_path / "in", tmp_path / "out")
    assert result.code == 4
    assert f"{variable}={missing} is not an executable file" in result.stderr
    assert media_files(tmp_path / "out") == []


def test_ffmpeg_fails_mid_run(
    cli: CliRunner, tmp_path: Path, media: MediaCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    media.copy(SMALL, tmp_path / "in", "bad.mp4")
    media.copy(SMALL, tmp_path / "in", "good.mp4")
    failure = 'case "$last" in *bad.mp4*) echo "fake failure: disk on fire" >&2; exit 1 ;; esac'
    monkeypatch.setenv("COSMOS_FFMPEG", str(_fake_ffmpeg(tmp_path, failure)))
    output_dir = tmp_path / "out"
    result = _ingest(cli, tmp_path / "in", output_dir)

    assert result.code == 5
    assert "clip bad failed: ffmpeg exited with 1" in result.stderr
    bad, good = _run_document(output_dir).clips
    assert (bad.name, bad.status) == ("bad", "failed")
    assert bad.reason is not None
    assert "disk on fire" in bad.reason
    assert (good.name, good.status) == ("good", "produced")
    assert "disk on fire" in (output_dir / "bad.mp4.log.txt").read_text(encoding="utf-8")
    # cmd.txt contains the argv of a finished output only, and the failed argv is in the log.
    assert not (output_dir / "bad.mp4.cmd.txt").exists()
    assert "$ " in (output_dir / "bad.mp4.log.txt").read_text(encoding="utf-8")
    assert not (output_dir / "bad.mp4.cosmos_clip.v1.json").exists()
    assert media_files(output_dir) == ["good.mp4"]
    assert partial_files(output_dir) == []


def test_ffmpeg_writes_garbage(
    cli: CliRunner, tmp_path: Path, media: MediaCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    media.copy(SMALL, tmp_path / "in", "clip.mp4")
    garbage = 'printf "not a video" > "${last#file:}"; exit 0'
    monkeypatch.setenv("COSMOS_FFMPEG", str(_fake_ffmpeg(tmp_path, garbage)))
    result = _ingest(cli, tmp_path / "in", tmp_path / "out", "--json")

    assert result.code == 5
    report = json.loads(result.stdout)
    (clip,) = report["clips"]
    assert clip["status"] == "failed"
    assert "does not probe as video" in clip["reason"]
    assert report["produced"] == []
    assert media_files(tmp_path / "out") == []
    assert partial_files(tmp_path / "out") == []


@pytest.mark.parametrize(
    ("sent", "status", "message"),
    [
        (signal.SIGTERM, 143, "terminated (SIGTERM)"),
        (signal.SIGHUP, 129, "terminated (SIGHUP)"),
        (signal.SIGINT, 130, "interrupted"),
    ],
)
def test_signal_stops_run_cleanly(
    tmp_path: Path, media: MediaCache, sent: signal.Signals, status: int, message: str
) -> None:
    media.copy(GeneratedClip(1920, 1080, seconds=20, fps=30), tmp_path / "in", "long.mp4")
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "cosmos", "ingest", "run", "--input-dir", str(tmp_path / "in")]
    process = subprocess.Popen(
        [*argv, "--output-dir", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    # Wait until the encode has started, then stop the run as a service manager would.
    deadline = time.monotonic() + 60
    while not partial_files(out) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(sent)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == status
    assert stderr.decode().strip().splitlines()[-1].startswith(f"error: {message}")
    assert partial_files(out) == []
    assert not (out / "long.mp4").exists()
    assert _run_document(out).clips[0].reason == "interrupted before it finished"


def test_ignored_sighup_keeps_running(tmp_path: Path, media: MediaCache) -> None:
    media.copy(GeneratedClip(640, 360, seconds=10, fps=30), tmp_path / "in", "long.mp4")
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "cosmos", "ingest", "run", "--input-dir", str(tmp_path / "in")]
    # As under nohup: the child starts with SIGHUP ignored.
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        process = subprocess.Popen(
            [*argv, "--output-dir", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    finally:
        signal.signal(signal.SIGHUP, previous)
    deadline = time.monotonic() + 60
    while not partial_files(out) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGHUP)
    _, stderr = process.communicate(timeout=120)

    assert process.returncode == 0, stderr.decode()
    assert (out / "long.mp4").is_file()


@pytest.mark.parametrize("command", ["optimize", "crop"])
def test_sigterm_records_unfinished(tmp_path: Path, media: MediaCache, command: str) -> None:
    source = media.copy(GeneratedClip(1920, 1080, seconds=20, fps=30), tmp_path, "long.mp4")
    out = tmp_path / "out"
    tail = ["--mode", "transcode"] if command == "optimize" else ["--size", "1080"]
    argv = [sys.executable, "-m", "cosmos", command, "run", "--input", str(source)]
    process = subprocess.Popen(
        [*argv, "--out-dir", str(out), *tail], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while not partial_files(out) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)

    assert process.returncode == 143
    assert partial_files(out) == []
    document = json.loads((out / f"cosmos_{command}_run.v1.json").read_text(encoding="utf-8"))
    entries = document["outputs"] if command == "optimize" else document["jobs"]
    assert [(entry["status"], entry["reason"]) for entry in entries] == [
        ("failed", "interrupted before it finished")
    ]

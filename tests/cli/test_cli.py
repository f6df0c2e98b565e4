"""The ``cosmos`` command line: output modes, exit codes, help, and a real subprocess."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
from syrupy.assertion import SnapshotAssertion

from cosmos.cli.output import cli_wording
from cosmos.core.ingest.options import CLI_FLAGS, IngestOptions
from tests.helpers import CliRunner
from tests.media import REPO_ROOT, GeneratedClip, MediaCache

SMALL = GeneratedClip(64, 48, seconds=0.4, audio="aac")


@pytest.fixture
def clip(media: MediaCache, tmp_path: Path) -> Path:
    return media.copy(SMALL, tmp_path / "in", "clip.mp4")


def test_probe_json(cli: CliRunner, clip: Path) -> None:
    result = cli("video", "probe", clip, "--json")
    assert result.code == 0
    assert result.stderr == ""
    probe = json.loads(result.stdout)
    assert probe["source_path"] == str(clip)
    assert (probe["width"], probe["height"]) == (64, 48)
    assert probe["frame_count"] == 10
    assert probe["codec_name"] == "h264"


def test_probe_plain(cli: CliRunner, clip: Path) -> None:
    result = cli("video", "probe", clip, "--plain")
    assert result.code == 0
    rows = dict(line.split("\t") for line in result.stdout.splitlines())
    assert rows["width"] == "64"
    assert rows["height"] == "48"
    assert rows["fps"] == "25.0"
    assert rows["source_path"] == str(clip)


def test_probe_human(cli: CliRunner, clip: Path) -> None:
    result = cli("video", "probe", clip)
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"source_path      {clip}"
    assert "width            64" in lines


def test_probe_missing_file(cli: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "gone.mp4"
    result = cli("video", "probe", missing, "--json")
    assert result.code == 3
    assert result.stdout == ""
    assert result.stderr == f"error: video file {missing} does not exist; check the path\n"


def test_probe_ffprobe_missing(
    cli: CliRunner, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COSMOS_FFPROBE", str(tmp_path / "no-ffprobe"))
    result = cli("video", "probe", clip)
    assert result.code == 4
    assert "COSMOS_FFPROBE" in result.stderr


@pytest.mark.parametrize(
    "command",
    [("video", "probe", "{clip}"), ("doctor",), ("ingest", "run", "--input-dir", "{clip}")],
    ids=["probe", "doctor", "ingest"],
)
def test_json_and_plain_is_usage_error(
    cli: CliRunner, clip: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    tokens = [token.format(clip=clip) for token in command]
    if tokens[0] == "ingest":
        tokens += ["--output-dir", str(tmp_path / "out")]
    result = cli(*tokens, "--json", "--plain")
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == "error: --json and --plain cannot be used together; choose one\n"


def test_ingest_json(cli: CliRunner, clip: Path, tmp_path: Path) -> None:
    output_dir = tmp_path / "out"
    result = cli("ingest", "run", "--input-dir", clip.parent, "--output-dir", output_dir, "--json")
    assert result.code == 0
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert report["produced"] == [str(output_dir / "clip.mp4")]
    assert report["run_document"] == str(output_dir / "cosmos_ingest_run.v1.json")
    assert report["run_id"].startswith("ing_")
    assert [clip["status"] for clip in report["clips"]] == ["produced"]


def test_ingest_plain(cli: CliRunner, clip: Path, tmp_path: Path) -> None:
    output_dir = tmp_path / "out"
    result = cli("ingest", "run", "--input-dir", clip.parent, "--output-dir", output_dir, "--plain")
    assert result.code == 0
    status, name, output, sha256 = result.stdout.rstrip("\n").split("\t")
    assert (status, name, output) == ("produced", "clip", str(output_dir / "clip.mp4"))
    assert len(sha256) == 64


def test_ingest_human(cli: CliRunner, clip: Path, tmp_path: Path) -> None:
    output_dir = tmp_path / "out"
    result = cli("ingest", "run", "--input-dir", clip.parent, "--output-dir", output_dir)
    assert result.code == 0
    first, last = result.stdout.splitlines()
    assert first.split() == ["produced", "clip", str(output_dir / "clip.mp4")]
    assert last.endswith(str(output_dir / "cosmos_ingest_run.v1.json"))


def test_ingest_dry_run_json(cli: CliRunner, clip: Path, tmp_path: Path) -> None:
    output_dir = tmp_path / "out"
    result = cli(
        "ingest", "run", "--input-dir", clip.parent, "--output-dir", output_dir, "--dry-run",
        "--json",
    )  # fmt: skip
    assert result.code == 0
    report = json.loads(result.stdout)
    assert report["dry_run"] is True
    assert report["dry_run_plan"] == str(output_dir / "cosmos_ingest_dry_run.v1.json")
    assert [clip["status"] for clip in report["clips"]] == ["planned"]
    assert report["planned"] == [str(output_dir / "clip.mp4")]
    assert "produced" not in report
    assert sorted(path.name for path in output_dir.iterdir()) == [
        "cosmos_dry_run.json",
        "cosmos_ingest_dry_run.v1.json",
    ]


def test_ingest_repeated_clip_flag(cli: CliRunner, media: MediaCache, tmp_path: Path) -> None:
    for name in ("a.mp4", "b.mp4", "c.mp4"):
        media.copy(SMALL, tmp_path / "in", name)
    result = cli(
        "ingest", "run", "--input-dir", tmp_path / "in", "--output-dir", tmp_path / "out",
        "--clip", "A", "--clip", "c", "--dry-run", "--json",
    )  # fmt: skip
    assert result.code == 0
    assert [clip["name"] for clip in json.loads(result.stdout)["clips"]] == ["a", "c"]


def test_doctor_json(cli: CliRunner) -> None:
    result = cli("doctor", "--json")
    assert result.code == 0
    report = json.loads(result.stdout)
    assert Path(report["ffmpeg"]["path"]).is_file()
    assert report["ffmpeg"]["origin"] in ("env", "managed", "path")
    assert report["ffprobe"]["version"] != "unknown"
    assert report["encoders"]["libx264"] == "ok"
    assert isinstance(report["hardware_decoders"], list)


def test_doctor_tool_missing(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COSMOS_FFPROBE", str(tmp_path / "no-ffprobe"))
    result = cli("doctor", "--plain")
    assert result.code == 4
    assert "COSMOS_FFPROBE" in result.stdout
    assert result.stderr.startswith("error: COSMOS_FFPROBE=")


def test_unknown_command(cli: CliRunner) -> None:
    result = cli("transmogrify")
    assert result.code == 2
    assert result.stdout == ""
    assert "transmogrify" in result.stderr


def test_version(cli: CliRunner) -> None:
    import cosmos

    result = cli("--version")
    assert result.code == 0
    assert result.stdout.strip() == cosmos.__version__


def test_ingest_help(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, snapshot_txt: SnapshotAssertion
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    result = cli("ingest", "run", "--help")
    assert result.code == 0
    text = "\n".join(line.rstrip() for line in result.stdout.splitlines()) + "\n"
    assert text == snapshot_txt


@pytest.mark.parametrize("command", [("optimize",), ("optimize", "run")], ids=["group", "run"])
def test_optimize_help_names_output(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    result = cli(*command, "--help")
    assert result.code == 0
    assert "Write <out-dir>/<stem><suffix>.mp4 for each input" in result.stdout


def test_existing_output_error_uses_flags(cli: CliRunner, clip: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    assert cli("optimize", "run", "--input", clip, "--out-dir", out_dir).code == 0
    result = cli("optimize", "run", "--input", clip, "--out-dir", out_dir)
    assert result.code == 3
    assert "pass --force to replace them, or choose another --out-dir or --suffix" in result.stderr
    assert "force=True" not in result.stderr
    assert "(CLI:" not in result.stderr


def test_remux_transform_error_uses_flags(cli: CliRunner, clip: Path, tmp_path: Path) -> None:
    tokens = ["--input", clip, "--mode", "remux", "--fps", "15", "--target-height", "32"]
    result = cli("optimize", "run", *tokens, "--out-dir", tmp_path / "out")
    assert result.code == 2
    assert result.stderr == (
        "error: invalid --mode 'remux'; remux copies streams, so --target-height, --fps cannot "
        "apply; use --mode transcode or --mode auto\n"
    )


def test_odd_height_usage_error(cli: CliRunner, clip: Path, tmp_path: Path) -> None:
    tokens = ["--input", clip, "--target-height", "361", "--out-dir", tmp_path / "out"]
    result = cli("optimize", "run", *tokens)
    assert result.code == 2
    assert "error: invalid --target-height 361; expected an even height" in result.stderr
    assert not (tmp_path / "out").exists()


def test_input_takes_several_paths(cli: CliRunner, clip: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.mp4"
    other.write_bytes(clip.read_bytes())
    tokens = ["--input", clip, other, "--out-dir", tmp_path / "out", "--dry-run", "--plain"]
    result = cli("optimize", "run", *tokens)
    assert result.code == 0, result.stderr
    sources = [line.split("\t")[1] for line in result.stdout.splitlines()]
    assert sources == [str(clip), str(other)]


def test_input_has_no_empty_flag(cli: CliRunner) -> None:
    for command in (("optimize", "run"), ("crop", "run"), ("crop", "preview")):
        result = cli(*command, "--help")
        assert "--empty-input" not in result.stdout


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("pass force=True (CLI: --force) to replace", "pass --force to replace"),
        ("use mode='transcode' (CLI: --mode transcode)", "use --mode transcode"),
        ("pass manifest= (CLI: --manifest)", "pass --manifest"),
        ("a=1 (CLI: --a), b (CLI: --b)", "--a, --b"),
        ("no option named here", "no option named here"),
    ],
)
def test_cli_wording(message: str, expected: str) -> None:
    assert cli_wording(message) == expected


@pytest.mark.parametrize(
    ("count", "expected"), [(1, "ok: 1 artifact checked"), (2, "ok: 2 artifacts checked")]
)
def test_verify_counts_artifacts(
    cli: CliRunner, media: MediaCache, tmp_path: Path, count: int, expected: str
) -> None:
    out_dir = tmp_path / "out"
    for number in range(count):
        clip = media.copy(SMALL, tmp_path / "in", f"clip{number}.mp4")
        assert cli("optimize", "run", "--input", clip, "--out-dir", out_dir).code == 0
    result = cli("provenance", "verify", out_dir)
    assert result.code == 0
    assert result.stdout.splitlines()[-1] == expected


def test_verify_counts_problems(cli: CliRunner, media: MediaCache, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    clip = media.copy(SMALL, tmp_path / "in", "clip.mp4")
    assert cli("optimize", "run", "--input", clip, "--out-dir", out_dir).code == 0
    (out_dir / "stray.mp4").write_bytes(clip.read_bytes())
    (out_dir / "other.mp4").write_bytes(clip.read_bytes())

    result = cli("provenance", "verify", out_dir)

    assert result.code == 3
    assert result.stdout.splitlines()[-1] == "2 problems in 1 artifact checked"


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ((), "error: no frames requested; pass --index or --time, each one or more times\n"),
        (
            ("--index", "0", "--time", "0.1"),
            "error: --index and --time cannot be used together; choose one\n",
        ),
    ],
    ids=["neither", "both"],
)
def test_frames_selection_errors(
    cli: CliRunner, clip: Path, tmp_path: Path, selection: tuple[str, ...], expected: str
) -> None:
    out_dir = tmp_path / "frames"
    result = cli("video", "frames", clip, "--out", out_dir, *selection)
    assert result.code == 2
    assert result.stderr == expected
    assert not out_dir.exists()


def test_frames_kept_without_force(cli: CliRunner, clip: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "frames"
    first = cli("video", "frames", clip, "--out", out_dir, "--index", "0", "--plain")
    assert first.code == 0, first.stderr
    (written,) = out_dir.iterdir()
    written.write_bytes(b"a frame of another video")

    again = cli("video", "frames", clip, "--out", out_dir, "--index", "0", "--index", "1")
    assert again.code == 3
    assert f"output(s) already exist: {written};" in again.stderr
    assert written.read_bytes() == b"a frame of another video"
    assert len(list(out_dir.iterdir())) == 1

    forced = cli("video", "frames", clip, "--out", out_dir, "--index", "0", "--force")
    assert forced.code == 0
    assert written.read_bytes().startswith(b"\x89PNG")


def test_subprocess_json(media: MediaCache, tmp_path: Path) -> None:
    clip = media.copy(SMALL, tmp_path / "in", "clip.mp4")
    output_dir = tmp_path / "out"
    argv = [sys.executable, "-m", "cosmos", "ingest", "run", "--input-dir", str(clip.parent)]
    argv += ["--output-dir", str(output_dir), "--json"]
    completed = subprocess.run(argv, capture_output=True, text=True, cwd=REPO_ROOT, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    report = json.loads(completed.stdout)
    assert report["produced"] == [str(output_dir / "clip.mp4")]


def test_subprocess_exit_code(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "cosmos", "video", "probe", str(tmp_path / "gone.mp4")]
    completed = subprocess.run(argv, capture_output=True, text=True, cwd=REPO_ROOT, check=False)
    assert completed.returncode == 3
    assert completed.stdout == ""
    assert completed.stderr.startswith("error: ")


@pytest.mark.parametrize(
    "command",
    [
        ("video", "probe", "{path}"),
        ("video", "timeline", "{path}"),
        ("optimize", "run", "--input", "{path}", "--out-dir", "{out}"),
        ("crop", "run", "--input", "{path}", "--out-dir", "{out}"),
    ],
    ids=["probe", "timeline", "optimize", "crop"],
)
@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("missing", "does not exist; check the path"),
        ("empty", "is empty (0 bytes); it was not copied completely"),
        ("folder", "is not a regular file; pass a video file"),
    ],
)
def test_bad_video_path_same_message(
    cli: CliRunner, tmp_path: Path, command: tuple[str, ...], kind: str, expected: str
) -> None:
    path = tmp_path / "clip.mp4"
    if kind == "empty":
        path.touch()
    elif kind == "folder":
        path.mkdir()
    out = tmp_path / "out"
    result = cli(*(token.format(path=path, out=out) for token in command))
    assert result.code == 3
    assert f" {path} {expected}" in result.stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_ingest_option_flags_exist(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    flags = set(re.findall(r"--[a-z-]+", cli("ingest", "run", "--help").stdout))
    for field in msgspec.structs.fields(IngestOptions):
        assert CLI_FLAGS.get(field.name, f"--{field.name.replace('_', '-')}") in flags, field.name


def test_ingest_range_error_names_flag(cli: CliRunner, clip: Path, tmp_path: Path) -> None:
    tokens = ["--input-dir", clip.parent, "--output-dir", tmp_path / "out", "--window", "-2"]
    result = cli("ingest", "run", *tokens)
    assert result.code == 2
    assert result.stderr.startswith("error: invalid --window -2.0; expected a positive number")


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (("video", "probe", "a.mp4", "--bogus"), "error: Unknown option: --bogus; see --help"),
        (("bogus",), 'error: Unknown command "bogus". Available commands: ingest,'),
    ],
    ids=["flag", "command"],
)
def test_parse_error_one_line(cli: CliRunner, tokens: tuple[str, ...], expected: str) -> None:
    result = cli(*tokens)
    assert result.code == 2
    assert result.stderr.startswith(expected)
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


@pytest.mark.parametrize("flag", ["--yes", "--no-input"])
def test_no_prompt_flags_everywhere(cli: CliRunner, clip: Path, flag: str) -> None:
    result = cli("video", "probe", clip, flag, "--json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["width"] > 0


def test_clip_of_plain_fields(cli: CliRunner, media: MediaCache, tmp_path: Path) -> None:
    media.copy(SMALL, tmp_path / "in", "a.mp4")
    assert cli("ingest", "run", "--input-dir", tmp_path / "in", "--output-dir", tmp_path).code == 0
    clip = tmp_path / "a.mp4"

    result = cli("provenance", "clip-of", clip, "--plain")

    assert result.code == 0, result.stderr
    rows = dict(line.split("\t", 1) for line in result.stdout.splitlines())
    assert rows["clip_id"].startswith("clip-a-")
    assert rows["output.sha256"] == hashlib.sha256(clip.read_bytes()).hexdigest()
    assert rows["output.relpath"] == "a.mp4"

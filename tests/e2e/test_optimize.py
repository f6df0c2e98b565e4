"""Optimize end to end: remux keeps every frame, transcode does what it was asked, outputs are
checked before any work, encoder fallback is recorded."""

from __future__ import annotations

import logging
import re
import shlex
import subprocess
from pathlib import Path

import msgspec
import pytest

from cosmos.core.model.documents import OptimizedDocument, OptimizeDryRunPlan, OptimizeRunDocument
from cosmos.sdk.errors import OutputExistsError, ToolNotFoundError
from cosmos.sdk.optimize import OptimizeOptions, optimize, optimize_run
from cosmos.sdk.provenance import sha256_file
from cosmos.sdk.video import probe_video
from cosmos.shell import optimize as optimize_shell
from tests.helpers import CliRunner, ffmpeg_failing_encodes, fill_disk_for
from tests.media import FFMPEG, probe_streams, top_level_boxes, write_truncated_mp4


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("optimize-src")
    video = ["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25"]
    audio = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
    x264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    paths = {
        "late": folder / "late.mp4",
        "fast": folder / "fast.mp4",
        "pcm": folder / "pcm.mkv",
        "hd": folder / "hd.mp4",
        "fragmented": folder / "fragmented.mp4",
    }
    _ffmpeg(*video, *audio, "-t", "2", *x264, "-c:a", "aac", str(paths["late"]))
    _ffmpeg(*video, "-t", "1", *x264, "-movflags", "+faststart", str(paths["fast"]))
    _ffmpeg(*video, *audio, "-t", "1", *x264, "-c:a", "pcm_s16le", str(paths["pcm"]))
    _ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=1280x720:rate=30",
        *audio,
        "-t",
        "1.5",
        *x264,
        "-c:a",
        "aac",
        str(paths["hd"]),
    )
    fragmented = ["-movflags", "+frag_keyframe+empty_moov"]
    _ffmpeg(*video, "-t", "2", *x264, "-g", "25", *fragmented, str(paths["fragmented"]))
    return paths


def _framemd5(path: Path) -> list[str]:
    argv = ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v:0", "-f", "framemd5", "-"]
    lines = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return [line.rsplit(",", 1)[-1].strip() for line in lines.splitlines() if line[:1].isdigit()]


def _sidecar(output: Path) -> OptimizedDocument:
    data = output.with_name(output.name + ".cosmos_optimized.v1.json").read_bytes()
    return msgspec.json.decode(data, type=OptimizedDocument)


def _cmd_txt(output: Path) -> Path:
    return output.with_name(output.name + ".cmd.txt")


def _log_txt(output: Path) -> Path:
    return output.with_name(output.name + ".log.txt")


def _logged_attempts(output: Path) -> list[tuple[str, str]]:
    """Return the argv line and the exit status of every attempt in the output's log.txt."""
    log = _log_txt(output).read_text(encoding="utf-8")
    return re.findall(r"^\$ (.*)\n# exit (-?\d+), [0-9.]+ s$", log, re.MULTILINE)


def test_remux_moves_moov_first(sources: dict[str, Path], tmp_path: Path) -> None:
    source = sources["late"]
    boxes = top_level_boxes(source)
    assert boxes.index("mdat") < boxes.index("moov")
    (output,) = optimize([source], tmp_path)
    boxes = top_level_boxes(output)
    assert boxes.index("moov") < boxes.index("mdat")
    assert _framemd5(output) == _framemd5(source)
    assert [s.codec_type for s in probe_streams(output)] == ["video", "audio"]
    sidecar = _sidecar(output)
    assert sidecar.mode == "remux"
    assert sidecar.encode.impl == "copy"
    assert sidecar.transform.crf is None


def _planned_argv(source: Path, folder: Path) -> list[str]:
    optimize([source], folder, options=OptimizeOptions(dry_run=True))
    plan = msgspec.json.decode(
        (folder / "cosmos_optimize_dry_run.json").read_bytes(), type=OptimizeDryRunPlan
    )
    return plan.commands[0].argv


def test_remux_writes_moov_into_reserved_space(sources: dict[str, Path], tmp_path: Path) -> None:
    argv = _planned_argv(sources["late"], tmp_path / "plan")
    assert "-moov_size" in argv
    assert "-movflags" not in argv
    (output,) = optimize([sources["late"]], tmp_path / "out")
    # The unused part of the reservation is a free box between the moov and the media data.
    assert top_level_boxes(output)[:3] == ["ftyp", "moov", "free"]
    assert _framemd5(output) == _framemd5(sources["late"])
    assert _sidecar(output).output.sha256 == sha256_file(output)


def test_remux_twice_identical(sources: dict[str, Path], tmp_path: Path) -> None:
    (first,) = optimize([sources["late"]], tmp_path / "first")
    (second,) = optimize([sources["late"]], tmp_path / "second")
    assert first.read_bytes() == second.read_bytes()


def test_remux_moov_overflow_second_pass(
    sources: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # 64 bytes cannot hold any moov, so FFmpeg writes it over the media data and exits with 0.
    monkeypatch.setattr(optimize_shell, "remux_moov_reservation", lambda source: 64)
    with caplog.at_level(logging.WARNING, logger="cosmos.optimize"):
        (output,) = optimize([sources["late"]], tmp_path / "overflow")
    assert "did not fit the 64 bytes reserved" in caplog.text
    boxes = top_level_boxes(output)
    assert boxes.index("moov") < boxes.index("mdat")
    assert _framemd5(output) == _framemd5(sources["late"])
    assert _sidecar(output).output.sha256 == sha256_file(output)
    (first, first_exit), (second, second_exit) = _logged_attempts(output)
    assert (first_exit, second_exit) == ("0", "0")
    assert "-moov_size 64" in first
    assert "-movflags +faststart" in second
    assert "-moov_size" not in second
    assert _cmd_txt(output).read_text(encoding="utf-8") == second + "\n"
    monkeypatch.setattr(optimize_shell, "remux_moov_reservation", lambda source: None)
    (second_pass,) = optimize([sources["late"]], tmp_path / "second-pass")
    assert output.read_bytes() == second_pass.read_bytes()


@pytest.mark.parametrize("name", ["pcm", "fragmented"])
def test_remux_second_pass_without_moov_size(
    name: str, sources: dict[str, Path], tmp_path: Path
) -> None:
    # Matroska has no moov to size the reservation from, and a fragmented MP4's moov lists no
    # samples.
    argv = _planned_argv(sources[name], tmp_path / "plan")
    assert argv[argv.index("-movflags") + 1] == "+faststart"
    assert "-moov_size" not in argv
    (output,) = optimize([sources[name]], tmp_path / "out")
    boxes = top_level_boxes(output)
    assert boxes.index("moov") < boxes.index("mdat")
    assert _framemd5(output) == _framemd5(sources[name])


def test_remux_records_cmd_and_log(sources: dict[str, Path], tmp_path: Path) -> None:
    (output,) = optimize([sources["late"]], tmp_path)
    command = _cmd_txt(output).read_text(encoding="utf-8")
    argv = shlex.split(command)
    assert argv[0] == FFMPEG
    assert argv[argv.index("-c") + 1] == "copy"
    assert argv[-1].startswith(f"file:{tmp_path.resolve()}/.late_optimized.mp4.")
    assert _logged_attempts(output) == [(command.rstrip("\n"), "0")]
    # FFmpeg's stderr follows the exit line.
    assert "Stream mapping:" in _log_txt(output).read_text(encoding="utf-8")


def test_failed_transcode_names_log(
    sources: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrapper = ffmpeg_failing_encodes(tmp_path, FFMPEG)
    monkeypatch.setenv("COSMOS_FFMPEG", str(wrapper))
    out_dir = tmp_path / "out"
    options = OptimizeOptions(encoder="libx264", target_height=90)

    result = optimize_run([sources["fast"]], out_dir, options=options)

    (outcome,) = result.outcomes
    output = out_dir.resolve() / "fast_optimized.mp4"
    assert outcome.status == "failed"
    assert outcome.reason is not None
    assert outcome.reason.startswith("ffmpeg exited with 1 on ")
    assert outcome.reason.endswith(f"(full log: {_log_txt(output)})")
    assert [status for _, status in _logged_attempts(output)] == ["1"]
    assert "invalid profile: no-such-profile" in _log_txt(output).read_text(encoding="utf-8")
    # cmd.txt contains the argv of a finished output only, and the failed argv is in the log.
    assert not _cmd_txt(output).exists()
    first_attempt = _log_txt(output).read_text(encoding="utf-8").splitlines()[0]
    assert shlex.split(first_attempt.removeprefix("$ "))[0] == str(wrapper)
    assert list(out_dir.glob("*.mp4")) == []
    assert list(out_dir.glob("*.cosmos_optimized.v1.json")) == []


def test_rerun_replaces_cmd_and_log(sources: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "fast_optimized.mp4"

    def write_stale() -> None:
        _cmd_txt(output).write_text("stale command\n", encoding="utf-8")
        _log_txt(output).write_text("stale log\n", encoding="utf-8")

    # cmd.txt and log.txt without their output do not count as an existing output.
    write_stale()
    optimize([sources["fast"]], tmp_path)
    assert shlex.split(_cmd_txt(output).read_text(encoding="utf-8"))[0] == FFMPEG
    assert [status for _, status in _logged_attempts(output)] == ["0"]

    write_stale()
    with pytest.raises(OutputExistsError):
        optimize([sources["fast"]], tmp_path)
    assert _cmd_txt(output).read_text(encoding="utf-8") == "stale command\n"
    assert _log_txt(output).read_text(encoding="utf-8") == "stale log\n"

    optimize([sources["fast"]], tmp_path, options=OptimizeOptions(force=True))
    assert shlex.split(_cmd_txt(output).read_text(encoding="utf-8"))[0] == FFMPEG
    assert [status for _, status in _logged_attempts(output)] == ["0"]


def test_remux_already_faststart(sources: dict[str, Path], tmp_path: Path) -> None:
    (output,) = optimize([sources["fast"]], tmp_path)
    assert _framemd5(output) == _framemd5(sources["fast"])
    boxes = top_level_boxes(output)
    assert boxes.index("moov") < boxes.index("mdat")


def test_remux_drops_unmuxable_stream(sources: dict[str, Path], tmp_path: Path) -> None:
    (output,) = optimize([sources["pcm"]], tmp_path)
    assert [s.codec_type for s in probe_streams(output)] == ["video"]
    assert _framemd5(output) == _framemd5(sources["pcm"])
    sidecar = _sidecar(output)
    assert sidecar.dropped_streams == ["stream 1 (audio pcm_s16le)"]


def test_transcode_as_asked(sources: dict[str, Path], tmp_path: Path) -> None:
    options = OptimizeOptions(target_height=720, fps=15, crf=28)
    (output,) = optimize([sources["hd"]], tmp_path, options=options)
    probe = probe_video(output)
    assert (probe.width, probe.height) == (1280, 720)
    assert probe.fps == pytest.approx(15)
    assert [s.codec_type for s in probe_streams(output)] == ["video", "audio"]
    sidecar = _sidecar(output)
    assert sidecar.mode == "transcode"
    assert (sidecar.transform.target_height, sidecar.transform.fps) == (720, 15.0)
    assert sidecar.transform.crf == 28
    assert sidecar.encode.crf == 28
    assert sidecar.encode.codec == "h264"
    assert sidecar.source.sha256 is not None


def test_transcode_reencodes_pcm_audio(sources: dict[str, Path], tmp_path: Path) -> None:
    (output,) = optimize([sources["pcm"]], tmp_path, options=OptimizeOptions(mode="transcode"))
    codecs = [(s.codec_type, s.codec_name) for s in probe_streams(output)]
    assert codecs == [("video", "h264"), ("audio", "aac")]


def test_auto_fallback_records_attempts(sources: dict[str, Path], tmp_path: Path) -> None:
    (output,) = optimize([sources["fast"]], tmp_path, options=OptimizeOptions(crf=30))
    sidecar = _sidecar(output)
    assert sidecar.encode.impl == "libx264"
    attempted = [a.encoder for a in sidecar.encode.attempts]
    assert "h264_nvenc" in attempted
    assert sidecar.encode.hardware_attempted is True


def test_explicit_encoder_not_replaced(
    sources: dict[str, Path], tmp_path: Path, cli: CliRunner
) -> None:
    with pytest.raises(ToolNotFoundError, match="h264_nvenc") as raised:
        optimize([sources["fast"]], tmp_path, options=OptimizeOptions(encoder="h264_nvenc"))
    assert "omit encoder (CLI: --encoder)" in str(raised.value)
    result = cli(
        "optimize",
        "run",
        "--input",
        sources["fast"],
        "--out-dir",
        tmp_path,
        "--encoder",
        "h264_nvenc",
    )
    assert result.code == 4
    assert "error: encoder h264_nvenc" in result.stderr
    assert "omit --encoder" in result.stderr
    assert list(tmp_path.glob("*.mp4")) == []
    assert list(tmp_path.glob("*.txt")) == []


def test_existing_output_fails_before_work(sources: dict[str, Path], tmp_path: Path) -> None:
    existing = tmp_path / "late_optimized.mp4"
    existing.write_bytes(b"earlier result")
    with pytest.raises(OutputExistsError) as raised:
        optimize([sources["fast"], sources["late"]], tmp_path)
    assert isinstance(raised.value, FileExistsError)
    assert str(existing) in str(raised.value)
    assert existing.read_bytes() == b"earlier result"
    assert not (tmp_path / "fast_optimized.mp4").exists()
    assert list(tmp_path.glob("*.txt")) == []
    # With no optimized sidecar beside it, Cosmos did not make the file, so force keeps it too.
    with pytest.raises(ValueError, match="has no Cosmos sidecar, so Cosmos did not make it"):
        optimize([sources["late"]], tmp_path, options=OptimizeOptions(force=True))
    assert existing.read_bytes() == b"earlier result"


def test_same_stem_inputs_rejected(sources: dict[str, Path], tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    twin = other / "late.mp4"
    twin.write_bytes(sources["late"].read_bytes())
    with pytest.raises(ValueError, match="would all be written to"):
        optimize([sources["late"], twin], tmp_path / "out")


def test_same_input_twice_rejected(sources: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="is given 2 times; give each input once"):
        optimize([sources["late"], sources["late"]], tmp_path / "out")


def test_remux_with_transform_rejected(sources: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="remux copies streams") as raised:
        optimize([sources["late"]], tmp_path, options=OptimizeOptions(mode="remux", fps=10))
    # SDK users get the keyword form first, with the command-line form beside it.
    assert "so fps (CLI: --fps) cannot apply" in str(raised.value)
    assert "use mode='transcode' (CLI: --mode transcode)" in str(raised.value)


def test_strict_auto_stays_remux(sources: dict[str, Path], tmp_path: Path) -> None:
    (output,) = optimize([sources["late"]], tmp_path, options=OptimizeOptions(profile="strict"))
    assert _sidecar(output).mode == "remux"
    document = msgspec.json.decode(
        (tmp_path / "cosmos_optimize_run.v1.json").read_bytes(), type=OptimizeRunDocument
    )
    assert document.options.profile == "strict"
    assert document.inputs[0].sha256 == _sidecar(output).source.sha256


def test_dry_run_writes_plan_only(sources: dict[str, Path], tmp_path: Path) -> None:
    planned = optimize(
        [sources["pcm"]], tmp_path, options=OptimizeOptions(dry_run=True, target_height=120)
    )
    assert planned == [tmp_path / "pcm_optimized.mp4"]
    assert not planned[0].exists()
    plan = msgspec.json.decode(
        (tmp_path / "cosmos_optimize_dry_run.json").read_bytes(), type=OptimizeDryRunPlan
    )
    assert plan.side_effects.creates_media_outputs is False
    assert [(Path(o.path).name, o.kind) for o in plan.outputs] == [
        ("pcm_optimized.mp4", "video"),
        ("pcm_optimized.mp4.cmd.txt", "command"),
        ("pcm_optimized.mp4.log.txt", "log"),
        ("pcm_optimized.mp4.cosmos_optimized.v1.json", "optimized-sidecar"),
    ]
    assert list(tmp_path.glob("*.txt")) == []
    assert plan.commands[0].argv[0].endswith("ffmpeg")
    argv = plan.commands[0].argv
    assert argv[argv.index("-vf") + 1] == "scale=-2:120:flags=lanczos,format=yuv420p"


def test_dry_run_flags_existing_output(
    sources: dict[str, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    existing = tmp_path / "fast_optimized.mp4"
    existing.write_bytes(b"earlier result")
    # An earlier optimize output: force may replace a file with an optimized sidecar.
    (tmp_path / "fast_optimized.mp4.cosmos_optimized.v1.json").write_text("{}", "utf-8")

    with caplog.at_level(logging.WARNING):
        optimize([sources["fast"]], tmp_path, options=OptimizeOptions(dry_run=True))
    plan = msgspec.json.decode(
        (tmp_path / "cosmos_optimize_dry_run.json").read_bytes(), type=OptimizeDryRunPlan
    )
    forced = OptimizeOptions(dry_run=True, force=True)
    optimize([sources["fast"]], tmp_path, options=forced)
    forced_plan = msgspec.json.decode(
        (tmp_path / "cosmos_optimize_dry_run.json").read_bytes(), type=OptimizeDryRunPlan
    )

    assert plan.outputs[0].exists is True
    assert plan.outputs[0].will_create_on_apply is False
    assert [(f.code, f.blocking) for f in plan.validation] == [("output-exists", True)]
    assert "already exist" in caplog.text
    assert forced_plan.outputs[0].will_create_on_apply is True
    assert forced_plan.validation == []
    assert existing.read_bytes() == b"earlier result"


def test_run_document_lists_inputs(sources: dict[str, Path], tmp_path: Path) -> None:
    result = optimize_run([sources["fast"], sources["pcm"]], tmp_path)
    assert [o.status for o in result.outcomes] == ["produced", "produced"]
    assert result.run_document is not None
    document = msgspec.json.decode(result.run_document.read_bytes(), type=OptimizeRunDocument)
    assert [Path(i.path).name for i in document.inputs] == ["fast.mp4", "pcm.mkv"]
    assert document.tool == "cosmos-optimize"
    assert document.summary.produced == 2


def test_source_clip_id_from_sidecar(sources: dict[str, Path], tmp_path: Path) -> None:
    # The sidecar beside the source is read in a worker thread while FFmpeg runs.
    source = tmp_path / "src" / "late.mp4"
    source.parent.mkdir()
    source.write_bytes(sources["late"].read_bytes())
    clip = {
        "clip_id": "clip-late-0123abcd",
        "output": {"path": str(source), "relpath": source.name, "sha256": "a" * 64},
        "source": {"path": "camera.mov", "sha256": "b" * 64},
    }
    sidecar_path = source.with_name(source.name + ".cosmos_clip.v1.json")
    sidecar_path.write_bytes(msgspec.json.encode(clip))
    (output,) = optimize([source], tmp_path / "out")
    assert _sidecar(output).source.clip_id == "clip-late-0123abcd"


def test_source_clip_id_absent(sources: dict[str, Path], tmp_path: Path) -> None:
    (output,) = optimize([sources["fast"]], tmp_path)
    assert _sidecar(output).source.clip_id is None


@pytest.mark.parametrize("mode", ["remux", "transcode"])
def test_truncated_source_fails(
    sources: dict[str, Path], tmp_path: Path, cli: CliRunner, mode: str
) -> None:
    truncated = write_truncated_mp4(tmp_path / "truncated.mp4", width=320, height=180)
    out_dir = tmp_path / "out"
    extra = ["--target-height", "90"] if mode == "transcode" else []

    result = cli("optimize", "run", "--input", truncated, "--out-dir", out_dir, *extra)

    assert result.code != 0
    assert "looks truncated" in result.stderr
    assert str(truncated) in result.stderr
    assert list(out_dir.glob("*.mp4")) == []
    assert list(out_dir.glob("*.cosmos_optimized.v1.json")) == []
    assert [path.name for path in out_dir.iterdir() if path.name.startswith(".")] == []


def test_never_replaces_a_clip(sources: dict[str, Path], tmp_path: Path, cli: CliRunner) -> None:
    clip = tmp_path / "fast.mp4"
    clip.write_bytes(b"clip bytes")
    sidecar = tmp_path / "fast.mp4.cosmos_clip.v1.json"
    sidecar.write_text("{}", encoding="utf-8")
    args = ("--input", sources["fast"], "--out-dir", tmp_path, "--suffix", "", "--force")

    result = cli("optimize", "run", *args)

    assert result.code == 3
    assert f"output {clip} is a clip file with its own clip sidecar" in result.stderr
    assert clip.read_bytes() == b"clip bytes"


def test_full_disk_keeps_earlier_output(
    sources: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (output,) = optimize([sources["fast"]], tmp_path)
    sidecar = output.with_name(output.name + ".cosmos_optimized.v1.json")
    before = (sha256_file(output), sha256_file(sidecar), sha256_file(_cmd_txt(output)))

    fill_disk_for(monkeypatch, ".cosmos_optimized.v1.json")
    options = OptimizeOptions(force=True, mode="transcode", crf=35)
    result = optimize_run([sources["fast"]], tmp_path, options=options)

    (outcome,) = result.outcomes
    assert outcome.status == "failed"
    assert outcome.reason is not None
    assert f"cannot write {sidecar}: No space left on device" in outcome.reason
    assert (sha256_file(output), sha256_file(sidecar), sha256_file(_cmd_txt(output))) == before
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".partial")] == []


def test_symlinked_input_names_output(sources: dict[str, Path], tmp_path: Path) -> None:
    link = tmp_path / "in" / "renamed.mp4"
    link.parent.mkdir()
    link.symlink_to(sources["fast"])
    (output,) = optimize([link], tmp_path / "out")
    assert output.name == "renamed_optimized.mp4"
    sidecar = msgspec.json.decode(
        output.with_name(output.name + ".cosmos_optimized.v1.json").read_bytes(),
        type=OptimizedDocument,
    )
    assert sidecar.source.path == str(link)


def test_input_reached_through_link_kept(sources: dict[str, Path], tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    source = real / "clip.mp4"
    source.write_bytes(sources["fast"].read_bytes())
    (tmp_path / "linked").symlink_to(real)
    before = sha256_file(source)
    with pytest.raises(ValueError, match="would overwrite its input"):
        optimize([tmp_path / "linked" / "clip.mp4"], real, options=OptimizeOptions(suffix=""))
    assert sha256_file(source) == before

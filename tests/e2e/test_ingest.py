"""Generic-media ingest with the real FFmpeg on generated clips."""

from __future__ import annotations

import hashlib
import logging
import shlex
from dataclasses import dataclass
from pathlib import Path

import msgspec
import pytest
from syrupy.assertion import SnapshotAssertion

from cosmos.core.model.documents import (
    ClipDocument,
    IngestDryRunPlan,
    IngestRunDocument,
    encode_document,
)
from cosmos.sdk.crop import CropJob, crop
from cosmos.sdk.errors import OutputExistsError
from cosmos.sdk.ingest import IngestOptions, IngestResult, ingest, ingest_run
from cosmos.sdk.optimize import OptimizeOptions, optimize
from cosmos.sdk.video import probe_video
from cosmos.shell.binaries import resolve_tool
from tests.helpers import CliRunner, fill_disk_for, media_files, partial_files, scrub_document
from tests.media import GeneratedClip, MediaCache, probe_streams, top_level_boxes

pytestmark = pytest.mark.slow

RUN_DOCUMENT = "cosmos_ingest_run.v1.json"


def _ffmpeg() -> str:
    """Return the ffmpeg Cosmos resolves, as it appears in argv and documents."""
    return str(resolve_tool("ffmpeg").unwrap().path)


@dataclass(frozen=True, slots=True)
class Run:
    input_dir: Path
    output_dir: Path
    result: IngestResult


def _sidecar(media: Path) -> ClipDocument:
    path = media.with_name(f"{media.name}.cosmos_clip.v1.json")
    return msgspec.json.decode(path.read_bytes(), type=ClipDocument, strict=True)


def _run_document(folder: Path) -> IngestRunDocument:
    data = (folder / RUN_DOCUMENT).read_bytes()
    return msgspec.json.decode(data, type=IngestRunDocument, strict=True)


@pytest.fixture(scope="module")
def basic_run(media: MediaCache, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Three clips: H.264 with AAC in MP4, with PCM in MOV, and silent in MKV."""
    root = tmp_path_factory.mktemp("basic")
    input_dir = root / "in"
    media.copy(GeneratedClip(320, 240, audio="aac"), input_dir, "a.mp4")
    media.copy(GeneratedClip(160, 120, audio="pcm", container="mov"), input_dir, "b.mov")
    media.copy(GeneratedClip(128, 96), input_dir, "c.mkv")
    output_dir = root / "out"
    return Run(input_dir, output_dir, ingest_run(input_dir, output_dir))


OUTPUTS = ["a.mp4", "b.mp4", "c.mp4"]


def test_basic_all_produced(basic_run: Run) -> None:
    statuses = [(outcome.name, outcome.status) for outcome in basic_run.result.outcomes]
    assert statuses == [("a", "produced"), ("b", "produced"), ("c", "produced")]
    assert list(basic_run.result.produced) == [basic_run.output_dir / name for name in OUTPUTS]


def test_basic_output_folder_contents(basic_run: Run) -> None:
    expected = {RUN_DOCUMENT, "cosmos_runs"}
    for name in OUTPUTS:
        expected |= {name, f"{name}.cmd.txt", f"{name}.log.txt", f"{name}.cosmos_clip.v1.json"}
    assert {path.name for path in basic_run.output_dir.iterdir()} == expected


def test_basic_nothing_partial(basic_run: Run) -> None:
    assert partial_files(basic_run.output_dir) == []


@pytest.mark.parametrize("name", OUTPUTS)
def test_output_h264_yuv420p(basic_run: Run, name: str) -> None:
    video = probe_streams(basic_run.output_dir / name)[0]
    assert video.codec_type == "video"
    assert video.codec_name == "h264"
    assert video.pix_fmt == "yuv420p"


@pytest.mark.parametrize("name", OUTPUTS)
def test_output_moov_before_mdat(basic_run: Run, name: str) -> None:
    boxes = top_level_boxes(basic_run.output_dir / name)
    assert "moov" in boxes
    assert "mdat" in boxes
    assert boxes.index("moov") < boxes.index("mdat")


@pytest.mark.parametrize(
    ("name", "size"), [("a.mp4", (320, 240)), ("b.mp4", (160, 120)), ("c.mp4", (128, 96))]
)
def test_output_keeps_small_size(basic_run: Run, name: str, size: tuple[int, int]) -> None:
    video = probe_streams(basic_run.output_dir / name)[0]
    assert (video.width, video.height) == size


@pytest.mark.parametrize(("name", "audio"), [("a.mp4", ["aac"]), ("b.mp4", ["aac"]), ("c.mp4", [])])
def test_output_audio(basic_run: Run, name: str, audio: list[str]) -> None:
    streams = probe_streams(basic_run.output_dir / name)
    assert [s.codec_name for s in streams if s.codec_type == "audio"] == audio


@pytest.mark.parametrize("name", OUTPUTS)
def test_sidecar_sha256_matches_file(basic_run: Run, name: str) -> None:
    media = basic_run.output_dir / name
    document = _sidecar(media)
    assert document.output.sha256 == hashlib.sha256(media.read_bytes()).hexdigest()
    assert document.output.bytes == media.stat().st_size


@pytest.mark.parametrize(("name", "source"), [("a.mp4", "a.mp4"), ("b.mp4", "b.mov")])
def test_sidecar_source_sha256(basic_run: Run, name: str, source: str) -> None:
    document = _sidecar(basic_run.output_dir / name)
    source_path = basic_run.input_dir / source
    assert document.source.sha256 == hashlib.sha256(source_path.read_bytes()).hexdigest()
    assert (basic_run.output_dir / document.source.relpath).resolve() == source_path.resolve()


def test_sidecar_facts(basic_run: Run) -> None:
    document = _sidecar(basic_run.output_dir / "a.mp4")
    assert document.clip_id == f"clip-a-{document.output.sha256[:8]}"
    assert (document.video.width, document.video.height) == (320, 240)
    assert document.video.frame_count == 25
    assert document.frames.end == 25
    assert document.time_ms.t1 == pytest.approx(1000, abs=50)
    assert document.encode.impl == "libx264"
    assert document.encode.crf == 23


@pytest.mark.parametrize("name", OUTPUTS)
def test_sidecar_joins_run(basic_run: Run, name: str) -> None:
    assert _sidecar(basic_run.output_dir / name).ingest_run_id == basic_run.result.run_id


def test_run_document_lists_clips(basic_run: Run) -> None:
    document = _run_document(basic_run.output_dir)
    assert document.ingest_run_id == basic_run.result.run_id
    assert [(clip.name, clip.status) for clip in document.clips] == [
        ("a", "produced"),
        ("b", "produced"),
        ("c", "produced"),
    ]
    assert (document.summary.produced, document.summary.failed) == (3, 0)


def test_run_document_clip_hashes(basic_run: Run) -> None:
    for clip in _run_document(basic_run.output_dir).clips:
        assert clip.output is not None
        assert clip.sha256 == hashlib.sha256(Path(clip.output).read_bytes()).hexdigest()


def test_run_document_archived(basic_run: Run) -> None:
    archived = basic_run.output_dir / "cosmos_runs" / f"{basic_run.result.run_id}.{RUN_DOCUMENT}"
    assert archived.read_bytes() == (basic_run.output_dir / RUN_DOCUMENT).read_bytes()


def test_cmd_txt_is_argv(basic_run: Run) -> None:
    argv = shlex.split((basic_run.output_dir / "a.mp4.cmd.txt").read_text(encoding="utf-8"))
    assert Path(argv[0]).name == "ffmpeg"
    assert f"file:{basic_run.input_dir / 'a.mp4'}" in argv
    assert argv[-2:-1] == ["mp4"]


def test_log_txt_records_run(basic_run: Run) -> None:
    log = (basic_run.output_dir / "a.mp4.log.txt").read_text(encoding="utf-8")
    assert log.startswith("$ ")
    assert "# exit 0" in log


@pytest.mark.parametrize(
    ("file_name", "document_type"),
    [
        ("a.mp4.cosmos_clip.v1.json", ClipDocument),
        ("b.mp4.cosmos_clip.v1.json", ClipDocument),
        (RUN_DOCUMENT, IngestRunDocument),
    ],
)
def test_documents_decode_strict(
    basic_run: Run, file_name: str, document_type: type[msgspec.Struct]
) -> None:
    data = (basic_run.output_dir / file_name).read_bytes()
    document = msgspec.json.decode(data, type=document_type, strict=True)
    assert encode_document(document) == data


def test_dry_run_writes_plan_only(media: MediaCache, tmp_path: Path) -> None:
    media.copy(GeneratedClip(320, 240, audio="aac"), tmp_path / "in", "a.mp4")
    output_dir = tmp_path / "out"
    planned = ingest(tmp_path / "in", output_dir, options=IngestOptions(dry_run=True))
    assert planned == [output_dir / "a.mp4"]
    assert sorted(path.name for path in output_dir.iterdir()) == [
        "cosmos_dry_run.json",
        "cosmos_ingest_dry_run.v1.json",
    ]
    data = (output_dir / "cosmos_ingest_dry_run.v1.json").read_bytes()
    assert (output_dir / "cosmos_dry_run.json").read_bytes() == data
    plan = msgspec.json.decode(data, type=IngestDryRunPlan, strict=True)
    assert encode_document(plan) == data
    assert plan.side_effects.writes_metadata[:2] == [
        str(output_dir / "cosmos_ingest_dry_run.v1.json"),
        str(output_dir / "cosmos_dry_run.json"),
    ]
    assert plan.commands[0].argv[0] == _ffmpeg()
    assert [clip.status for clip in plan.clips] == ["planned"]


def test_4k_default_keeps_size(media: MediaCache, tmp_path: Path) -> None:
    media.copy(GeneratedClip(3840, 2160, seconds=0.3, fps=10), tmp_path / "in", "uhd.mp4")
    (output,) = ingest(tmp_path / "in", tmp_path / "out")
    video = probe_streams(output)[0]
    assert (video.width, video.height) == (3840, 2160)


def test_4k_into_1080p(media: MediaCache, tmp_path: Path) -> None:
    media.copy(GeneratedClip(3840, 2160, seconds=0.3, fps=10), tmp_path / "in", "uhd.mp4")
    options = IngestOptions(width=1920, height=1080)
    (output,) = ingest(tmp_path / "in", tmp_path / "out", options=options)
    video = probe_streams(output)[0]
    assert (video.width, video.height) == (1920, 1080)
    assert _sidecar(output).encode.filtergraph.startswith("scale=1920:1080:")


def test_same_stem_both_produced(media: MediaCache, tmp_path: Path) -> None:
    media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "in", "take.mp4")
    media.copy(GeneratedClip(96, 64, seconds=0.5, container="mov"), tmp_path / "in", "take.mov")
    outputs = ingest(tmp_path / "in", tmp_path / "out")
    assert [path.name for path in outputs] == ["take_mov.mp4", "take_mp4.mp4"]
    sizes = [probe_streams(path)[0].width for path in outputs]
    assert sizes == [96, 64]


def test_odd_names_work(media: MediaCache, tmp_path: Path) -> None:
    input_dir = tmp_path / "in 'quoted' \"dir\" é"
    name = '-it\'s a "take" $HOME ü 東京.mp4'
    media.copy(GeneratedClip(64, 48, seconds=0.5), input_dir, name)
    output_dir = tmp_path / "out dir ñ"
    (output,) = ingest(input_dir, output_dir)
    stem = name.removesuffix(".mp4")
    assert output == output_dir / f"{stem}.mp4"
    assert probe_streams(output)[0].codec_name == "h264"
    argv = shlex.split(output.with_name(f"{stem}.mp4.cmd.txt").read_text(encoding="utf-8"))
    assert f"file:{input_dir / name}" in argv
    assert _sidecar(output).name == stem


def test_window_limits_duration(media: MediaCache, tmp_path: Path) -> None:
    media.copy(GeneratedClip(64, 48, seconds=2), tmp_path / "in", "long.mp4")
    (output,) = ingest(tmp_path / "in", tmp_path / "out", options=IngestOptions(window_seconds=0.4))
    probe = probe_video(output)
    assert probe.duration_seconds == pytest.approx(0.4, abs=0.05)
    assert probe.frame_count == 10


def test_clips_filter(media: MediaCache, tmp_path: Path) -> None:
    for name in ("Keep.mp4", "drop.mp4"):
        media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "in", name)
    outputs = ingest(tmp_path / "in", tmp_path / "out", options=IngestOptions(clips=["KEEP"]))
    assert outputs == [tmp_path / "out" / "Keep.mp4"]
    assert media_files(tmp_path / "out") == ["Keep.mp4"]


def test_upscale_when_allowed(media: MediaCache, tmp_path: Path) -> None:
    media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "in", "small.mp4")
    options = IngestOptions(width=256, height=256, allow_upscale=True)
    (output,) = ingest(tmp_path / "in", tmp_path / "out", options=options)
    video = probe_streams(output)[0]
    assert (video.width, video.height) == (256, 192)


def test_second_run_keeps_first_document(media: MediaCache, tmp_path: Path) -> None:
    media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "in", "a.mp4")
    first = ingest_run(tmp_path / "in", tmp_path / "out")
    second = ingest_run(tmp_path / "in", tmp_path / "out", options=IngestOptions(force=True))
    archived = sorted(path.name for path in (tmp_path / "out" / "cosmos_runs").iterdir())
    assert archived == sorted(f"{run.run_id}.{RUN_DOCUMENT}" for run in (first, second))
    assert _run_document(tmp_path / "out").ingest_run_id == second.run_id
    assert first.run_id != second.run_id


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_existing_clip_kept_without_force(media: MediaCache, tmp_path: Path) -> None:
    media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "first", "a.mp4")
    media.copy(GeneratedClip(96, 64, seconds=0.5), tmp_path / "second", "a.mp4")
    (clip,) = ingest(tmp_path / "first", tmp_path / "out")
    sidecar = clip.with_name(clip.name + ".cosmos_clip.v1.json")
    before = (_sha256(clip), _sha256(sidecar))
    with pytest.raises(FileExistsError) as raised:
        ingest(tmp_path / "second", tmp_path / "out")
    assert isinstance(raised.value, OutputExistsError)
    assert f"{clip}, {sidecar};" in str(raised.value)
    assert "force=True" in str(raised.value)
    assert (_sha256(clip), _sha256(sidecar)) == before
    assert len(list((tmp_path / "out" / "cosmos_runs").iterdir())) == 1

    (replaced,) = ingest(tmp_path / "second", tmp_path / "out", options=IngestOptions(force=True))
    assert replaced == clip
    assert probe_streams(clip)[0].width == 96
    assert _sidecar(clip).output.sha256 == _sha256(clip) != before[0]


def test_clip_never_replaces_optimized(media: MediaCache, tmp_path: Path) -> None:
    source = media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "in", "a.mp4")
    (optimized,) = optimize([source], tmp_path / "out", options=OptimizeOptions(suffix=""))
    before = _sha256(optimized)
    with pytest.raises(
        ValueError, match="is an optimized file with its own optimized sidecar"
    ) as raised:
        ingest(tmp_path / "in", tmp_path / "out", options=IngestOptions(force=True))
    assert "even with force" in str(raised.value)
    assert _sha256(optimized) == before
    assert not optimized.with_name("a.mp4.cosmos_clip.v1.json").exists()


def test_force_keeps_file_cosmos_did_not_make(media: MediaCache, tmp_path: Path) -> None:
    media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "in", "a.mp4")
    recording = tmp_path / "out" / "a.mp4"
    recording.parent.mkdir()
    recording.write_bytes(b"an original recording")
    with pytest.raises(FileExistsError):
        ingest(tmp_path / "in", tmp_path / "out")
    with pytest.raises(ValueError, match="has no Cosmos sidecar, so Cosmos did not make it"):
        ingest(tmp_path / "in", tmp_path / "out", options=IngestOptions(force=True))
    assert recording.read_bytes() == b"an original recording"


def test_force_warns_of_views_cut_from_clip(
    media: MediaCache, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "first", "a.mp4")
    media.copy(GeneratedClip(96, 64, seconds=0.5), tmp_path / "second", "a.mp4")
    (clip,) = ingest(tmp_path / "first", tmp_path / "out")
    (view,) = crop([clip], [CropJob(size=32)], tmp_path / "out" / "views")

    with caplog.at_level(logging.WARNING, logger="cosmos"):
        ingest(tmp_path / "second", tmp_path / "out", options=IngestOptions(force=True))

    sidecar = view.with_name(view.name + ".cosmos_view.v1.json")
    assert f"replacing clips that other artifacts were made from: {sidecar} (made from" in (
        caplog.text
    )
    assert "verify will report them as changed sources" in caplog.text


def test_full_disk_keeps_earlier_clip(
    media: MediaCache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "first", "a.mp4")
    media.copy(GeneratedClip(96, 64, seconds=0.5), tmp_path / "second", "a.mp4")
    (clip,) = ingest(tmp_path / "first", tmp_path / "out")
    sidecar = clip.with_name(clip.name + ".cosmos_clip.v1.json")
    cmd = clip.with_name(clip.name + ".cmd.txt")
    before = (_sha256(clip), _sha256(sidecar), _sha256(cmd))

    fill_disk_for(monkeypatch, ".cosmos_clip.v1.json")
    result = ingest_run(tmp_path / "second", tmp_path / "out", options=IngestOptions(force=True))

    (outcome,) = result.outcomes
    assert outcome.status == "failed"
    assert outcome.reason is not None
    assert f"cannot write {sidecar}: No space left on device" in outcome.reason
    # FFmpeg finished, but the clip was not replaced, so cmd.txt keeps the first run's argv.
    assert (_sha256(clip), _sha256(sidecar), _sha256(cmd)) == before
    assert partial_files(tmp_path / "out") == []
    assert _run_document(tmp_path / "out").clips[0].status == "failed"


def test_full_disk_after_ffmpeg_names_the_write(
    media: MediaCache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "in", "a.mp4")
    # log.txt is written with atomic_write_text, which writes through atomic_write_bytes.
    fill_disk_for(monkeypatch, ".mp4.")
    result = ingest_run(tmp_path / "in", tmp_path / "out")
    (outcome,) = result.outcomes
    assert outcome.status == "failed"
    assert outcome.reason is not None
    assert "cannot start" not in outcome.reason
    assert "No space left on device" in outcome.reason
    assert media_files(tmp_path / "out") == []
    assert partial_files(tmp_path / "out") == []


def test_full_disk_run_document_exit_5(
    media: MediaCache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: CliRunner
) -> None:
    media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "in", "a.mp4")
    fill_disk_for(monkeypatch, "ingest_run")
    result = cli("ingest", "run", "--input-dir", tmp_path / "in", "--output-dir", tmp_path / "out")
    assert result.code == 5
    assert "error: No space left on device (" in result.stderr
    assert "cosmos_ingest_run.v1.json" in result.stderr


def test_dry_run_warns_of_existing_clip(
    media: MediaCache, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "in", "a.mp4")
    (clip,) = ingest(tmp_path / "in", tmp_path / "out")
    before = _sha256(clip)
    planned = ingest(tmp_path / "in", tmp_path / "out", options=IngestOptions(dry_run=True))
    assert planned == [clip]
    assert any("already exist" in r.message and str(clip) in r.message for r in caplog.records)
    assert _sha256(clip) == before
    plan = msgspec.json.decode(
        (tmp_path / "out" / "cosmos_ingest_dry_run.v1.json").read_bytes(), type=IngestDryRunPlan
    )
    assert [(v.code, v.blocking) for v in plan.validation] == [("output-exists", True)] * 2
    assert not any(o.will_create_on_apply for o in plan.outputs)
    assert plan.options.force is False

    forced = IngestOptions(dry_run=True, force=True)
    ingest(tmp_path / "in", tmp_path / "out", options=forced)
    plan = msgspec.json.decode(
        (tmp_path / "out" / "cosmos_ingest_dry_run.v1.json").read_bytes(), type=IngestDryRunPlan
    )
    assert plan.validation == []
    assert all(o.will_create_on_apply for o in plan.outputs)
    assert plan.options.force is True


def test_existing_clips_other_clip_selected(media: MediaCache, tmp_path: Path) -> None:
    media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "in", "a.mp4")
    media.copy(GeneratedClip(64, 48, seconds=0.5), tmp_path / "in", "b.mp4")
    (first,) = ingest(tmp_path / "in", tmp_path / "out", options=IngestOptions(clips=["a"]))
    before = _sha256(first)
    (second,) = ingest(tmp_path / "in", tmp_path / "out", options=IngestOptions(clips=["b"]))
    assert second.name == "b.mp4"
    assert _sha256(first) == before


def test_strict_run_documents(
    media: MediaCache, tmp_path: Path, snapshot_json: SnapshotAssertion
) -> None:
    media.copy(GeneratedClip(160, 120, seconds=0.4), tmp_path / "in", "clip.mp4")
    options = IngestOptions(width=128, height=128, profile="strict", decode="sw")
    result = ingest_run(tmp_path / "in", tmp_path / "out", options=options)
    sidecar = scrub_document(tmp_path / "out" / "clip.mp4.cosmos_clip.v1.json", tmp_path, _ffmpeg())
    run_document = scrub_document(tmp_path / "out" / RUN_DOCUMENT, tmp_path, _ffmpeg())
    assert result.outcomes[0].status == "produced"
    assert sidecar == snapshot_json(name="clip")
    assert run_document == snapshot_json(name="run")

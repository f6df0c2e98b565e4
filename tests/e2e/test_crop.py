"""Crop runs end to end: the rectangle cut matches the sidecar, trims are frame-exact, names
never collide, curated views run as one crop run."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import subprocess
from pathlib import Path

import msgspec
import pytest

from cosmos.core.model.documents import CropDryRunPlan, CropRunDocument, ViewDocument
from cosmos.crop.curated_views import parse_curated_views
from cosmos.crop.jobs import parse_jobs_json
from cosmos.sdk.crop import CropJob, RectCropJob, crop, crop_pairs
from cosmos.sdk.errors import OutputExistsError
from cosmos.sdk.video import extract_frames_at_indices, probe_video
from tests.helpers import CliRunner, ffmpeg_failing_encodes, fill_disk_for
from tests.media import FFMPEG, write_truncated_mp4

WIDTH, HEIGHT, FPS = 320, 180, 25
MARKS = (
    (0, 0, "red"),
    (WIDTH - 20, 0, "lime"),
    (0, HEIGHT - 20, "blue"),
    (WIDTH - 20, HEIGHT - 20, "white"),
)
COLOURS = {"red": (255, 0, 0), "lime": (0, 255, 0), "blue": (0, 0, 255), "white": (255, 255, 255)}


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


@pytest.fixture(scope="module")
def marks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A grey scene with coloured marks: red top-left, lime top-right, blue bottom-left,
    white bottom-right, each 20x20 px in its corner."""
    path = tmp_path_factory.mktemp("crop") / "marks.mp4"
    boxes = ",".join(f"drawbox=x={x}:y={y}:w=20:h=20:color={color}:t=fill" for x, y, color in MARKS)
    _ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"color=c=gray:s={WIDTH}x{HEIGHT}:r={FPS}",
        "-t",
        "2",
        "-vf",
        boxes,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-qp",
        "0",
        "-pix_fmt",
        "yuv420p",
        str(path),
    )
    return path


@pytest.fixture(scope="module")
def counter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 25 fps clip whose frame n is uniformly grey with luma 16 + 8 * (n mod 25), GOP 50."""
    path = tmp_path_factory.mktemp("crop-counter") / "counter.mp4"
    _ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"color=c=black:s={WIDTH}x{HEIGHT}:r={FPS}",
        "-t",
        "4",
        "-vf",
        "geq=lum='16+8*mod(N\\,25)':cb=128:cr=128",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-g",
        "50",
        "-qp",
        "0",
        "-pix_fmt",
        "yuv420p",
        str(path),
    )
    return path


def _grey(frame_number: int) -> float:
    """Return the RGB level of counter frame ``frame_number`` (limited-range luma to RGB)."""
    return 8 * (frame_number % 25) * 255 / 219


def _view(output: Path) -> ViewDocument:
    data = output.with_name(output.name + ".cosmos_view.v1.json").read_bytes()
    return msgspec.json.decode(data, type=ViewDocument)


def _pixel(rgb24: bytes, width: int, x: int, y: int) -> tuple[int, int, int]:
    offset = (y * width + x) * 3
    red, green, blue = rgb24[offset : offset + 3]
    return red, green, blue


@pytest.mark.parametrize(
    ("job", "rect"),
    [
        (CropJob(size=100, offset_x=-1, offset_y=-1), (0, 0, 100, 100)),
        (CropJob(size=100), (110, 40, 100, 100)),
        (CropJob(size=100, offset_x=1, offset_y=1), (220, 80, 100, 100)),
        (CropJob(size=60, center_x=0, center_y=0), (0, 0, 60, 60)),
        (CropJob(size=60, center_x=1, center_y=1), (260, 120, 60, 60)),
        (CropJob(size=60, center_x=0.5, center_y=0.5), (130, 60, 60, 60)),
        (CropJob(size=101, offset_x=1, offset_y=-1), (220, 0, 100, 100)),
        (RectCropJob(x0=0.5, y0=0.5, w=0.5, h=0.5), (160, 90, 160, 90)),
        (RectCropJob(x0=300, y0=160, w=40, h=40, normalized=False), (280, 140, 40, 40)),
    ],
    ids=[
        "offset-min",
        "offset-zero",
        "offset-max",
        "centre-0",
        "centre-1",
        "centre-half",
        "odd-size",
        "rect-norm",
        "rect-px-clamped",
    ],
)
def test_rect_cut_matches_sidecar(
    marks: Path, tmp_path: Path, job: CropJob | RectCropJob, rect: tuple[int, int, int, int]
) -> None:
    (output,) = crop([marks], [job], tmp_path)
    view = _view(output)
    assert (view.crop.rect.x, view.crop.rect.y, view.crop.rect.w, view.crop.rect.h) == rect
    probe = probe_video(output)
    assert (probe.width, probe.height) == (rect[2], rect[3])
    (frame,) = extract_frames_at_indices(output, [0])
    x, y, w, h = rect
    for mark_x, mark_y, colour in MARKS:
        if not (x <= mark_x and mark_x + 20 <= x + w and y <= mark_y and mark_y + 20 <= y + h):
            continue
        # A mark inside the rectangle shows at its shifted place in the view.
        pixel = _pixel(frame.rgb24, w, mark_x - x + 10, mark_y - y + 10)
        assert all(abs(a - b) < 40 for a, b in zip(pixel, COLOURS[colour], strict=True)), colour


def test_corner_mark_lands_in_view(marks: Path, tmp_path: Path) -> None:
    (output,) = crop([marks], [CropJob(size=100, offset_x=-1, offset_y=-1)], tmp_path)
    (frame,) = extract_frames_at_indices(output, [0])
    red, green, blue = _pixel(frame.rgb24, 100, 5, 5)
    assert red > 200
    assert green < 60
    assert blue < 60
    grey = _pixel(frame.rgb24, 100, 60, 60)
    assert max(grey) - min(grey) < 20


def test_warnings_recorded_for_adjustments(marks: Path, tmp_path: Path) -> None:
    job = RectCropJob(x0=301, y0=161, w=41, h=41, normalized=False)
    (output,) = crop([marks], [job], tmp_path)
    warnings = _view(output).crop.warnings
    assert any("even values" in w for w in warnings)
    assert any("clamped" in w for w in warnings)


def test_odd_square_on_444_source(tmp_path: Path) -> None:
    source = tmp_path / "odd444.mp4"
    _ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=321x241:rate=10", "-t", "0.5",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p", str(source),
    )  # fmt: skip
    (output,) = crop([source], [CropJob(size=201, offset_x=1, offset_y=1)], tmp_path / "out")
    probe = probe_video(output)
    assert (probe.width, probe.height) == (200, 200)
    view = _view(output)
    assert any("size 201 is odd" in w for w in view.crop.warnings)


@pytest.mark.parametrize(
    "job",
    [
        CropJob(size=500),
        CropJob(size=100, offset_x=0.5, center_x=0.5),
        CropJob(size=100, offset_x=2),
        CropJob(size=100, center_y=-0.1),
        RectCropJob(x0=0.8, w=0.5),
        RectCropJob(w=0),
        CropJob(size=100, start=2, end=1),
    ],
    ids=[
        "too-big",
        "offset-and-centre",
        "offset-range",
        "centre-range",
        "rect-outside",
        "rect-empty",
        "trim-backwards",
    ],
)
def test_invalid_job_before_encode(marks: Path, tmp_path: Path, job: CropJob | RectCropJob) -> None:
    with pytest.raises(ValueError, match="invalid"):
        crop([marks], [CropJob(size=50), job], tmp_path)
    assert list(tmp_path.glob("*.mp4")) == []
    assert list(tmp_path.glob("*.txt")) == []


@pytest.mark.parametrize(("start", "end"), [(1.0, 2.0), (0.52, 1.32), (0.0, 0.4)])
def test_trim_frame_exact(counter: Path, tmp_path: Path, start: float, end: float) -> None:
    (output,) = crop([counter], [CropJob(size=100, start=start, end=end)], tmp_path)
    expected_first = int(start * FPS + 1e-9)
    expected_count = round((end - start) * FPS)
    assert probe_video(output).frame_count == expected_count
    first, last = extract_frames_at_indices(output, [0, expected_count - 1])
    assert abs(first.rgb24[0] - _grey(expected_first)) <= 3
    assert abs(last.rgb24[0] - _grey(expected_first + expected_count - 1)) <= 3
    trim = _view(output).crop.trim
    assert (trim.first_frame, trim.frame_count) == (expected_first, expected_count)


def test_default_job_and_names(marks: Path, counter: Path, tmp_path: Path) -> None:
    outputs = crop([marks, counter], [], tmp_path)
    assert sorted(p.name for p in outputs) == [
        "crop_000_job00_t00_s180.mp4",
        "crop_001_job00_t00_s180.mp4",
    ]


def test_same_view_id_several_inputs(marks: Path, tmp_path: Path) -> None:
    twin_dir = tmp_path / "twin"
    twin_dir.mkdir()
    twin = twin_dir / "marks.mp4"
    twin.write_bytes(marks.read_bytes())
    job = RectCropJob(x0=0, y0=0, w=0.5, h=0.5, view_id="left")
    outputs = crop([marks, twin], [job], tmp_path / "out")
    assert sorted(p.name for p in outputs) == ["marks_left_000.mp4", "marks_left_001.mp4"]
    assert all(p.exists() for p in outputs)


def test_sidecar_joins_source(marks: Path, tmp_path: Path) -> None:
    (output,) = crop([marks], [CropJob(size=100)], tmp_path)
    view = _view(output)
    from cosmos.sdk.provenance import sha256_file

    assert view.source.sha256 == sha256_file(marks)
    assert view.output.sha256 == sha256_file(output)
    assert view.input_clip_id is None
    assert view.view_id.startswith("view-")
    run = msgspec.json.decode(
        (tmp_path / "cosmos_crop_run.v1.json").read_bytes(), type=CropRunDocument
    )
    assert view.crop_run_id == run.crop_run_id
    assert run.jobs[0].sha256 == view.output.sha256


def test_relative_input_relpath_resolves(
    marks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ing").mkdir()
    source = tmp_path / "ing" / "marks.mp4"
    source.write_bytes(marks.read_bytes())
    monkeypatch.chdir(tmp_path)
    (output,) = crop([Path("ing/marks.mp4")], [CropJob(size=100)], Path("crop"))
    view = _view(tmp_path / output)
    assert view.source.relpath == "../ing/marks.mp4"
    assert view.source.path == "ing/marks.mp4"
    assert view.output.relpath == output.name


def test_jobs_file_square_and_rect(marks: Path, tmp_path: Path) -> None:
    square = tmp_path / "square.json"
    square.write_text(
        json.dumps({"targets": [100, 60], "offset_x": -1, "trim_start": "0.2", "trim_end": 1}),
        encoding="utf-8",
    )
    jobs = parse_jobs_json(square)
    assert [job.size for job in jobs if isinstance(job, CropJob)] == [100, 60]
    rect = tmp_path / "rect.json"
    rect.write_text(
        json.dumps(
            [
                {"crop_mode": "rect", "crop_norm": [0, 0, 0.5, 0.5], "view_id": "tl"},
                {
                    "crop_mode": "rect",
                    "crop_px": {"x0": 160, "y0": 90, "w": 160, "h": 90},
                    "id": "br",
                },
            ]
        ),
        encoding="utf-8",
    )
    outputs = crop([marks], parse_jobs_json(rect), tmp_path / "out")
    assert sorted(p.name for p in outputs) == ["br.mp4", "tl.mp4"]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([{"crop_mode": "circle"}], "object 0: invalid crop_mode"),
        (
            [{"targets": 100}, {"crop_mode": "rect", "crop_norm": [0, 0, 1, 1]}],
            "all square or all rect",
        ),
        ([{"crop_mode": "rect"}], "object 0: invalid crop_norm"),
        ([{"targets": 100}, {"trim_start": "soon"}], "object 1: invalid trim_start"),
        ([{"trim_unit": "frames"}], "invalid trim_unit"),
        ([{"crop_mode": "rect", "crop_norm": [0, 0, 1]}], "expected [x0, y0, w, h]"),
        ([], "lists no jobs"),
        ([{"crop_norm": [0, 0, 1, 1], "view_id": "x"}], 'add "crop_mode": "rect"'),
        ([{"crop_mode": "square", "crop_px": [0, 0, 8, 8]}], "crop_mode is square"),
        (
            [{"crop_mode": "rect", "crop_norm": [0, 0, 1, 1], "view_id": "../a"}],
            "it contains '/'",
        ),
        ([{"crop_mode": "rect", "crop_norm": [0, 0, 1, 1], "id": ".."}], "it is '..'"),
        ([{"targets": 100, "offset_x": 5}], "object 0: invalid offset_x 5.0; expected a value"),
        ([{"targets": 100, "center_y": -0.5}], "object 0: invalid center_y -0.5"),
    ],
)
def test_jobs_file_errors(tmp_path: Path, document: object, expected: str) -> None:
    path = tmp_path / "jobs.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        parse_jobs_json(path)
    assert expected in str(raised.value)


def test_curated_views_one_run(marks: Path, counter: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    for date_folder, clip, source in (("Apr25", "A", marks), ("May3", "B", counter)):
        folder = root / date_folder / "8k"
        folder.mkdir(parents=True)
        (folder / f"{clip}.mp4").write_bytes(source.read_bytes())
    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps(
            {
                "views": [
                    {
                        "id": "v1",
                        "source": {"clip": "A", "date": "2024-04-25"},
                        "crop_norm": [0, 0, 0.5, 0.5],
                    },
                    {
                        "id": "v2",
                        "source": {"clip": "A", "date": "2024-04-25"},
                        "crop_norm": {"x0": 0.5, "y0": 0.5, "w": 0.5, "h": 0.5},
                        "annotations": {"note": "x"},
                    },
                    {
                        "id": "v3",
                        "source": {"clip": "B", "date": "2024-05-03"},
                        "crop_norm": [0, 0, 1, 1],
                        "trim": {"start_s": 1.0, "end_s": 2.0},
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    pairs = parse_curated_views(spec, root)
    assert [source.parent.parent.name for source, _ in pairs] == ["Apr25", "Apr25", "May3"]
    result = crop_pairs(pairs, tmp_path / "out")
    assert len(result.produced) == 3
    run = msgspec.json.decode(
        result.run_document.read_bytes() if result.run_document else b"", type=CropRunDocument
    )
    assert [job.view_id for job in run.jobs] == ["v1", "v2", "v3"]
    sidecars = sorted((tmp_path / "out").glob("*.cosmos_view.v1.json"))
    assert len(sidecars) == 3
    assert _view(tmp_path / "out" / "v2.mp4").job_ref.annotations == {"note": "x"}


def test_curated_missing_source(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps(
            {
                "views": [
                    {
                        "id": "v1",
                        "source": {"clip": "Z", "date": "2024-04-25"},
                        "crop_norm": [0, 0, 1, 1],
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"Apr25/8k/Z\.mp4"):
        parse_curated_views(spec, tmp_path)


def test_dry_run_plans_only(marks: Path, tmp_path: Path) -> None:
    planned = crop([marks], [CropJob(size=100)], tmp_path, ffmpeg_opts={"dry_run": True})
    assert planned == [tmp_path / "crop_000_job00_t00_s100.mp4"]
    assert not planned[0].exists()
    plan = msgspec.json.decode(
        (tmp_path / "cosmos_crop_dry_run.json").read_bytes(), type=CropDryRunPlan
    )
    assert [(Path(o.path).name, o.kind) for o in plan.outputs] == [
        ("crop_000_job00_t00_s100.mp4", "video"),
        ("crop_000_job00_t00_s100.mp4.cmd.txt", "command"),
        ("crop_000_job00_t00_s100.mp4.log.txt", "log"),
        ("crop_000_job00_t00_s100.mp4.cosmos_view.v1.json", "view-sidecar"),
    ]
    assert all(o.will_create_on_apply for o in plan.outputs)
    assert list(tmp_path.glob("*.txt")) == []


def _logged_attempts(output: Path) -> list[tuple[str, str]]:
    """Return the argv line and the exit status of every attempt in the output's log.txt."""
    log = output.with_name(output.name + ".log.txt").read_text(encoding="utf-8")
    return re.findall(r"^\$ (.*)\n# exit (-?\d+), [0-9.]+ s$", log, re.MULTILINE)


def test_crop_records_cmd_and_log(marks: Path, tmp_path: Path) -> None:
    (output,) = crop([marks], [CropJob(size=100)], tmp_path)
    command = output.with_name(output.name + ".cmd.txt").read_text(encoding="utf-8")
    argv = shlex.split(command)
    assert argv[0] == FFMPEG
    assert argv[argv.index("-vf") + 1].startswith("crop=100:100:110:40,")
    assert _logged_attempts(output) == [(command.rstrip("\n"), "0")]


def test_rerun_replaces_cmd_and_log(marks: Path, tmp_path: Path) -> None:
    output = tmp_path / "crop_000_job00_t00_s100.mp4"
    cmd = output.with_name(output.name + ".cmd.txt")
    log = output.with_name(output.name + ".log.txt")
    cmd.write_text("stale command\n", encoding="utf-8")
    log.write_text("stale log\n", encoding="utf-8")
    # Only the media and its sidecar count as existing outputs; a stale log does not.
    crop([marks], [CropJob(size=100)], tmp_path)
    assert shlex.split(cmd.read_text(encoding="utf-8"))[0] == FFMPEG
    assert [status for _, status in _logged_attempts(output)] == ["0"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_existing_view_kept_without_force(marks: Path, counter: Path, tmp_path: Path) -> None:
    (first,) = crop([marks], [CropJob(size=100)], tmp_path)
    sidecar = first.with_name(first.name + ".cosmos_view.v1.json")
    before = (_sha256(first), _sha256(sidecar))
    with pytest.raises(FileExistsError) as raised:
        crop([counter], [CropJob(size=100)], tmp_path)
    assert isinstance(raised.value, OutputExistsError)
    assert str(first) in str(raised.value)
    assert 'ffmpeg_opts["force"]=True' in str(raised.value)
    assert (_sha256(first), _sha256(sidecar)) == before
    assert len(list((tmp_path / "cosmos_runs").iterdir())) == 1

    (second,) = crop([counter], [CropJob(size=100)], tmp_path, ffmpeg_opts={"force": True})
    assert second == first
    assert _sha256(first) != before[0]
    view = msgspec.json.decode(sidecar.read_bytes(), type=ViewDocument)
    assert view.source.sha256 == _sha256(counter)


def test_dry_run_warns_of_existing_view(
    marks: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (first,) = crop([marks], [CropJob(size=100)], tmp_path)
    before = _sha256(first)
    planned = crop([marks], [CropJob(size=100)], tmp_path, ffmpeg_opts={"dry_run": True})
    assert planned == [first]
    assert any("already exist" in r.message and str(first) in r.message for r in caplog.records)
    assert _sha256(first) == before
    plan = msgspec.json.decode(
        (tmp_path / "cosmos_crop_dry_run.json").read_bytes(), type=CropDryRunPlan
    )
    assert [(v.code, v.blocking) for v in plan.validation] == [("output-exists", True)] * 2
    assert not any(o.will_create_on_apply for o in plan.outputs)


def test_view_never_replaces_its_input(marks: Path, tmp_path: Path) -> None:
    source = tmp_path / "middle.mp4"
    source.write_bytes(marks.read_bytes())
    job = RectCropJob(x0=0.25, y0=0, w=0.5, h=1, view_id="middle")
    with pytest.raises(ValueError, match="would replace the input of the same name"):
        crop([source], [job], tmp_path, ffmpeg_opts={"force": True})
    assert _sha256(source) == _sha256(marks)


def test_view_never_replaces_a_clip(marks: Path, counter: Path, tmp_path: Path) -> None:
    clip = tmp_path / "left.mp4"
    clip.write_bytes(marks.read_bytes())
    clip_sidecar = tmp_path / "left.mp4.cosmos_clip.v1.json"
    clip_sidecar.write_text("{}", encoding="utf-8")
    job = RectCropJob(x0=0, y0=0, w=0.5, h=1, view_id="left")
    with pytest.raises(ValueError, match="is a clip file with its own clip sidecar") as raised:
        crop([counter], [job], tmp_path, ffmpeg_opts={"force": True})
    assert "even with force" in str(raised.value)
    assert _sha256(clip) == _sha256(marks)
    assert not (tmp_path / "left.mp4.cosmos_view.v1.json").exists()


@pytest.mark.parametrize("view_id", ["../escaped", "/tmp/escaped", "site A/cam 1", ".hidden"])
def test_view_id_stays_in_folder(marks: Path, tmp_path: Path, cli: CliRunner, view_id: str) -> None:
    out = tmp_path / "out" / "views"
    job = RectCropJob(x0=0, y0=0, w=0.5, h=0.5, view_id=view_id)
    with pytest.raises(ValueError, match="invalid view_id"):
        crop([marks], [job], out)
    jobs = tmp_path / "jobs.json"
    document = [{"crop_mode": "rect", "crop_norm": [0, 0, 0.5, 0.5], "view_id": view_id}]
    jobs.write_text(json.dumps(document), encoding="utf-8")
    result = cli("crop", "run", "--input", marks, "--out-dir", out, "--jobs-file", jobs)
    assert result.code == 3
    assert "invalid view_id" in result.stderr
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["jobs.json"]


def test_cli_crop_existing_view_exit_3(marks: Path, tmp_path: Path, cli: CliRunner) -> None:
    args = ("crop", "run", "--input", str(marks), "--out-dir", str(tmp_path), "--size", "100")
    assert cli(*args).code == 0
    rejected = cli(*args)
    assert rejected.code == 3
    assert "already exist" in rejected.stderr
    assert "--force" in rejected.stderr
    assert "ffmpeg_opts" not in rejected.stderr
    # The dry run predicts the stop: exit 3 and the blocking finding.
    planned = cli(*args, "--dry-run", "--json")
    assert planned.code == 3
    assert json.loads(planned.stdout)["dry_run"] is True
    assert "the plan has blocking findings (output-exists)" in planned.stderr
    assert cli(*args, "--force", "--dry-run").code == 0
    assert cli(*args, "--force").code == 0


def test_failed_crop_names_log(
    marks: Path, tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrapper = ffmpeg_failing_encodes(tmp_path, FFMPEG)
    monkeypatch.setenv("COSMOS_FFMPEG", str(wrapper))
    out_dir = tmp_path / "out"

    # The strict profile pins libx264, which rejects the profile the wrapper adds.
    result = cli(
        "crop", "run", "--input", marks, "--out-dir", out_dir, "--size", "100",
        "--profile", "strict", "--json",
    )  # fmt: skip

    assert result.code == 5
    output = out_dir.resolve() / "crop_000_job00_t00_s100.mp4"
    log = output.with_name(output.name + ".log.txt")
    (job,) = json.loads(result.stdout)["jobs"]
    assert job["status"] == "failed"
    assert job["reason"].startswith("ffmpeg exited with 1 cropping ")
    assert job["reason"].endswith(f"(full log: {log})")
    assert [status for _, status in _logged_attempts(output)] == ["1"]
    assert "invalid profile: no-such-profile" in log.read_text(encoding="utf-8")
    first_attempt = log.read_text(encoding="utf-8").splitlines()[0]
    assert shlex.split(first_attempt.removeprefix("$ "))[0] == str(wrapper)
    # cmd.txt contains the argv of a finished output only.
    assert not output.with_name(output.name + ".cmd.txt").exists()
    assert list(out_dir.glob("*.mp4")) == []


def test_failed_rerun_keeps_cmd_of_view(
    marks: Path, tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("crop", "run", "--input", marks, "--out-dir", tmp_path / "out", "--size", "100")
    assert cli(*args).code == 0
    output = tmp_path / "out" / "crop_000_job00_t00_s100.mp4"
    cmd = output.with_name(output.name + ".cmd.txt")
    before = (_sha256(output), cmd.read_text(encoding="utf-8"))

    wrapper = ffmpeg_failing_encodes(tmp_path, FFMPEG)
    monkeypatch.setenv("COSMOS_FFMPEG", str(wrapper))
    assert cli(*args, "--force", "--profile", "strict").code == 5

    assert (_sha256(output), cmd.read_text(encoding="utf-8")) == before
    assert shlex.split(before[1])[0] == FFMPEG


def test_cli_crop_run(marks: Path, tmp_path: Path, cli: CliRunner) -> None:
    result = cli(
        "crop",
        "run",
        "--input",
        marks,
        "--out-dir",
        tmp_path,
        "--size",
        "100",
        "--offset-x",
        "1",
        "--json",
    )
    assert result.code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["produced"] == [str(tmp_path / "crop_000_job00_t00_s100.mp4")]
    bad = cli("crop", "run", "--input", marks, "--out-dir", tmp_path, "--size", "999")
    assert bad.code == 2
    assert "error: " in bad.stderr


def _truncated_source(folder: Path) -> Path:
    """Write a 7 s fast-start MP4 of the marks size cut to its first 30%."""
    return write_truncated_mp4(folder / "truncated.mp4", width=WIDTH, height=HEIGHT)


WHOLE_FILE: tuple[list[str], str] = ([], "declares 7.000 s of video:")
TRIMMED: tuple[list[str], str] = (
    ["--trim-start", "1", "--trim-end", "6"],
    "declares 5.000 s of video from 1.000 s",
)


@pytest.mark.parametrize(("trim", "declared"), [WHOLE_FILE, TRIMMED])
def test_truncated_source_fails(
    tmp_path: Path, cli: CliRunner, trim: list[str], declared: str
) -> None:
    truncated = _truncated_source(tmp_path)
    out_dir = tmp_path / "out"

    result = cli("crop", "run", "--input", truncated, "--out-dir", out_dir, "--size", "90", *trim)

    assert result.code == 5
    assert "looks truncated" in result.stderr
    assert declared in result.stderr
    assert list(out_dir.glob("*.mp4")) == []
    assert list(out_dir.glob("*.cosmos_view.v1.json")) == []
    assert [path.name for path in out_dir.iterdir() if path.name.startswith(".")] == []


def test_trim_inside_readable_part_succeeds(tmp_path: Path, cli: CliRunner) -> None:
    truncated = _truncated_source(tmp_path)
    out_dir = tmp_path / "out"

    result = cli(
        "crop", "run", "--input", truncated, "--out-dir", out_dir, "--size", "90",
        "--trim-start", "0.5", "--trim-end", "1.5",
    )  # fmt: skip

    assert result.code == 0, result.stderr
    assert len(list(out_dir.glob("*.mp4"))) == 1


@pytest.mark.real_footage
def test_real_footage_default_and_rect(real_footage_dir: Path, tmp_path: Path) -> None:
    sources = sorted(real_footage_dir.glob("*.mp4"))
    outputs = crop(sources, [], tmp_path / "default")
    assert len(outputs) == len(sources)
    sizes = {probe_video(p).width for p in outputs}
    assert sizes <= {720, 272, 144}
    jobs = tmp_path / "rect.json"
    jobs.write_text(
        json.dumps(
            [
                {"crop_mode": "rect", "crop_norm": [0.25, 0.25, 0.5, 0.5], "view_id": "middle"},
                {
                    "crop_mode": "rect",
                    "crop_norm": [0, 0, 0.5, 1],
                    "view_id": "left",
                    "trim_end": 2,
                },
            ]
        ),
        encoding="utf-8",
    )
    rect_outputs = crop(sources, parse_jobs_json(jobs), tmp_path / "rect")
    assert len(rect_outputs) == 2 * len(sources)
    assert len({p.name for p in rect_outputs}) == len(rect_outputs)
    for output in rect_outputs:
        view = _view(output)
        probe = probe_video(output)
        assert (probe.width, probe.height) == (view.crop.rect.w, view.crop.rect.h)


def test_empty_input_is_invalid(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match=r"is empty \(0 bytes\)"):
        crop([empty], [CropJob(size=100)], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli_no_job_flags_fits_frame(marks: Path, tmp_path: Path, cli: CliRunner) -> None:
    result = cli("crop", "run", "--input", marks, "--out-dir", tmp_path, "--plain")
    assert result.code == 0, result.stderr
    side = min(probe_video(marks).width, probe_video(marks).height)
    assert [p.name for p in tmp_path.glob("*.mp4")] == [f"crop_000_job00_t00_s{side}.mp4"]


def test_cli_bad_jobs_file_exit_3(marks: Path, tmp_path: Path, cli: CliRunner) -> None:
    jobs = tmp_path / "jobs.json"
    jobs.write_text('[{"crop_mode": "circle"}]', encoding="utf-8")
    args = ("--input", marks, "--out-dir", tmp_path / "out", "--jobs-file", jobs)
    result = cli("crop", "run", *args)
    assert result.code == 3
    assert result.stderr == (
        "error: jobs file object 0: invalid crop_mode 'circle'; supported values are "
        '"square" and "rect"\n'
    )


def test_existing_view_from_other_source_named(
    marks: Path, counter: Path, tmp_path: Path, cli: CliRunner
) -> None:
    assert cli("crop", "run", "--input", marks, "--out-dir", tmp_path, "--size", "100").code == 0
    result = cli("crop", "run", "--input", counter, "--out-dir", tmp_path, "--size", "100")
    assert result.code == 3
    assert f"crop_000_job00_t00_s100.mp4 was cut from {marks.resolve()}" in result.stderr
    assert "choose an output folder per source" in result.stderr


def test_curated_id_must_name_a_file(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    view = {"id": "../escaped", "source": {"clip": "A", "date": "2024-04-25"}}
    spec.write_text(json.dumps({"views": [{**view, "crop_norm": [0, 0, 1, 1]}]}), "utf-8")
    with pytest.raises(ValueError, match="has an id that cannot name a file") as raised:
        parse_curated_views(spec, tmp_path)
    assert "it contains '/'" in str(raised.value)


def test_jobs_file_typo_warns(marks: Path, tmp_path: Path, cli: CliRunner) -> None:
    jobs = tmp_path / "jobs.json"
    document = {
        "crop_mode": "rect",
        "crop_norm": [0, 0, 0.5, 0.5],
        "view_id": "v",
        "trim_strat": 0.5,
        "job_name": "left half",
    }
    jobs.write_text(json.dumps(document), encoding="utf-8")
    result = cli(
        "crop", "run", "--input", marks, "--out-dir", tmp_path / "out", "--jobs-file", jobs
    )
    assert result.code == 0, result.stderr
    assert "key 'trim_strat' is not read, so it changes nothing" in result.stderr
    assert "did you mean 'trim_start'?" in result.stderr
    assert "job_name" not in result.stderr


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (("--crop-mode", "rect", "--x0", "0", "--y0", "0", "--width", "0.5", "--height", "0.5",
          "--size", "100"), "--size is for square jobs"),
        (("--x0", "0", "--width", "0.5"), "--x0, --width are for rect jobs"),
        (("--jobs-file", "jobs.json", "--size", "100"), "--jobs-file replaces the inline job"),
    ],
)  # fmt: skip
def test_ignored_job_flags_exit_2(
    marks: Path, tmp_path: Path, cli: CliRunner, flags: tuple[str, ...], expected: str
) -> None:
    (tmp_path / "jobs.json").write_text('{"targets": 100}', encoding="utf-8")
    jobs_flags = tuple(str(tmp_path / f) if f == "jobs.json" else f for f in flags)
    result = cli("crop", "run", "--input", marks, "--out-dir", tmp_path / "out", *jobs_flags)
    assert result.code == 2
    assert expected in result.stderr
    assert not (tmp_path / "out").exists()


def test_full_disk_keeps_earlier_view(
    marks: Path, counter: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (view,) = crop([marks], [CropJob(size=100)], tmp_path)
    sidecar = view.with_name(view.name + ".cosmos_view.v1.json")
    cmd = view.with_name(view.name + ".cmd.txt")
    before = (_sha256(view), _sha256(sidecar), _sha256(cmd))

    fill_disk_for(monkeypatch, ".cosmos_view.v1.json")
    result = crop_pairs([(counter, CropJob(size=100))], tmp_path, ffmpeg_opts={"force": True})

    (job,) = result.jobs
    assert job.status == "failed"
    assert job.reason is not None
    assert f"cannot write {sidecar}: No space left on device" in job.reason
    assert (_sha256(view), _sha256(sidecar), _sha256(cmd)) == before
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".partial")] == []


def test_same_view_id_twice_exit_3(marks: Path, tmp_path: Path, cli: CliRunner) -> None:
    jobs = tmp_path / "jobs.json"
    document = [
        {"crop_mode": "rect", "crop_norm": [0, 0, 0.5, 0.5], "view_id": "v"},
        {"crop_mode": "rect", "crop_norm": [0.5, 0, 0.5, 0.5], "view_id": "v"},
    ]
    jobs.write_text(json.dumps(document), encoding="utf-8")
    args = ("crop", "run", "--input", marks, "--out-dir", tmp_path / "out", "--jobs-file", jobs)
    for dry_run in ((), ("--dry-run",)):
        result = cli(*args, *dry_run)
        assert result.code == 3
        assert f"job 0 on {marks} and job 1 on {marks} would both write" in result.stderr
    assert not (tmp_path / "out").exists()


def test_long_prefixed_view_name_exit_3(marks: Path, tmp_path: Path) -> None:
    inputs = []
    for number in (1, 2):
        source = tmp_path / "in" / f"{'s' * 150}{number}.mp4"
        source.parent.mkdir(exist_ok=True)
        source.write_bytes(marks.read_bytes())
        inputs.append(source)
    jobs = [
        RectCropJob(x0=0, y0=0, w=0.5, h=0.5, view_id="ok"),
        RectCropJob(x0=0.5, y0=0, w=0.5, h=0.5, view_id="v" * 150),
    ]
    with pytest.raises(ValueError, match="file name too long") as raised:
        crop(inputs, jobs, tmp_path / "out")
    assert "rename the view_id or the input file" in str(raised.value)
    assert not (tmp_path / "out").exists()


def test_view_ids_differing_in_case_exit_3(marks: Path, tmp_path: Path) -> None:
    jobs = [
        RectCropJob(x0=0, y0=0, w=0.5, h=0.5, view_id="Left"),
        RectCropJob(x0=0.5, y0=0, w=0.5, h=0.5, view_id="left"),
    ]
    with pytest.raises(ValueError, match=r"would both write left\.mp4") as raised:
        crop([marks], jobs, tmp_path / "out")
    assert "differ only in letter case" in str(raised.value)
    assert not (tmp_path / "out").exists()


def test_skip_existing_finishes_partial_run(
    marks: Path, counter: Path, tmp_path: Path, cli: CliRunner
) -> None:
    late = write_truncated_mp4(tmp_path / "in" / "late.mp4", width=WIDTH, height=HEIGHT)
    inputs = ("--input", marks, "--input", late, "--input", counter)
    args = ("crop", "run", *inputs, "--out-dir", tmp_path / "out", "--size", "100")
    assert cli(*args).code == 5
    first = tmp_path / "out" / "crop_000_job00_t00_s100.mp4"
    third = tmp_path / "out" / "crop_002_job00_t00_s100.mp4"
    before = {path: (_sha256(path), path.stat().st_mtime_ns) for path in (first, third)}

    late.write_bytes(marks.read_bytes())  # the recording is repaired
    assert cli(*args).code == 3
    again = cli(*args, "--skip-existing", "--json")

    assert again.code == 0, again.stderr
    statuses = [job["status"] for job in json.loads(again.stdout)["jobs"]]
    assert statuses == ["kept", "produced", "kept"]
    assert {path: (_sha256(path), path.stat().st_mtime_ns) for path in (first, third)} == before
    assert (tmp_path / "out" / "crop_001_job00_t00_s100.mp4.cosmos_view.v1.json").is_file()


def test_skip_existing_does_not_keep_changed_job(marks: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    crop([marks], [CropJob(size=100, center_x=0.3)], out)
    moved = {"skip_existing": True}
    with pytest.raises(OutputExistsError):
        crop([marks], [CropJob(size=100, center_x=0.6)], out, ffmpeg_opts=moved)
    with pytest.raises(ValueError, match="force replaces existing views and skip_existing"):
        crop([marks], [CropJob(size=100)], out, ffmpeg_opts={**moved, "force": True})

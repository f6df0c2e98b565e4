"""Crop previews end to end: files, frames, where the outlines land, names, errors, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec
import pytest

from cosmos.core.model.documents import (
    CropDryRunPlan,
    CropRect,
    PreviewImageRecord,
    PreviewPlanDocument,
    PreviewRunDocument,
)
from cosmos.sdk.crop import CropJob, RectCropJob, crop_run
from cosmos.sdk.preview import PreviewRunResult, RenderOptions, preview, preview_curated_views
from cosmos.sdk.provenance import sha256_file
from cosmos.sdk.video import extract_frames_at_indices
from cosmos.shell import preview as preview_shell
from tests.helpers import CliRunner, partial_files
from tests.media import FFMPEG

WIDTH, HEIGHT, FPS = 320, 180, 25
LAST_FRAME = 49
SELECTORS = ["start", "mid", "end", "end-0.5", "2.0"]
STACK_TIMES = [0.0, 1.0]
Jobs = list[CropJob] | list[RectCropJob]
RECT_JOBS: list[RectCropJob] = [
    RectCropJob(x0=0, y0=0, w=0.5, h=0.5, view_id="top-left"),
    RectCropJob(x0=160, y0=90, w=160, h=90, normalized=False, view_id="bottom-right"),
    RectCropJob(x0=0.3, y0=0.3, w=0.5, h=0.6, start=0.5, end=1.5, view_id="middle"),
]
SQUARE_JOBS: list[CropJob] = [
    CropJob(size=100, offset_x=-1, offset_y=-1),
    CropJob(size=60, center_x=0.5, center_y=0.5),
    CropJob(size=101, offset_x=1, offset_y=1, start=0.4),
]
JOB_SETS: dict[str, Jobs] = {"rect": RECT_JOBS, "square": SQUARE_JOBS}
VIEW_COLOURS = [(0xE6, 0x9F, 0x00), (0x56, 0xB4, 0xE9), (0x00, 0x9E, 0x73)]


@pytest.fixture(scope="module")
def marks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A grey 320x180 scene, 2 s at 25 fps, with red, lime, blue and white 20x20 px marks in
    its top-left, top-right, bottom-left and bottom-right corners."""
    path = tmp_path_factory.mktemp("preview") / "marks.mp4"
    corners = ((0, 0, "red"), (300, 0, "lime"), (0, 160, "blue"), (300, 160, "white"))
    boxes = ",".join(f"drawbox=x={x}:y={y}:w=20:h=20:color={c}:t=fill" for x, y, c in corners)
    argv = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi"]
    argv += ["-i", f"color=c=gray:s={WIDTH}x{HEIGHT}:r={FPS}", "-t", "2", "-vf", boxes]
    argv += ["-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p"]
    subprocess.run([*argv, str(path)], check=True)
    return path


def _options(**fields: object) -> RenderOptions:
    options = RenderOptions(frame_selectors=SELECTORS, stack_times_sec=STACK_TIMES)
    return msgspec.structs.replace(options, **fields)


def _plan(result: PreviewRunResult) -> PreviewPlanDocument:
    (path,) = result.clip_plan_paths
    return msgspec.json.decode(path.read_bytes(), type=PreviewPlanDocument)


def _decode_png(path: Path, width: int, height: int) -> bytes:
    argv = ["ffmpeg", "-v", "error", "-i", f"file:{path}", "-f", "rawvideo", "-pix_fmt", "rgb24"]
    rgb24 = subprocess.run([*argv, "-"], check=True, capture_output=True).stdout
    assert len(rgb24) == width * height * 3, path
    return rgb24


def _pixel(rgb24: bytes, width: int, x: int, y: int) -> tuple[int, int, int]:
    offset = (y * width + x) * 3
    red, green, blue = rgb24[offset : offset + 3]
    return red, green, blue


def _crop_rects(source: Path, jobs: Jobs, out_dir: Path) -> list[CropRect]:
    """Return the rectangles a crop run of ``jobs`` plans to cut, in job order."""
    result = crop_run([source], jobs, out_dir, ffmpeg_opts={"dry_run": True})
    assert result.dry_run_plan is not None
    plan = msgspec.json.decode(result.dry_run_plan.read_bytes(), type=CropDryRunPlan)
    rects = [job.rect for job in plan.jobs]
    assert all(rect is not None for rect in rects)
    return [rect for rect in rects if rect is not None]


def _check_outlines(
    image: PreviewImageRecord,
    bundle: Path,
    rects: Sequence[CropRect],
    frame_size: tuple[int, int],
) -> None:
    """Check each view's outline colour at the four corners of its scaled rectangle."""
    rgb24 = _decode_png(bundle / image.relpath, image.width, image.height)
    frame_width, frame_height = frame_size
    for picture in image.pictures:
        numbers = [picture.view_number] if picture.view_number else range(1, len(rects) + 1)
        for number in numbers:
            rect = rects[number - 1]
            left = picture.x + round(rect.x * picture.width / frame_width)
            right = picture.x + round((rect.x + rect.w) * picture.width / frame_width) - 1
            top = picture.y + round(rect.y * picture.height / frame_height)
            bottom = picture.y + round((rect.y + rect.h) * picture.height / frame_height) - 1
            for x, y in ((left, top), (right, top), (left, bottom), (right, bottom)):
                assert _pixel(rgb24, image.width, x, y) == VIEW_COLOURS[number - 1], (
                    image.relpath,
                    number,
                    (x, y),
                )
            if left > picture.x:
                outside = _pixel(rgb24, image.width, left - 1, top + 3)
                assert outside != VIEW_COLOURS[number - 1], (image.relpath, number)


def _listed_files(plan: PreviewPlanDocument) -> list[Path]:
    bundle = Path(plan.bundle_dir)
    relpaths = [frame.relpath for frame in plan.frames]
    relpaths += [image.relpath for image in (*plan.sheets, *plan.stacked)]
    return [bundle / relpath for relpath in relpaths]


@pytest.fixture(scope="module", params=sorted(JOB_SETS))
def run(
    request: pytest.FixtureRequest, marks: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, PreviewRunResult]:
    """One preview of the marks clip per job set, shared by the checks below."""
    name: str = request.param
    out = tmp_path_factory.mktemp(f"preview-{name}")
    return name, preview([marks], JOB_SETS[name], out, options=_options())


def test_listed_files_exist(run: tuple[str, PreviewRunResult]) -> None:
    _, result = run
    plan = _plan(result)
    assert all(path.is_file() for path in result.outputs)
    assert all(path.is_file() for path in result.frame_paths)
    assert sorted(_listed_files(plan)) == sorted(
        [*result.frame_paths, *result.sheet_paths, *result.stacked_paths]
    )
    out = result.run_path.parent
    assert result.run_path == out / "cosmos_crop_preview_run.v1.json"
    assert partial_files(out) == []
    bundle = Path(plan.bundle_dir)
    assert bundle.parent == out
    assert bundle.name.startswith("preview_marks_")
    assert sorted(p.relative_to(bundle).as_posix() for p in result.sheet_paths) == [
        "sheets/sheet_frame_2_dot_0.png",
        "sheets/sheet_frame_end.png",
        "sheets/sheet_frame_end_minus_0_dot_5.png",
        "sheets/sheet_frame_mid.png",
        "sheets/sheet_frame_start.png",
    ]
    assert [p.relative_to(bundle).as_posix() for p in result.stacked_paths] == [
        "stacked/stacked_t_0000.000.png",
        "stacked/stacked_t_0001.000.png",
    ]
    assert all(p.parent.name == "frames" and p.name.startswith("t_") for p in result.frame_paths)


def test_run_document(run: tuple[str, PreviewRunResult]) -> None:
    _, result = run
    document = msgspec.json.decode(result.run_path.read_bytes(), type=PreviewRunDocument)
    assert document.preview_run_id == result.run_id
    assert document.preview_run_id.startswith("preview_")
    assert document.tool == "cosmos-crop-preview"
    assert document.selectors == SELECTORS
    assert document.stack_times_sec == STACK_TIMES
    assert document.options.render_max_width == 1600
    assert len(document.clips) == 1
    assert document.clips[0] == _plan(result)
    assert document.summary.sheets == 5
    assert b"NaN" not in result.run_path.read_bytes()


def test_end_is_last_frame(marks: Path, run: tuple[str, PreviewRunResult]) -> None:
    name, result = run
    plan = _plan(result)
    (end,) = [sheet for sheet in plan.sheets if sheet.selector == "end"]
    expected = [LAST_FRAME, LAST_FRAME, 36] if name == "rect" else [LAST_FRAME] * 3
    assert [picture.frame_index for picture in end.pictures] == expected
    (last,) = [frame for frame in plan.frames if frame.frame_index == LAST_FRAME]
    assert last.relpath == "frames/t_0001.960.png"
    (decoded,) = extract_frames_at_indices(marks, [LAST_FRAME])
    saved = _decode_png(Path(plan.bundle_dir) / last.relpath, WIDTH, HEIGHT)
    assert saved == decoded.rgb24


def test_selectors_follow_trims(run: tuple[str, PreviewRunResult]) -> None:
    name, result = run
    times = {
        (time.selector, time.view_number): time.frame_index
        for time in _plan(result).times
        if time.kind == "selector"
    }
    if name == "rect":
        # The middle view keeps 0.5 s to 1.5 s: frames 12 to 36.
        assert [times[(s, 3)] for s in SELECTORS] == [12, 24, 36, 23, 49]
    else:
        # The third square starts at 0.4 s (frame 10) and runs to the end.
        assert [times[(s, 3)] for s in SELECTORS] == [10, 29, 49, 36, 49]
    assert [times[(s, 1)] for s in SELECTORS] == [0, 24, 49, 36, 49]


@pytest.mark.parametrize("render_max_width", [1600, 200])
@pytest.mark.parametrize("name", sorted(JOB_SETS))
def test_outlines_land_on_crop(
    marks: Path, tmp_path: Path, name: str, render_max_width: int
) -> None:
    jobs = JOB_SETS[name]
    rects = _crop_rects(marks, jobs, tmp_path / "crop")
    result = preview(
        [marks],
        jobs,
        tmp_path / "preview",
        options=_options(frame_selectors=["mid"], render_max_width=render_max_width),
    )
    plan = _plan(result)
    assert [view.rect for view in plan.views] == rects
    (sheet,) = plan.sheets
    assert [picture.width for picture in sheet.pictures] == [min(WIDTH, render_max_width)] * 3
    bundle = Path(plan.bundle_dir)
    for image in (*plan.sheets, *plan.stacked):
        _check_outlines(image, bundle, rects, (WIDTH, HEIGHT))


def test_fill_blends_view_colour(marks: Path, tmp_path: Path) -> None:
    jobs = [RectCropJob(x0=100, y0=50, w=120, h=80, normalized=False, view_id="inner")]
    result = preview([marks], jobs, tmp_path, options=_options(frame_selectors=["start"]))
    (sheet,) = _plan(result).sheets
    (picture,) = sheet.pictures
    rgb24 = _decode_png(Path(_plan(result).bundle_dir) / sheet.relpath, sheet.width, sheet.height)
    inside = _pixel(rgb24, sheet.width, picture.x + 120, picture.y + 60)
    outside = _pixel(rgb24, sheet.width, picture.x + 60, picture.y + 100)
    for channel, colour, grey in zip(inside, VIEW_COLOURS[0], outside, strict=True):
        assert abs(channel - (0.25 * colour + 0.75 * grey)) <= 2


def test_punctuation_gives_distinct_files(marks: Path, tmp_path: Path) -> None:
    selectors = ["end-0.5", "end+0.5", "1.5", "15", "start+1", "start+1.0"]
    result = preview(
        [marks],
        RECT_JOBS[:1],
        tmp_path,
        options=_options(frame_selectors=selectors, stack_times_sec=[]),
    )
    plan = _plan(result)
    assert [sheet.selector for sheet in plan.sheets] == selectors
    assert len({sheet.relpath for sheet in plan.sheets}) == len(selectors)
    assert all(path.is_file() for path in result.sheet_paths)
    clamped = {t.selector for t in plan.times if any("after the end" in w for w in t.warnings)}
    assert clamped == {"end+0.5", "15"}


def test_relative_and_absolute_one_bundle(
    marks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(marks.parent)
    options = _options(dry_run=True)
    relative = preview([Path("marks.mp4")], RECT_JOBS, tmp_path, options=options)
    absolute = preview([marks.resolve()], RECT_JOBS, tmp_path, options=options)
    assert relative.clip_plan_paths == absolute.clip_plan_paths
    both = preview([Path("marks.mp4"), marks.resolve()], RECT_JOBS, tmp_path, options=options)
    assert both.clip_plan_paths == relative.clip_plan_paths
    assert len(_plan(both).views) == 3
    assert _plan(relative).source.path == "marks.mp4"


def test_dry_run_writes_json_only(marks: Path, tmp_path: Path) -> None:
    result = preview([marks], RECT_JOBS, tmp_path, options=_options(dry_run=True))
    assert result.dry_run
    assert (result.frame_paths, result.sheet_paths, result.stacked_paths) == ([], [], [])
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    bundle = Path(_plan(result).bundle_dir).name
    assert written == sorted(
        [
            "cosmos_crop_preview_run.v1.json",
            f"cosmos_runs/{result.run_id}.cosmos_crop_preview_run.v1.json",
            f"{bundle}/preview_plan.v1.json",
        ]
    )
    plan = _plan(result)
    assert plan.dry_run
    assert len(plan.sheets) == 5
    assert not any(path.exists() for path in _listed_files(plan))


def test_source_sha_recorded(marks: Path, tmp_path: Path) -> None:
    options = _options(dry_run=True, include_source_sha=True)
    plan = _plan(preview([marks], RECT_JOBS, tmp_path, options=options))
    assert plan.source.sha256 == sha256_file(marks)
    plain = _plan(preview([marks], RECT_JOBS, tmp_path / "b", options=_options(dry_run=True)))
    assert plain.source.sha256 is None


def test_labels_with_special_characters(marks: Path, tmp_path: Path) -> None:
    label = "a:b's,[x];%{pts}\\"
    jobs = [RectCropJob(x0=0.25, y0=0.25, w=0.5, h=0.5, view_id=label)]
    result = preview([marks], jobs, tmp_path, options=_options(frame_selectors=["mid"]))
    assert all(path.is_file() for path in result.outputs)
    assert _plan(result).views[0].label == label


def test_default_job_fits_small_frame(marks: Path, tmp_path: Path) -> None:
    options = _options(dry_run=True)
    (view,) = _plan(preview([marks], [], tmp_path, options=options)).views
    assert (view.rect.x, view.rect.y, view.rect.w, view.rect.h) == (70, 0, 180, 180)


INVALID_OPTIONS = [
    ({"alpha": 2.0}, "invalid alpha 2.0"),
    ({"alpha": float("nan")}, "invalid alpha nan"),
    ({"render_max_width": 10}, "invalid render_max_width 10"),
    ({"grid_step_px": -5}, "invalid grid_step_px -5"),
    ({"frame_selectors": ["nan"]}, "invalid frame selector 'nan'"),
    ({"frame_selectors": ["inf"]}, "invalid frame selector 'inf'"),
    ({"frame_selectors": ["soon"]}, "start, mid or end with an optional signed offset"),
    ({"stack_times_sec": [float("inf")]}, "invalid stack_times_sec inf"),
    ({"stack_times_sec": [-1.0]}, "invalid stack_times_sec -1.0"),
]


@pytest.mark.parametrize(("fields", "message"), INVALID_OPTIONS)
def test_invalid_options_raise(
    marks: Path, tmp_path: Path, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match="invalid") as raised:
        preview([marks], RECT_JOBS, tmp_path, options=_options(**fields))
    assert message in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_invalid_job_raises_first(marks: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"job 1 on .*marks\.mp4: invalid size 500"):
        preview([marks], [CropJob(size=50), CropJob(size=500)], tmp_path, options=_options())
    assert not list(tmp_path.rglob("*.png"))
    assert not (tmp_path / "cosmos_crop_preview_run.v1.json").exists()


def test_missing_input_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        preview([tmp_path / "gone.mp4"], [], tmp_path / "out", options=_options())


def test_curated_views_share_bundle(marks: Path, tmp_path: Path) -> None:
    pairs = [(marks, job) for job in RECT_JOBS]
    options = _options(frame_selectors=["end"], stack_times_sec=[0.5])
    result = preview_curated_views(pairs, tmp_path, options=options)
    plan = _plan(result)
    assert [view.label for view in plan.views] == ["top-left", "bottom-right", "middle"]
    assert len(result.sheet_paths) == len(result.stacked_paths) == 1
    assert all(path.is_file() for path in result.outputs)


def test_cli_preview(marks: Path, tmp_path: Path, cli: CliRunner) -> None:
    result = cli(
        "crop", "preview", "--input", marks, "--out", tmp_path, "--crop-mode", "rect",
        "--x0", "0.25", "--y0", "0.25", "--width", "0.5", "--height", "0.5",
        "--frame", "start", "--frame", "end-0.5", "--stack-time", "1", "--render-max-width",
        "640", "--no-rulers", "--json",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    document = json.loads(result.stdout)
    assert len(document["sheets"]) == 2
    assert document["sheets"][1].endswith("sheets/sheet_frame_end_minus_0_dot_5.png")
    assert len(document["stacked"]) == 1
    assert all(Path(path).is_file() for path in document["sheets"] + document["stacked"])
    run = json.loads(Path(document["run_document"]).read_text(encoding="utf-8"))
    assert run["options"]["show_rulers"] is False
    assert run["options"]["render_max_width"] == 640


def test_cli_preview_plain_defaults(marks: Path, tmp_path: Path, cli: CliRunner) -> None:
    result = cli("crop", "preview", "--input", marks, "--out", tmp_path, "--dry-run", "--plain")
    assert result.code == 0, result.stderr
    kinds = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert kinds == ["run", "plan"]
    run = json.loads((tmp_path / "cosmos_crop_preview_run.v1.json").read_text(encoding="utf-8"))
    assert run["selectors"] == ["start", "mid", "end"]
    assert run["stack_times_sec"] == [0.0]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--alpha", "2"], "error: invalid alpha 2.0"),
        (["--frame", "nan"], "error: invalid frame selector 'nan'"),
        (["--render-max-width", "10"], "error: invalid render_max_width 10"),
        (["--grid-step-px", "-1"], "error: invalid grid_step_px -1"),
    ],
)
def test_cli_invalid_option_exit_2(
    marks: Path, tmp_path: Path, cli: CliRunner, flags: list[str], message: str
) -> None:
    result = cli("crop", "preview", "--input", marks, "--out", tmp_path, *flags)
    assert result.code == 2
    assert result.stderr.startswith(message)
    assert result.stdout == ""


def test_cli_curated_views_preview(marks: Path, tmp_path: Path, cli: CliRunner) -> None:
    folder = tmp_path / "root" / "Apr25" / "8k"
    folder.mkdir(parents=True)
    (folder / "A.mp4").write_bytes(marks.read_bytes())
    view = {"source": {"clip": "A", "date": "2024-04-25"}, "crop_norm": [0, 0, 0.5, 0.5]}
    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps({"views": [{"id": "v1", **view}, {"id": "v2", **view, "trim": {"start_s": 1}}]}),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = cli(
        "crop", "curated-views-preview", "--spec", spec, "--source-root", tmp_path / "root",
        "--out", out, "--frame", "mid", "--dry-run", "--json",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["dry_run"] is True
    (plan_path,) = document["clip_plans"]
    plan = msgspec.json.decode(Path(plan_path).read_bytes(), type=PreviewPlanDocument)
    assert [view.label for view in plan.views] == ["v1", "v2"]
    assert [time.frame_index for time in plan.times if time.kind == "selector"] == [24, 37]
    assert not list(out.rglob("*.png"))
    bad = cli(
        "crop", "curated-views-preview", "--spec", spec, "--source-root", tmp_path / "root",
        "--out", out, "--alpha", "-1",
    )  # fmt: skip
    assert bad.code == 2


@pytest.mark.real_footage
@pytest.mark.parametrize("name", sorted(JOB_SETS))
def test_real_footage_preview(real_footage_dir: Path, tmp_path: Path, name: str) -> None:
    source = real_footage_dir / "bigbuckbunny.mp4"
    jobs: Jobs = (
        [
            RectCropJob(x0=0.05, y0=0.1, w=0.4, h=0.6, view_id="left"),
            RectCropJob(x0=0.5, y0=0.3, w=0.45, h=0.65, start=1.0, end=4.0, view_id="right"),
            RectCropJob(x0=401, y0=99, w=480, h=480, normalized=False, view_id="centre"),
        ]
        if name == "rect"
        else [
            CropJob(size=720),
            CropJob(size=360, offset_x=-1, offset_y=0, start=2.0),
            CropJob(size=201, center_x=0.8, center_y=0.3),
        ]
    )
    rects = _crop_rects(source, jobs, tmp_path / "crop")
    options = _options(stack_times_sec=[0.0, 2.5], render_max_width=800)
    result = preview([source], jobs, tmp_path / "preview", options=options)
    plan = _plan(result)
    assert all(path.is_file() for path in [*result.outputs, *result.frame_paths])
    assert len(result.sheet_paths) == 5
    assert len(result.stacked_paths) == 2
    assert plan.timeline.frame_count == 132
    (end,) = [sheet for sheet in plan.sheets if sheet.selector == "end"]
    last = [picture.frame_index for picture in end.pictures]
    assert last == ([131, 99, 131] if name == "rect" else [131, 131, 131])
    assert [view.rect for view in plan.views] == rects
    bundle = Path(plan.bundle_dir)
    for image in (*plan.sheets, *plan.stacked):
        _check_outlines(image, bundle, rects, (1280, 720))


def test_failed_render_leaves_no_bundle(
    marks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A wrapper that fails every image render (the calls writing a temporary .png) and passes
    # the other FFmpeg calls through.
    wrapper = tmp_path / "ffmpeg-failing-renders"
    wrapper.write_text(
        f"#!{sys.executable}\n"
        "import os, sys\n"
        "if any(arg.endswith('.partial') and '.png.' in arg for arg in sys.argv[1:]):\n"
        "    sys.exit('render failed on purpose')\n"
        f"os.execv({FFMPEG!r}, [{FFMPEG!r}, *sys.argv[1:]])\n",
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("COSMOS_FFMPEG", str(wrapper))
    out = tmp_path / "out"

    with pytest.raises(RuntimeError, match="render failed on purpose"):
        preview([marks], [CropJob(size=100)], out, options=_options())

    assert [path.name for path in out.iterdir() if path.is_dir()] == []


def _interrupt_after_first_image(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Stop the next preview as Ctrl-C would, after its frames and first image are written;
    return the list of image renders that ran."""
    render = preview_shell._render_image
    calls: list[object] = []

    def interrupted(*args: Any) -> Any:
        if calls:
            raise KeyboardInterrupt
        calls.append(args)
        return render(*args)

    monkeypatch.setattr(preview_shell, "_render_image", interrupted)
    return calls


def test_interrupted_render_leaves_no_bundle(
    marks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _interrupt_after_first_image(monkeypatch)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        preview([marks], [CropJob(size=100)], out, options=_options())
    assert calls
    assert [path.name for path in out.iterdir() if path.is_dir()] == []


def test_interrupted_rerun_keeps_earlier_bundle(
    marks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    first = preview([marks], [CropJob(size=100)], out, options=_options())
    earlier = {path: sha256_file(path) for path in out.rglob("*.png")}
    assert set(first.frame_paths) <= set(earlier)

    calls = _interrupt_after_first_image(monkeypatch)
    more = _options(frame_selectors=[*SELECTORS, "0.25", "0.75"], stack_times_sec=[0.0, 0.5])
    with pytest.raises(KeyboardInterrupt):
        preview([marks], [CropJob(size=100)], out, options=more)
    assert calls
    assert {path: sha256_file(path) for path in out.rglob("*.png")} == earlier


def test_empty_input_is_invalid(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match=r"is empty \(0 bytes\)"):
        preview([empty], [CropJob(size=100)], tmp_path / "out", options=_options())
    assert not (tmp_path / "out").exists()


def test_clamped_time_warns_on_stderr(marks: Path, tmp_path: Path, cli: CliRunner) -> None:
    args = ("--input", marks, "--out", tmp_path, "--size", "100", "--frame", "99", "--plain")
    result = cli("crop", "preview", *args)
    assert result.code == 0, result.stderr
    assert "after the end of the clip" in result.stderr
    assert "after the end" not in result.stdout

"""Preview plans of a fixed clip: files, resolved times, graphs and the plan document."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest
from returns.result import Failure, Success
from syrupy.assertion import SnapshotAssertion

from cosmos.core.crop.jobs import CropJob, RectCropJob
from cosmos.core.crop.plan import TrimWindow
from cosmos.core.model.documents import (
    EnvInfo,
    FfmpegInfo,
    PreviewRunDocument,
    SystemInfo,
    encode_document,
)
from cosmos.core.preview.graphs import render_argv
from cosmos.core.preview.options import RenderOptions, resolve_render_options
from cosmos.core.preview.plan import (
    ClipPreviewPlan,
    bundle_name,
    check_image_sizes,
    plan_clip_preview,
)
from cosmos.core.preview.run import build_run_document
from cosmos.core.preview.views import PreviewView
from tests.core.preview_fixtures import make_source, make_view

RUN_ID = "preview_20260102T030405Z_a1b2c3"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
OUT = Path("/out")
BUNDLE = OUT / bundle_name(Path("/data/clips/clip.mp4"))
ENV = EnvInfo(
    ffmpeg=FfmpegInfo(version="5.1.9", path="/usr/bin/ffmpeg", origin="path"),
    system=SystemInfo(os="Linux 6.1", python="3.11.7", cpu_count=8, memory_gb=31.2),
)


def _views() -> list[PreviewView]:
    return [
        make_view(1, CropJob(size=400, offset_x=-1, offset_y=-1)),
        make_view(2, RectCropJob(x0=0.5, y0=0.25, w=0.5, h=0.5, view_id="right:1's")),
        make_view(
            3,
            RectCropJob(
                x0=101,
                y0=200,
                w=300,
                h=300,
                normalized=False,
                start=0.5,
                end=1.5,
                annotations={"species": "bee"},
            ),
            trim=TrimWindow(seek_seconds=0.46, frame_count=25, first_index=12),
        ),
    ]


def _plan(**fields: object) -> ClipPreviewPlan:
    options = RenderOptions(
        frame_selectors=["start", "mid", "end", "end-0.5", "2.0"],
        stack_times_sec=[0.0, 1.0, 1.01, 9.0],
        render_max_width=800,
    )
    resolved = resolve_render_options(msgspec.structs.replace(options, **fields)).unwrap()
    return plan_clip_preview(
        make_source(), _views(), resolved, out_dir=OUT, run_id=RUN_ID, font_file=FONT
    )


def _without_graphs(document: str) -> str:
    data = json.loads(document)
    for image in (*data["sheets"], *data["stacked"]):
        image["filter_graph"] = "<filter graph: see the graph snapshots>"
    return json.dumps(data, indent=2) + "\n"


def test_plan_document(snapshot_json: SnapshotAssertion) -> None:
    document = encode_document(_plan().document).decode()
    assert _without_graphs(document) == snapshot_json


def test_sheet_graph(snapshot_txt: SnapshotAssertion) -> None:
    (sheet,) = [image for image in _plan().sheets if image.path.name == "sheet_frame_mid.png"]
    assert sheet.graph == snapshot_txt


def test_stacked_graph(snapshot_txt: SnapshotAssertion) -> None:
    stacked = _plan().stacked[0]
    assert stacked.graph == snapshot_txt


def test_file_names() -> None:
    plan = _plan()
    assert plan.bundle_dir == BUNDLE
    assert plan.plan_path == BUNDLE / "preview_plan.v1.json"
    assert [image.path.relative_to(BUNDLE).as_posix() for image in plan.sheets] == [
        "sheets/sheet_frame_start.png",
        "sheets/sheet_frame_mid.png",
        "sheets/sheet_frame_end.png",
        "sheets/sheet_frame_end_minus_0_dot_5.png",
        "sheets/sheet_frame_2_dot_0.png",
    ]
    assert [image.path.relative_to(BUNDLE).as_posix() for image in plan.stacked] == [
        "stacked/stacked_t_0000.000.png",
        "stacked/stacked_t_0001.000.png",
        "stacked/stacked_t_0001.960.png",
    ]
    names = [frame.path.name for frame in plan.frames]
    assert names == sorted(set(names))
    assert "t_0001.960.png" in names


def test_each_frame_decoded_once() -> None:
    plan = _plan()
    indices = [frame.frame_index for frame in plan.frames]
    assert indices == sorted(set(indices))
    needed = {time.frame_index for time in plan.document.times}
    assert set(indices) == needed
    for image in (*plan.sheets, *plan.stacked):
        assert len(image.inputs) == len(set(image.inputs))
        assert set(image.inputs) <= {frame.path for frame in plan.frames}


def test_end_shows_last_frame_of_each_view() -> None:
    document = _plan().document
    (end,) = [sheet for sheet in document.sheets if sheet.selector == "end"]
    assert [picture.frame_index for picture in end.pictures] == [49, 49, 36]
    assert [picture.time_sec for picture in end.pictures] == [1.96, 1.96, 1.44]


def test_trim_anchors() -> None:
    times = _plan().document.times
    trimmed = {t.selector: t.frame_index for t in times if t.view_number == 3}
    assert trimmed == {"start": 12, "mid": 24, "end": 36, "end-0.5": 23, "2.0": 49}
    outside = [t for t in times if t.view_number == 3 and t.selector == "2.0"]
    assert "outside the trim of view job02" in outside[0].warnings[0]


def test_stack_times_share_a_frame() -> None:
    document = _plan().document
    assert [image.stack_times_sec for image in document.stacked] == [[0.0], [1.0, 1.01], [9.0]]
    clamped = [t for t in document.times if t.kind == "stack" and t.stack_time_sec == 9.0]
    assert clamped[0].frame_index == 49
    assert clamped[0].requested_sec == 9.0
    assert "after the end of the clip" in clamped[0].warnings[0]
    assert any("stack time 9 s" in warning for warning in document.warnings)


def test_sheet_pictures_in_grid() -> None:
    (sheet, *_) = _plan().document.sheets
    assert (sheet.columns, sheet.rows) == (3, 1)
    xs = [picture.x for picture in sheet.pictures]
    assert xs == sorted(xs)
    assert len({picture.y for picture in sheet.pictures}) == 1
    assert all((p.width, p.height, p.scale) == (800, 450, 0.625) for p in sheet.pictures)


def test_views_recorded() -> None:
    views = _plan().document.views
    assert [view.label for view in views] == ["job00", "right:1's", "job02"]
    assert [view.colour for view in views] == ["#E69F00", "#56B4E9", "#009E73"]
    assert (views[0].rect.x, views[0].rect.y, views[0].rect.w, views[0].rect.h) == (0, 0, 400, 400)
    assert views[2].annotations == {"species": "bee"}
    assert "moved to even values for 4:2:0 chroma" in views[2].warnings[0]
    assert (views[2].trim.first_frame, views[2].trim.frame_count) == (12, 25)


def test_outline_drawn_at_scaled_rectangle() -> None:
    (start, *_) = _plan().sheets
    # View 2 cuts 640,180 640x360 from 1280x720; at 0.625 that is 400,112 400x226 (the bottom
    # edge rounds 337.5 to 338), plus the picture's place in its cell.
    assert "color=0x56B4E9:t=2" in start.graph
    assert "w=400:h=226:color=0x56B4E9@0.25:t=fill" in start.graph


def test_options_change_graph() -> None:
    plain = _plan(show_rulers=False, show_crosshair=False, alpha=0.0, grid_step_px=0)
    graph = plain.sheets[0].graph
    assert "drawgrid" not in graph
    assert "@0.25" not in graph
    assert "text=400" not in graph
    assert "color=0x000000" not in graph
    full = _plan().sheets[0].graph
    assert "drawgrid=x=0:y=0:w=400:h=400:t=2" in full
    assert "text=400" in full
    assert "color=0x000000" in full


def test_dense_grid_not_drawn() -> None:
    plan = _plan(grid_step_px=2)
    assert "drawgrid" not in plan.sheets[0].graph
    assert "grid step 2 px is under 4 px apart at this scale; no grid drawn" in (
        plan.document.warnings
    )


def test_graph_without_font_file() -> None:
    resolved = resolve_render_options(
        RenderOptions(frame_selectors=["start"], stack_times_sec=[])
    ).unwrap()
    plan = plan_clip_preview(
        make_source(), _views(), resolved, out_dir=OUT, run_id=RUN_ID, font_file=None
    )
    assert "fontfile" not in plan.sheets[0].graph
    assert "drawtext=expansion=none:text=" in plan.sheets[0].graph


@pytest.mark.parametrize(
    ("resolved", "name"),
    [
        (Path("/data/clips/clip.mp4"), "preview_clip_"),
        (Path("/data/other/clip.mp4"), "preview_clip_"),
        (Path("/data/my clip (1).mov"), "preview_my_clip_1_"),
        (Path("/data/%d.mp4"), "preview_d_"),
    ],
)
def test_bundle_name(resolved: Path, name: str) -> None:
    bundle = bundle_name(resolved)
    assert bundle.startswith(name)
    assert len(bundle) == len(name) + 8
    assert bundle == bundle_name(Path(str(resolved)))


def test_bundle_names_differ_by_folder() -> None:
    assert bundle_name(Path("/a/clip.mp4")) != bundle_name(Path("/b/clip.mp4"))


def test_run_document(snapshot_json: SnapshotAssertion) -> None:
    plan = _plan(dry_run=True)
    options = resolve_render_options(
        RenderOptions(
            frame_selectors=["start", "mid", "end", "end-0.5", "2.0"],
            stack_times_sec=[0.0, 1.0, 1.01, 9.0],
            render_max_width=800,
            dry_run=True,
        )
    ).unwrap()

    document = build_run_document(
        run_id=RUN_ID,
        time="2026-01-02T03:04:05Z",
        version="0.1.0",
        output_dir=OUT,
        options=options,
        font_file=FONT,
        ffmpeg=ENV.ffmpeg,
        system=ENV.system,
        plans=[plan.document],
    )
    encoded = encode_document(document)

    assert b"NaN" not in encoded
    assert b"Infinity" not in encoded
    decoded = msgspec.json.decode(encoded, type=PreviewRunDocument)
    assert decoded.summary.sheets == 5
    assert decoded.summary.stacked == 3
    assert decoded.tool == "cosmos-crop-preview"
    data = json.loads(encoded)
    data["clips"] = ["<the clip plan: see test_plan_document>"]
    assert json.dumps(data, indent=2) + "\n" == snapshot_json


def test_render_argv() -> None:
    argv = render_argv(
        "/usr/bin/ffmpeg",
        [Path("/b/frames/t_0000.000.png"), Path("/b/frames/t_0001.000.png")],
        "[0:v]null[out]",
        Path("/b/sheets/.sheet_frame_mid.png.1a2b3c4d.partial"),
    )
    assert argv == (
        "/usr/bin/ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y",
        "-f", "png_pipe", "-i", "file:/b/frames/t_0000.000.png",
        "-f", "png_pipe", "-i", "file:/b/frames/t_0001.000.png",
        "-filter_complex", "[0:v]null[out]", "-map", "[out]", "-frames:v", "1",
        "-c:v", "png", "-pred", "paeth", "-compression_level", "3",
        "-f", "image2", "-update", "1", "file:/b/sheets/.sheet_frame_mid.png.1a2b3c4d.partial",
    )  # fmt: skip


def test_oversized_sheet_rejected() -> None:
    jobs = [CropJob(size=1000, center_x=0.1 * n, center_y=0.5) for n in range(1, 10)]
    views = [make_view(n, job, width=7680, height=4320) for n, job in enumerate(jobs, start=1)]
    options = RenderOptions(frame_selectors=["mid"], stack_times_sec=[], render_max_width=16384)
    plan = plan_clip_preview(
        make_source(7680, 4320),
        views,
        resolve_render_options(options).unwrap(),
        out_dir=OUT,
        run_id=RUN_ID,
        font_file=FONT,
    )
    result = check_image_sizes(plan, 16384)
    assert isinstance(result, Failure)
    message = result.failure().message
    assert message.startswith("invalid render_max_width 16384: sheets/sheet_frame_mid.png")
    assert "lower render_max_width" in message
    assert check_image_sizes(_plan(), 800) == Success(None)

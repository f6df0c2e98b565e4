"""COSM folder arithmetic, validation findings, concat lists and the stitch plan."""

from __future__ import annotations

from pathlib import Path, PurePath

import pytest
from syrupy.assertion import SnapshotAssertion

from cosmos.core.encode.policy import EncoderChoice
from cosmos.core.ingest.cosm.layout import (
    FolderMeta,
    FolderState,
    clip_seconds,
    concat_escape,
    natural_key,
    parse_meta,
    plan_layout,
    render_concat_list,
    second_folder,
)
from cosmos.core.ingest.cosm.manifest import ManifestClip
from cosmos.core.ingest.cosm.plan import build_cosm_clip_plan, stitched_size
from cosmos.core.ingest.options import IngestOptions, resolve_ingest_options
from cosmos.core.ingest.plan import clip_output_paths

FPS = 30


def _clip(in_index: int, out_index: int, name: str = "CLIP") -> ManifestClip:
    return ManifestClip(name, in_index, out_index, in_index / FPS, 1723559236.0, None, 1)


def _good(second: int) -> FolderState:
    meta = FolderMeta(x0=float(second), offsets=tuple(i / FPS for i in range(FPS)))
    return FolderState(second, True, meta, (f"{second * 3}.ts", f"{second * 3 + 1}.ts"))


@pytest.mark.parametrize(
    ("second", "folder"),
    [
        (0, "0H/0M/0S"),
        (59, "0H/0M/59S"),
        (60, "0H/1M/0S"),
        (3599, "0H/59M/59S"),
        (3600, "1H/0M/0S"),
    ],
)
def test_second_folder_rolls_over(second: int, folder: str) -> None:
    assert second_folder(second) == folder


def test_natural_key_orders_numbers() -> None:
    names = ["10.ts", "9.ts", "100.ts", "11.ts"]
    assert sorted(names, key=natural_key) == ["9.ts", "10.ts", "11.ts", "100.ts"]


def test_clip_seconds_span() -> None:
    assert clip_seconds(1785, 1830, FPS) == (59, 60)
    assert clip_seconds(45, 105, FPS) == (1, 2, 3)
    assert clip_seconds(60, 90, FPS) == (2,)


def test_parse_meta_good() -> None:
    meta = parse_meta(b'{"Time": {"x0": 17.5, "xi-x0": [0, 0.0333, 0.0667]}}')
    assert isinstance(meta, FolderMeta)
    assert meta.frame_count == 3
    assert meta.fps() == pytest.approx(30, rel=0.01)


@pytest.mark.parametrize(
    "data",
    [
        b'{"Time": {"x0": 17',
        b"{}",
        b'{"Time": {"x0": 1, "xi-x0": []}}',
        b'{"Time": {"x0": 1, "xi-x0": [0.2, 0.1]}}',
    ],
)
def test_parse_meta_damaged(data: bytes) -> None:
    assert isinstance(parse_meta(data), str)


def test_layout_full_clip() -> None:
    layout = plan_layout(_clip(1785, 1830), FPS, [_good(59), _good(60)], None, False)
    assert layout.findings == ()
    assert layout.start_frame == 1785 - 59 * FPS
    assert layout.frame_count == 45
    assert layout.partial is False


def test_layout_window_shortens() -> None:
    layout = plan_layout(_clip(45, 105), FPS, [_good(1), _good(2), _good(3)], 0.5, False)
    assert layout.out_index == 60
    assert layout.frame_count == 15
    assert layout.seconds == (1,)


def test_layout_missing_folder_blocks() -> None:
    states = [_good(10), FolderState(11, False, None, ()), _good(12), _good(13)]
    layout = plan_layout(_clip(300, 400), FPS, states, None, False)
    blocking = [f for f in layout.findings if f.blocking]
    assert len(blocking) == 1
    assert "0H/0M/11S is missing" in blocking[0].message


def test_layout_missing_folder_partial() -> None:
    states = [_good(10), FolderState(11, False, None, ()), _good(12), _good(13)]
    layout = plan_layout(_clip(300, 400), FPS, states, None, True)
    assert not any(f.blocking for f in layout.findings)
    assert layout.usable_seconds == (10, 12, 13)
    assert layout.start_frame == 0
    assert layout.frame_count == 70
    assert layout.partial is True


def test_layout_damaged_meta_finding() -> None:
    states = [_good(15), FolderState(16, True, "meta.json is not valid (truncated)", ("48.ts",))]
    layout = plan_layout(_clip(450, 520), FPS, states, None, False)
    messages = [f.message for f in layout.findings if f.blocking]
    assert any("0H/0M/16S has a damaged meta.json" in m for m in messages)


def test_concat_escape_quote() -> None:
    assert concat_escape(PurePath("/data/it's here/1.ts")) == "'/data/it'\\''s here/1.ts'"


def test_stitched_size() -> None:
    assert stitched_size(320, 180) == (576, 296)


def _plan_inputs() -> tuple[list[FolderState], ManifestClip]:
    return [_good(59), _good(60)], _clip(1785, 1830, "MINUTE")


def test_concat_list_snapshot(snapshot_txt: SnapshotAssertion) -> None:
    states, clip = _plan_inputs()
    layout = plan_layout(clip, FPS, states, None, False)
    from cosmos.core.ingest.cosm.layout import chunk_paths

    text = render_concat_list(chunk_paths(PurePath("/data/Sessión 'A'"), layout, states))
    assert text == snapshot_txt


def test_cosm_argv_snapshot(snapshot_txt: SnapshotAssertion) -> None:
    states, clip = _plan_inputs()
    layout = plan_layout(clip, FPS, states, None, False)
    options = resolve_ingest_options(IngestOptions(width=1920, height=1080), None).unwrap()
    out = Path("/out")
    plan = build_cosm_clip_plan(
        ffmpeg="ffmpeg",
        layout=layout,
        concat_path=out / "MINUTE.mp4.concat.txt",
        concat_text="",
        manifest_path=Path("/data/SESSION.xml"),
        options=options,
        choice=EncoderChoice(encoder="libx264", attempted=()),
        hw_decode=None,
        paths=clip_output_paths(out, "MINUTE", "token"),
    )
    assert plan.session_frames == (1785, 1830)
    assert plan.expected_frames == 45
    assert "\n".join(plan.argv) + "\n" == snapshot_txt

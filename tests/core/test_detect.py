"""Adapter choice, clip discovery, clip names and validation findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from returns.result import Failure, Success

from cosmos.core.errors import InvalidInput, ProbeFailed
from cosmos.core.ingest.adapter import ClipSource, FolderEntry, FolderListing
from cosmos.core.ingest.detect import choose_adapter, manifest_names, select_clips
from cosmos.core.ingest.generic import GenericMediaAdapter, is_video_name, unique_clip_names
from tests.core.test_geometry import make_facts

ROOT = Path("/data/session")


def listing(*names: str, folders: tuple[str, ...] = ()) -> FolderListing:
    entries = [FolderEntry(name=name, is_file=True, size_bytes=100) for name in names]
    entries += [FolderEntry(name=name, is_file=False, size_bytes=0) for name in folders]
    return FolderListing(root=ROOT, entries=tuple(entries))


def _error(result: object) -> InvalidInput:
    assert isinstance(result, Failure), result
    error = result.failure()
    assert isinstance(error, InvalidInput)
    return error


# (file names in folder order, expected clip names)
CLIP_NAME_CASES = [
    (["a.mp4", "b.mov"], ["a", "b"]),
    (["a.mp4", "a.mov"], ["a_mp4", "a_mov"]),
    (["Clip.MP4", "clip.mkv"], ["Clip_mp4", "clip_mkv"]),
    (["x.mp4", "X.mp4"], ["x_mp4", "X_mp4_2"]),
    (["a.mov", "a.mp4", "a_mp4.mkv"], ["a_mov", "a_mp4", "a_mp4_2"]),
    (["take 1.mp4", "take 2.mp4"], ["take 1", "take 2"]),
    (["archive.tar.mp4", "archive.tar.mov"], ["archive.tar_mp4", "archive.tar_mov"]),
]


@pytest.mark.parametrize(
    ("file_names", "expected"),
    CLIP_NAME_CASES,
    ids=[
        "distinct",
        "same-stem",
        "same-stem-any-case",
        "same-name-any-case",
        "suffix-collides-with-stem",
        "spaces",
        "dotted-stem",
    ],
)
def test_unique_clip_names(file_names: list[str], expected: list[str]) -> None:
    assert unique_clip_names(file_names) == expected


@pytest.mark.parametrize(
    "file_names",
    [
        ["a.mp4", "A.MP4", "a.Mp4", "a.mov"],
        ["c.mp4", "c_mp4.mp4", "C.mp4"],
        ["x.mp4", "X.mp4", "X_mp4_2.mkv"],
        ["x.mp4", "X.mp4", "x_mp4_2.mkv", "X.mov", "x.mov"],
    ],
    ids=["four-cases", "suffix-stem", "numbered-stem", "numbered-stem-both-extensions"],
)
def test_unique_clip_names_no_collision(file_names: list[str]) -> None:
    names = unique_clip_names(file_names)
    assert len({name.casefold() for name in names}) == len(file_names)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.mp4", True),
        ("A.MOV", True),
        ("b.Mkv", True),
        ("c.avi", True),
        ("d.ts", True),
        ("e.mts", True),
        ("f.webm", True),
        (".hidden.mp4", False),
        ("notes.txt", False),
        ("manifest.xml", False),
        ("mp4", False),
    ],
)
def test_is_video_name(name: str, expected: bool) -> None:
    assert is_video_name(name) is expected


def test_choose_explicit_adapter() -> None:
    assert choose_adapter(listing("a.xml", "b.xml"), "generic-media", None) == Success(
        "generic-media"
    )


def test_choose_manifest_given() -> None:
    assert choose_adapter(listing("a.mp4"), None, ROOT / "m.xml") == Success("cosm")


def test_choose_one_manifest() -> None:
    assert choose_adapter(listing("session.XML", "a.mp4"), None, None) == Success("cosm")


def test_choose_videos() -> None:
    assert choose_adapter(listing("notes.txt", "A.MP4"), None, None) == Success("generic-media")


def test_choose_ignores_hidden_xml() -> None:
    assert choose_adapter(listing("._session.xml", "a.mp4"), None, None) == Success("generic-media")


def test_choose_several_manifests() -> None:
    error = _error(choose_adapter(listing("b.xml", "a.xml", "c.mp4"), None, None))
    assert "a.xml, b.xml" in error.message
    assert "manifest=" in error.message
    assert str(ROOT) in error.message


def test_choose_nothing() -> None:
    error = _error(choose_adapter(listing("notes.txt", folders=("sub.mp4",)), None, None))
    assert str(ROOT) in error.message
    assert ".mp4" in error.message
    assert "*.xml" in error.message
    assert "adapter=" in error.message


def test_choose_empty_folder() -> None:
    error = _error(choose_adapter(listing(), None, None))
    assert error.value == str(ROOT)


def test_manifest_names_sorted() -> None:
    assert manifest_names(listing("z.xml", "A.xml", "x.txt")) == ["A.xml", "z.xml"]


def test_select_all_clips() -> None:
    assert select_clips(["a", "b"], None, ROOT) == Success(["a", "b"])


def test_select_clips_any_case() -> None:
    assert select_clips(["Alpha", "beta", "gamma"], ("GAMMA", "alpha"), ROOT) == Success(
        ["Alpha", "gamma"]
    )


def test_select_unknown_clip() -> None:
    error = _error(select_clips(["a", "b"], ("a", "zz"), ROOT))
    assert error.value == "zz"
    assert "zz" in error.message
    assert "known clips: a, b" in error.message


def test_discover_sorted_and_named() -> None:
    result = GenericMediaAdapter().discover(listing("b.MOV", "a.mp4", "a.mkv", "x.txt"))
    assert isinstance(result, Success)
    clips = result.unwrap()
    assert [clip.name for clip in clips] == ["a_mkv", "a_mp4", "b"]
    assert clips[2].inputs == (ROOT / "b.MOV",)


def test_discover_skips_folders() -> None:
    error = _error(GenericMediaAdapter().discover(listing(folders=("clip.mp4",))))
    assert "no video files found" in error.message


CLIP = ClipSource(name="a", inputs=(ROOT / "a.mp4",))


def test_validate_empty_file() -> None:
    (finding,) = GenericMediaAdapter().validate(CLIP, make_facts(64, 64), 0)
    assert finding.code == "empty-file"
    assert finding.blocking
    assert str(ROOT / "a.mp4") in finding.message


def test_validate_not_video() -> None:
    failed = ProbeFailed(path="/data/session/a.mp4", message="ffprobe cannot read it")
    (finding,) = GenericMediaAdapter().validate(CLIP, failed, 10)
    assert finding.code == "not-video"
    assert finding.blocking
    assert finding.message == "ffprobe cannot read it"


def test_validate_unknown_duration() -> None:
    (finding,) = GenericMediaAdapter().validate(CLIP, make_facts(64, 64, duration=None), 10)
    assert finding.code == "unknown-duration"
    assert not finding.blocking


def test_validate_good_clip() -> None:
    assert GenericMediaAdapter().validate(CLIP, make_facts(64, 64), 10) == ()


def test_input_args_use_file_url() -> None:
    clip = ClipSource(name="-x", inputs=(Path("/in/-x:y.mp4"),))
    assert GenericMediaAdapter().input_args(clip) == ("-i", "file:/in/-x:y.mp4")

"""Relative paths, identifiers and error-message helpers used by the documents."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from cosmos.core.errors import stderr_tail
from cosmos.core.ffmpeg.paths import file_url, shell_join
from cosmos.core.provenance.ids import make_artifact_id, make_run_id
from cosmos.core.provenance.paths import relative_path


@pytest.mark.parametrize(
    ("target", "start", "expected"),
    [
        ("/out/a.mp4", "/out", "a.mp4"),
        ("/out/sub/a.mp4", "/out", "sub/a.mp4"),
        ("/in/a.mp4", "/out", "../in/a.mp4"),
        ("/data/in/x/a.mp4", "/data/out/y/z", "../../../in/x/a.mp4"),
        ("/out", "/out", "."),
        ("/out", "/out/sub", ".."),
        ("/a.mp4", "/out/x", "../../a.mp4"),
        ("/out/take 1 é.mp4", "/out", "take 1 é.mp4"),
    ],
)
def test_relative_path(target: str, start: str, expected: str) -> None:
    assert relative_path(PurePosixPath(target), PurePosixPath(start)) == expected


@pytest.mark.parametrize(("target", "start"), [("in/a.mp4", "/out"), ("/in/a.mp4", "out")])
def test_relative_path_rejects_relative(target: str, start: str) -> None:
    with pytest.raises(ValueError, match="needs absolute paths"):
        relative_path(PurePosixPath(target), PurePosixPath(start))


def test_relative_path_resolves_back() -> None:
    target, start = PurePosixPath("/data/in/a.mp4"), PurePosixPath("/data/out/run")
    joined = PurePosixPath(start, relative_path(target, start))
    assert joined.parts[-2:] == ("in", "a.mp4")
    assert str(joined) == "/data/out/run/../../in/a.mp4"


def test_run_id() -> None:
    assert make_run_id("ing", "20260101T000000Z", "1a2b3c") == "ing_20260101T000000Z_1a2b3c"


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("clip", "clip-clip-0123abcd"),
        ("take 1 (copy)", "clip-take_1_copy-0123abcd"),
        ("///", "clip-output-0123abcd"),
    ],
)
def test_artifact_id(stem: str, expected: str) -> None:
    assert make_artifact_id("clip", stem, "0123abcd" + "f" * 56) == expected


def test_file_url_keeps_name_literal() -> None:
    assert file_url(PurePosixPath("/in/-a:b 'c'.mp4")) == "file:/in/-a:b 'c'.mp4"


def test_shell_join_quotes() -> None:
    assert shell_join(["ffmpeg", "-i", "file:/in/it's here.mp4"]) == (
        "ffmpeg -i 'file:/in/it'\"'\"'s here.mp4'"
    )


@pytest.mark.parametrize(
    ("stderr", "lines", "expected"),
    [
        ("a\nb\nc\nd\n", 3, "b | c | d"),
        ("  one  \n\n\n", 3, "one"),
        ("", 3, ""),
        ("x\ny\n", 1, "y"),
        (
            "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5567ed181380] moov atom not found\n"
            "text.mp4: Invalid data found when processing input\n",
            3,
            "[mov,mp4,m4a,3gp,3g2,mj2] moov atom not found | "
            "text.mp4: Invalid data found when processing input",
        ),
        (
            "[h264 @ 0x7F00AB] error while decoding MB 3 4\n",
            3,
            "[h264] error while decoding MB 3 4",
        ),
    ],
)
def test_stderr_tail(stderr: str, lines: int, expected: str) -> None:
    assert stderr_tail(stderr, lines) == expected

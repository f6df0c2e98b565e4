"""The COSM manifest parser: real attribute shapes, and every way a manifest can be wrong."""

from __future__ import annotations

import time

import pytest
from returns.result import Failure, Success

from cosmos.core.ingest.cosm.manifest import parse_manifest, parse_position

REAL_SHAPE = b"""<?xml version="1.0" encoding="utf-8"?>
<Clip_Manifest NumDirs="240">
  <_1 Name="CLIP2" InIdx="228" OutIdx="4110" InStr="07:27:16.618 08/13/2024"
      Epoch="1723559236.618" Pos="0H/0M/3.8S/" In="0" Out="0" Locked="0"/>
  <_2 Name="CLIP1" InIdx="1511" OutIdx="14273" Pos="0H/0M/25.1833333333333S/"/>
</Clip_Manifest>
"""


def test_manifest_real_shape() -> None:
    result = parse_manifest(REAL_SHAPE, "s.xml")
    assert isinstance(result, Success)
    manifest = result.unwrap()
    assert manifest.num_dirs == 240
    assert [clip.name for clip in manifest.clips] == ["CLIP2", "CLIP1"]
    assert manifest.clips[0].in_index == 228
    assert manifest.clips[0].out_index == 4110
    assert manifest.clips[0].position_seconds == pytest.approx(3.8)
    assert manifest.clips[0].epoch_seconds == pytest.approx(1723559236.618)
    assert manifest.clips[1].position_seconds == pytest.approx(25.1833333333333)
    assert manifest.clips[1].frame_count == 14273 - 1511


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0H/0M/3.8S/", 3.8),
        ("1H/0M/0S/", 3600.0),
        ("0H/59M/59.5S", 3599.5),
        ("2H/1M/1S/", 7261.0),
    ],
)
def test_position_parses(text: str, seconds: float) -> None:
    assert parse_position(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text", ["", "3.8S", "0H/60M/0S/", "0H/0M/60S/", "0H/0M/-1S/", "aH/0M/0S/"]
)
def test_position_rejects(text: str) -> None:
    assert parse_position(text) is None


def _manifest(*elements: str) -> bytes:
    return ("<Clip_Manifest>" + "".join(elements) + "</Clip_Manifest>").encode()


GOOD = '<_1 Name="A" InIdx="0" OutIdx="30" Pos="0H/0M/0S/"/>'


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_manifest(GOOD, '<_2 Name="a" InIdx="5" OutIdx="9" Pos="0H/0M/0S/"/>'), "appears twice"),
        (_manifest('<_1 InIdx="0" OutIdx="30" Pos="0H/0M/0S/"/>'), "no Name attribute"),
        (_manifest('<_1 Name="B" OutIdx="30" Pos="0H/0M/0S/"/>'), "no InIdx attribute"),
        (_manifest('<_1 Name="B" InIdx="x" OutIdx="30" Pos="0H/0M/0S/"/>'), "InIdx='x'"),
        (_manifest('<_1 Name="B" InIdx="40" OutIdx="30" Pos="0H/0M/0S/"/>'), "0 <= InIdx < OutIdx"),
        (_manifest('<_1 Name="B" InIdx="0" OutIdx="30" Pos="soon"/>'), "Pos='soon'"),
        (_manifest('<_1 Name="B" InIdx="0" OutIdx="30"/>'), "no Pos attribute"),
        (_manifest(), "lists no clips"),
        (b"<Other/>", "expected <Clip_Manifest>"),
        (b"<Clip_Manifest><_1", "not well-formed"),
        (b"", "not well-formed"),
    ],
)
def test_manifest_rejects(data: bytes, expected: str) -> None:
    result = parse_manifest(data, "s.xml")
    assert isinstance(result, Failure)
    assert expected in result.failure().message
    assert "s.xml" in result.failure().message


def test_manifest_names_clip_and_line() -> None:
    data = b"<Clip_Manifest>\n" + GOOD.encode() + b'\n<_2 Name="BAD" InIdx="1" Pos="0H/0M/0S/"/>\n'
    result = parse_manifest(data + b"</Clip_Manifest>", "s.xml")
    assert isinstance(result, Failure)
    assert "'BAD'" in result.failure().message
    assert "line 3" in result.failure().message


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Clip_Manifest><_1 Name="&lol9;" InIdx="0" OutIdx="30" Pos="0H/0M/0S/"/></Clip_Manifest>
"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE m [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<Clip_Manifest><_1 Name="&secret;" InIdx="0" OutIdx="30" Pos="0H/0M/0S/"/></Clip_Manifest>
"""


@pytest.mark.parametrize("data", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_manifest_rejects_doctype_fast(data: bytes) -> None:
    started = time.monotonic()
    result = parse_manifest(data, "s.xml")
    assert time.monotonic() - started < 1.0
    assert isinstance(result, Failure)
    assert "DOCTYPE" in result.failure().message

"""Missing second folders of a COSM clip are one finding: counted, with their range and the
first few named, so a clip whose OutIdx runs hours past the recording gives a short message."""

from __future__ import annotations

from cosmos.core.ingest.cosm.layout import FolderMeta, FolderState, plan_layout, second_folder
from cosmos.core.ingest.cosm.manifest import ManifestClip

FPS = 30


def _clip(in_index: int, out_index: int, name: str = "BIG") -> ManifestClip:
    return ManifestClip(name, in_index, out_index, in_index / FPS, 1723559236.0, None, 1)


def _good(second: int) -> FolderState:
    meta = FolderMeta(x0=float(second), offsets=tuple(i / FPS for i in range(FPS)))
    return FolderState(second, True, meta, (f"{second * 3}.ts",))


def _missing(second: int) -> FolderState:
    return FolderState(second, False, None, ())


def test_far_out_index_gives_one_short_finding() -> None:
    # The demo clip with OutIdx raised to 999999: seconds 1 to 3 exist, 4 to 33333 do not.
    layout = plan_layout(_clip(45, 999999), FPS, [_good(1), _good(2), _good(3)], None, False)
    blocking = [finding for finding in layout.findings if finding.blocking]
    assert len(blocking) == 1
    message = blocking[0].message
    assert len(message) < 400
    assert blocking[0].code == "folder-unusable"
    assert "33330 of its 33333 folders are missing" in message
    assert f"from 0H/0M/4S to {second_folder(33333)}" in message
    assert "(0H/0M/4S, 0H/0M/5S, 0H/0M/6S and 33327 more)" in message
    assert "allow_partial=True (CLI: --allow-partial)" in message
    assert "InIdx and OutIdx" in message


def test_two_missing_folders_are_both_named() -> None:
    states = [_good(10), _missing(11), _missing(12), _good(13)]
    layout = plan_layout(_clip(300, 420), FPS, states, None, False)
    (finding,) = layout.findings
    assert "2 of its 4 folders are missing, from 0H/0M/11S to 0H/0M/12S" in finding.message
    assert "(0H/0M/11S, 0H/0M/12S)" in finding.message
    assert "more" not in finding.message


def test_one_missing_folder_keeps_its_message() -> None:
    states = [_good(10), _missing(11), _good(12), _good(13)]
    layout = plan_layout(_clip(300, 400, "MISSING"), FPS, states, None, False)
    assert [finding.message for finding in layout.findings] == [
        "clip MISSING: folder 0H/0M/11S is missing"
    ]


def test_gaps_give_the_whole_range() -> None:
    states = [_missing(10), _good(11), _missing(12), _good(13), _missing(14), _missing(15)]
    layout = plan_layout(_clip(300, 480), FPS, states, None, False)
    (finding,) = layout.findings
    assert "4 of its 6 folders are missing, from 0H/0M/10S to 0H/0M/15S" in finding.message
    assert "(0H/0M/10S, 0H/0M/12S, 0H/0M/14S and 1 more)" in finding.message


def test_partial_run_gets_no_advice_to_allow_partial() -> None:
    layout = plan_layout(_clip(45, 999999), FPS, [_good(1), _good(2), _good(3)], None, True)
    assert not any(finding.blocking for finding in layout.findings)
    messages = [finding.message for finding in layout.findings]
    assert len(messages) == 2
    assert "33330 of its 33333 folders are missing" in messages[0]
    assert "allow_partial" not in messages[0]
    assert (
        messages[1]
        == "clip BIG: encoding 75 of 999954 frames because some folders are missing or damaged"
    )


def test_missing_summary_keeps_time_order() -> None:
    damaged = FolderState(10, True, "meta.json is not valid (truncated)", ("30.ts",))
    no_chunks = FolderState(14, True, _good(14).meta, ())
    states = [damaged, _missing(11), _good(12), _missing(13), no_chunks]
    layout = plan_layout(_clip(300, 450), FPS, states, None, False)
    messages = [finding.message for finding in layout.findings]
    assert len(messages) == 3
    assert "0H/0M/10S has a damaged meta.json" in messages[0]
    assert "2 of its 5 folders are missing" in messages[1]
    assert "0H/0M/14S has no .ts chunks" in messages[2]

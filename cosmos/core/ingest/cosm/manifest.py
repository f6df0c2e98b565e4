"""Safe parsing of the COSM clip manifest (``Clip_Manifest`` XML).

The manifest is untrusted input. The parser rejects any document type declaration, so entity
definitions (billion-laughs expansion) and external entities are never read or expanded. A
malformed clip element is an error that names the clip and its line; it is never dropped. A clip
name becomes the start of its output file names, so a name that could leave the output folder
(``../x``, ``a/b``) or hide a file (``.x``) is an error too.
"""

from __future__ import annotations

import math
import re
import xml.parsers.expat
from dataclasses import dataclass

from returns.result import Failure, Result, Success

from cosmos.core.errors import InvalidInput
from cosmos.core.names import CLIP_NAME_RULE, clip_name_problem

ROOT_TAG = "Clip_Manifest"
_POS = re.compile(r"^\s*(\d+)H/(\d+)M/(\d+(?:\.\d+)?)S/?\s*$")


@dataclass(frozen=True, slots=True)
class ManifestClip:
    """One clip of the manifest: session frames ``[in_index, out_index)``."""

    name: str
    in_index: int
    out_index: int
    position_seconds: float
    epoch_seconds: float | None
    in_text: str | None
    line: int

    @property
    def frame_count(self) -> int:
        return self.out_index - self.in_index


@dataclass(frozen=True, slots=True)
class Manifest:
    num_dirs: int | None
    clips: tuple[ManifestClip, ...]


class _Rejected(Exception):
    """Raised inside expat callbacks to stop parsing; never leaves this module."""


def parse_position(text: str) -> float | None:
    """Parse ``Pos`` such as ``0H/0M/25.1833333333333S/`` into seconds."""
    match = _POS.match(text)
    if match is None:
        return None
    hours, minutes, seconds = int(match[1]), int(match[2]), float(match[3])
    if minutes > 59 or seconds >= 60:
        return None
    return hours * 3600 + minutes * 60 + seconds


def _invalid(source: str, message: str) -> Failure[InvalidInput]:
    return Failure(InvalidInput(value=source, message=f"invalid manifest {source}: {message}"))


def _parse_clip(
    attributes: dict[str, str], tag: str, line: int, source: str
) -> Result[ManifestClip, InvalidInput]:
    name = attributes.get("Name", "").strip()
    where = f"clip element <{tag}> on line {line}"
    if not name:
        return _invalid(source, f"{where} has no Name attribute; every clip needs a name")
    where = f"clip {name!r} (<{tag}> on line {line})"
    problem = clip_name_problem(name)
    if problem is not None:
        return _invalid(source, f"{where} has a Name that {problem}; {CLIP_NAME_RULE}")
    numbers: dict[str, int] = {}
    for key in ("InIdx", "OutIdx"):
        raw = attributes.get(key)
        if raw is None:
            return _invalid(source, f"{where} has no {key} attribute")
        try:
            numbers[key] = int(raw.strip())
        except ValueError:
            return _invalid(source, f"{where} has {key}={raw!r}; expected a whole frame index")
    in_index, out_index = numbers["InIdx"], numbers["OutIdx"]
    if in_index < 0 or out_index <= in_index:
        return _invalid(
            source,
            f"{where} has InIdx={in_index}, OutIdx={out_index}; expected 0 <= InIdx < OutIdx",
        )
    position_text = attributes.get("Pos")
    if position_text is None:
        return _invalid(source, f"{where} has no Pos attribute")
    position = parse_position(position_text)
    if position is None:
        return _invalid(
            source,
            f"{where} has Pos={position_text!r}; expected <h>H/<m>M/<s>S/ such as 0H/0M/3.8S/",
        )
    epoch: float | None = None
    if "Epoch" in attributes:
        try:
            epoch = float(attributes["Epoch"])
        except ValueError:
            return _invalid(source, f"{where} has Epoch={attributes['Epoch']!r}; expected seconds")
        if not math.isfinite(epoch):
            return _invalid(source, f"{where} has a non-finite Epoch")
    return Success(
        ManifestClip(
            name=name,
            in_index=in_index,
            out_index=out_index,
            position_seconds=position,
            epoch_seconds=epoch,
            in_text=attributes.get("InStr"),
            line=line,
        )
    )


def parse_manifest(data: bytes, source: str) -> Result[Manifest, InvalidInput]:
    """Parse manifest bytes; ``source`` names the file in error messages."""
    parser = xml.parsers.expat.ParserCreate()
    depth = 0
    root_seen = False
    num_dirs: int | None = None
    clips: list[ManifestClip] = []
    problem: list[InvalidInput] = []

    def reject_doctype(*_: object) -> None:
        raise _Rejected("document type declarations (DOCTYPE, entities) are not allowed")

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal depth, root_seen, num_dirs
        depth += 1
        if depth == 1:
            if tag != ROOT_TAG:
                raise _Rejected(f"the root element is <{tag}>, expected <{ROOT_TAG}>")
            root_seen = True
            raw = attributes.get("NumDirs")
            if raw is not None:
                try:
                    num_dirs = int(raw)
                except ValueError:
                    raise _Rejected(f"NumDirs={raw!r} is not a whole number") from None
            return
        if depth == 2:
            clip = _parse_clip(attributes, tag, parser.CurrentLineNumber, source)
            if isinstance(clip, Failure):
                problem.append(clip.failure())
                raise _Rejected(clip.failure().message)
            clips.append(clip.unwrap())

    def end(_: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartDoctypeDeclHandler = reject_doctype
    parser.EntityDeclHandler = reject_doctype
    parser.ExternalEntityRefHandler = lambda *_: 0
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except _Rejected as rejected:
        if problem:
            return Failure(problem[0])
        return _invalid(source, f"{rejected} (line {parser.CurrentLineNumber})")
    except xml.parsers.expat.ExpatError as error:
        return _invalid(source, f"not well-formed XML ({error})")
    if not root_seen:
        return _invalid(source, f"no <{ROOT_TAG}> element found")

    seen: dict[str, ManifestClip] = {}
    for clip in clips:
        key = clip.name.casefold()
        if key in seen:
            return _invalid(
                source,
                f"clip name {clip.name!r} appears twice (lines {seen[key].line} and {clip.line}); "
                "clip names must be unique",
            )
        seen[key] = clip
    if not clips:
        return _invalid(source, "it lists no clips")
    return Success(Manifest(num_dirs=num_dirs, clips=tuple(clips)))

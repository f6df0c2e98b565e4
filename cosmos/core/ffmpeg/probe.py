"""ffprobe argv and the parser of its JSON output."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import msgspec
from returns.result import Failure, Result, Success

from cosmos.core.errors import ProbeFailed
from cosmos.core.ffmpeg.paths import file_url
from cosmos.core.ffmpeg.timeline import PacketIndex, build_packet_index
from cosmos.core.model.media import MediaFacts, VideoProbe

_STREAM_ENTRIES = (
    "index,codec_type,codec_name,codec_long_name,width,height,avg_frame_rate,r_frame_rate,"
    "duration,nb_frames,pix_fmt,color_space,sample_aspect_ratio,time_base"
)
SHOW_ENTRIES = (
    f"stream={_STREAM_ENTRIES}:stream_tags=rotate:stream_side_data=rotation"
    ":format=duration,format_name,start_time,size"
)
PACKET_ENTRIES = "packet=pts,duration,flags,pos,size"


def build_ffprobe_argv(ffprobe: str, source: Path, *, packets: bool = False) -> tuple[str, ...]:
    """Build the one ffprobe call that :func:`parse_ffprobe_json` reads.

    With ``packets`` it also lists every packet of the first video stream (read, not decoded),
    which :func:`parse_packet_index` turns into the frame index; audio streams are then left out.
    """
    if not packets:
        return (
            ffprobe,
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_entries",
            SHOW_ENTRIES,
            file_url(source),
        )
    return (
        ffprobe,
        "-v",
        "error",
        "-select_streams",
        "v:0",
        "-print_format",
        "json",
        "-show_entries",
        f"{SHOW_ENTRIES}:{PACKET_ENTRIES}",
        file_url(source),
    )


class _SideData(msgspec.Struct):
    rotation: float | int | None = None


class _Stream(msgspec.Struct):
    index: int = 0
    codec_type: str | None = None
    codec_name: str | None = None
    codec_long_name: str | None = None
    width: int | None = None
    height: int | None = None
    avg_frame_rate: str | None = None
    r_frame_rate: str | None = None
    duration: str | None = None
    nb_frames: str | None = None
    pix_fmt: str | None = None
    color_space: str | None = None
    sample_aspect_ratio: str | None = None
    time_base: str | None = None
    tags: dict[str, str] = {}
    side_data_list: list[_SideData] = []


class _Format(msgspec.Struct):
    duration: str | None = None
    format_name: str | None = None
    start_time: str | None = None
    size: str | None = None


class _Packet(msgspec.Struct, array_like=False):
    pts: int | None = None
    duration: int | None = None
    flags: str = ""
    # ffprobe prints both as JSON strings.
    pos: str | None = None
    size: str | None = None

    @property
    def location(self) -> tuple[int, int] | None:
        """Return the byte offset and size of the packet, or ``None`` when either is missing."""
        offset = _parse_positive_int(self.pos)
        size = _parse_positive_int(self.size)
        if offset is None or size is None:
            return None
        return (offset, size)


class _ProbeOutput(msgspec.Struct):
    streams: list[_Stream] = []
    format: _Format | None = None
    packets: list[_Packet] = []


def parse_ratio(text: str | None) -> Fraction | None:
    """Parse an ffprobe ratio such as ``30000/1001`` or ``1:1``; zero or invalid gives ``None``."""
    if not text:
        return None
    numerator, sep, denominator = text.replace(":", "/").partition("/")
    try:
        value = Fraction(int(numerator), int(denominator)) if sep else Fraction(numerator)
    except (ValueError, ZeroDivisionError):
        return None
    return value if value > 0 else None


def parse_positive_float(text: str | None) -> float | None:
    """Parse a positive finite number; ``N/A``, zero, negative or not finite gives ``None``."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


def _parse_positive_int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        return None
    return value if value > 0 else None


def _rotation_degrees(stream: _Stream) -> int:
    """Return the clockwise display rotation, normalised to 0, 90, 180 or 270."""
    for side_data in stream.side_data_list:
        if side_data.rotation is not None:
            # The display matrix angle is counter-clockwise; players rotate the other way.
            return round(-float(side_data.rotation) / 90) * 90 % 360
    rotate_tag = stream.tags.get("rotate")
    if rotate_tag is not None:
        try:
            return round(float(rotate_tag) / 90) * 90 % 360
        except ValueError:
            return 0
    return 0


def _decode(source: Path, output: bytes) -> Result[_ProbeOutput, ProbeFailed]:
    try:
        return Success(msgspec.json.decode(output, type=_ProbeOutput))
    except msgspec.DecodeError as error:
        return Failure(
            ProbeFailed(
                path=str(source),
                message=f"ffprobe printed output Cosmos cannot parse for {source} ({error}); "
                "check that the resolved ffprobe is a real FFmpeg build (run `cosmos doctor`)",
            )
        )


def parse_ffprobe_json(source: Path, output: bytes) -> Result[MediaFacts, ProbeFailed]:
    """Turn the output of :func:`build_ffprobe_argv` into :class:`MediaFacts`."""
    decoded = _decode(source, output)
    if isinstance(decoded, Failure):
        return decoded
    return _media_facts(source, decoded.unwrap())


def parse_video_index(
    source: Path, output: bytes
) -> Result[tuple[MediaFacts, PacketIndex], ProbeFailed]:
    """Parse the output of ``build_ffprobe_argv(..., packets=True)``: facts and frame index."""
    decoded = _decode(source, output)
    if isinstance(decoded, Failure):
        return decoded
    parsed = decoded.unwrap()
    facts = _media_facts(source, parsed)
    if isinstance(facts, Failure):
        return facts
    media = facts.unwrap()
    start = parse_positive_float((parsed.format or _Format()).start_time) or 0.0
    packets = _complete_packets(parsed)
    index = build_packet_index(
        source,
        media.time_base,
        [(p.pts, p.duration, p.flags) for p in packets],
        start,
        [p.location for p in packets],
    )
    if isinstance(index, Failure):
        return index
    return Success((media, index.unwrap()))


def _complete_packets(parsed: _ProbeOutput) -> list[_Packet]:
    """Return the listed video packets without the one a truncated file cuts short.

    The file is truncated when its stream declares more frames than ffprobe could list. The
    demuxer then lists the cut packet with the bytes that remain, so it ends exactly at the end
    of the file, and decoding it fails. It is the last packet in file order, so no other
    packet depends on it.
    """
    packets = parsed.packets
    videos = [stream for stream in parsed.streams if stream.codec_type == "video"]
    declared = _parse_positive_int(videos[0].nb_frames) if videos else None
    file_size = _parse_positive_int((parsed.format or _Format()).size)
    if declared is None or file_size is None or len(packets) >= declared:
        return packets
    located = [(p.location, n) for n, p in enumerate(packets) if p.location is not None]
    if not located:
        return packets
    (offset, size), last = max(located)
    if offset + size != file_size:
        return packets
    return packets[:last] + packets[last + 1 :]


def _media_facts(source: Path, parsed: _ProbeOutput) -> Result[MediaFacts, ProbeFailed]:
    videos = [stream for stream in parsed.streams if stream.codec_type == "video"]
    if not videos:
        return Failure(
            ProbeFailed(
                path=str(source),
                message=f"no video stream found in {source}; pass a video file "
                "(ffprobe reads it, but it holds only audio, data or nothing)",
            )
        )
    video = videos[0]
    if not video.width or not video.height or video.width <= 0 or video.height <= 0:
        return Failure(
            ProbeFailed(
                path=str(source),
                message=f"the video stream of {source} has no usable dimensions "
                f"(width={video.width}, height={video.height}); the file may be damaged",
            )
        )

    rotation = _rotation_degrees(video)
    width, height = video.width, video.height
    if rotation in (90, 270):
        width, height = height, width

    frame_rate = parse_ratio(video.avg_frame_rate) or parse_ratio(video.r_frame_rate)
    format_block = parsed.format or _Format()
    duration = parse_positive_float(video.duration) or parse_positive_float(format_block.duration)
    audios = [stream for stream in parsed.streams if stream.codec_type == "audio"]

    probe = VideoProbe(
        source_path=source,
        width=width,
        height=height,
        duration_seconds=duration,
        fps=float(frame_rate) if frame_rate is not None else None,
        frame_count=_parse_positive_int(video.nb_frames),
        codec_name=video.codec_name or None,
        codec_long_name=video.codec_long_name or None,
        format_name=format_block.format_name or None,
    )
    return Success(
        MediaFacts(
            probe=probe,
            stored_width=video.width,
            stored_height=video.height,
            rotation_degrees=rotation,
            frame_rate=frame_rate,
            time_base=parse_ratio(video.time_base),
            sample_aspect_ratio=parse_ratio(video.sample_aspect_ratio),
            pix_fmt=video.pix_fmt or None,
            color_space=video.color_space or None,
            audio_codec=audios[0].codec_name if audios else None,
            audio_stream_count=len(audios),
            video_stream_count=len(videos),
            streams=tuple(
                (stream.index, stream.codec_type or "unknown", stream.codec_name or "unknown")
                for stream in parsed.streams
            ),
        )
    )

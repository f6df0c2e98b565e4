"""Encoder policy: candidates, selection with fallback, quality settings."""

from __future__ import annotations

import pytest

from cosmos.core.encode.policy import (
    EncoderChoice,
    build_encoder_probe_argv,
    encoder_candidates,
    encoder_setup,
    libx264_preset,
    parse_encoder_list,
    pick_encoder,
    quality_args,
    video_codec_args,
)
from cosmos.core.encode.profiles import BALANCED, STRICT, THROUGHPUT, DeterminismProfile


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("linux", ("h264_nvenc", "h264_qsv", "h264_vaapi", "libx264")),
        ("darwin", ("h264_videotoolbox", "libx264")),
        ("win32", ("h264_nvenc", "h264_qsv", "h264_amf", "libx264")),
        ("freebsd14", ("libx264",)),
    ],
)
def test_candidates_by_platform(platform: str, expected: tuple[str, ...]) -> None:
    assert encoder_candidates(platform, None, None) == expected


def test_candidates_explicit() -> None:
    assert encoder_candidates("linux", STRICT, "h264_nvenc") == ("h264_nvenc",)


def test_candidates_strict_pin() -> None:
    assert encoder_candidates("darwin", STRICT, None) == ("libx264",)


@pytest.mark.parametrize("profile", [BALANCED, THROUGHPUT], ids=["balanced", "throughput"])
def test_candidates_unpinned_profile(profile: DeterminismProfile) -> None:
    assert encoder_candidates("linux", profile, None) == encoder_candidates("linux", None, None)


class ProbeRecorder:
    """A runtime probe that accepts the encoders in ``working`` and records each call."""

    def __init__(self, working: set[str]) -> None:
        self.working = working
        self.calls: list[str] = []

    def __call__(self, name: str) -> bool:
        self.calls.append(name)
        return name in self.working


LINUX = ("h264_nvenc", "h264_qsv", "h264_vaapi", "libx264")


def test_pick_falls_back_to_software() -> None:
    probe = ProbeRecorder(working=set())
    choice = pick_encoder(LINUX, {"h264_nvenc", "h264_vaapi", "libx264"}, probe)
    assert choice == EncoderChoice(
        encoder="libx264",
        attempted=(
            ("h264_nvenc", "failed the one-frame runtime probe"),
            ("h264_qsv", "not listed by ffmpeg -encoders"),
            ("h264_vaapi", "failed the one-frame runtime probe"),
        ),
    )
    assert probe.calls == ["h264_nvenc", "h264_vaapi"]


def test_pick_first_working_hardware() -> None:
    probe = ProbeRecorder(working={"h264_qsv", "h264_vaapi"})
    choice = pick_encoder(LINUX, {"h264_nvenc", "h264_qsv", "h264_vaapi", "libx264"}, probe)
    assert choice is not None
    assert choice.encoder == "h264_qsv"
    assert probe.calls == ["h264_nvenc", "h264_qsv"]


def test_pick_software_not_probed() -> None:
    probe = ProbeRecorder(working=set())
    choice = pick_encoder(("libx264",), {"libx264"}, probe)
    assert choice == EncoderChoice(encoder="libx264", attempted=())
    assert probe.calls == []


def test_pick_nothing_usable() -> None:
    assert pick_encoder(("h264_nvenc",), {"libx264"}, ProbeRecorder(set())) is None


def test_pick_software_missing() -> None:
    assert pick_encoder(("libx264",), set(), ProbeRecorder(set())) is None


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (EncoderChoice("libx264", ()), False),
        (EncoderChoice("libx264", (("h264_nvenc", "failed"),)), True),
        (EncoderChoice("h264_nvenc", ()), True),
        (EncoderChoice("libx265", ()), False),
        (EncoderChoice("hevc_videotoolbox", ()), True),
    ],
    ids=["software-only", "hardware-tried", "hardware-chosen", "named-software", "hevc-hardware"],
)
def test_hardware_attempted(choice: EncoderChoice, expected: bool) -> None:
    assert choice.hardware_attempted is expected


def test_software_retry_records_failure() -> None:
    choice = EncoderChoice("h264_nvenc", (("h264_qsv", "not listed"),))
    retry = choice.software_retry("h264_nvenc", "exit 1")
    assert retry.encoder == "libx264"
    assert retry.attempted == (("h264_qsv", "not listed"), ("h264_nvenc", "failed mid-run: exit 1"))


@pytest.mark.parametrize(
    ("encoder", "mode", "expected"),
    [
        ("libx264", "balanced", ("-crf", "23")),
        ("h264_nvenc", "balanced", ("-preset", "p4", "-rc", "constqp", "-qp", "23")),
        ("h264_nvenc", "quality", ("-preset", "p7", "-rc", "constqp", "-qp", "23")),
        ("h264_videotoolbox", "balanced", ("-q:v", "55")),
        ("h264_qsv", "balanced", ("-global_quality", "23")),
        ("h264_amf", "balanced", ("-rc", "cqp", "-qp_i", "23", "-qp_p", "23", "-qp_b", "23")),
        ("h264_vaapi", "balanced", ("-rc_mode", "CQP", "-qp", "23")),
        ("libopenh264", "balanced", ("-crf", "23")),
    ],
)
def test_quality_args(encoder: str, mode: str, expected: tuple[str, ...]) -> None:
    assert quality_args(encoder, 23, mode) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("crf", "expected"), [(0, "100"), (51, "1"), (18, "65")])
def test_quality_args_videotoolbox_range(crf: int, expected: str) -> None:
    assert quality_args("h264_videotoolbox", crf, "balanced") == ("-q:v", expected)


@pytest.mark.parametrize(
    ("mode", "profile", "expected"),
    [
        ("quality", None, "slower"),
        ("quality", THROUGHPUT, "slower"),
        ("balanced", THROUGHPUT, "veryfast"),
        ("speed", None, "medium"),
        ("balanced", STRICT, "medium"),
    ],
)
def test_libx264_preset(mode: str, profile: DeterminismProfile | None, expected: str) -> None:
    assert libx264_preset(mode, profile) == expected  # type: ignore[arg-type]


def test_setup_vaapi_uploads() -> None:
    setup = encoder_setup("h264_vaapi")
    assert setup.global_args == ("-vaapi_device", "/dev/dri/renderD128")
    assert setup.filter_tail == "format=nv12,hwupload"


@pytest.mark.parametrize(
    ("encoder", "tail"),
    [("h264_qsv", "format=nv12"), ("libx264", "format=yuv420p"), ("h264_nvenc", "format=yuv420p")],
)
def test_setup_filter_tail(encoder: str, tail: str) -> None:
    assert encoder_setup(encoder).filter_tail == tail


def test_probe_argv_one_frame() -> None:
    argv = build_encoder_probe_argv("ffmpeg", "h264_nvenc", 1280, 720, "yuv420p")
    assert argv[argv.index("-i") + 1] == "color=c=black:s=1280x720:r=1,format=yuv420p"
    assert argv[argv.index("-frames:v") + 1] == "1"
    assert argv[argv.index("-c:v") + 1] == "h264_nvenc"
    assert argv[-3:] == ("-f", "null", "-")


ENCODER_LIST = """\
Encoders:
 V..... = Video
 A..... = Audio
 S..... = Subtitle
 .F.... = Frame-level multithreading
 ------
 V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)
 V....D h264_nvenc           NVIDIA NVENC H.264 encoder (codec h264)
 VF.... ffv1                 FFmpeg video codec #1
 A....D aac                  AAC (Advanced Audio Coding)
 S..... srt                  SubRip subtitle
"""


def test_parse_encoder_list() -> None:
    assert parse_encoder_list(ENCODER_LIST) == {"libx264", "h264_nvenc", "ffv1"}


@pytest.mark.parametrize(
    ("encoder", "tagged"), [("libx265", True), ("hevc_nvenc", True), ("libx264", False)]
)
def test_hevc_tagged_hvc1(encoder: str, tagged: bool) -> None:
    args = video_codec_args(encoder, 23, "balanced", None)
    assert (args[2:4] == ["-tag:v", "hvc1"]) is tagged

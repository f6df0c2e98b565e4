"""Detection of keyframes that reset a decoder completely, from their packet's NAL unit types.

Several seek windows can share one FFmpeg process only where each later window starts at a
picture that makes the decoder drop everything it holds. An H.264 or HEVC IDR picture does: it
clears the reference pictures, outputs the pictures still waiting (or drops them, when its
no_output_of_prior_pics_flag is set) and restarts picture order counts. Other keyframes, such as
an H.264 I picture with a recovery point or an HEVC CRA picture, continue the order counts of
whatever the decoder saw before. After another window, the same packets can then decode to
different or dropped pictures than after a fresh start (measured with FFmpeg 5.1 on open-GOP
x264 output: dropped frames and "co located POCs unavailable" errors).
"""

from __future__ import annotations

from collections.abc import Sequence

# Codecs whose packets in MP4 and Matroska are NAL units, each after a 4-byte big-endian length.
NAL_CODECS = ("h264", "hevc")
NAL_LENGTH_BYTES = 4

_H264_IDR = 5
_H264_SLICE_TYPES = range(1, 6)
_HEVC_IDR_TYPES = (19, 20)  # IDR_W_RADL, IDR_N_LP
_HEVC_SLICE_TYPES = range(32)


def nal_unit_type(codec: str, header: int) -> int:
    """Return the NAL unit type in the first header byte of an H.264 or HEVC NAL unit."""
    if codec == "h264":
        return header & 0x1F
    return (header >> 1) & 0x3F


def resets_decoder(codec: str, nal_types: Sequence[int]) -> bool:
    """Tell whether a packet with these NAL unit types is an IDR picture of ``codec``.

    Every slice in the packet must be an IDR slice, and there must be at least one.
    """
    if codec == "h264":
        slices = [kind for kind in nal_types if kind in _H264_SLICE_TYPES]
        return bool(slices) and all(kind == _H264_IDR for kind in slices)
    if codec == "hevc":
        slices = [kind for kind in nal_types if kind in _HEVC_SLICE_TYPES]
        return bool(slices) and all(kind in _HEVC_IDR_TYPES for kind in slices)
    return False

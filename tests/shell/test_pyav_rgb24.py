"""The PyAV backend's rgb24 conversion, against PyAV's own ``to_ndarray``."""

from __future__ import annotations

import av
import pytest

from cosmos.shell.decode.pyav import _to_rgb24
from tests.media import GeneratedClip, MediaCache


@pytest.mark.parametrize(("width", "height"), [(160, 120), (170, 96), (1920, 1080)])
def test_rgb24_bytes_match_ndarray(media: MediaCache, width: int, height: int) -> None:
    path = media.path(GeneratedClip(width=width, height=height, seconds=0.2))
    with av.open(str(path)) as container:
        frames = list(container.decode(container.streams.video[0]))
    assert frames
    for frame in frames:
        expected = frame.to_ndarray(format="rgb24").tobytes()
        converted = _to_rgb24(frame, 0)
        assert len(converted) == width * height * 3
        assert converted == expected

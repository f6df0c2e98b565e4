"""Shared fixtures: snapshot files under ``snapshots/``, generated media, real footage.

Snapshots are single files with a real extension, in a top-level ``snapshots/`` tree that mirrors
``tests/``: ``tests/core/test_plan.py::test_plan_argv[plain]`` stores
``snapshots/core/test_plan/test_plan_argv[plain].txt``. Update them with
``pytest --snapshot-update``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from syrupy.location import PyTestLocation

from cosmos.cli.app import run_app
from tests.helpers import CliResult, CliRunner
from tests.media import REPO_ROOT, MediaCache, real_footage_folder

TESTS_ROOT = REPO_ROOT / "tests"
SNAPSHOTS_ROOT = REPO_ROOT / "snapshots"

# Variables that change what Cosmos does. Each test starts without them.
COSMOS_VARIABLES = (
    "COSMOS_FFMPEG",
    "COSMOS_FFPROBE",
    "COSMOS_PROFILE",
    "COSMOS_VIDEO_BACKEND",
    "COSMOS_VIDEO_FFMPEG_TIMEOUT",
    "COSMOS_NO_TOOL_CACHE",
    "COSMOS_NO_MEDIA_CACHE",
)


class _SnapshotTree(SingleFileSnapshotExtension):
    """A text snapshot stored at ``snapshots/<test folder>/<test file>/<test name>.<ext>``."""

    _write_mode = WriteMode.TEXT

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        test_folder = Path(test_location.filepath).parent.relative_to(TESTS_ROOT)
        return str(SNAPSHOTS_ROOT / test_folder / test_location.basename)


class TextSnapshot(_SnapshotTree):
    file_extension = "txt"


class JsonSnapshot(_SnapshotTree):
    file_extension = "json"


@pytest.fixture
def snapshot_txt(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshot of a string in a ``.txt`` file (argv lists: one argument per line)."""
    return snapshot.use_extension(TextSnapshot)


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshot of a JSON document, passed as a string, in a ``.json`` file."""
    return snapshot.use_extension(JsonSnapshot)


@pytest.fixture(autouse=True, scope="session")
def _clean_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Unset the Cosmos variables for the session, before any fixture runs Cosmos, and keep
    the tool-facts cache in a folder of this session."""
    with pytest.MonkeyPatch.context() as patch:
        for variable in COSMOS_VARIABLES:
            patch.delenv(variable, raising=False)
        patch.setenv("COSMOS_CACHE_DIR", str(tmp_path_factory.mktemp("tool-cache")))
        yield


@pytest.fixture(autouse=True)
def _restore_cosmos_logger() -> Iterator[None]:
    """Undo the handler the CLI installs, which writes to a stream pytest closes afterwards."""
    logger = logging.getLogger("cosmos")
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    yield
    logger.handlers, logger.level, logger.propagate = handlers, level, propagate


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaCache:
    """Generated clips, encoded once per session into a temporary cache folder."""
    return MediaCache(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="session")
def real_footage_dir() -> Path:
    """The real-footage folder; skips when it is incomplete, fails instead in CI."""
    return real_footage_folder(os.environ)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """Run ``cosmos`` in this process: ``cli("video", "probe", path)``."""

    def run(*tokens: str | os.PathLike[str]) -> CliResult:
        capsys.readouterr()
        code = run_app([os.fspath(token) for token in tokens])
        captured = capsys.readouterr()
        return CliResult(code=code, stdout=captured.out, stderr=captured.err)

    return run

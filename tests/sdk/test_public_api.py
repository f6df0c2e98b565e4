"""The public surface of ``cosmos.sdk``: complete, sorted, and light to import."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import cosmos.sdk

SDK_MODULES = [
    "cosmos.sdk",
    "cosmos.sdk.crop",
    "cosmos.sdk.errors",
    "cosmos.sdk.ingest",
    "cosmos.sdk.lineage",
    "cosmos.sdk.optimize",
    "cosmos.sdk.preview",
    "cosmos.sdk.profiles",
    "cosmos.sdk.provenance",
    "cosmos.sdk.video",
    "cosmos.crop.jobs",
    "cosmos.crop.curated_views",
]
HEAVY_MODULES = ("av", "torch", "torchcodec", "numpy", "cyclopts")


def _isort_key(name: str) -> tuple[int, str]:
    """Order constants, then classes, then functions, as ruff's RUF022 sorts ``__all__``."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


def test_sdk_all_sorted() -> None:
    assert cosmos.sdk.__all__ == sorted(cosmos.sdk.__all__)


@pytest.mark.parametrize("module_name", SDK_MODULES)
def test_all_sorted(module_name: str) -> None:
    names = importlib.import_module(module_name).__all__
    assert names == sorted(names, key=_isort_key)
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("module_name", SDK_MODULES)
def test_all_resolves(module_name: str) -> None:
    module = importlib.import_module(module_name)
    missing = [name for name in module.__all__ if getattr(module, name, None) is None]
    assert missing == []


@pytest.mark.parametrize(
    "name",
    [
        "ingest",
        "IngestOptions",
        "crop",
        "CropJob",
        "optimize",
        "OptimizeOptions",
        "probe_video",
        "extract_frames_at_indices",
        "extract_frames_at_times",
        "DeterminismProfile",
        "resolve_profile",
    ],
)
def test_seed_names_exported(name: str) -> None:
    assert name in cosmos.sdk.__all__


def test_unknown_name_raises() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        getattr(cosmos.sdk, "no_such_thing")  # noqa: B009


def _run_python(code: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return completed.stdout


def test_ingest_function_after_submodule_import() -> None:
    code = (
        "import cosmos.sdk.ingest\n"
        "from cosmos.sdk import ingest\n"
        "print(callable(ingest), type(ingest).__name__)"
    )
    assert _run_python(code).split() == ["True", "function"]


def _loaded_after(code: str) -> list[str]:
    """Run ``code`` in a fresh interpreter and list the heavy modules it loaded."""
    check = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    return _run_python(check).split()


def test_import_sdk_is_light() -> None:
    assert _loaded_after("import cosmos.sdk") == []


def test_import_sdk_names_is_light() -> None:
    code = "from cosmos.sdk import ingest, probe_video, IngestOptions, sha256_file"
    assert _loaded_after(code) == []


def test_cli_help_is_light() -> None:
    code = (
        "import contextlib, io\n"
        "from cosmos.cli.app import run_app\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    run_app(['--help'])"
    )
    assert _loaded_after(code) == ["cyclopts"]

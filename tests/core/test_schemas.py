"""The committed JSON Schemas match the document Structs."""

from __future__ import annotations

import json

import pytest

from cosmos.core.model.schemas import DOCUMENT_TYPES, render_schemas
from tests.media import REPO_ROOT

SCHEMAS_DIR = REPO_ROOT / "schemas"
SCHEMA_FILES = sorted(f"{name}.schema.json" for name in DOCUMENT_TYPES)


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return render_schemas()


def test_schema_per_document_type(rendered: dict[str, bytes]) -> None:
    assert sorted(rendered) == SCHEMA_FILES


@pytest.mark.parametrize("file_name", SCHEMA_FILES)
def test_schema_committed(rendered: dict[str, bytes], file_name: str) -> None:
    committed = SCHEMAS_DIR / file_name
    assert committed.is_file(), f"{committed} is missing; regenerate it with `just schemas`"
    assert committed.read_bytes() == rendered[file_name], (
        f"{committed} differs from its Struct; regenerate it with `just schemas`"
    )


def test_schema_folder_has_no_strays() -> None:
    assert sorted(path.name for path in SCHEMAS_DIR.glob("*.json")) == SCHEMA_FILES


@pytest.mark.parametrize("file_name", SCHEMA_FILES)
def test_schema_titled(rendered: dict[str, bytes], file_name: str) -> None:
    schema = json.loads(rendered[file_name])
    assert schema["title"] == file_name.removesuffix(".schema.json")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"

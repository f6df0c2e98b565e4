"""Write the JSON Schemas of every Cosmos document into ``schemas/``."""

from __future__ import annotations

from pathlib import Path

from cosmos.core.model.schemas import render_schemas

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"


def main() -> None:
    SCHEMAS_DIR.mkdir(exist_ok=True)
    for name, data in render_schemas().items():
        (SCHEMAS_DIR / name).write_bytes(data)
        print(SCHEMAS_DIR / name)


if __name__ == "__main__":
    main()

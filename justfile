# Cosmos tasks. `./dev <recipe>` sets up the machine first; inside the venv, `just <recipe>`.

set shell := ["bash", "-euo", "pipefail", "-c"]

python := ".venv/bin/python"

# List the recipes.
default:
    @just --list

# Ingest the real footage and a synthetic COSM session; print each clip's size, rate, duration, sha256.
[group('run')]
demo output="demo-output":
    {{python}} -m tools.demo {{output}}

# Fetch and verify the real-footage corpus into .cache/media/real.
[group('run')]
media:
    {{python}} -m tools.fetch_media

# Generate a synthetic COSM session (quad-tile MPEG-TS, H/M/S folders, manifest).
[group('run')]
cosm-session out=".cache/media/cosm-demo":
    {{python}} -m tools.cosm_session {{out}}

# Type-check, lint and check the import layering.
[group('check')]
check:
    .venv/bin/mypy
    .venv/bin/ruff check .
    .venv/bin/ruff format --check .
    .venv/bin/lint-imports

# The whole test suite: checks, then pytest with the real footage required.
[group('check')]
test *args: media check
    COSMOS_REQUIRE_REAL_FOOTAGE=1 .venv/bin/pytest {{args}}

# Rewrite the syrupy snapshots under snapshots/ after an intended change.
[group('check')]
snapshots:
    .venv/bin/pytest --snapshot-update

# Regenerate the JSON Schemas under schemas/ from the document Structs.
[group('check')]
schemas:
    {{python}} -m tools.write_schemas

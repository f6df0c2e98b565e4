"""JSON Schemas of the documents, generated from their Structs.

``schemas/`` contains the committed output of :func:`render_schemas`; ``just schemas`` rewrites it
and a test fails when the two differ.
"""

from __future__ import annotations

import msgspec

from cosmos.core.model.documents import (
    ClipDocument,
    CropDryRunPlan,
    CropRunDocument,
    IngestDryRunPlan,
    IngestRunDocument,
    OptimizedDocument,
    OptimizeDryRunPlan,
    OptimizeRunDocument,
    PreviewPlanDocument,
    PreviewRunDocument,
    ProcessDryRunPlan,
    ViewDocument,
)
from cosmos.core.provenance.lineage import LineageIndexDocument

DOCUMENT_TYPES: dict[str, type[msgspec.Struct]] = {
    "cosmos_clip.v1": ClipDocument,
    "cosmos_ingest_run.v1": IngestRunDocument,
    "cosmos_ingest_dry_run.v1": IngestDryRunPlan,
    "cosmos_optimized.v1": OptimizedDocument,
    "cosmos_optimize_run.v1": OptimizeRunDocument,
    "cosmos_optimize_dry_run": OptimizeDryRunPlan,
    "cosmos_view.v1": ViewDocument,
    "cosmos_crop_run.v1": CropRunDocument,
    "cosmos_crop_dry_run": CropDryRunPlan,
    "cosmos_process_dry_run.v1": ProcessDryRunPlan,
    "cosmos_crop_preview_run.v1": PreviewRunDocument,
    "preview_plan.v1": PreviewPlanDocument,
    "cosmos_lineage_index.v1": LineageIndexDocument,
}


def render_schemas() -> dict[str, bytes]:
    """Return ``{file name: schema JSON}`` for every document type, formatted for diffs."""
    rendered: dict[str, bytes] = {}
    for name, document_type in DOCUMENT_TYPES.items():
        schema = msgspec.json.schema(document_type)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = name
        encoded = msgspec.json.encode(schema, order="sorted")
        rendered[f"{name}.schema.json"] = msgspec.json.format(encoded, indent=2) + b"\n"
    return rendered

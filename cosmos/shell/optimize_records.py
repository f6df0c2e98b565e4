"""Write what an optimize did: sidecars, the run document and the dry-run plan.

:mod:`cosmos.shell.optimize` imports this module in a worker thread while the first FFmpeg
command runs. Importing the document builders and the sidecar reader takes about 11 ms on the
2-core benchmark machine, and this way that time overlaps the media work.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cosmos
from cosmos.core.model.documents import (
    ClipStatus,
    EnvInfo,
    OptimizeInputRecord,
    OptimizeOutcome,
    encode_document,
)
from cosmos.core.model.media import MediaFacts
from cosmos.core.optimize.options import ResolvedOptimize
from cosmos.core.optimize.plan import OptimizePlan
from cosmos.core.provenance.ingest_documents import video_facts
from cosmos.core.provenance.optimize_documents import (
    OptimizedFile,
    build_optimize_dry_run,
    build_optimize_run_document,
    build_optimized_document,
)
from cosmos.shell import fs
from cosmos.shell.provenance import artifact_id_beside

RUN_DOCUMENT = "cosmos_optimize_run.v1.json"
DRY_RUN_DOCUMENT = "cosmos_optimize_dry_run.json"
SIDECAR_SUFFIX = ".cosmos_optimized.v1.json"


def source_artifact_id(source: Path) -> str | None:
    """Return the artifact id of the clip or view sidecar beside ``source``, if there is one."""
    return artifact_id_beside(source, ("clip", "view"))


def input_record(source: Path, sha256: str, facts: MediaFacts) -> OptimizeInputRecord:
    return OptimizeInputRecord(path=str(source), sha256=sha256, video=video_facts(facts))


def failed_outcome(plan: OptimizePlan, reason: str | None) -> OptimizeOutcome:
    return _outcome_without_output(plan, "failed", reason)


def _outcome_without_output(
    plan: OptimizePlan, status: ClipStatus, reason: str | None
) -> OptimizeOutcome:
    return OptimizeOutcome(
        source=str(plan.source),
        status=status,
        mode=plan.mode,
        output=str(plan.output),
        sidecar=None,
        sha256=None,
        encoder=plan.encoder,
        reason=reason,
    )


def write_sidecar(
    produced: OptimizedFile, *, run_id: str, options: ResolvedOptimize, env: EnvInfo
) -> OptimizeOutcome:
    """Write the sidecar of a produced output and return its outcome."""
    plan = produced.plan
    document = build_optimized_document(produced, run_id=run_id, options=options, env=env)
    sidecar = plan.output.with_name(plan.output.name + SIDECAR_SUFFIX)
    fs.atomic_write_bytes(sidecar, encode_document(document))
    return OptimizeOutcome(
        source=str(plan.source),
        status="produced",
        mode=plan.mode,
        output=str(plan.output),
        sidecar=str(sidecar),
        sha256=produced.output_sha256,
        encoder=plan.encoder,
        reason=None,
    )


def write_run_document(
    *,
    output_dir: Path,
    run_id: str,
    time: str,
    env: EnvInfo,
    options: ResolvedOptimize,
    inputs: Sequence[OptimizeInputRecord],
    outcomes: Sequence[OptimizeOutcome],
) -> Path:
    document = build_optimize_run_document(
        run_id=run_id,
        time=time,
        version=cosmos.__version__,
        output_dir=output_dir,
        ffmpeg=env.ffmpeg,
        system=env.system,
        options=options,
        inputs=inputs,
        outcomes=outcomes,
    )
    data = encode_document(document)
    return fs.write_run_document(output_dir, RUN_DOCUMENT, document.optimize_run_id, data)


def write_dry_run_plan(
    *,
    output_dir: Path,
    command: str,
    time: str,
    plans: Sequence[tuple[OptimizePlan, MediaFacts, frozenset[Path]]],
    options: ResolvedOptimize,
) -> Path:
    """Write ``cosmos_optimize_dry_run.json``; ``plans`` as :func:`build_optimize_dry_run`."""
    plan_path = output_dir / DRY_RUN_DOCUMENT
    document = build_optimize_dry_run(
        command=command, time=time, plan_path=plan_path, plans=plans, options=options
    )
    fs.atomic_write_bytes(plan_path, encode_document(document))
    return plan_path


def planned_outcome(plan: OptimizePlan) -> OptimizeOutcome:
    return _outcome_without_output(plan, "planned", None)


__all__ = [
    "DRY_RUN_DOCUMENT",
    "RUN_DOCUMENT",
    "SIDECAR_SUFFIX",
    "OptimizedFile",
    "failed_outcome",
    "input_record",
    "planned_outcome",
    "source_artifact_id",
    "write_dry_run_plan",
    "write_run_document",
    "write_sidecar",
]

"""Sidecar and run documents, as msgspec Structs.

Field names are a compatibility contract with existing sidecar readers; new fields are added,
never renamed. ``schemas/`` contains the JSON Schemas generated from these types
(``just schemas``), and a test fails when a committed schema drifts from its Struct.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

SCHEMA_VERSION = "1.0.0"
DRY_RUN_SCHEMA = "cosmos-dry-run-plan-v1"


class OutputRef(msgspec.Struct, frozen=True):
    """A file Cosmos produced: ``path`` as written, ``relpath`` from the document's folder."""

    path: str
    relpath: str
    sha256: str
    bytes: int


class SourceRef(msgspec.Struct, frozen=True):
    """The file a product was made from; ``sha256`` joins to an upstream ``output.sha256``."""

    path: str
    relpath: str
    sha256: str | None
    bytes: int | None
    rotation_degrees: int = 0


class VideoFacts(msgspec.Struct, frozen=True):
    """Facts from a probe of the file itself.

    ``width``/``height`` are the displayed size; ``width_px``/``height_px`` the stored picture.
    """

    width: int
    height: int
    width_px: int
    height_px: int
    fps: float | None
    duration_sec: float | None
    pix_fmt: str | None
    color_space: str | None
    codec: str | None
    frame_count: int | None


class FfmpegInfo(msgspec.Struct, frozen=True):
    """The FFmpeg build used, and where Cosmos found it (``env``, ``managed`` or ``path``)."""

    version: str
    path: str
    origin: str


class SystemInfo(msgspec.Struct, frozen=True):
    os: str
    python: str
    cpu_count: int
    memory_gb: float | None


class EnvInfo(msgspec.Struct, frozen=True):
    ffmpeg: FfmpegInfo
    system: SystemInfo


class TimeRangeMs(msgspec.Struct, frozen=True):
    """Start and end of a clip in milliseconds; for generic media, on the source's timeline."""

    t0: int
    t1: int


class FrameRange(msgspec.Struct, frozen=True):
    """Half-open frame range ``[start, end)``."""

    start: int
    end: int


class EncoderAttempt(msgspec.Struct, frozen=True):
    """An encoder Cosmos tried and passed over, with the reason."""

    encoder: str
    reason: str


class ClipEncode(msgspec.Struct, frozen=True):
    """Encoder settings of a clip; ``crf`` is the value in force after mode and profile defaults."""

    impl: str
    filtergraph: str
    crf: int
    preset: str | None
    hardware_attempted: bool
    attempts: list[EncoderAttempt]
    profile: str | None


class ClipDocument(msgspec.Struct, frozen=True):
    """``<clip>.mp4.cosmos_clip.v1.json``: one ingested clip."""

    schema_version: str
    clip_id: str
    ingest_run_id: str
    name: str
    adapter: str
    time_ms: TimeRangeMs
    frames: FrameRange
    source: SourceRef
    output: OutputRef
    video: VideoFacts
    encode: ClipEncode
    env: EnvInfo
    # What the clip's planning found and the run went ahead with, such as the per-second folders
    # an --allow-partial COSM clip lacks, so the sidecar records that the output is shorter than
    # ``frames``. Documents written before this field decode with an empty list.
    findings: list[FindingRecord] = msgspec.field(default_factory=list)


class IngestOptionsRecord(msgspec.Struct, frozen=True):
    """The resolved options of a run, as recorded in its documents."""

    adapter: str | None
    resolution: list[int]
    quality_mode: str
    low_memory: bool
    crf: int
    scale_filter: str
    filter_threads: int | None
    filter_complex_threads: int | None
    decode: str
    window_seconds: float | None
    profile: str | None
    allow_upscale: bool
    allow_partial: bool
    clips: list[str] | None
    # Documents written before force existed decode with its default.
    force: bool = False


class FindingRecord(msgspec.Struct, frozen=True):
    clip: str
    code: str
    message: str
    blocking: bool


# "kept": a crop job whose view an earlier run made from the same source and job, left as it
# is by a run with skip_existing.
ClipStatus = Literal["produced", "failed", "skipped", "planned", "kept"]
# The reason recorded for every clip, view or input a Ctrl-C or SIGTERM left unfinished.
INTERRUPTED_REASON = "interrupted before it finished"


class ClipOutcome(msgspec.Struct, frozen=True):
    """Outcome of one clip of a run; ``reason`` is set for failed and skipped clips."""

    name: str
    status: ClipStatus
    inputs: list[str]
    output: str | None
    sidecar: str | None
    sha256: str | None
    encoder: str | None
    reason: str | None
    findings: list[FindingRecord]


class RunSummary(msgspec.Struct, frozen=True):
    produced: int
    failed: int
    skipped: int
    planned: int


class IngestRunDocument(msgspec.Struct, frozen=True):
    """``cosmos_ingest_run.v1.json``: one ingest run and the outcome of every clip."""

    schema_version: str
    ingest_run_id: str
    tool: str
    version: str
    git: str | None
    time: str
    input_dir: str
    manifest: str | None
    output_dir: str
    adapter: str
    encoders_preference: list[str]
    encoder: str | None
    ffmpeg: FfmpegInfo
    system: SystemInfo
    options: IngestOptionsRecord
    clips: list[ClipOutcome]
    summary: RunSummary


class SideEffects(msgspec.Struct, frozen=True):
    executes_media_processing: bool
    creates_media_outputs: bool
    writes_metadata: list[str]


class PlannedInput(msgspec.Struct, frozen=True):
    """An input of a dry run and what the probe observed (``video`` is null when it failed)."""

    path: str
    kind: str
    stage: str
    observed: VideoFacts | None


class PlannedOutput(msgspec.Struct, frozen=True):
    path: str
    kind: str
    stage: str
    exists: bool
    will_create_on_apply: bool


class PlannedCommand(msgspec.Struct, frozen=True):
    """One command a real run would execute, argv exactly as it would run."""

    stage: str
    name: str
    argv: list[str]
    inputs: list[str]
    outputs: list[str]


class IngestDryRunPlan(msgspec.Struct, frozen=True):
    """``cosmos_ingest_dry_run.v1.json``: what a real ingest would read, run and write."""

    schema: str
    command: str
    created_at: str
    side_effects: SideEffects
    inputs: list[PlannedInput]
    outputs: list[PlannedOutput]
    commands: list[PlannedCommand]
    validation: list[FindingRecord]
    adapter: str
    input_dir: str
    output_dir: str
    encoder: str | None
    encoders_preference: list[str]
    options: IngestOptionsRecord
    clips: list[ClipOutcome]


def encode_document(document: msgspec.Struct) -> bytes:
    """Encode a document as UTF-8 JSON with two-space indentation and a final newline."""
    return msgspec.json.format(msgspec.json.encode(document), indent=2) + b"\n"


class OptimizeSourceRef(msgspec.Struct, frozen=True):
    """The input of an optimize; ``clip_id`` is set when a clip or view sidecar sits beside it."""

    path: str
    relpath: str
    sha256: str
    bytes: int
    video: VideoFacts | None
    clip_id: str | None


class OptimizeTransform(msgspec.Struct, frozen=True):
    mode: str
    faststart: bool
    target_height: int | None
    fps: float | None
    crf: int | None


class OptimizeEncode(msgspec.Struct, frozen=True):
    """``impl`` is the encoder, or ``copy`` for a remux; ``codec`` the output video codec."""

    impl: str
    codec: str | None
    crf: int | None
    hardware_attempted: bool
    attempts: list[EncoderAttempt]
    profile: str | None


class OptimizedDocument(msgspec.Struct, frozen=True):
    """``<output>.mp4.cosmos_optimized.v1.json``: one optimized file."""

    schema_version: str
    optimized_id: str
    optimize_run_id: str
    mode: str
    source: OptimizeSourceRef
    output: OutputRef
    video: VideoFacts
    transform: OptimizeTransform
    encode: OptimizeEncode
    dropped_streams: list[str]
    env: EnvInfo


class OptimizeOptionsRecord(msgspec.Struct, frozen=True):
    mode: str
    target_height: int | None
    fps: float | None
    crf: int | None
    encoder: str | None
    faststart: bool
    suffix: str
    force: bool
    dry_run: bool
    profile: str | None


class OptimizeInputRecord(msgspec.Struct, frozen=True):
    path: str
    sha256: str | None
    video: VideoFacts | None


class OptimizeOutcome(msgspec.Struct, frozen=True):
    """Outcome of one input: ``produced``, ``failed`` (with ``reason``) or ``planned``."""

    source: str
    status: ClipStatus
    mode: str
    output: str
    sidecar: str | None
    sha256: str | None
    encoder: str | None
    reason: str | None


class OptimizeRunDocument(msgspec.Struct, frozen=True):
    """``cosmos_optimize_run.v1.json``: one optimize run."""

    schema_version: str
    optimize_run_id: str
    tool: str
    version: str
    git: str | None
    time: str
    output_dir: str
    ffmpeg: FfmpegInfo
    system: SystemInfo
    options: OptimizeOptionsRecord
    inputs: list[OptimizeInputRecord]
    outputs: list[OptimizeOutcome]
    summary: RunSummary


class OptimizeDryRunPlan(msgspec.Struct, frozen=True):
    """``cosmos_optimize_dry_run.json``: what a real optimize would read, run and write."""

    schema: str
    command: str
    created_at: str
    side_effects: SideEffects
    inputs: list[PlannedInput]
    outputs: list[PlannedOutput]
    commands: list[PlannedCommand]
    validation: list[FindingRecord]
    options: OptimizeOptionsRecord


class CropRect(msgspec.Struct, frozen=True):
    """The rectangle really cut, in pixels and as fractions of the source frame."""

    x: int
    y: int
    w: int
    h: int
    x_norm: float
    y_norm: float
    w_norm: float
    h_norm: float


class CropTrim(msgspec.Struct, frozen=True):
    """Requested trim in seconds, and the frames it resolved to (``frame_count`` null: to end)."""

    start: float | None
    end: float | None
    first_frame: int
    frame_count: int | None


class ViewCrop(msgspec.Struct, frozen=True):
    kind: str
    rect: CropRect
    requested: dict[str, float | int | bool | None]
    source_size: list[int]
    trim: CropTrim
    warnings: list[str]


class ViewEncode(msgspec.Struct, frozen=True):
    codec: str
    impl: str
    crf: int
    hardware_attempted: bool
    hardware_used: bool
    attempts: list[EncoderAttempt]
    profile: str | None


class JobRef(msgspec.Struct, frozen=True):
    """Reference to the job that made a view: its position in the jobs list and its own id."""

    index: int
    kind: str
    view_id: str | None
    annotations: dict[str, Any]


class ViewDocument(msgspec.Struct, frozen=True):
    """``<out>.mp4.cosmos_view.v1.json``: one cropped view."""

    schema_version: str
    view_id: str
    crop_run_id: str
    job_ref: JobRef
    input_clip_id: str | None
    source: SourceRef
    output: OutputRef
    video: VideoFacts
    crop: ViewCrop
    encode: ViewEncode
    env: EnvInfo


class CropJobSummary(msgspec.Struct, frozen=True):
    """One (input, job) pair of a crop run and what became of it."""

    source: str
    job_index: int
    kind: str
    view_id: str | None
    output: str
    status: ClipStatus
    rect: CropRect | None
    sha256: str | None
    sidecar: str | None
    reason: str | None


class CropRunDocument(msgspec.Struct, frozen=True):
    """``cosmos_crop_run.v1.json``: one crop run and every job of it."""

    schema_version: str
    crop_run_id: str
    tool: str
    version: str
    git: str | None
    time: str
    output_dir: str
    ffmpeg: FfmpegInfo
    system: SystemInfo
    profile: str | None
    prefer_hevc_hw: bool
    jobs: list[CropJobSummary]
    summary: RunSummary


class CropDryRunPlan(msgspec.Struct, frozen=True):
    """``cosmos_crop_dry_run.json``: what a real crop run would read, run and write."""

    schema: str
    command: str
    created_at: str
    side_effects: SideEffects
    inputs: list[PlannedInput]
    outputs: list[PlannedOutput]
    commands: list[PlannedCommand]
    validation: list[FindingRecord]
    jobs: list[CropJobSummary]


class PlannedView(msgspec.Struct, frozen=True):
    """A view the crop stage of ``cosmos process`` would cut from a planned clip."""

    clip: str
    job_index: int
    kind: str
    view_id: str | None
    output: str


class ProcessCropStage(msgspec.Struct, frozen=True):
    """The crop stage of a process plan. Geometry is decided when the clips exist.

    With ``default_job`` the planned names assume a 1080 px square. A clip whose shorter side
    is under 1080 px gets a square of that side, and its name says so.
    """

    enabled: bool
    jobs_file: str | None
    default_job: bool
    views: list[PlannedView]


class ProcessDryRunPlan(msgspec.Struct, frozen=True):
    """``cosmos_process_dry_run.v1.json``: ingest then crop, planned in one document.

    ``inputs``, ``outputs``, ``commands`` and ``validation`` cover both stages as every dry-run
    plan's do, except the crop commands: a view's argv depends on its clip, which does not
    exist yet, so ``commands`` lists the ingest commands and ``crop.views`` names the views.
    Documents written before these fields decode with empty lists.
    """

    schema: str
    command: str
    created_at: str
    side_effects: SideEffects
    ingest: IngestDryRunPlan
    crop: ProcessCropStage
    inputs: list[PlannedInput] = msgspec.field(default_factory=list)
    outputs: list[PlannedOutput] = msgspec.field(default_factory=list)
    commands: list[PlannedCommand] = msgspec.field(default_factory=list)
    validation: list[FindingRecord] = msgspec.field(default_factory=list)


class PreviewSourceRecord(msgspec.Struct, frozen=True):
    """The clip a preview shows: ``path`` as given, ``resolved_path`` absolute.

    ``sha256`` is recorded only with ``include_source_sha`` (``--source-sha``).
    """

    path: str
    resolved_path: str
    sha256: str | None
    bytes: int


class PreviewTimeline(msgspec.Struct, frozen=True):
    """Frames of the clip from its packet index; seconds count from the first frame."""

    frame_count: int
    last_frame_sec: float
    duration_sec: float


class PreviewViewRecord(msgspec.Struct, frozen=True):
    """One crop job as the preview draws it: the rectangle the crop run would cut.

    ``number`` is the badge and legend number (from 1); ``label`` the name drawn in the images.
    """

    number: int
    label: str
    view_id: str | None
    job_index: int
    kind: str
    colour: str
    rect: CropRect
    requested: dict[str, float | int | bool | None]
    source_size: list[int]
    trim: CropTrim
    warnings: list[str]
    annotations: dict[str, Any]


class PreviewTimeRecord(msgspec.Struct, frozen=True):
    """A resolved time: a selector for one view (``kind`` selector) or a stack time (stack).

    ``requested_sec`` is the time requested, before clamping; ``time_sec`` the start of the frame
    shown; ``frame`` its image, relative to the plan's folder.
    """

    kind: Literal["selector", "stack"]
    selector: str | None
    stack_time_sec: float | None
    view_number: int | None
    requested_sec: float
    frame_index: int
    time_sec: float
    warnings: list[str]
    frame: str


class PreviewFrameRecord(msgspec.Struct, frozen=True):
    """A decoded source frame saved as PNG, at full source size, with nothing drawn on it."""

    path: str
    relpath: str
    frame_index: int
    time_sec: float


class PreviewPictureRecord(msgspec.Struct, frozen=True):
    """Position and size of a scaled frame in a rendered image, in image pixels.

    A source pixel ``(sx, sy)`` of that frame lands at
    ``(x + round(sx * width / frame width), y + round(sy * height / frame height))``.
    """

    view_number: int | None
    frame_index: int
    time_sec: float
    x: int
    y: int
    width: int
    height: int
    scale: float


class PreviewImageRecord(msgspec.Struct, frozen=True):
    """A contact sheet (one selector, every view) or a stacked overlay (one frame, every view)."""

    kind: Literal["sheet", "stacked"]
    path: str
    relpath: str
    selector: str | None
    stack_times_sec: list[float]
    width: int
    height: int
    columns: int
    rows: int
    pictures: list[PreviewPictureRecord]
    inputs: list[str]
    filter_graph: str


class PreviewPlanDocument(msgspec.Struct, frozen=True):
    """``preview_plan.v1.json``: what a crop preview of one clip shows, and where."""

    schema_version: str
    preview_run_id: str
    dry_run: bool
    bundle_dir: str
    source: PreviewSourceRecord
    video: VideoFacts
    timeline: PreviewTimeline
    selectors: list[str]
    stack_times_sec: list[float]
    views: list[PreviewViewRecord]
    times: list[PreviewTimeRecord]
    frames: list[PreviewFrameRecord]
    sheets: list[PreviewImageRecord]
    stacked: list[PreviewImageRecord]
    warnings: list[str]


class PreviewOptionsRecord(msgspec.Struct, frozen=True):
    """The render options of a preview run, after validation."""

    frame_selectors: list[str]
    stack_times_sec: list[float]
    render_max_width: int
    grid_step_px: int
    show_rulers: bool
    show_crosshair: bool
    alpha: float
    dry_run: bool
    include_source_sha: bool


class PreviewSummary(msgspec.Struct, frozen=True):
    """How many clips and views a preview run covered and how many images it wrote."""

    clips: int
    views: int
    frames: int
    sheets: int
    stacked: int


class PreviewRunDocument(msgspec.Struct, frozen=True):
    """``cosmos_crop_preview_run.v1.json``: one preview run and the plan of every clip.

    ``font_file`` is the font drawtext used; null means fontconfig chose one.
    """

    schema_version: str
    preview_run_id: str
    tool: str
    version: str
    git: str | None
    time: str
    output_dir: str
    dry_run: bool
    selectors: list[str]
    stack_times_sec: list[float]
    options: PreviewOptionsRecord
    font_file: str | None
    ffmpeg: FfmpegInfo
    system: SystemInfo
    clips: list[PreviewPlanDocument]
    summary: PreviewSummary

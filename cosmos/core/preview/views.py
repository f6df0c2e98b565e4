"""The views a preview draws: a crop job with its geometry, trim, number and colour."""

from __future__ import annotations

from dataclasses import dataclass

from cosmos.core.crop.geometry import CropGeometry, crop_rect
from cosmos.core.crop.jobs import AnyCropJob, CropJob
from cosmos.core.crop.plan import TrimWindow
from cosmos.core.ffmpeg.timeline import PacketIndex
from cosmos.core.model.documents import CropTrim, PreviewViewRecord
from cosmos.core.preview.filters import view_colour
from cosmos.core.preview.overlay import ViewMark
from cosmos.core.preview.selectors import ViewWindow, view_window


@dataclass(frozen=True, slots=True)
class PreviewView:
    """One crop job on one clip: ``number`` counts from 1 and picks the view's colour."""

    number: int
    job_index: int
    job: AnyCropJob
    geometry: CropGeometry
    trim: TrimWindow

    @property
    def kind(self) -> str:
        return "square" if isinstance(self.job, CropJob) else "rect"

    @property
    def view_id(self) -> str | None:
        return None if isinstance(self.job, CropJob) else self.job.view_id

    @property
    def label(self) -> str:
        """The name drawn in images: the job's view id, else ``job<NN>``."""
        return self.view_id or f"job{self.job_index:02d}"

    @property
    def colour(self) -> str:
        return view_colour(self.number)

    def window(self, index: PacketIndex) -> ViewWindow:
        return view_window(self.trim, index.frame_count)

    def mark(self) -> ViewMark:
        geometry = self.geometry
        return ViewMark(
            number=self.number,
            label=self.label,
            colour=self.colour,
            x=geometry.x,
            y=geometry.y,
            width=geometry.width,
            height=geometry.height,
        )


def view_record(view: PreviewView) -> PreviewViewRecord:
    geometry = view.geometry
    return PreviewViewRecord(
        number=view.number,
        label=view.label,
        view_id=view.view_id,
        job_index=view.job_index,
        kind=view.kind,
        colour=f"#{view.colour}",
        rect=crop_rect(geometry),
        requested=dict(geometry.requested),
        source_size=[geometry.frame_width, geometry.frame_height],
        trim=CropTrim(
            start=geometry.start_seconds,
            end=geometry.end_seconds,
            first_frame=view.trim.first_index,
            frame_count=view.trim.frame_count,
        ),
        warnings=list(geometry.warnings),
        annotations={} if isinstance(view.job, CropJob) else dict(view.job.annotations),
    )

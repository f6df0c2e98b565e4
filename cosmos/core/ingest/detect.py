"""Choice of the adapter that reads an input folder, and of the clips to ingest."""

from __future__ import annotations

from pathlib import Path, PurePath

from returns.result import Failure, Result, Success

from cosmos.core.errors import InvalidInput
from cosmos.core.ingest.adapter import FolderListing
from cosmos.core.ingest.generic import VIDEO_EXTENSIONS, is_video_name
from cosmos.core.ingest.options import AdapterName


def manifest_names(listing: FolderListing) -> list[str]:
    """Return the visible ``*.xml`` files at the top of the folder, sorted."""
    return sorted(
        entry.name
        for entry in listing.entries
        if entry.is_file
        and not entry.name.startswith(".")
        and PurePath(entry.name).suffix.lower() == ".xml"
    )


def choose_adapter(
    listing: FolderListing, explicit: AdapterName | None, manifest: Path | None
) -> Result[AdapterName, InvalidInput]:
    """Pick the adapter: the caller's choice, else COSM for one manifest, else generic media."""
    if explicit is not None:
        return Success(explicit)
    if manifest is not None:
        return Success("cosm")
    manifests = manifest_names(listing)
    if len(manifests) > 1:
        return Failure(
            InvalidInput(
                value=str(listing.root),
                message=f"{listing.root} contains several XML manifests ({', '.join(manifests)}); "
                "pass the one to use with manifest= (CLI: --manifest)",
            )
        )
    if len(manifests) == 1:
        return Success("cosm")
    if any(entry.is_file and is_video_name(entry.name) for entry in listing.entries):
        return Success("generic-media")
    return Failure(
        InvalidInput(
            value=str(listing.root),
            message=f"nothing to ingest in {listing.root}: found no *.xml COSM manifest and no "
            f"video files ({' '.join(sorted(VIDEO_EXTENSIONS))}) at the top of the folder; "
            "check the path, or pass adapter= (CLI: --adapter) to choose the layout",
        )
    )


def select_clips(
    names: list[str], requested: tuple[str, ...] | None, root: Path
) -> Result[list[str], InvalidInput]:
    """Keep the clips named in ``requested`` (case-insensitive), in folder order."""
    if requested is None:
        return Success(names)
    requested_names = {name.casefold() for name in requested}
    known = {name.casefold() for name in names}
    unknown = sorted(name for name in requested if name.casefold() not in known)
    if unknown:
        return Failure(
            InvalidInput(
                value=", ".join(unknown),
                message=f"unknown clip name(s) {', '.join(unknown)} in {root}; known clips: "
                f"{', '.join(names)}",
            )
        )
    return Success([name for name in names if name.casefold() in requested_names])

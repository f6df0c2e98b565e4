"""Pure parts of ingest: option resolution, clip discovery, geometry and plans."""

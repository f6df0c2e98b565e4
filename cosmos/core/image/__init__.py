"""Image encoding from packed rgb24 bytes."""

"""msgspec Structs and frozen dataclasses shared across the core."""

"""FFmpeg and ffprobe argv builders, output parsers and quoting."""

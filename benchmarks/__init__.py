"""Whole-process benchmarks of the video substrate against raw PyAV, ffprobe and ffmpeg.

``python -m benchmarks.media`` encodes the benchmark clips; ``python -m benchmarks.frames`` runs
the cases and prints the results table. docs/benchmarks.md records a run.
"""

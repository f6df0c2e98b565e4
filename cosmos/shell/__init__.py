"""The effectful shell: runs what the core planned and reports what happened.

Subprocesses, the filesystem, the environment, the clock and randomness live here and nowhere
below. Shell functions that can fail for a domain reason return ``returns`` results carrying the
error values of :mod:`cosmos.core.errors`.
"""

"""The pure core: plans, argv lists, filter graphs and documents built from values.

Nothing under this package touches the filesystem, subprocesses, environment variables, the clock
or randomness; the shell passes those in. Failures are returned as values from
:mod:`cosmos.core.errors`, never raised.
"""

"""Cosmos: a provenance-first video toolkit.

The public API lives in :mod:`cosmos.sdk`; this module only carries the version so that
``import cosmos`` stays cheap.
"""

__version__ = "0.1.0"

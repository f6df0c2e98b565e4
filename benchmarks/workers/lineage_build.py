"""Build the lineage index over one folder once, as a fresh ``cosmos lineage`` process would.

Usage: ``lineage_build.py FOLDER``. Imports happen before the clock starts, so only
``build_index`` and the queries are timed. Prints one JSON object: the build's wall, user and
system seconds, its minor page faults, the first ``chain`` query after the build and the
median of 20 more, in seconds.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

from cosmos.sdk.lineage import build_index


def main() -> None:
    folder = Path(sys.argv[1])
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    index = build_index(folder)
    build = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)

    target = next(iter(index.nodes))
    queries: list[float] = []
    for _ in range(21):
        started = time.perf_counter()
        index.chain(target)
        queries.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "build": build,
                "user": after.ru_utime - before.ru_utime,
                "system": after.ru_stime - before.ru_stime,
                "page_faults": after.ru_minflt - before.ru_minflt,
                "first_query": queries[0],
                "query": statistics.median(queries[1:]),
                "nodes": len(index.nodes),
            }
        )
    )


if __name__ == "__main__":
    main()

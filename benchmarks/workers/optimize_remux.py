"""Time ``cosmos.sdk.optimize.optimize`` remuxes against the bare FFmpeg copy, in one process.

Usage: ``optimize_remux.py SOURCE OUT_DIR REFERENCE_OUTPUT RUNS REFERENCE_ARGV_JSON``.

Imports happen before any clock starts, as in a program that calls the SDK. Both commands run
once untimed as a warm-up, then alternate ``RUNS`` times, and the order swaps every repetition.
The reference is ``subprocess.run`` of the bare FFmpeg argv. The candidate is one ``optimize``
call with default options (``mode="auto"``, which remuxes when no transform is requested), as
``cosmos optimize run --input SOURCE --out-dir OUT_DIR`` runs it: probe, FFmpeg, source and
output sha256, output probe, sidecar and run documents. Both outputs are removed before every
run. Prints one JSON object with the seconds of each run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from cosmos.sdk.optimize import OptimizeOptions, optimize


def _reference(argv: list[str], output: Path) -> float:
    output.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    return time.perf_counter() - started


def _candidate(source: Path, out_dir: Path) -> float:
    shutil.rmtree(out_dir, ignore_errors=True)
    started = time.perf_counter()
    optimize([source], out_dir, options=OptimizeOptions())
    return time.perf_counter() - started


def main() -> None:
    source, out_dir, reference_output = (Path(arg) for arg in sys.argv[1:4])
    runs = int(sys.argv[4])
    argv: list[str] = json.loads(sys.argv[5])
    _reference(argv, reference_output)
    _candidate(source, out_dir)
    times: dict[str, list[float]] = {"reference": [], "cosmos": []}
    for repetition in range(runs):
        order = ("reference", "cosmos") if repetition % 2 == 0 else ("cosmos", "reference")
        for label in order:
            if label == "reference":
                times[label].append(_reference(argv, reference_output))
            else:
                times[label].append(_candidate(source, out_dir))
    print(json.dumps(times))


if __name__ == "__main__":
    main()

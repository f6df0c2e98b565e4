"""Benchmark frame extraction and probing against raw PyAV, ffprobe and ffmpeg.

Usage: ``python -m benchmarks.frames [--runs N] [--rss-runs N] [--case NAME ...] [--markdown
FILE]``. Each case first runs every command once untimed, as a warm-up that also checks that all
commands decode the same frame indices. Then it runs the commands in alternation, ``--runs``
times, rotating their order every repetition so that no command always runs first or last.
Extraction cases then sample the process tree's RSS in ``--rss-runs`` separate runs. The table
lists medians, and each ratio is candidate median over reference median.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.cases import Case, Check, build_cases
from benchmarks.measure import Command, CommandFailed, run_sampled, run_timed
from benchmarks.media import X264_PRESET, ffmpeg_path

WORKERS = Path(__file__).resolve().parent / "workers"


@dataclass(slots=True)
class CommandStats:
    """Every measurement of one command: wall seconds, the largest process's peak RSS (KiB)
    from the timed runs, and the process tree's sampled peak RSS and PSS (KiB)."""

    seconds: list[float] = field(default_factory=list)
    largest_process_kib: list[int] = field(default_factory=list)
    tree_kib: list[int] = field(default_factory=list)
    tree_pss_kib: list[int] = field(default_factory=list)


@dataclass(slots=True)
class CaseResult:
    """The measurements of one case, and the commands that failed with their error messages."""

    stats: dict[str, CommandStats]
    failures: dict[str, str]


@dataclass(frozen=True, slots=True)
class Row:
    """One check's outcome; ``passed`` is ``None`` for a row without a target."""

    case: str
    metric: str
    reference: str
    candidate: str
    reference_value: float | None
    candidate_value: float | None
    ratio: float | None
    target: str
    passed: bool | None


def _rotated(commands: Sequence[Command], repetition: int) -> list[Command]:
    shift = repetition % len(commands)
    return [*commands[shift:], *commands[:shift]]


def _output_problem(case: Case, output: dict[str, object]) -> str | None:
    """Describe how a frame command's output differs from the expected frames, if it does."""
    if case.expected_resolved is None or "resolved" not in output:
        return None
    expected = list(case.expected_resolved)
    if output["resolved"] != expected:
        return f"decoded indices {output['resolved']}, expected {expected}"
    return None


def _warm_up(case: Case) -> dict[str, str]:
    """Run every command once untimed; return the failed or wrong ones with the reason."""
    failures: dict[str, str] = {}
    byte_counts: dict[str, object] = {}
    for command in case.commands:
        try:
            output = run_timed(command).output
        except CommandFailed as error:
            failures[command.label] = str(error)
            continue
        problem = _output_problem(case, output)
        if problem is not None:
            failures[command.label] = problem
        elif "bytes" in output:
            byte_counts[command.label] = output["bytes"]
    if len(set(byte_counts.values())) > 1:
        raise CommandFailed(f"{case.name}: commands returned different rgb24 sizes {byte_counts}")
    for label, reason in failures.items():
        print(f"  {label} failed and is not timed: {reason}", file=sys.stderr, flush=True)
    return failures


def measure_case(case: Case, runs: int, rss_runs: int) -> CaseResult:
    """Warm up, verify, then time every working command of ``case`` in alternation."""
    print(f"[{case.name}] {case.summary}", file=sys.stderr, flush=True)
    failures = _warm_up(case)
    working = [command for command in case.commands if command.label not in failures]
    stats = {command.label: CommandStats() for command in working}
    if not working:
        return CaseResult(stats, failures)

    for repetition in range(runs):
        for command in _rotated(working, repetition):
            run = run_timed(command)
            stats[command.label].seconds.append(run.seconds)
            stats[command.label].largest_process_kib.append(run.largest_process_kib)
        line = ", ".join(f"{label} {s.seconds[-1]:.3f}" for label, s in stats.items())
        print(f"  run {repetition + 1}/{runs}: {line}", file=sys.stderr, flush=True)

    if case.sample_rss:
        for repetition in range(rss_runs):
            for command in _rotated(working, repetition):
                memory = run_sampled(command)
                stats[command.label].tree_kib.append(memory.rss_kib)
                stats[command.label].tree_pss_kib.append(memory.pss_kib)
    return CaseResult(stats, failures)


def _value(stats: CommandStats, check: Check) -> float:
    if check.metric == "rss":
        return statistics.median(stats.tree_kib) / 1024
    return statistics.median(stats.seconds)


def _failed_row(case: Case, check: Check, failures: dict[str, str]) -> Row:
    failed = [label for label in (check.candidate, check.reference) if label in failures]
    return Row(
        case.name,
        check.metric,
        check.reference or "",
        check.candidate,
        None,
        None,
        None,
        f"{_target(check)} ({', '.join(failed)} failed)",
        None if check.limit is None else False,
    )


def _target(check: Check) -> str:
    if check.limit is None:
        return ""
    if check.reference is None:
        return f"<= {check.limit:.3f} {'MiB' if check.metric == 'rss' else 's'}"
    return f"<= {check.limit:.2f}x"


def evaluate(case: Case, result: CaseResult) -> list[Row]:
    """Turn the measurements of ``case`` into one row per check."""
    rows: list[Row] = []
    stats = result.stats
    for check in case.checks:
        if check.candidate in result.failures or check.reference in result.failures:
            rows.append(_failed_row(case, check, result.failures))
            continue
        if check.metric == "rss" and not stats[check.candidate].tree_kib:
            continue
        candidate = _value(stats[check.candidate], check)
        if check.reference is None:
            passed = None if check.limit is None else candidate <= check.limit
            rows.append(
                Row(
                    case.name,
                    check.metric,
                    "",
                    check.candidate,
                    None,
                    candidate,
                    None,
                    _target(check),
                    passed,
                )
            )
            continue
        reference = _value(stats[check.reference], check)
        ratio = candidate / reference
        passed = None if check.limit is None else ratio <= check.limit
        rows.append(
            Row(
                case.name,
                check.metric,
                check.reference,
                check.candidate,
                reference,
                candidate,
                ratio,
                _target(check),
                passed,
            )
        )
    return rows


def heavy_modules_row() -> Row:
    """Check that ``import cosmos.sdk`` loads none of PyAV, torch, TorchCodec and NumPy."""
    run = run_timed(Command("import check", (sys.executable, str(WORKERS / "import_check.py"))))
    loaded = run.output.get("heavy_modules")
    if not isinstance(loaded, list):
        raise CommandFailed(f"import_check.py printed {run.output}, expected heavy_modules")
    passed = not any(name in loaded for name in ("av", "torch"))
    return Row(
        "import-sdk",
        "modules",
        "",
        "import cosmos.sdk",
        None,
        float(len(loaded)),
        None,
        "no av, torch (loaded: " + (", ".join(loaded) or "none") + ")",
        passed,
    )


def _format_number(value: float | None, metric: str) -> str:
    if value is None:
        return ""
    if metric == "rss":
        return f"{value:.0f}"
    if metric == "modules":
        return f"{value:.0f}"
    return f"{value:.3f}"


def _result(passed: bool | None) -> str:
    return {True: "pass", False: "FAIL", None: "info"}[passed]


HEADER = ("case", "metric", "reference", "candidate", "ref", "cand", "ratio", "target", "result")


def _cells(row: Row) -> tuple[str, ...]:
    metric = {"seconds": "time s", "rss": "peak RSS MiB", "modules": "heavy imports"}[row.metric]
    return (
        row.case,
        metric,
        row.reference,
        row.candidate,
        _format_number(row.reference_value, row.metric),
        _format_number(row.candidate_value, row.metric),
        "" if row.ratio is None else f"{row.ratio:.2f}",
        row.target,
        _result(row.passed),
    )


def format_text_table(rows: Sequence[Row]) -> str:
    """Format ``rows`` as an aligned plain-text table."""
    lines = [HEADER, *(_cells(row) for row in rows)]
    widths = [max(len(line[column]) for line in lines) for column in range(len(HEADER))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def format_markdown_table(rows: Sequence[Row]) -> str:
    """Format ``rows`` as a Markdown table."""
    lines = [
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
    ]
    lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def format_detail_table(all_stats: dict[str, dict[str, CommandStats]]) -> str:
    """Format every command's median, minimum and maximum as a Markdown table."""
    lines = [
        "| case | command | runs | median s | min s | max s | largest process RSS MiB "
        "| tree RSS MiB | tree PSS MiB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for case_name, stats in all_stats.items():
        for label, values in stats.items():
            largest = statistics.median(values.largest_process_kib) / 1024
            tree = f"{statistics.median(values.tree_kib) / 1024:.0f}" if values.tree_kib else ""
            pss = values.tree_pss_kib
            tree_pss = f"{statistics.median(pss) / 1024:.0f}" if pss else ""
            lines.append(
                f"| {case_name} | {label} | {len(values.seconds)} "
                f"| {statistics.median(values.seconds):.3f} | {min(values.seconds):.3f} "
                f"| {max(values.seconds):.3f} | {largest:.0f} | {tree} | {tree_pss} |"
            )
    return "\n".join(lines)


def _first_line(argv: Sequence[str]) -> str:
    completed = subprocess.run(argv, capture_output=True, text=True, check=True)  # noqa: S603
    return completed.stdout.strip().splitlines()[0]


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown"


def environment_lines() -> list[str]:
    """Describe the machine, the tool versions and the start time of a run."""
    pyav_ffmpeg = _first_line([sys.executable, "-c", "import av; print(av.ffmpeg_version_info)"])
    commit = _first_line(["git", "describe", "--always", "--dirty"])
    return [
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- CPU: {len(os.sched_getaffinity(0))} cores usable, {_cpu_model()}",
        f"- FFmpeg: {_first_line([ffmpeg_path(), '-version'])}",
        f"- PyAV: {importlib.metadata.version('av')} (its bundled FFmpeg {pyav_ffmpeg})",
        f"- Python: {platform.python_version()}; Cosmos commit {commit}",
        f"- Clips: libx264 -preset {X264_PRESET}",
    ]


def parse_arguments(case_names: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.frames",
        description="Time Cosmos frame extraction and probing against raw PyAV, ffprobe and "
        "ffmpeg, as whole processes, and print medians with pass or fail per target.",
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="timed runs per command (default 5, at least 1)"
    )
    parser.add_argument(
        "--rss-runs",
        type=int,
        default=3,
        help="untimed runs per command that sample the process tree's RSS and PSS (default 3; 0 "
        "skips the RSS checks)",
    )
    parser.add_argument(
        "--case",
        action="append",
        choices=case_names,
        help="run only this case; repeat the option for several (default: all)",
    )
    parser.add_argument(
        "--markdown", type=Path, help="also write the results to this Markdown file"
    )
    arguments = parser.parse_args()
    if arguments.runs < 1 or arguments.rss_runs < 0:
        parser.error("--runs must be at least 1 and --rss-runs at least 0")
    return arguments


def _failure_lines(results: dict[str, CaseResult]) -> list[str]:
    lines: list[str] = []
    for case_name, result in results.items():
        for label, reason in result.failures.items():
            # Keep the last line of the error, which contains the message of the tool that failed.
            last_line = reason.strip().splitlines()[-1]
            lines.append(f"- {case_name}, {label}: {last_line}")
    return lines


def write_markdown(
    path: Path,
    arguments: argparse.Namespace,
    cases: Sequence[Case],
    rows: Sequence[Row],
    results: dict[str, CaseResult],
    *,
    environment: Sequence[str],
    load_average: tuple[float, float],
) -> None:
    """Write the environment, the cases, the results table and the per-command detail."""
    lines = [
        *environment,
        f"- Load average (1 min): {load_average[0]:.2f} before, {load_average[1]:.2f} after",
        f"- Runs: {arguments.runs} timed per command, {arguments.rss_runs} RSS-sampled",
        "",
        *(f"- `{case.name}`: {case.summary}" for case in cases),
        "",
        format_markdown_table(rows),
        "",
        format_detail_table({name: result.stats for name, result in results.items()}),
        "",
    ]
    failures = _failure_lines(results)
    if failures:
        lines += ["Failed commands:", "", *failures, ""]
    path.write_text("\n".join(lines))


def main() -> None:
    cases = build_cases()
    arguments = parse_arguments([case.name for case in cases])
    selected = [case for case in cases if arguments.case is None or case.name in arguments.case]

    environment = environment_lines()
    load_before = os.getloadavg()[0]
    rows: list[Row] = []
    results: dict[str, CaseResult] = {}
    for case in selected:
        result = measure_case(case, arguments.runs, arguments.rss_runs)
        results[case.name] = result
        rows += evaluate(case, result)
        if case.name == "import-sdk":
            rows.append(heavy_modules_row())
    load_after = os.getloadavg()[0]

    print(format_text_table(rows))
    for line in _failure_lines(results):
        print(line)
    if arguments.markdown is not None:
        write_markdown(
            arguments.markdown,
            arguments,
            selected,
            rows,
            results,
            environment=environment,
            load_average=(load_before, load_after),
        )
        print(f"wrote {arguments.markdown}", file=sys.stderr)


if __name__ == "__main__":
    main()

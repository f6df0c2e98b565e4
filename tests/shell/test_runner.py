"""The subprocess runner: output capture, exit status, timeout and kill."""

from __future__ import annotations

import os

import pytest

from cosmos.shell.runner import run


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_run_captures_output() -> None:
    completed = run(["sh", "-c", "echo out; echo err >&2; exit 3"])
    assert completed.returncode == 3
    assert completed.stdout == b"out\n"
    assert completed.stderr == "err\n"
    assert not completed.ok
    assert not completed.timed_out


def test_run_success() -> None:
    completed = run(["true"])
    assert completed.ok
    assert completed.argv == ("true",)


def test_run_stdout_lines_callback() -> None:
    lines: list[str] = []
    completed = run(["printf", "a=1\\nprogress=end\\n"], on_stdout_line=lines.append)
    assert lines == ["a=1\n", "progress=end\n"]
    assert completed.stdout == b"a=1\nprogress=end\n"


def test_run_argv_not_shell_interpreted() -> None:
    completed = run(["printf", "%s", "$HOME; echo hacked"])
    assert completed.stdout == b"$HOME; echo hacked"


def test_run_timeout_kills_child() -> None:
    completed = run(["sh", "-c", "echo pid $$ >&2; exec sleep 30"], timeout_seconds=1.0)
    assert completed.timed_out
    assert completed.returncode is None
    assert completed.seconds < 10
    assert completed.stderr.startswith("pid ")
    pid = int(completed.stderr.split()[1])
    assert not _pid_exists(pid)


def test_run_missing_program() -> None:
    with pytest.raises(FileNotFoundError):
        run(["/nonexistent/cosmos-no-such-program"])


def test_run_invalid_utf8_stderr() -> None:
    completed = run(["sh", "-c", "printf '\\377bad\\n' >&2"])
    assert completed.stderr == "\ufffdbad\n"

"""The installed console script and ``python -m compliance`` work as real processes.

Every other CLI test runs in-process (tests/cli_runner.py); these few prove that the entry points a
user types start, exit with the right code and never print a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run(argv, capture_output=True, env=env, cwd=REPO, timeout=120)


def _script() -> str | None:
    beside = Path(sys.executable).with_name("compliance")
    return str(beside) if beside.is_file() else shutil.which("compliance")


def test_python_dash_m_checks_a_page() -> None:
    r = _run([sys.executable, "-m", "compliance", "check", "examples/missing-affiliation.html", "-p", "dcnf"])
    assert r.returncode == 1 and b"affiliation" in r.stdout and b"Traceback" not in r.stderr


@pytest.mark.skipif(_script() is None, reason="the compliance console script is not installed (pip install -e .)")
def test_console_script_runs_and_reports_usage_errors() -> None:
    script = _script()
    ok = _run([script, "check", "examples/compliant.html", "-p", "dcnf"])
    assert ok.returncode == 0 and b"PASS" in ok.stdout
    bad = _run([script, "check", "examples", "--policy", "no-such-policy"])
    assert bad.returncode == 2 and b"no-such-policy" in bad.stderr and b"Traceback" not in bad.stderr


@pytest.mark.parametrize("argv", [["check", "--help"], ["policy", "list"], ["check", "examples", "-p", "dcnf"]])
def test_a_reader_that_stops_early_gets_no_traceback(argv: list[str]) -> None:
    """`compliance check --help | head -3`: the pipe closes under a long help screen or report."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.Popen([sys.executable, "-m", "compliance", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=REPO)
    proc.stdout.close()  # like `| head -0`: whatever is printed meets a closed pipe
    err = proc.stderr.read()
    proc.wait(timeout=120)
    proc.stderr.close()
    assert b"Traceback" not in err and b"Exception ignored" not in err, err.decode(errors="replace")
    assert proc.returncode in (0, 1, 141), err


def test_ctrl_c_at_a_prompt_is_the_exception_typer_raises() -> None:
    import typer

    from compliance.cli import _click_abort

    assert _click_abort() is typer.Abort

"""The GitHub Action's check step (see ``action.yml``): run the check, publish its results, pass its exit code on.

Inputs arrive as ``INPUT_*`` environment variables (the composite action maps them explicitly). The
check runs once with ``--format github`` so annotations go to the log as they are printed (the
child's output is passed through line by line, never held back), plus a Markdown report for the
job summary (``$GITHUB_STEP_SUMMARY``) and, when asked, a SARIF file for code scanning. A broken
configuration, policy, baseline or waiver file becomes one ``::error`` annotation per problem, at its
file and line (``COMPLIANCE_ERROR_FORMAT=github``). A bad input (a missing working directory, an
unknown ``sarif`` value, a ``RUNNER_TEMP`` that is gone) is reported the same way and gives exit
status 2, with the step's outputs still written; a job summary that cannot be written is a warning.
The step exits with the check's own status (0/1/2).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
import threading
from collections import deque
from pathlib import Path
from typing import IO, Mapping

TRUE = {"1", "true", "yes", "on"}
FALSE = {"", "0", "false", "no", "off"}


class InputError(Exception):
    """An action input that cannot be used."""


def _input(env: Mapping[str, str], name: str) -> str:
    return env.get(f"INPUT_{name.upper().replace('-', '_')}", "").strip()


def build_command(env: Mapping[str, str], summary: Path, sarif: Path | None) -> list[str]:
    """The ``compliance check`` command line for the given inputs."""
    cmd = [sys.executable, "-m", "compliance", "check"]
    cmd += _split(env, "paths")
    for policy in re.split(r"[\s,]+", _input(env, "policy")):
        if policy:
            cmd += ["--policy", policy]
    for name, flag in (("config", "--config"), ("fail-on", "--fail-on"), ("baseline", "--baseline"),
                       ("waivers", "--waivers")):
        value = _input(env, name)
        if value:
            cmd += [flag, value]
    cmd += ["--format", "github", "--report", f"markdown={summary}"]
    if sarif is not None:
        cmd += ["--report", f"sarif={sarif}"]
    cmd += _split(env, "args")
    return cmd


def _split(env: Mapping[str, str], name: str) -> list[str]:
    try:
        return shlex.split(_input(env, name))
    except ValueError as exc:  # an unclosed quote
        raise InputError(f"the {name!r} input cannot be split into arguments: {exc}") from None


def main(env: Mapping[str, str] | None = None, out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    env = dict(os.environ if env is None else env)
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        return _run(env, out, err)
    except InputError as exc:
        return _stop(env, out, "compliance action input", str(exc))
    except OSError as exc:  # the runner's own files (RUNNER_TEMP, the interpreter): never a traceback
        where = f" ({exc.filename})" if exc.filename else ""
        return _stop(env, out, "compliance action", f"{exc.strerror or exc}{where}")


def _stop(env: Mapping[str, str], out: IO[str], title: str, message: str) -> int:
    """Report why the check could not run as an annotation and in the summary, set the outputs, exit 2."""
    out.write(f"::error title={title}::{_escape(message)}\n")
    _append(env.get("GITHUB_STEP_SUMMARY"), _no_report(2, message), out)
    _append(env.get("GITHUB_OUTPUT"), "exit-code=2\nsarif-file=\n", out)
    return 2


def _run(env: dict[str, str], out: IO[str], err: IO[str]) -> int:
    workdir = Path(_input(env, "working-directory") or ".")
    if not workdir.is_dir():
        raise InputError(f"working-directory {str(workdir)!r} is not a folder in {Path.cwd()}")
    flag = _input(env, "sarif").lower()
    if flag not in TRUE | FALSE:
        raise InputError(f"sarif must be \"true\" or \"false\", not {flag!r}")
    sarif = Path(_input(env, "sarif-file") or "compliance.sarif") if flag in TRUE else None
    if sarif is not None and not sarif.is_absolute():
        sarif = workdir.absolute() / sarif
    temp = Path(env.get("RUNNER_TEMP") or tempfile.gettempdir())
    fd, name = tempfile.mkstemp(prefix="compliance-summary-", suffix=".md", dir=temp)
    os.close(fd)
    summary = Path(name)
    cmd = build_command(env, summary, sarif)
    out.write("Running: compliance " + shlex.join(cmd[3:]) + "\n")
    out.flush()
    child_env = {**env, "COMPLIANCE_ERROR_FORMAT": "github", "PYTHONUNBUFFERED": "1"}
    try:
        code, tail = _stream(cmd, workdir, child_env, out, err)
        markdown = summary.read_text(encoding="utf-8") if summary.is_file() else ""
    finally:
        summary.unlink(missing_ok=True)
    if not markdown.strip():
        markdown = _no_report(code, "\n".join(tail))
    _append(env.get("GITHUB_STEP_SUMMARY"), markdown.rstrip("\n") + "\n", out)
    produced = sarif is not None and sarif.is_file()
    _append(env.get("GITHUB_OUTPUT"), f"exit-code={code}\nsarif-file={sarif if produced else ''}\n", out)
    return code


def _stream(cmd: list[str], cwd: Path, env: dict[str, str], out: IO[str], err: IO[str]) -> tuple[int, list[str]]:
    """Run ``cmd``, copying its output as it comes; returns the status and the last lines of stderr."""
    tail: deque[str] = deque(maxlen=10)

    def pump(source: IO[str], sink: IO[str], keep: deque[str] | None) -> None:
        for line in source:
            sink.write(line)
            sink.flush()
            if keep is not None:
                keep.append(line.rstrip("\n"))

    with subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          encoding="utf-8", errors="replace", bufsize=1) as proc:
        errors = threading.Thread(target=pump, args=(proc.stderr, err, tail), daemon=True)
        errors.start()
        pump(proc.stdout, out, None)  # type: ignore[arg-type]
        errors.join()
        return proc.wait(), list(tail)


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _no_report(code: int, stderr: str) -> str:
    """What the job summary says when the check stopped before writing a report (exit 2)."""
    detail = "\n".join(stderr.strip().splitlines()[-10:]).replace("```", "'''")
    return (f"## License compliance: the check could not run (exit status {code})\n\n"
            f"```text\n{detail or 'no message'}\n```\n")


def _append(path: str | None, text: str, out: IO[str]) -> None:
    """Add to a file the runner gave (summary, outputs); one that cannot be written is a warning, not a crash."""
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        out.write(f"::warning title=compliance action::{_escape(f'cannot write {path}: {exc.strerror or exc}')}\n")


if __name__ == "__main__":  # pragma: no cover - exercised through a subprocess in the tests
    sys.exit(main())

"""The GitHub Action's check step (see ``action.yml``): run the check, publish its results, pass its exit code on.

Inputs arrive as ``INPUT_*`` environment variables (the composite action
maps them explicitly). The check runs once with ``--format github`` so
annotations go to the log, plus a Markdown report for the job summary
(``$GITHUB_STEP_SUMMARY``) and, when asked, a SARIF file for code scanning.
Everything else (paths, policies, baseline, waivers) comes from the
repository's configuration file unless an input overrides it. The step
exits with the check's own status (0/1/2); the SARIF upload step runs
even then, and ``exit-code`` / ``sarif-file`` are written to
``$GITHUB_OUTPUT``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Mapping

TRUE = {"1", "true", "yes", "on"}


def _input(env: Mapping[str, str], name: str) -> str:
    return env.get(f"INPUT_{name.upper().replace('-', '_')}", "").strip()


def build_command(env: Mapping[str, str], summary: Path, sarif: Path | None) -> list[str]:
    """The ``compliance check`` command line for the given inputs."""
    cmd = [sys.executable, "-m", "compliance", "check"]
    cmd += shlex.split(_input(env, "paths"))
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
    cmd += shlex.split(_input(env, "args"))
    return cmd


def main(env: Mapping[str, str] | None = None) -> int:
    env = dict(os.environ if env is None else env)
    workdir = _input(env, "working-directory") or "."
    want_sarif = _input(env, "sarif").lower() in TRUE
    sarif = Path(_input(env, "sarif-file") or "compliance.sarif") if want_sarif else None
    temp = Path(env.get("RUNNER_TEMP") or tempfile.gettempdir())
    summary = Path(tempfile.mkstemp(prefix="compliance-summary-", suffix=".md", dir=temp)[1])
    if sarif is not None and not sarif.is_absolute():
        sarif = Path(workdir).absolute() / sarif
    cmd = build_command(env, summary, sarif)
    sys.stdout.write("Running: compliance " + shlex.join(cmd[3:]) + "\n")
    sys.stdout.flush()
    proc = subprocess.run(cmd, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    code = proc.returncode
    markdown = summary.read_text(encoding="utf-8") if summary.is_file() else ""
    summary.unlink(missing_ok=True)
    if not markdown.strip():
        markdown = _no_report(code, proc.stderr)
    _append(env.get("GITHUB_STEP_SUMMARY"), markdown.rstrip("\n") + "\n")
    produced = sarif is not None and sarif.is_file()
    _append(env.get("GITHUB_OUTPUT"), f"exit-code={code}\nsarif-file={sarif if produced else ''}\n")
    return code


def _no_report(code: int, stderr: str) -> str:
    """What the job summary says when the check stopped before writing a report (exit 2)."""
    detail = "\n".join(stderr.strip().splitlines()[-10:]).replace("```", "'''")
    return (f"## License compliance: the check could not run (exit status {code})\n\n"
            f"```text\n{detail or 'no message'}\n```\n")


def _append(path: str | None, text: str) -> None:
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":  # pragma: no cover - exercised through a subprocess in the tests
    sys.exit(main())

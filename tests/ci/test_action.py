"""The GitHub Action: action.yml wiring, and its script run locally with the same inputs and environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ci_kit import BAD_CREDIT, GOOD, SITE_CONFIG, make_site
from conftest import REPO

from compliance.ci.action import build_command

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))


def test_action_is_composite_and_passes_every_input_to_its_script():
    runs = ACTION["runs"]
    assert runs["using"] == "composite"
    steps = {s.get("id") or s["name"]: s for s in runs["steps"]}
    check = steps["check"]
    assert "-m compliance.ci.action" in check["run"]
    install = steps["Install compliance"]
    assert "$GITHUB_ACTION_PATH" in install["run"] and "pip install" in install["run"]
    passed = {f"INPUT_{name.upper().replace('-', '_')}" for name in ACTION["inputs"]} - {"INPUT_VERSION",
                                                                                        "INPUT_PYTHON_VERSION"}
    assert passed == set(check["env"]), passed ^ set(check["env"])
    for name, value in check["env"].items():
        assert value == "${{ inputs.%s }}" % name[len("INPUT_"):].lower().replace("_", "-")


def test_sarif_upload_step_runs_after_a_failing_check_when_asked():
    steps = ACTION["runs"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert "!cancelled()" in upload["if"] and "inputs.sarif == 'true'" in upload["if"]
    assert upload["with"]["sarif_file"] == "${{ steps.check.outputs.sarif-file }}"
    assert ACTION["outputs"]["exit-code"]["value"] == "${{ steps.check.outputs.exit-code }}"


def test_command_from_inputs(tmp_path):
    env = {"INPUT_PATHS": "public 'my pages/x.html'", "INPUT_POLICY": "dcnf, propublica", "INPUT_FAIL_ON": "warning",
           "INPUT_BASELINE": "b.json", "INPUT_WAIVERS": "", "INPUT_ARGS": "--jobs 4"}
    cmd = build_command(env, tmp_path / "s.md", tmp_path / "c.sarif")
    assert cmd[:4] == [sys.executable, "-m", "compliance", "check"]
    assert cmd[4:] == ["public", "my pages/x.html", "--policy", "dcnf", "--policy", "propublica",
                       "--fail-on", "warning", "--baseline", "b.json", "--format", "github",
                       "--report", f"markdown={tmp_path / 's.md'}", "--report", f"sarif={tmp_path / 'c.sarif'}",
                       "--jobs", "4"]
    assert "--policy" not in build_command({}, tmp_path / "s.md", None)


def _run_action(site: Path, tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, str, dict]:
    summary = tmp_path / "step-summary.md"
    summary.write_text("previous step\n")
    outputs = tmp_path / "github-output.txt"
    outputs.write_text("")
    env = {"PATH": "/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs),
           "RUNNER_TEMP": str(tmp_path), "GITHUB_WORKSPACE": str(site), "GITHUB_ACTIONS": "true",
           "PYTHONPATH": str(REPO)}
    env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    proc = subprocess.run([sys.executable, "-m", "compliance.ci.action"], cwd=site, env=env, capture_output=True,
                          text=True, timeout=120)
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return proc, summary.read_text(), values


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path / "site", {"a.html": GOOD, "b.html": BAD_CREDIT},
                     SITE_CONFIG + 'baseline = "compliance-baseline.json"\n')


def test_failing_site_annotates_summarises_and_writes_sarif(site, tmp_path):
    (site / "compliance.toml").write_text(SITE_CONFIG)
    proc, summary, outputs = _run_action(site, tmp_path, SARIF="true")
    assert proc.returncode == 1, proc.stderr
    assert "::error file=public/b.html,line=6,col=1,title=example/credit" in proc.stdout
    assert summary.startswith("previous step\n## ❌ License compliance")  # appended, not overwritten
    assert outputs["exit-code"] == "1"
    sarif = Path(outputs["sarif-file"])
    assert sarif == site / "compliance.sarif"
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert not list(tmp_path.glob("compliance-summary-*.md"))  # the temporary report is cleaned up


def test_baselined_site_passes_and_the_summary_says_so(site, tmp_path):
    subprocess.run([sys.executable, "-m", "compliance", "check", "--write-baseline", "compliance-baseline.json"],
                   cwd=site, capture_output=True, check=False, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)})
    proc, summary, outputs = _run_action(site, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "**Failures:** 0 new, 1 baselined, 0 waived, 0 with an expired waiver." in summary
    assert outputs == {"exit-code": "0", "sarif-file": ""}


def test_configuration_error_is_exit_2_with_a_summary(site, tmp_path):
    (site / "compliance.toml").write_text(SITE_CONFIG + "colour = true\n")
    proc, summary, outputs = _run_action(site, tmp_path, SARIF="true")
    assert proc.returncode == 2
    assert "the check could not run (exit status 2)" in summary
    assert "compliance.toml:3: colour: unknown key" in summary
    assert outputs == {"exit-code": "2", "sarif-file": ""}


def test_configuration_errors_become_annotations_at_their_file_and_line(site, tmp_path):
    sub = site / "web"
    sub.mkdir()
    (sub / "compliance.toml").write_text('paths = ["../public"]\npolicies = ["../policy.yaml"]\nfail-on = "errors"\n'
                                         "jobs = 0\n")
    proc, summary, outputs = _run_action(site, tmp_path, WORKING_DIRECTORY="web")
    assert proc.returncode == 2 and outputs["exit-code"] == "2"
    annotations = [line for line in proc.stdout.splitlines() if line.startswith("::error")]
    assert annotations == [
        "::error file=web/compliance.toml,line=3,title=compliance error::fail-on: 'errors' is not one of: error, "
        "warning, info, never (did you mean 'error'?)",
        "::error file=web/compliance.toml,line=4,title=compliance error::jobs: must be at least 1, got 0",
    ]
    assert "Traceback" not in proc.stderr
    assert "compliance.toml:3: fail-on" in summary


def test_policy_errors_become_annotations(site, tmp_path):
    (site / "policy.yaml").write_text((site / "policy.yaml").read_text().replace("severity: warning",
                                                                                  "severity: fatal"))
    proc, _, _ = _run_action(site, tmp_path)
    assert proc.returncode == 2
    assert "::error file=policy.yaml,line=" in proc.stdout and "'fatal' is not one of" in proc.stdout


@pytest.mark.parametrize("inputs, words", [
    ({"WORKING_DIRECTORY": "no-such-folder"}, "working-directory 'no-such-folder' is not a folder"),
    ({"SARIF": "yes please"}, 'sarif must be "true" or "false"'),
    ({"ARGS": "--jobs 'unclosed"}, "the 'args' input cannot be split into arguments"),
])
def test_a_bad_input_fails_cleanly_with_outputs(site, tmp_path, inputs, words):
    proc, summary, outputs = _run_action(site, tmp_path, **inputs)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.startswith("::error title=compliance action input::")
    assert words in proc.stdout
    assert outputs == {"exit-code": "2", "sarif-file": ""}
    assert "the check could not run (exit status 2)" in summary


def test_unwritable_runner_files_are_annotations_not_tracebacks(site, tmp_path):
    """RUNNER_TEMP gone: the check cannot start; the step summary unwritable: the check runs, the outputs are set."""
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    env = {"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(outputs), "PYTHONPATH": str(REPO),
           "RUNNER_TEMP": str(tmp_path / "gone"), "GITHUB_STEP_SUMMARY": str(summary)}
    proc = subprocess.run([sys.executable, "-m", "compliance.ci.action"], cwd=site, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.startswith("::error title=compliance action::No such file or directory")
    assert str(tmp_path / "gone") in proc.stdout
    assert outputs.read_text() == "exit-code=2\nsarif-file=\n" and "could not run" in summary.read_text()

    outputs.write_text("")
    env.update(RUNNER_TEMP=str(tmp_path), GITHUB_STEP_SUMMARY=str(tmp_path / "gone" / "summary.md"))
    proc = subprocess.run([sys.executable, "-m", "compliance.ci.action"], cwd=site, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr  # the check's own status
    assert f"::warning title=compliance action::cannot write {tmp_path / 'gone' / 'summary.md'}" in proc.stdout
    assert outputs.read_text() == "exit-code=1\nsarif-file=\n"


def test_output_is_passed_on_as_it_is_printed(tmp_path):
    """The child waits for the parent to have passed its first line on: buffering until the end would deadlock."""
    from compliance.ci.action import _stream

    marker = tmp_path / "seen"
    child = ("import pathlib, sys, time\nprint('first', flush=True)\n"
             f"p = pathlib.Path({str(marker)!r})\n"
             "for _ in range(600):\n    if p.exists(): break\n    time.sleep(0.05)\n"
             "print('second' if p.exists() else 'parent never saw the first line', flush=True)\n")

    class Sink:
        def __init__(self):
            self.lines = []

        def write(self, text):
            self.lines.append(text)
            if text == "first\n":
                marker.write_text("yes")

        def flush(self):
            pass

    out, err = Sink(), Sink()
    code, _ = _stream([sys.executable, "-c", child], tmp_path, dict(os.environ), out, err)
    assert code == 0
    assert out.lines == ["first\n", "second\n"]

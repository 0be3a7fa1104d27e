"""The README's "Five-minute setup" for CI, run verbatim in a fresh site repository.

Every fenced block of that part of README.md is used as it is written: a block whose first line is a
comment naming a file (``# compliance.toml``) is written to that file, and a ``sh`` block is run by
bash in the site's folder, with this environment's ``compliance`` first on PATH. After each step the
site's plain ``compliance check`` must pass, as the README promises ("so the build starts green"), and
the pre-commit and workflow files must name a hook and inputs that exist.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
START, END = "### Five-minute setup", "### Configuration files"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
_NAMED = re.compile(r"#\s*(\S+\.(?:toml|ya?ml|json))\s*$")


def setup_blocks() -> list[tuple[str, str]]:
    """(language, text) of each fenced block of the setup, in reading order."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(START):text.index(END)]
    return _FENCE.findall(section)


def _compliance() -> Path:
    script = Path(sys.executable).with_name("compliance")
    if not script.is_file():
        pytest.skip(f"no installed `compliance` script beside {sys.executable} (pip install -e .)")
    return script


def _git(site: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.invalid", GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    subprocess.run(["git", *args], cwd=site, check=True, capture_output=True, env=env)


def test_the_setup_has_the_blocks_this_test_expects() -> None:
    kinds = [(lang, _NAMED.match(body.splitlines()[0]).group(1) if _NAMED.match(body.splitlines()[0]) else None)
             for lang, body in setup_blocks()]
    assert kinds == [("toml", "compliance.toml"), ("sh", None), ("yaml", "compliance-waivers.yaml"),
                     ("yaml", ".pre-commit-config.yaml"), ("yaml", ".github/workflows/compliance.yml")]


def test_the_readme_ci_setup_works_verbatim(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    tool = _compliance()
    site = tmp_path / "site"
    shutil.copytree(REPO / "examples", site / "public", ignore=shutil.ignore_patterns("*.md"))
    _git(site, "init", "-q")
    env = {key: value for key, value in os.environ.items() if key not in ("COMPLIANCE_TODAY", "NO_COLOR")}
    env["PATH"] = f"{tool.parent}{os.pathsep}{env.get('PATH', '')}"

    def check() -> subprocess.CompletedProcess:
        return subprocess.run(["compliance", "check"], cwd=site, env=env, capture_output=True, text=True,
                              timeout=120)

    assert check().returncode != 0  # no configuration yet: nothing says what to check
    for number, (lang, body) in enumerate(setup_blocks(), start=1):
        named = _NAMED.match(body.splitlines()[0])
        if named:
            target = site / named.group(1)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
        else:
            assert lang == "sh", f"block {number} is neither a file nor shell commands"
            ran = subprocess.run(["bash", "-euo", "pipefail", "-c", body], cwd=site, env=env, capture_output=True,
                                 text=True, timeout=300)
            assert ran.returncode == 0, f"README block {number} failed:\n{body}\n{ran.stdout}\n{ran.stderr}"
        ran = check()
        if (site / "compliance-baseline.json").exists():
            assert ran.returncode == 0, f"not green after README block {number}:\n{ran.stdout}\n{ran.stderr}"
        else:  # the configuration names a baseline not written yet: the site's failures, all of them new
            assert ran.returncode == 1, f"after README block {number}:\n{ran.stdout}\n{ran.stderr}"
            assert "the baseline file compliance-baseline.json does not exist yet" in ran.stderr
            assert "[new]" in ran.stdout

    first = check()
    assert "Failures: 0 new" in first.stdout and "baselined" in first.stdout
    staged = subprocess.run(["git", "diff", "--cached", "--name-only"], cwd=site, capture_output=True, text=True)
    assert staged.stdout.split() == ["compliance-baseline.json", "compliance.toml"]

    (site / "public" / "new-story.html").write_text(
        (REPO / "examples" / "missing-affiliation.html").read_text(encoding="utf-8").replace("Jane Doe", "Ann Lee"),
        encoding="utf-8")
    after = check()
    assert after.returncode == 1 and "[new]" in after.stdout  # what the baseline does not know fails

    hooks = {h["id"] for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    config = yaml.safe_load((site / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for repo in config["repos"] for h in repo["hooks"]} <= hooks
    inputs = set(yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))["inputs"])
    workflow = yaml.safe_load((site / ".github" / "workflows" / "compliance.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["compliance"]["steps"]
    ours = [s for s in steps if s.get("uses", "").startswith("example-org/compliance@")]
    assert len(ours) == 1 and set(ours[0].get("with", {})) <= inputs

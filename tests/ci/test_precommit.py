"""The pre-commit hook: its definition, and a real `pre-commit try-repo` run against a temporary site repository.

The try-repo test installs this project into a fresh virtualenv with pip, as
pre-commit does for users, so it needs the package registry and takes a
while the first time (pip's cache makes later runs quicker). It is skipped,
saying why, when pre-commit or git is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ci_kit import BAD_CREDIT, GOOD, SITE_CONFIG, make_site

# what `pip install .` needs to build the package (see pyproject.toml)
BUILD_INPUTS = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "compliance", "rules", "reports")
from conftest import REPO


def test_hook_definition():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "compliance"
    assert hook["entry"] == "compliance check"  # policies, baseline and waivers come from the site's config
    assert hook["language"] == "python"
    assert hook["types"] == ["html"]
    assert hook["pass_filenames"] is True


def _have_precommit() -> bool:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return False
    return True


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=_git_env())


def _git_env() -> dict[str, str]:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.invalid", GIT_CONFIG_NOSYSTEM="1")
    env["GIT_CONFIG_GLOBAL"] = os.devnull
    return env


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """A committed copy of this project (uncommitted work included), as pre-commit would clone it."""
    repo = tmp_path_factory.mktemp("hook-repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in BUILD_INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=ignore)
        else:
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "hook repo")
    return repo


@pytest.mark.precommit
@pytest.mark.skipif(not _have_precommit(), reason="pre-commit is not installed (pip install pre-commit)")
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_try_repo_checks_changed_html_with_the_sites_config(hook_repo, tmp_path):
    site = make_site(tmp_path / "site", {"good.html": GOOD, "bad.html": BAD_CREDIT, "old.html": BAD_CREDIT},
                     SITE_CONFIG + 'waivers = "compliance-waivers.yaml"\n')
    (site / "compliance-waivers.yaml").write_text(
        "waivers:\n  - page: public/old.html\n    policy: example\n    clause: credit\n"
        "    reason: An archived page the partner agreed to leave as it is.\n    approved_by: Dana Editor\n"
        "    expires: 2999-12-31\n", encoding="utf-8")
    (site / "notes.txt").write_text("not a page\n")
    _git(site, "init", "-q")
    _git(site, "add", "-A")
    env = _git_env()
    env.pop("COMPLIANCE_TODAY", None)
    # One run: try-repo installs the hook into a throwaway store every time, which is the slow part.
    ran = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "compliance", "--verbose",
                          "--files", "public/good.html", "public/bad.html", "notes.txt"],
                         cwd=site, env=env, capture_output=True, text=True, timeout=900)
    out = ran.stdout
    assert ran.returncode == 1, out + ran.stderr
    assert "FAIL  public/bad.html  [example]" in out  # the policy came from the site's compliance.toml
    assert "PASS  public/good.html  [example]" in out
    assert "2 page(s) checked, 1 pass, 1 fail" in out  # notes.txt was never passed: types [html]
    assert "excuse nothing" not in out  # the waiver is about a page this commit did not touch

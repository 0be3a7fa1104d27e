"""A tiny site, a tiny policy and an in-process CLI runner for the CI-adoption tests (fast: no subprocess)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import Ran, run_cli

POLICY = """\
id: example
title: Example News republication terms
licensor: Example News
terms_url: https://example.org/terms
clauses:
  credit:
    title: Credit line
    severity: error
    term: "Credit Example News"
    remediation: Add a credit line reading "Reprinted from Example News".
    check:
      element: {selector: "p.credit", text: ["Reprinted from Example News"]}
  logo:
    title: Logo
    severity: warning
    term: "Show our logo"
    remediation: Add the Example News logo.
    check:
      element: {selector: "img.partner-logo"}
"""


def page(credit: str = "Reprinted from Example News", logo: bool = True, before: str = "", extra: str = "") -> str:
    """An article page; ``before`` is inserted above the article (to shift every line), ``extra`` inside it."""
    img = '<img class="partner-logo" src="/logo.png" alt="Example News">' if logo else ""
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Story</title></head>\n<body>\n"
            f"{before}<article>\n<h1>Story</h1>\n{extra}<p class=\"credit\">{credit}</p>\n{img}\n"
            "<p>Body text.</p>\n</article>\n</body></html>\n")


GOOD = page()
BAD_CREDIT = page(credit="Courtesy of somebody else")
NO_LOGO = page(logo=False)


def make_site(root: Path, pages: dict[str, str], config: str | None = None,
              config_name: str = "compliance.toml") -> Path:
    """A static site: ``public/`` pages, the policy in ``policy.yaml``, and optionally a config file."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "policy.yaml").write_text(POLICY, encoding="utf-8")
    for name, html in pages.items():
        path = root / "public" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    if config is not None:
        (root / config_name).write_text(config, encoding="utf-8")
    return root


SITE_CONFIG = 'paths = ["public"]\npolicies = ["policy.yaml"]\n'


@pytest.fixture
def cli():
    """Run ``compliance ARGS`` in-process from ``cwd``; ``env`` sets variables for that run."""

    def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Ran:
        return run_cli(*args, cwd=cwd, env={"COMPLIANCE_TODAY": None, "NO_COLOR": "1", **(env or {})})

    return run


def clause(report: dict, source_suffix: str, clause_id: str) -> dict:
    """One clause of a JSON report, found by the end of its page's source."""
    for p in report["pages"]:
        if p["source"].replace("\\", "/").endswith(source_suffix):
            for c in p["clauses"]:
                if c["id"] == clause_id:
                    return c
    raise AssertionError(f"no {clause_id} on {source_suffix}")

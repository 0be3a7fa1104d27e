"""A one-page check should feel instant: heavy libraries load only when a run needs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def modules_loaded(*args: str) -> set[str]:
    code = ("import sys, runpy; sys.argv = ['compliance', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('compliance', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, cwd=REPO, timeout=60)
    return set(r.stderr.decode().split())


def test_importing_the_package_is_light() -> None:
    r = subprocess.run([sys.executable, "-c", "import compliance, sys; print(' '.join(sys.modules))"],
                       capture_output=True, cwd=REPO, timeout=60)
    loaded = set(r.stdout.decode().split())
    assert not loaded & {"lxml", "jinja2", "typer", "httpx", "yaml", "jsonschema"}


def test_a_text_check_of_one_file_skips_what_it_does_not_need() -> None:
    loaded = modules_loaded("check", "examples/compliant.html", "--policy", "dcnf")
    unneeded = {"httpx", "jinja2", "charset_normalizer", "rapidfuzz", "feedparser", "jsonschema",
                "pydantic",  # Typer 0.29 converts every parameter through pydantic: ~45 ms (pyproject's pin)
                "asyncio",  # only fetching uses it (inputs.fetch, inputs.crawl)
                "compliance.inputs.crawl", "compliance.inputs.sitemaps", "compliance.ci.suppress", "compliance.policy.compose",
                "compliance.inputs.fetch",  # linked stylesheets of a page file are read from disk
                "compliance.checks.integrity", "compliance.checks.dates",  # primitives dcnf does not use
                "compliance.cli.audit", "compliance.cli.serve", "compliance.cli.policy"}  # commands not run
    assert "lxml.etree" in loaded  # the run really happened
    assert "pydantic" not in loaded, "Typer >= 0.29 is installed: pip install -e '.[test]' brings the pinned one"
    assert not loaded & unneeded, loaded & unneeded


# The compliance module that asked for each pattern compiled while a page is checked (through a lazy
# pattern: the module that defined it); compiles inside other libraries are theirs.
_COMPILES_RECORDED = """
import os, re, sys, runpy, re2
log = open(os.environ["COMPILES_LOG"], "a", buffering=1)
def recording(compile):
    def record(pattern, *args, **kwargs):
        frame = sys._getframe(1)
        while frame is not None and frame.f_globals.get("__name__") == "compliance.text.regex":
            frame = frame.f_back
        asker = frame.f_globals.get("__name__", "") if frame is not None else ""
        if asker.startswith("compliance"):
            log.write(asker + "\\n")
        return compile(pattern, *args, **kwargs)
    return record
re.compile, re2.compile = recording(re.compile), recording(re2.compile)
sys.argv = ["compliance", *sys.argv[1:]]
try:
    runpy.run_module("compliance", run_name="__main__")
except SystemExit:
    pass
"""


def test_a_page_without_css_compiles_no_stylesheet_pattern(tmp_path: Path) -> None:
    """The stylesheet reader's patterns (4-5 ms of compiling) are compiled by the first page with CSS."""
    log = tmp_path / "compiles.log"
    r = subprocess.run([sys.executable, "-c", _COMPILES_RECORDED, "check", "examples/compliant.html", "--policy",
                        "dcnf", "--no-config"], capture_output=True, cwd=REPO, timeout=60,
                       env={**os.environ, "COMPILES_LOG": str(log)})
    assert b"PASS" in r.stdout, r.stderr.decode()[-2000:]
    askers = set(log.read_text().split())
    assert "compliance.document.bylines" in askers  # the recording really saw the page model
    assert not {m for m in askers if m.startswith(("compliance.document.styles", "compliance.inputs.stylesheets"))}

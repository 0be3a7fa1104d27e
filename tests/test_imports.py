"""A one-page check should feel instant: heavy libraries load only when a run needs them."""

from __future__ import annotations

import subprocess
import sys

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
                "compliance.checks.integrity", "compliance.checks.dates",  # primitives dcnf does not use
                "compliance.cli.audit", "compliance.cli.serve", "compliance.cli.policy"}  # commands not run
    assert "lxml.etree" in loaded  # the run really happened
    assert "pydantic" not in loaded, "Typer >= 0.29 is installed: pip install -e '.[test]' brings the pinned one"
    assert not loaded & unneeded, loaded & unneeded

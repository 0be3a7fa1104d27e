"""Golden files: each format rendered from one fixed RunResult must match byte for byte.

Run with UPDATE_GOLDEN=1 to rewrite the files after an intended change, then read the diff.
"""

from __future__ import annotations

import os

import pytest
from conftest import FIXTURES
from report_samples import FIXED, sample_run

from compliance.reporters import render

GOLDEN = FIXTURES / "reports" / "golden"
FILES = {"text": "sample.txt", "markdown": "sample.md", "junit": "sample.junit.xml", "github": "sample.github.txt",
         "sarif": "sample.sarif.json"}


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_golden(fmt: str) -> None:
    actual = render(fmt, sample_run(), FIXED).encode("utf-8")
    path = GOLDEN / FILES[fmt]
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(actual)
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to create it"
    expected = path.read_bytes()
    assert actual.decode() == expected.decode(), f"{fmt} output changed; UPDATE_GOLDEN=1 rewrites {path.name}"


@pytest.mark.parametrize("fmt", ["markdown", "junit", "github", "sarif", "html"])
def test_output_is_deterministic_given_time_and_host(fmt: str) -> None:
    assert render(fmt, sample_run(), FIXED) == render(fmt, sample_run(), FIXED)


def test_source_date_epoch_fixes_the_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from compliance.reporters import ReportOptions

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    text = render("junit", sample_run(), ReportOptions(hostname="h"))
    assert 'timestamp="1970-01-01T00:00:00"' in text

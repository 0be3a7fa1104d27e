"""Reporters: pure functions from a ``RunResult`` to text. One dict names them all.

A reporter never re-runs checks; it only reads the result model (the same
data the JSON output carries). ``outputs`` plans and writes the report files a run asks for. May
import ``ci``, ``results`` and the layers below; never the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import Callable

from compliance.results.model import RunResult


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    verbose: bool = False
    fail_on: str = "error"
    fail_on_empty: bool = False  # a page that is a republication under no policy fails the run (--fail-on-empty)
    # injectable so that reports are reproducible (tests, SOURCE_DATE_EPOCH); None: now / this host
    timestamp: datetime | None = None
    hostname: str | None = None
    max_annotations: int = 50  # github: annotations printed per level before the summary line
    template: Path | None = None  # a user's Jinja2 file, for templated.render_custom


Reporter = Callable[[RunResult, ReportOptions], str]

# format name -> "module:function", imported on first use so that start-up stays fast
REPORTERS: dict[str, str] = {
    "text": "compliance.reporters.text:render",
    "json": "compliance.reporters.json:render",
    "jsonl": "compliance.reporters.jsonl:render",
    "html": "compliance.reporters.templated:render_html",
    "markdown": "compliance.reporters.templated:render_markdown",
    "junit": "compliance.reporters.junit:render",
    "sarif": "compliance.reporters.sarif:render",
    "github": "compliance.reporters.github:render",
}


def get_reporter(name: str) -> Reporter:
    module, _, func = REPORTERS[name].partition(":")
    return getattr(import_module(module), func)


def render(name: str, run: RunResult, options: ReportOptions | None = None) -> str:
    return get_reporter(name)(run, options or ReportOptions())

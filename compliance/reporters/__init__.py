"""Reporters: pure functions from a ``RunResult`` to text. One dict names them all.

A reporter never re-runs checks; it only reads the result model (the same
data the JSON output carries). The CLI decides where the text goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Callable

from compliance.model import RunResult


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    verbose: bool = False
    fail_on: str = "error"


Reporter = Callable[[RunResult, ReportOptions], str]

# format name -> "module:function", imported on first use so that start-up stays fast
REPORTERS: dict[str, str] = {
    "text": "compliance.reporters.text:render",
    "json": "compliance.reporters.json:render",
}


def get_reporter(name: str) -> Reporter:
    module, _, func = REPORTERS[name].partition(":")
    return getattr(import_module(module), func)


def render(name: str, run: RunResult, options: ReportOptions | None = None) -> str:
    return get_reporter(name)(run, options or ReportOptions())

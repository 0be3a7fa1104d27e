"""JSON output: the stable machine format (schema in ``compliance/schema/results.schema.json``)."""

from __future__ import annotations

import json

from compliance.results.model import RunResult


def render(run: RunResult, options: object = None) -> str:
    return json.dumps(run.to_dict(), indent=2, ensure_ascii=False) + "\n"

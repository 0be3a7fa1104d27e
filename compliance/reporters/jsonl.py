"""JSON Lines: one object per page × policy result (an entry of the JSON format's ``pages``), then the summary.

The streaming writer is ``compliance.reporters.stream.JsonlSink``; this
renders the same lines from a finished run (``--report jsonl=FILE`` reuses the
sink too, so the two cannot differ).
"""

from __future__ import annotations

import json

from compliance.results.model import RunResult


def render(run: RunResult, options: object = None) -> str:
    from compliance.reporters.stream import summary_record

    lines = [json.dumps(p.to_dict(), ensure_ascii=False) for p in run.pages]
    lines.append(json.dumps(summary_record(run, run.summary(), False), ensure_ascii=False))
    return "\n".join(lines) + "\n"

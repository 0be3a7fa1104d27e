"""Every example page under tests/policies/ gets the verdicts its header states."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.examples import find_examples, read_example, run_example

ROOT = Path(__file__).parent / "policies"
EXAMPLES = [p for p in find_examples(ROOT) if read_example(p) is not None]
_CACHE: dict = {}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_verdicts(path: Path) -> None:
    example = read_example(path)
    report = run_example(example, _CACHE)
    assert not report.mismatches, "\n".join(
        f"{m.key}: expected {m.expected}, got {m.actual} — {m.message}" for m in report.mismatches)


def test_every_dcnf_clause_has_passing_and_failing_examples() -> None:
    seen: dict[tuple[str, str], set[str]] = {}
    for path in EXAMPLES:
        ex = read_example(path)
        if isinstance(ex.expect, dict):
            for clause, status in ex.expect.items():
                seen.setdefault((ex.policy, clause), set()).add(status)
    for clause in ("logo", "byline", "affiliation"):
        assert {"pass", "fail"} <= seen.get(("dcnf", clause), set()), clause

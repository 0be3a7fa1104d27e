"""Every example page of the built-in policies gets the verdicts its header states, and covers its policy.

Examples live in rules/examples/<policy>/ (shipped with the package, so
``compliance policy test`` can run them on an installed copy).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.authoring.example_pages import find_examples, read_example, run_example
from compliance.authoring.policytest import builtin_examples
from compliance.checks.combinators import Any_
from compliance.checks.manual import ManualCheck
from compliance.policy.builtin import builtin_names
from compliance.policy.load import load_policy

ROOT = builtin_examples()
EXAMPLES = [p for p in find_examples(ROOT) if read_example(p) is not None]
_CACHE: dict = {}

# Clauses that cannot pass or fail without context the examples cannot give (examples can name an
# original with `original:`, so clauses that compare with the original need no entry here).
NEEDS_ORIGINAL: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_verdicts(path: Path) -> None:
    example = read_example(path)
    report = run_example(example, _CACHE)
    assert not report.mismatches, "\n".join(
        f"{m.key}: expected {m.expected}, got {m.actual} — {m.message}" for m in report.mismatches)


def _seen() -> dict[tuple[str, str], set[str]]:
    seen: dict[tuple[str, str], set[str]] = {}
    for path in EXAMPLES:
        ex = read_example(path)
        if isinstance(ex.expect, dict):
            for clause, status in ex.expect.items():
                seen.setdefault((ex.policy, clause), set()).add(status)
        else:
            seen.setdefault((ex.policy, "<page>"), set()).add(ex.expect)
    return seen


def _needs(check) -> set[str]:
    """The verdicts a clause's examples must show: a person-only term shows review; one that ends in a
    person's review when the evidence is missing shows pass and review; every other shows pass and fail."""
    if isinstance(check, ManualCheck):
        return {"review"}
    if isinstance(check, Any_) and any(isinstance(c, ManualCheck) for c in check.children):
        return {"pass", "review"}
    return {"pass", "fail"}


@pytest.mark.parametrize("name", builtin_names())
def test_every_clause_has_passing_and_failing_examples(name: str) -> None:
    policy = load_policy(name)
    seen = _seen()
    missing = []
    for clause in policy.clauses:
        if not clause.enabled:
            continue
        need = {"review"} if (name, clause.id) in NEEDS_ORIGINAL else _needs(clause.check)
        got = seen.get((name, clause.id), set())
        if not need <= got:
            missing.append(f"{clause.id}: needs {sorted(need - got)} (has {sorted(got)})")
    assert not missing, f"{name}: " + "; ".join(missing)
    if policy.applies_to is not None:
        assert "not_applicable" in seen.get((name, "<page>"), set()), f"{name}: no not_applicable example"


def test_every_builtin_policy_has_examples() -> None:
    folders = {p.name for p in ROOT.iterdir() if p.is_dir()}
    assert set(builtin_names()) <= folders

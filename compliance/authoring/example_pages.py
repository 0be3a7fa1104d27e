"""Example pages that state their own expected verdicts: the policy test format.

Each example is an HTML page whose first comment starts with
``compliance-test`` and holds YAML (comments never count as page content,
so the header cannot change a verdict):

    <!-- compliance-test
    policy: dcnf                      # built-in name or a path relative to the page
    authors: [Jane Doe]               # optional article context (--author)
    expect: {logo: pass, byline: fail}   # clause -> status; or a page status: not_applicable | error
    about: what this page shows
    -->

``run_example`` checks the page and returns the mismatches between what it
expects and what the checker said, in the style of a linter's rule tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from compliance.errors import PolicyError
from compliance.text.urls import is_web_url

HEADER = re.compile(rb"<!--\s*compliance-test\b(.*?)-->", re.S)
CLAUSE_STATUSES = {"pass", "fail", "review", "not_applicable", "error"}
PAGE_STATUSES = {"pass", "fail", "not_applicable", "error"}


@dataclass(frozen=True)
class Example:
    path: Path
    policy: str
    authors: tuple[str, ...]
    expect: dict[str, str] | str
    about: str = ""
    original: str | None = None


@dataclass(frozen=True)
class Mismatch:
    example: Path
    key: str        # clause id, or "page"
    expected: str
    actual: str
    message: str = ""


@dataclass
class ExampleReport:
    example: Example
    mismatches: list[Mismatch] = field(default_factory=list)
    actual: dict[str, str] = field(default_factory=dict)


def read_example(path: Path) -> Example | None:
    """Parse an example's header; None when the page has none. PolicyError when the header is malformed."""
    data = path.read_bytes()
    m = HEADER.search(data[:20000])
    if not m:
        return None
    try:
        meta = yaml.safe_load(m.group(1).decode("utf-8", "replace"))
    except yaml.YAMLError as exc:
        raise PolicyError(f"the compliance-test header is not valid YAML: {exc}", file=str(path)) from None
    if not isinstance(meta, dict) or "policy" not in meta or "expect" not in meta:
        raise PolicyError("the compliance-test header needs 'policy' and 'expect'", file=str(path))
    expect = meta["expect"]
    if isinstance(expect, str):
        if expect not in PAGE_STATUSES:
            raise PolicyError(f"expect: {expect!r} is not a page status ({', '.join(sorted(PAGE_STATUSES))})",
                              file=str(path))
    elif isinstance(expect, dict):
        for key, value in expect.items():
            if value not in CLAUSE_STATUSES:
                raise PolicyError(f"expect.{key}: {value!r} is not a clause status", file=str(path))
        expect = {str(k): str(v) for k, v in expect.items()}
    else:
        raise PolicyError("expect must be a page status or a mapping of clause ids to statuses", file=str(path))
    authors = meta.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    policy = str(meta["policy"])
    if policy.endswith((".yaml", ".yml")) and not Path(policy).is_absolute():
        policy = str((path.parent / policy).resolve())
    original = meta.get("original")
    if original and not is_web_url(str(original)):
        original = str((path.parent / str(original)).resolve())
    return Example(path, policy, tuple(str(a) for a in authors), expect, str(meta.get("about", "")),
                   str(original) if original else None)


def find_examples(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in (".html", ".htm") and p.is_file())


def run_example(example: Example, policy_cache: dict[str, Any] | None = None) -> ExampleReport:
    from compliance.policy.load import load_policy
    from compliance.runner import Settings, check_raw

    cache = policy_cache if policy_cache is not None else {}
    if example.policy not in cache:
        cache[example.policy] = load_policy(example.policy)
    policy = cache[example.policy]
    settings = Settings(policies=(example.policy,), authors=example.authors,
                        originals=(example.original,) if example.original else ())
    matcher = None
    if example.original:
        from compliance.runner import make_matcher

        matcher = make_matcher(settings)
    result = check_raw(str(example.path), example.path.read_bytes(), [policy], settings, matcher=matcher)[0]
    report = ExampleReport(example)
    report.actual = {c.id: c.status.value for c in result.clauses}
    report.actual["page"] = result.status.value
    if isinstance(example.expect, str):
        if result.status.value != example.expect:
            report.mismatches.append(Mismatch(example.path, "page", example.expect, result.status.value,
                                              result.message))
        return report
    by_id = {c.id: c for c in result.clauses}
    for clause_id, expected in example.expect.items():
        clause = by_id.get(clause_id)
        if clause is None:
            report.mismatches.append(Mismatch(example.path, clause_id, expected, "missing",
                                              f"policy {policy.id} has no enabled clause {clause_id!r} "
                                              f"(page status {result.status.value}: {result.message})"))
        elif clause.status.value != expected:
            report.mismatches.append(Mismatch(example.path, clause_id, expected, clause.status.value, clause.message))
    return report

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


HEADER_KEYS = ("policy", "authors", "original", "expect", "about")


def read_example(path: Path) -> Example | None:
    """Parse an example's header; None when the page has none.

    A malformed header raises PolicyError naming every problem at its line in the page (the header's
    YAML starts inside an HTML comment, so its own line numbers are shifted to the page's).
    """
    from compliance.errors import Collector, Problem, did_you_mean
    from compliance.inputs.yamlpos import dotted, load_located

    data = path.read_bytes()
    m = HEADER.search(data[:20000])
    if not m:
        return None
    file = str(path)
    shift = data[: m.start(1)].count(b"\n")  # header line 1 is this line of the page

    def moved(problems) -> PolicyError:
        return PolicyError.of(Problem(p.message, p.file, p.line + shift if p.line else shift + 1, p.column,
                                      f"compliance-test {p.key}".strip()) for p in problems)

    try:
        located = load_located(m.group(1).decode("utf-8", "replace"), file)
    except PolicyError as exc:
        raise moved(exc.problems) from None
    meta = located.data
    problems = Collector()

    def bad(at: tuple, message: str) -> None:
        problems.add(Problem(message, file, located.line(at), located.column(at), dotted(at)))

    if not isinstance(meta, dict):
        raise moved([Problem("must be a mapping with 'policy' and 'expect'", file, 1)])
    for key in meta:
        if key not in HEADER_KEYS:
            bad((key,), f"unknown key {key!r}{did_you_mean(key, HEADER_KEYS)} (a header has "
                        f"{', '.join(HEADER_KEYS)})")
    for key in ("policy", "expect"):
        if key not in meta and not any(did_you_mean(k, [key]) for k in meta if k not in HEADER_KEYS):
            bad((), f"{key!r} is required but missing")
    expect = meta.get("expect")
    if isinstance(expect, str):
        if expect not in PAGE_STATUSES:
            bad(("expect",), f"{expect!r} is not a page status ({', '.join(sorted(PAGE_STATUSES))})"
                             f"{did_you_mean(expect, PAGE_STATUSES)}")
    elif isinstance(expect, dict):
        for key, value in expect.items():
            if value not in CLAUSE_STATUSES:
                bad(("expect", key), f"{value!r} is not a clause status ({', '.join(sorted(CLAUSE_STATUSES))})"
                                     f"{did_you_mean(value, CLAUSE_STATUSES)}")
        expect = {str(k): str(v) for k, v in expect.items()}
    elif "expect" in meta:
        bad(("expect",), "must be a page status or a mapping of clause ids to statuses")
    if problems:
        raise moved(problems.problems)
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

"""``compliance policy test``: run example pages and show where the verdicts differ from what they expect.

Examples are HTML pages with a ``compliance-test`` header (see
``compliance.authoring.example_pages``). Where they live:

* built-in policies: ``rules/examples/<policy-id>/`` (shipped in the wheel,
  so ``compliance policy test`` works on an installed copy);
* a policy file ``my/foo.yaml``: ``my/examples/foo/`` beside it, the layout
  ``compliance policy init`` creates;
* any folder or page given on the command line.

Pages without a header (for instance the original articles that examples
point to) are skipped. A malformed header is a ``PolicyError`` (exit 2); a
verdict that differs from the header's is a mismatch (exit 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from compliance.authoring.example_pages import (
    Example,
    ExampleReport,
    find_examples,
    read_example,
    run_example,
)
from compliance.errors import PolicyError, UsageError
from compliance.inputs.files import display_path


def builtin_examples() -> Path:
    """Examples of the built-in policies: installed beside them in the package, or the repository's rules/."""
    from compliance.policy.builtin import rules_dir

    return rules_dir() / "examples"


def examples_for(target: str) -> list[Path]:
    """The example pages a command-line target stands for (see the module docstring)."""
    from compliance.policy.builtin import builtin_names, rules_dir

    path = Path(target)
    if path.is_dir():
        return find_examples(path)
    if path.is_file() and path.suffix.lower() in (".html", ".htm"):
        return [path]
    if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
        folder = path.parent / "examples" / path.stem
        if not folder.is_dir():
            raise UsageError(f"no examples for {target}: expected them in {folder}/")
        return find_examples(folder)
    if target in builtin_names():
        return find_examples(rules_dir() / "examples" / target)
    raise UsageError(f"{target!r} is not a folder, an example page, a policy file or a built-in policy")


@dataclass
class TestRun:
    reports: list[ExampleReport] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # pages without a compliance-test header

    @property
    def failed(self) -> list[ExampleReport]:
        return [r for r in self.reports if r.mismatches]

    @property
    def ok(self) -> bool:
        return bool(self.reports) and not self.failed


def run_examples(paths: list[Path]) -> TestRun:
    """Read every header first (so a malformed one stops the run before any checking), then run them."""
    examples: list[Example] = []
    problems: list[PolicyError] = []
    run = TestRun()
    for path in paths:
        try:
            example = read_example(path)
        except PolicyError as exc:
            problems.append(exc)
            continue
        if example is None:
            run.skipped.append(path)
        else:
            examples.append(example)
    if problems:
        raise PolicyError.of(p for e in problems for p in e.problems)
    cache: dict = {}
    for example in examples:
        run.reports.append(run_example(example, cache))
    return run


def render(run: TestRun, verbose: bool = False) -> str:
    """Mismatches as a diff, expected (-) against actual (+), with the checker's explanation."""
    out: list[str] = []
    for report in run.reports:
        ex = report.example
        name = display_path(ex.path)
        if not report.mismatches:
            if verbose:
                out.append(f"ok    {name}  [{_policy_name(ex.policy)}]")
            continue
        out.append(f"FAIL  {name}  [{_policy_name(ex.policy)}]")
        if ex.about:
            out.append(f"      {' '.join(ex.about.split())}")
        out.append("      --- expected")
        out.append("      +++ actual")
        for m in report.mismatches:
            out.append(f"      - {m.key}: {m.expected}")
            out.append(f"      + {m.key}: {m.actual}")
            if m.message:
                out.append(f"          {m.message}")
        out.append("")
    total, failed = len(run.reports), len(run.failed)
    clauses = sum(len(r.mismatches) for r in run.failed)
    if not run.reports:
        out.append("No example pages found.")
    else:
        line = f"{total} example(s): {total - failed} passed, {failed} failed"
        if failed:
            line += f" ({clauses} verdict(s) differ from the expected ones)"
        out.append(line + ".")
    return "\n".join(out).rstrip() + "\n"


def _policy_name(policy: str) -> str:
    return Path(policy).stem if policy.endswith((".yaml", ".yml")) else policy


__all__ = ["TestRun", "builtin_examples", "examples_for", "render", "run_examples"]

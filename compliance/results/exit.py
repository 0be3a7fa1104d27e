"""The exit status of a run, decided in one place.

0: nothing at or above ``--fail-on`` failed; 1: something did, or a page
could not be checked, or (with ``--fail-on-empty``) a page was a republication under none of the
policies; 2: usage, configuration or policy errors (raised as
``ComplianceError`` before any page is checked). Waived and baselined
clauses are not ``fail``, so they never count; an expired waiver leaves
its clause ``fail`` and counts like any other failure.
"""

from __future__ import annotations

from compliance.results.model import ClauseStatus, PageStatus, RunResult, Severity

EXIT_OK, EXIT_FAILED = 0, 1


def counts_as_failure(severity: Severity, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    return severity.rank >= Severity(fail_on).rank


def exit_code(run: RunResult, fail_on: str = "error", fail_on_empty: bool = False) -> int:
    """``fail_on_empty``: a page that is a republication under none of the policies fails the run too (so
    does a run that checked nothing), for CI jobs that know every page they check is a republication."""
    if fail_on_empty and run.summary()["not_republications"]:
        return EXIT_FAILED
    for page in run.pages:
        if page.status is PageStatus.ERROR:
            return EXIT_FAILED
        for clause in page.clauses:
            if clause.status is ClauseStatus.ERROR:
                return EXIT_FAILED
            if clause.status is ClauseStatus.FAIL and counts_as_failure(clause.severity, fail_on):
                return EXIT_FAILED
    return EXIT_OK

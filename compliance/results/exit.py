"""The exit status of a run, decided in one place.

0: nothing at or above ``--fail-on`` failed; 1: something did, or a page
could not be checked, or (with ``--fail-on-empty``) a page was a republication under none of the
policies; 2: usage, configuration or policy errors (raised as
``ComplianceError`` before any page is checked). Waived and baselined
clauses are not ``fail``, so they never count; an expired waiver leaves
its clause ``fail`` and counts like any other failure.
"""

from __future__ import annotations

from compliance.results.model import ClauseStatus, PageResult, PageStatus, RunResult, Severity

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# what each status means, in the words help screens print (README "Exit codes" says the same)
EXIT_CODES = {
    EXIT_OK: "nothing at or above --fail-on failed (waived and baselined failures do not count)",
    EXIT_FAILED: "a clause at or above --fail-on failed, or a page could not be checked",
    EXIT_USAGE: "usage, configuration or policy error; nothing was checked",
}


def counts_as_failure(severity: Severity, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    return severity.rank >= Severity(fail_on).rank


def result_fails(page: PageResult, fail_on: str = "error") -> bool:
    """Whether this one result makes the run exit 1 (a streamed run asks page by page)."""
    if page.status is PageStatus.ERROR:
        return True
    for clause in page.clauses:
        if clause.status is ClauseStatus.ERROR:
            return True
        if clause.status is ClauseStatus.FAIL and counts_as_failure(clause.severity, fail_on):
            return True
    return False


def exit_code(run: RunResult, fail_on: str = "error", fail_on_empty: bool = False) -> int:
    if any(result_fails(page, fail_on) for page in run.pages):
        return EXIT_FAILED
    return EXIT_FAILED if empty_fails(run.summary(), fail_on_empty) else EXIT_OK


def empty_fails(summary: dict, fail_on_empty: bool) -> bool:
    """``--fail-on-empty``: a page that is a republication under none of the policies fails the run (so does a
    run that checked nothing), for CI jobs that know every page they check is a republication."""
    return fail_on_empty and summary.get("not_republications", 0) > 0

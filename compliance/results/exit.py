"""The exit status of a run, decided in one place.

0: nothing at or above ``--fail-on`` failed; 1: something did, or a page
could not be checked; 2: usage, configuration or policy errors (raised as
``ComplianceError`` before any page is checked). Waived and baselined
clauses are not ``fail``, so they never count; an expired waiver leaves
its clause ``fail`` and counts like any other failure.
"""

from __future__ import annotations

from compliance.results.model import ClauseStatus, PageStatus, RunResult, Severity

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


def exit_code(run: RunResult, fail_on: str = "error") -> int:
    for page in run.pages:
        if page.status is PageStatus.ERROR:
            return EXIT_FAILED
        for clause in page.clauses:
            if clause.status is ClauseStatus.ERROR:
                return EXIT_FAILED
            if clause.status is ClauseStatus.FAIL and counts_as_failure(clause.severity, fail_on):
                return EXIT_FAILED
    return EXIT_OK

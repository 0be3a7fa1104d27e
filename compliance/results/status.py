"""A page's status and one-line message, derived from its clause verdicts.

Derived in one place because two stages need it: the engine, when it first judges a page, and the
baseline and waiver step, which changes clause statuses afterwards and must re-derive the page's.
"""

from __future__ import annotations

from compliance.results.model import ClauseResult, ClauseStatus, PageStatus


def page_status(results: tuple[ClauseResult, ...]) -> PageStatus:
    statuses = {r.status for r in results}
    if ClauseStatus.ERROR in statuses:
        return PageStatus.ERROR
    if ClauseStatus.FAIL in statuses:
        return PageStatus.FAIL
    if statuses and statuses <= {ClauseStatus.NOT_APPLICABLE}:
        return PageStatus.NOT_APPLICABLE
    return PageStatus.PASS


def page_message(results: tuple[ClauseResult, ...]) -> str:
    """One line on a page's clauses: what failed, what needs review, what a waiver or baseline excuses."""
    def ids(status: ClauseStatus) -> list[str]:
        return [r.id for r in results if r.status is status]

    parts = []
    for status, verb in ((ClauseStatus.FAIL, "failed"), (ClauseStatus.REVIEW, "need review"),
                         (ClauseStatus.WAIVED, "waived"), (ClauseStatus.BASELINED, "in the baseline")):
        found = ids(status)
        if found:
            parts.append(f"{len(found)} clause(s) {verb}: {', '.join(found)}.")
    return " ".join(parts) or "Every clause passed."

"""A run of 10,000 results across many sites, shaped like a licensor's audit, for the report-size tests."""

from __future__ import annotations

from compliance.results.model import (ClauseResult, ClauseStatus, Evidence, PageResult, PageStatus, PolicyRef,
                                      RunResult, Severity)

POLICY = PolicyRef(id="dcnf", title="DCNF republication terms", licensor="Daily Caller News Foundation",
                   terms_url="https://dailycallernewsfoundation.org/")
CLAUSES = ("logo", "byline", "affiliation")


def _clause(cid: str, status: ClauseStatus, evidence: bool) -> ClauseResult:
    ev = (Evidence(note="The page's byline (marked up as a byline).", line=120, xpath="/html/body/div[2]/p[1]",
                   css="div#content > p.byline", snippet='<p class="byline">By Staff Writer</p>',
                   text="By Staff Writer"),) if evidence else ()
    message = f"No visible {cid} was found on the page." if status is ClauseStatus.FAIL else f"The {cid} is there."
    return ClauseResult(id=cid, title=cid.title(), status=status, severity=Severity.ERROR, message=message,
                        remediation=f"Add the {cid} as the license asks.", term=f"Keep the {cid}.", evidence=ev)


def large_run(results: int = 10_000, sites: int = 25, fail_every: int = 8) -> RunResult:
    """``results`` pages on ``sites`` hosts: one in ``fail_every`` fails, one in 20 needs review, a third
    pass and the rest are not applicable."""
    pages = []
    for i in range(results):
        source = f"https://site{i % sites}.example/{2024 + i % 2}/story-{i}-about-something.html"
        if i % fail_every == 0:
            clauses = tuple(_clause(c, ClauseStatus.FAIL if c != "logo" else ClauseStatus.PASS, True) for c in CLAUSES)
            pages.append(PageResult(source, POLICY, PageStatus.FAIL, clauses, encoding="utf-8"))
        elif i % 20 == 1:
            clauses = (_clause("logo", ClauseStatus.REVIEW, True), _clause("byline", ClauseStatus.PASS, False))
            pages.append(PageResult(source, POLICY, PageStatus.PASS, clauses, encoding="utf-8"))
        elif i % 3 == 0:
            clauses = tuple(_clause(c, ClauseStatus.PASS, False) for c in CLAUSES)
            pages.append(PageResult(source, POLICY, PageStatus.PASS, clauses, encoding="utf-8"))
        else:
            pages.append(PageResult(source, POLICY, PageStatus.NOT_APPLICABLE,
                                    message="The page does not republish DCNF work (no credit or link to DCNF)."))
    return RunResult(pages=tuple(pages), policies=(POLICY,), tool_version="9.9.9")

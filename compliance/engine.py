"""Evaluate one policy on one parsed page: the clause loop, applicability, and page status.

Checks return observations (``Outcome``); this is the one place that turns
them into ``ClauseResult``s by stamping clause id, title, severity and
remediation — the way yamllint's linter and Spectral's runner do.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from compliance.checks.base import Context, Outcome, looked_for
from compliance.document.page import PageParseError
from compliance.document.title import document_title
from compliance.policy.model import Clause, Policy
from compliance.results.model import ClauseResult, ClauseStatus, Evidence, PageResult, PageStatus
from compliance.results.status import page_message, page_status


def check_page(policy: Policy, ctx: Context, source: str, extra_context: dict[str, Any] | None = None) -> PageResult:
    """All clause verdicts for one page; a page that turns out not to parse is an ``error`` result."""
    try:
        return _check_page(policy, ctx, source, extra_context)
    except PageParseError as exc:
        return PageResult(source=source, policy=policy.ref, status=PageStatus.ERROR, message=str(exc),
                          encoding=ctx.page.encoding)


def _check_page(policy: Policy, ctx: Context, source: str, extra_context: dict[str, Any] | None) -> PageResult:
    page = ctx.page
    context_info = dict(extra_context or {})
    title = page.derive(document_title)
    if title:
        context_info.setdefault("title", title)  # the page's own <title>: what reports head it with
    if ctx.reporters:
        context_info.setdefault("authors", list(ctx.reporters))

    def not_applicable(why: str, clause_note: str) -> PageResult:
        return PageResult(source=source, policy=policy.ref, status=PageStatus.NOT_APPLICABLE,
                          clauses=tuple(_not_applicable(c, clause_note) for c in _enabled(policy)),
                          message=why, encoding=page.encoding, context=context_info)

    if ctx.originals_given and ctx.original is None:
        return not_applicable("Not applicable: no original in the given catalog matches this page (compared "
                              "explicit links such as rel=canonical, then the headline, then the body text).",
                              "No original article matches this page.")
    # Article context (--author, a matched original) says whose story this is, not under which license the
    # page republishes it: with several policies, each one's applies_to decides.
    if policy.applies_to is not None:
        outcome = _safe(policy.applies_to, ctx)
        if outcome.status is ClauseStatus.FAIL:
            # the title, not the licensor: a licensor is a label ("The rights holder who applied CC BY 4.0",
            # "The Texas Tribune") that reads wrong inside "a … story"; a title reads right after "under"
            return not_applicable(f"Not applicable: nothing on the page shows that it republishes a story under "
                                  f"{policy.title}. {outcome.message} If it does republish one, it carries none of "
                                  f"the marks the policy looks for (see `compliance policy show {policy.id}`).",
                                  "The policy does not apply to this page.")
    results = _explained_once([_evaluate(c, ctx) for c in _enabled(policy)])
    return PageResult(source=source, policy=policy.ref, status=page_status(results), clauses=results,
                      message=page_message(results), encoding=page.encoding, context=context_info)


def evaluate_clause(clause: Clause, ctx: Context) -> ClauseResult:
    return _evaluate(clause, ctx)[0]


def _evaluate(clause: Clause, ctx: Context) -> tuple[ClauseResult, Outcome | None]:
    if clause.when is not None:
        cond = _safe(clause.when, ctx)
        if cond.status is ClauseStatus.FAIL:
            return _not_applicable(clause, f"The clause does not apply here: {cond.message}"), None
    outcome = _safe(clause.check, ctx)
    evidence = outcome.evidence
    if outcome.status in (ClauseStatus.FAIL, ClauseStatus.REVIEW):
        patterns = looked_for(clause.check)
        if patterns:  # the exact patterns, which the message puts in words
            evidence += (Evidence(note=f"Looked for {patterns}.", kind="looked_for"),)
    return ClauseResult(
        id=clause.id, title=clause.title, status=outcome.status, severity=clause.severity,
        message=outcome.message, remediation=clause.remediation if outcome.status is not ClauseStatus.PASS else "",
        term=clause.term, evidence=evidence), outcome


def _explained_once(evaluated: list[tuple[ClauseResult, Outcome | None]]) -> tuple[ClauseResult, ...]:
    """A failure that depends on another clause's failure says so in one sentence instead of repeating it.

    The affiliation clause on a page without a byline fails because the byline clause does; it then
    reads "There is no byline to carry the affiliation: none names a person (see the byline clause)." and leaves the
    evidence to that clause. Without such a clause on the page, it keeps its full explanation.
    """
    explains: dict[str, ClauseResult] = {}
    for result, outcome in evaluated:
        if outcome is not None and outcome.status is ClauseStatus.FAIL and outcome.cause and not outcome.instead:
            explains.setdefault(outcome.cause, result)
    out = []
    for result, outcome in evaluated:
        other = explains.get(outcome.cause) if outcome is not None and outcome.instead else None
        if other is not None and other.id != result.id and outcome.status is ClauseStatus.FAIL:
            result = replace(result, message=f"{outcome.instead} (see the {other.id} clause).", evidence=())
        out.append(result)
    return tuple(out)


def _safe(check: Any, ctx: Context) -> Outcome:
    """Run a check; an unexpected exception becomes an explained ``error`` verdict, never a traceback."""
    try:
        return check.evaluate(ctx)
    except (PageParseError, MemoryError, RecursionError):
        # The whole page is unusable: reported once, as the page's error. Out of memory is the page's
        # memory budget; a RecursionError inside lxml can leave a lock held, so no further check may run.
        raise
    except Exception as exc:  # noqa: BLE001 - one broken check must not lose the other verdicts
        return Outcome(ClauseStatus.ERROR, f"The check could not run ({type(exc).__name__}: {exc}).")


def _enabled(policy: Policy) -> list[Clause]:
    return [c for c in policy.clauses if c.enabled]


def _not_applicable(clause: Clause, message: str) -> ClauseResult:
    return ClauseResult(id=clause.id, title=clause.title, status=ClauseStatus.NOT_APPLICABLE,
                        severity=clause.severity, message=message, remediation="", term=clause.term)

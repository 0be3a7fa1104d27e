"""Terminal output: grouped by page, failures explained with evidence and a fix, colour only on a TTY."""

from __future__ import annotations

from compliance.errors import where
from compliance.reporters.data import applicability_notes, original_of, original_sentence, suppression_text
from compliance.results.model import (
    ClauseResult,
    ClauseStatus,
    PageResult,
    PageStatus,
    RunResult,
)

_MARK = {
    ClauseStatus.PASS: ("✓", "32"),
    ClauseStatus.FAIL: ("✗", "31"),
    ClauseStatus.REVIEW: ("?", "33"),
    ClauseStatus.NOT_APPLICABLE: ("-", "90"),
    ClauseStatus.ERROR: ("!", "35"),
    ClauseStatus.WAIVED: ("~", "36"),
    ClauseStatus.BASELINED: ("=", "90"),
}
_PAGE = {
    PageStatus.PASS: ("PASS", "32"),
    PageStatus.FAIL: ("FAIL", "31"),
    PageStatus.NOT_APPLICABLE: ("N/A", "90"),
    PageStatus.ERROR: ("ERROR", "35"),
}


def render(run: RunResult, options) -> str:
    paint = painter(options.color)
    out: list[str] = []
    for page in run.pages:
        out.extend(page_lines(page, options, paint, labels_new=bool(run.suppressions and run.suppressions.baseline)))
    out.append(summary_text(run.summary(), run, paint, getattr(options, "fail_on_empty", False)))
    return "\n".join(out) + "\n"


def page_lines(page: PageResult, options, paint, labels_new: bool = False) -> list[str]:
    label, color = _PAGE[page.status]
    head = f"{paint(label, color + ';1')}  {page.source}  [{page.policy.id}]"
    lines = [head]
    original = original_of(page.context)
    if original is not None:
        lines.append(f"    {paint(original_sentence(original), '90')}")
    if page.status in (PageStatus.ERROR, PageStatus.NOT_APPLICABLE) and not page.clauses or \
            page.status is PageStatus.NOT_APPLICABLE:
        lines.append(f"    {page.message}")
        lines.append("")
        return lines
    for clause in page.clauses:
        lines.extend(_clause(clause, options, paint, new=labels_new, source=page.source))
    lines.append("")
    return lines


def _clause(clause: ClauseResult, options, paint, new: bool = False, source: str = "") -> list[str]:
    mark, color = _MARK[clause.status]
    status = clause.status.value.replace("_", " ")
    label = paint("[new] ", "31;1") if new and clause.status is ClauseStatus.FAIL and not clause.suppression else ""
    lines = [f"  {paint(mark, color)} {clause.id:<14} {paint(f'{status:<6}', color)} {clause.severity.value:<7} "
             f"{label}{clause.message}"]
    note = suppression_text(clause.suppression.to_dict()) if clause.suppression else ""
    if note:
        lines.append(f"      {paint(note, color)}")
    detailed = clause.status in (ClauseStatus.FAIL, ClauseStatus.REVIEW, ClauseStatus.ERROR) or options.verbose
    if detailed:
        shown = [ev for ev in clause.evidence if options.verbose or ev.kind != "looked_for"]
        for ev in shown[: (10 if options.verbose else 3)]:
            # path:line:col, the form terminals and editors jump to
            at = f"{paint(where(source or '-', ev.line, ev.column), '90')}: " if ev.line else f"{paint('·', '90')} "
            lines.append(f"      {at}{ev.note}")
            if ev.css:
                lines.append(f"         {paint(ev.css, '90')}")
            if ev.snippet:
                lines.append(f"         {ev.snippet}")
        if clause.remediation and clause.status is not ClauseStatus.PASS:
            lines.append(f"      {paint('fix:', '36')} {clause.remediation}")
        if options.verbose and clause.term:
            lines.append(f"      {paint('term:', '90')} {clause.term}")
    return lines


def summary_text(s: dict, run: RunResult, paint, fail_on_empty: bool = False) -> str:
    """The closing lines; ``s`` is the run's summary (counted while streaming, or ``run.summary()``)."""

    pages = s["pages"]
    parts = [f"{s['sources']} page(s) checked", f"{pages['pass']} pass", f"{pages['fail']} fail",
             f"{s['pages_needing_review']} need review", f"{pages['not_applicable']} not applicable",
             f"{pages['error']} error"]
    text = "Summary: " + ", ".join(parts) + "."
    if s["failures_by_clause"]:
        text += "\nFailures by clause: " + ", ".join(f"{k} ×{v}" for k, v in s["failures_by_clause"].items()) + "."
    if run.suppressions is not None:  # a baseline or waivers were applied
        from compliance.ci.suppress import summary_lines

        for line in summary_lines(run):
            text += "\n" + line
    notes = applicability_notes(s, [p.to_dict() for p in run.policies], fail_on_empty)
    if notes:  # in yellow, after the counts: "0 fail" must not read as "all good" when nothing was checked
        return paint(text, "1") + "\n" + paint("\n".join(notes), "33;1")
    return paint(text, "1")


def painter(color: bool):
    if not color:
        return lambda text, code: text
    return lambda text, code: f"\x1b[{code}m{text}\x1b[0m"

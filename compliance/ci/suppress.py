"""Apply a waiver file and a baseline to a run: what still fails, what is excused, what is left over.

Waivers come first and own every failure they name: such a failure is never
written into a baseline, and once its waiver expires no baseline can excuse
it, so an expiry always bites. The baseline then excuses the remaining
failures whose fingerprints it recorded; whatever is left is new. Exit
codes need no special case: waived and baselined clauses are not ``fail``.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable

from compliance.atomic import exclusive
from compliance.ci import baseline as baseline_file
from compliance.ci import waivers as waiver_file
from compliance.errors import Collector, ConfigError
from compliance.results.model import (
    ClauseResult,
    ClauseStatus,
    PageResult,
    RunResult,
    Suppression,
    SuppressionReport,
)
from compliance.results.status import page_message, page_status
from compliance.text.shorten import listing
from compliance.text.urls import is_web_url

_SETTLED = (ClauseStatus.PASS, ClauseStatus.NOT_APPLICABLE)
# why a stale entry is stale when its failure is still there, now excused by a waiver
WAIVED_NOW = "a waiver covers this failure now"


def _stderr(message: str) -> None:
    sys.stderr.write(f"compliance: {message}\n")


@dataclass
class Suppressor:
    """The baseline and waivers of one run, loaded (and validated) before any page is checked."""

    today: date
    baseline: Path | None = None
    write_baseline: Path | None = None
    waivers_file: Path | None = None
    waivers: list[waiver_file.Waiver] = field(default_factory=list)
    entries: list[baseline_file.Entry] | None = None
    notify: Callable[[str], None] = _stderr

    @property
    def active(self) -> bool:
        return bool(self.baseline or self.write_baseline or self.waivers_file)

    def apply(self, run: RunResult) -> RunResult:
        if not self.active:
            return run
        used: set[int] = set()
        pages = [self._waive_page(page, used) for page in run.pages]
        fixed: list[dict[str, Any]] = []
        stale: list[dict[str, Any]] = []
        target = self.write_baseline or self.baseline
        if target is not None:
            base_dir = target.absolute().parent
            entries = self._write(pages, base_dir) if self.write_baseline else (self.entries or [])
            pages, fixed, stale = _apply_baseline(pages, entries, base_dir, target, {p.id for p in run.policies})

        pages = [replace(p, status=page_status(p.clauses), message=page_message(p.clauses))
                 if p is not q and p.clauses else p for p, q in zip(pages, run.pages)]
        report = SuppressionReport(
            baseline=str(target) if target else None,
            waivers=str(self.waivers_file) if self.waivers_file else None,
            today=self.today.isoformat(), fixed=tuple(fixed), stale=tuple(stale),
            unmatched_waivers=tuple(self._unmatched(run, used)))
        return replace(run, pages=tuple(pages), suppressions=report)

    # -- waivers -------------------------------------------------------------------------------

    def _waive_page(self, page: PageResult, used: set[int]) -> PageResult:
        if not self.waivers:
            return page
        clauses = tuple(self._waive(page, c, used) for c in page.clauses)
        return page if clauses == page.clauses else replace(page, clauses=clauses)

    def _waive(self, page: PageResult, clause: ClauseResult, used: set[int]) -> ClauseResult:
        if clause.status is not ClauseStatus.FAIL:
            return clause
        matching = [(i, w) for i, w in enumerate(self.waivers)
                    if w.policy == page.policy.id and w.clause == clause.id and w.matches_page(page.source)]
        if not matching:
            return clause
        used.update(i for i, _ in matching)
        valid = [w for _, w in matching if w.valid_on(self.today)]
        if valid:
            w = valid[0]
            return replace(clause, status=ClauseStatus.WAIVED, suppression=_waiver_record(w, expired=False))
        w = max((w for _, w in matching), key=lambda w: w.expires)
        message = (f"The waiver for this failure expired: it was valid through {w.expires.isoformat()} "
                   f"(approved by {w.approved_by}; {w.where()}). {clause.message}")
        return replace(clause, message=message, suppression=_waiver_record(w, expired=True))

    def _unmatched(self, run: RunResult, used: set[int]) -> list[dict[str, Any]]:
        """Waivers that excused nothing, and why; not the ones about pages this run did not look at.

        A run that checks some pages only (pre-commit checks the files a commit changes) says nothing
        of waivers for other pages that exist: only a page glob that names no file at all (a typo, or
        a page since deleted) is reported as matching nothing, and a URL glob only by a run that
        checked URLs.
        """
        policies = {p.id for p in run.policies} | {p.policy.id for p in run.pages}
        checked_urls = any(is_web_url(p.source) for p in run.pages)
        out = []
        for i, w in enumerate(self.waivers):
            if i in used:
                continue
            if w.policy not in policies:
                why = f"the policy {w.policy!r} was not checked in this run"
            elif not any(w.matches_page(p.source) for p in run.pages):
                if is_web_url(w.page):
                    if not checked_urls:
                        continue  # this run checked no URL: it says nothing of URL waivers
                    why = "no page checked in this run matches its page pattern"
                elif w.names_a_file():
                    continue  # a page this run did not check
                else:
                    why = "no file matches its page pattern"
            else:
                why = f"{w.policy}/{w.clause} does not fail on any matching page"
            out.append({**w.to_dict(), "expired": not w.valid_on(self.today), "why": why})
        return out

    # -- baseline ------------------------------------------------------------------------------

    def _write(self, pages: list[PageResult], base_dir: Path) -> list[baseline_file.Entry]:
        """Record every failure no waiver names; keep old entries for pages this run did not check."""
        assert self.write_baseline is not None
        current = [baseline_file.entry_for(page.policy.id, clause, baseline_file.page_key(page.source, base_dir))
                   for page in pages for clause in page.clauses
                   if clause.status is ClauseStatus.FAIL and clause.suppression is None]
        checked = {(baseline_file.page_key(p.source, base_dir), p.policy.id) for p in pages}
        kept: list[baseline_file.Entry] = []
        with exclusive(self.write_baseline):  # runs writing one baseline take turns, each merging the last
            if self.write_baseline.is_file():
                try:
                    previous = baseline_file.load(self.write_baseline)
                except Exception:  # noqa: BLE001 - a broken old file is simply replaced
                    previous = []
                kept = [e for e in previous if (e.page, e.policy) not in checked and _page_exists(e.page, base_dir)]
            baseline_file.write(self.write_baseline, current + kept)
        note = f"wrote {len(current)} failure(s) to the baseline {self.write_baseline}"
        if kept:
            note += f" (kept {len(kept)} entr{'y' if len(kept) == 1 else 'ies'} for pages this run did not check)"
        self.notify(note)
        return current + kept


def _waiver_record(w: waiver_file.Waiver, *, expired: bool) -> Suppression:
    return Suppression(kind="waiver", file=w.file, line=w.line, reason=w.reason, approved_by=w.approved_by,
                       expires=w.expires.isoformat(), expired=expired)


def _page_exists(page: str, base_dir: Path) -> bool:
    if page == "-" or is_web_url(page):
        return True
    return (base_dir / page).exists()


def _apply_baseline(pages: list[PageResult], entries: list[baseline_file.Entry], base_dir: Path, target: Path,
                    policies: set[str]) -> tuple[list[PageResult], list[dict[str, Any]], list[dict[str, Any]]]:
    remaining = Counter(e.fingerprint for e in entries)
    out: list[PageResult] = []
    index: dict[tuple[str, str], dict[str, ClauseResult]] = {}
    for page in pages:
        key = baseline_file.page_key(page.source, base_dir)
        clauses = []
        for clause in page.clauses:
            if clause.status is ClauseStatus.FAIL and clause.suppression is None:
                fp = baseline_file.entry_for(page.policy.id, clause, key).fingerprint
                if remaining[fp] > 0:
                    remaining[fp] -= 1
                    clause = replace(clause, status=ClauseStatus.BASELINED,
                                     suppression=Suppression(kind="baseline", file=str(target), fingerprint=fp))
            clauses.append(clause)
        if page.clauses:
            index[(key, page.policy.id)] = {c.id: c for c in clauses}
        new = tuple(clauses)
        out.append(page if new == page.clauses else replace(page, clauses=new))
    fixed: list[dict[str, Any]] = []
    stale: list[dict[str, Any]] = []
    for entry in entries:
        if remaining[entry.fingerprint] <= 0:
            continue
        remaining[entry.fingerprint] -= 1
        record = {"page": entry.page, "policy": entry.policy, "clause": entry.clause,
                  "fingerprint": entry.fingerprint}
        checked = index.get((entry.page, entry.policy))
        if checked is not None:
            clause = checked.get(entry.clause)
            if clause is None:
                stale.append({**record, "why": "the policy no longer has this clause"})
            elif clause.status in _SETTLED:
                fixed.append({**record, "why": f"the clause now reads {clause.status.value.replace('_', ' ')}"})
            elif clause.status is ClauseStatus.WAIVED:
                stale.append({**record, "why": WAIVED_NOW})
            elif clause.suppression is not None and clause.suppression.expired:
                continue  # still recorded: the expired waiver, not the baseline, decides (it fails again)
            elif clause.status in (ClauseStatus.FAIL, ClauseStatus.BASELINED):
                stale.append({**record, "why": "the failure changed (different evidence): it is reported as new"})
        elif entry.policy in policies and not _page_exists(entry.page, base_dir):
            stale.append({**record, "why": "the page no longer exists"})
    return out, fixed, stale


def prepare(*, baseline: Path | None = None, write_baseline: Path | None = None, waivers: Path | None = None,
            max_waiver_days: int | None = None, max_days_source: str = "",
            notify: Callable[[str], None] = _stderr) -> Suppressor:
    """Load the baseline and waiver files now, so a broken file stops the run before any page is read.

    Both files are read before either's problems are raised, so one run reports them all. A waiver
    or baseline file that does not exist yet means no waivers, or an empty baseline (every failure
    is new), and a note says so: a missing file can only make a run stricter, and a new site names
    both files in its configuration before it writes either.
    """
    today = waiver_file.today()
    if waivers is not None and os.environ.get(waiver_file.TODAY_ENV, "").strip():
        notify(f"note: {waiver_file.TODAY_ENV} sets today's date to {today.isoformat()} (for testing only)")
    problems = Collector()
    loaded: list[waiver_file.Waiver] = []
    if waivers is not None and not waivers.exists():
        notify(f"note: the waiver file {waivers} does not exist yet, so no waivers apply")
        waivers = None
    elif waivers is not None:
        try:
            loaded = waiver_file.load(waivers, on=today, max_days=max_waiver_days, max_days_source=max_days_source)
        except ConfigError as exc:
            problems.add(exc)
    entries = None
    if baseline is not None and write_baseline is None and not baseline.exists():
        notify(f"note: the baseline file {baseline} does not exist yet, so every failure is new "
               f"(accept today's with --write-baseline {baseline})")
        entries = []
    elif baseline is not None and write_baseline is None:
        try:
            entries = baseline_file.load(baseline)
        except ConfigError as exc:
            problems.add(exc)
    problems.check(ConfigError)
    return Suppressor(today=today, baseline=baseline, write_baseline=write_baseline, waivers_file=waivers,
                      waivers=loaded, entries=entries, notify=notify)


# -- words for reporters -----------------------------------------------------------------------


def summary_lines(run: RunResult, limit: int = 10) -> list[str]:
    """Plain sentences on new, baselined, waived and expired failures, and on leftovers to clean up."""
    report = run.suppressions
    if report is None:
        return []
    kinds = run.summary()["failures"]
    lines = [f"Failures: {kinds['new']} new, {kinds['baselined']} baselined, {kinds['waived']} waived, "
             f"{kinds['expired']} with an expired waiver."]
    if report.fixed:
        lines.append(f"Fixed since the baseline ({len(report.fixed)}): "
                     + listing([f"{e['page']} {e['policy']}/{e['clause']}" for e in report.fixed], limit, sep="; ") + ".")
    if report.stale:
        lines.append(f"Stale baseline entries ({len(report.stale)}): "
                     + listing([f"{e['page']} {e['policy']}/{e['clause']} ({e['why']})" for e in report.stale],
                                limit, sep="; ")
                     + f". Rewrite the baseline with --write-baseline {report.baseline} to drop them.")
    if report.fixed and not report.stale:
        lines.append(f"Rewrite the baseline with --write-baseline {report.baseline} to drop fixed entries.")
    if report.unmatched_waivers:
        lines.append(f"Waivers that excuse nothing ({len(report.unmatched_waivers)}): "
                     + listing([f"{w['file']}:{w['line']} {w['page']} {w['policy']}/{w['clause']} ({w['why']})"
                                 for w in report.unmatched_waivers], limit, sep="; ") + ".")
    return lines

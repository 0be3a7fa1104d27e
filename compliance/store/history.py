"""Verdicts run after run: every site's compliance per run, or one site's pages, or one page's clauses.

A site's compliance in a run is its passing results over those that could be
judged (pass + fail): pages the license does not apply to, and pages that
could not be read, say nothing about whether a republisher credits the
licensor. Only complete runs count (an interrupted one would show a site
shrinking); the others are listed so that the reader knows.
"""

from __future__ import annotations

from typing import Any

from compliance.store.database import RunInfo, Store
from compliance.store.keys import page_key

STATUSES = ("pass", "fail", "not_applicable", "error")


def rate(counts: dict[str, int]) -> float | None:
    judged = counts["pass"] + counts["fail"]
    return round(counts["pass"] / judged, 4) if judged else None


def history(store: Store, *, site: str | None = None, page: str | None = None, last: int | None = None) -> dict[str, Any]:
    from compliance import __version__

    runs = store.runs()
    complete = [r for r in runs if r.complete][-last:] if last else [r for r in runs if r.complete]
    sites: dict[str, dict[int, dict[str, int]]] = {}
    for run_id, name, status, count in store.site_counts([r.id for r in complete], site):
        sites.setdefault(name, {}).setdefault(run_id, dict.fromkeys(STATUSES, 0))[status] += count
    out: dict[str, Any] = {
        "schema_version": 1,
        "tool": {"name": "compliance", "version": __version__},
        "store": store.display,
        "site": site,
        "page": page,
        "runs": [_run(r) for r in complete],
        "incomplete_runs": [_run(r) for r in runs if not r.complete],
        "sites": [{"site": name, "runs": [{"run": rid, **counts, "compliance": rate(counts)}
                                          for rid, counts in sorted(per_run.items())]}
                  for name, per_run in sorted(sites.items())],
    }
    if site is not None or page is not None:
        out["pages"] = _pages(store, complete, site, page)
    return out


def _run(r: RunInfo) -> dict[str, Any]:
    return {"id": r.id, "started_at": r.started_at, "finished_at": r.finished_at, "status": r.status}


def _pages(store: Store, runs: list[RunInfo], site: str | None, page: str | None) -> list[dict[str, Any]]:
    """Each page (x policy) of the site, or the one page: its verdict and failing clauses in each run."""
    pages: dict[tuple[str, str], dict[str, Any]] = {}
    key = page_key(page) if page is not None else None
    for run in runs:
        for r in store.results(run.id, site=site, page=key):
            entry = pages.setdefault((r.page_key, r.result.policy.id),
                                     {"source": r.source, "policy": r.result.policy.id, "runs": []})
            entry["source"] = r.source  # as the latest run named it
            entry["runs"].append({
                "run": run.id, "status": r.result.status.value,
                "failing": [c.id for c in r.result.clauses if c.status.value == "fail"],
                "clauses": {c.id: c.status.value for c in r.result.clauses} if page is not None else None,
                "sha256": r.capture.sha256 if r.capture else None})
    for entry in pages.values():
        for cell in entry["runs"]:
            if cell["clauses"] is None:
                del cell["clauses"]
    return list(pages.values())

"""What changed between two audits: pages newly failing, fixed, new, gone, and changed under the same verdict.

Results are matched across runs by page (``keys.page_key``: the normalised
URL, or a file's absolute path) and policy id. Per clause:

- ``newly_failing``: a clause fails now that did not before, or the page can no
  longer be checked at all (it is ``error`` now; its ``clauses`` list is empty);
- ``fixed``: a clause that failed passes now, needs review or no longer applies,
  or a page that could not be checked now can be;
- ``new`` / ``gone``: the page is only in the newer / the older run;
- ``changed``: every verdict is the same but the page's bytes are not (its
  ``clauses``: those whose message or evidence moved);
- ``verdict_changed``: a verdict moved without any clause starting or stopping
  to fail (``pass`` to ``review``, to ``not_applicable``...).

A page can be both newly failing (one clause) and fixed (another). ``fail``,
``waived`` and ``baselined`` all count as failing: a waiver or a baseline
excuses a failure in CI, it does not make the page credit the licensor.
"""

from __future__ import annotations

from typing import Any, Iterable

from compliance.results.model import ClauseStatus, PageStatus

from compliance.store.database import RunInfo, Store, StoredResult

FAILING = frozenset({ClauseStatus.FAIL, ClauseStatus.WAIVED, ClauseStatus.BASELINED})
LISTS = ("newly_failing", "fixed", "new", "gone", "changed", "verdict_changed")


def _clauses(r: StoredResult) -> dict[str, Any]:
    return {c.id: c for c in r.result.clauses}


def _entry(a: StoredResult | None, b: StoredResult | None, clauses: list[dict[str, Any]]) -> dict[str, Any]:
    cur = b or a
    assert cur is not None
    out: dict[str, Any] = {
        "source": cur.source,
        "site": cur.site,
        "policy": cur.result.policy.id,
        "status_before": a.result.status.value if a else None,
        "status": b.result.status.value if b else None,
        "message": cur.result.message,
        "clauses": clauses,
        "sha256_before": a.capture.sha256 if a and a.capture else None,
        "sha256": b.capture.sha256 if b and b.capture else None,
    }
    if a is not None and b is not None:
        out["content_changed"] = _content_changed(a, b)
        out["policy_changed"] = a.policy_sha256 != b.policy_sha256
    return out


def _content_changed(a: StoredResult, b: StoredResult) -> bool:
    return bool(a.capture and b.capture and a.capture.sha256 != b.capture.sha256)


def _clause_entry(cid: str, before: Any, after: Any) -> dict[str, Any]:
    cur = after or before
    return {"id": cid, "title": cur.title, "severity": cur.severity.value,
            "before": before.status.value if before else None, "after": after.status.value if after else None,
            "message": cur.message}


def diff(run_a: RunInfo, results_a: Iterable[StoredResult], run_b: RunInfo,
         results_b: Iterable[StoredResult]) -> dict[str, Any]:
    old = {(r.page_key, r.result.policy.id): r for r in results_a}
    new = {(r.page_key, r.result.policy.id): r for r in results_b}
    lists: dict[str, list[dict[str, Any]]] = {name: [] for name in LISTS}
    by_clause: dict[str, dict[str, int]] = {}

    def count(policy: str, cid: str, what: str) -> None:
        slot = by_clause.setdefault(f"{policy}/{cid}", {"newly_failing": 0, "fixed": 0})
        slot[what] += 1

    for key, b in new.items():
        a = old.get(key)
        if a is None:
            lists["new"].append(_entry(None, b, [_clause_entry(c.id, None, c) for c in b.result.clauses]))
            continue
        ca, cb = _clauses(a), _clauses(b)
        ids = list(cb) + [cid for cid in ca if cid not in cb]
        err_a, err_b = a.result.status is PageStatus.ERROR, b.result.status is PageStatus.ERROR
        newly = [cid for cid in ids if cid in cb and cb[cid].status in FAILING
                 and (cid not in ca or ca[cid].status not in FAILING)]
        fixed = [] if err_b else [cid for cid in ids if cid in ca and cid in cb and ca[cid].status in FAILING
                                  and cb[cid].status not in FAILING]
        policy = b.result.policy.id
        if newly or (err_b and not err_a):
            lists["newly_failing"].append(_entry(a, b, [_clause_entry(c, ca.get(c), cb.get(c)) for c in newly]))
            for cid in newly:
                count(policy, cid, "newly_failing")
        if fixed or (err_a and not err_b):
            lists["fixed"].append(_entry(a, b, [_clause_entry(c, ca.get(c), cb.get(c)) for c in fixed]))
            for cid in fixed:
                count(policy, cid, "fixed")
        if newly or fixed or err_a != err_b:
            continue
        other = [cid for cid in ids if (ca[cid].status if cid in ca else None) != (cb[cid].status if cid in cb else None)]
        if other or a.result.status != b.result.status:
            lists["verdict_changed"].append(_entry(a, b, [_clause_entry(c, ca.get(c), cb.get(c)) for c in other]))
        elif _content_changed(a, b):
            moved = [cid for cid in ids if ca[cid].message != cb[cid].message or ca[cid].evidence != cb[cid].evidence]
            lists["changed"].append(_entry(a, b, [_clause_entry(c, ca[c], cb[c]) for c in moved]))
    for key, a in old.items():
        if key not in new:
            lists["gone"].append(_entry(a, None, [_clause_entry(c.id, c, None) for c in a.result.clauses]))
    return {
        "schema_version": 1,
        "from": run_a.to_dict(),
        "to": run_b.to_dict(),
        "summary": {**{name: len(items) for name, items in lists.items()},
                    "by_clause": dict(sorted(by_clause.items()))},
        **lists,
    }



def pick_runs(runs: list[RunInfo], older: int | None, newer: int | None, display: str) -> tuple[RunInfo, RunInfo]:
    """The two runs to compare: the ones named, or the last two complete runs."""
    from compliance.store.backends import StoreError

    by_id = {r.id: r for r in runs}
    if older is not None and newer is not None:
        for rid in (older, newer):
            if rid not in by_id:
                raise StoreError(f"{display}: there is no run {rid} (see `compliance history`)")
        return by_id[older], by_id[newer]
    complete = [r for r in runs if r.complete]
    if len(complete) < 2:
        raise StoreError(f"{display}: diff needs two complete runs and the store has {len(complete)}; "
                         "record another with `compliance check … --store`")
    return complete[-2], complete[-1]


def compare(store: Store, older: int | None = None, newer: int | None = None) -> dict[str, Any]:
    """``diff`` of two runs of ``store``, with the tool and the store named, as ``--format json`` prints it."""
    from compliance import __version__

    a, b = pick_runs(store.runs(), older, newer, store.display)
    out = diff(a, store.results(a.id), b, store.results(b.id))
    return {"schema_version": out.pop("schema_version"), "tool": {"name": "compliance", "version": __version__},
            "store": store.display, **out}

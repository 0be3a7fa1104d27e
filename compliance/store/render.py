"""``diff`` and ``history`` as text, JSON (schemas in compliance/schema/) and self-contained HTML.

The HTML goes through the reporters' one Jinja2 environment (autoescaped, no
script, nothing loaded from elsewhere); the text is made inert (control and bidi
characters escaped, URL credentials redacted) by the rule every output shares,
because sources and messages come from pages.
"""

from __future__ import annotations

import json
from typing import Any

from compliance.store.chart import latest_rate, line_chart, sparkline, worst_first
from compliance.text.inert import inert as inert_text

FORMATS = ("text", "json", "html")
TITLES = (("newly_failing", "Newly failing"), ("fixed", "Fixed"), ("new", "New pages"), ("gone", "Gone"),
          ("changed", "Content changed, same verdict"), ("verdict_changed", "Verdict changed otherwise"))


def inert(value: Any) -> str:
    """A stored value as text safe to print: ``compliance.text.inert``'s rule, the one every output follows.

    Results are made inert before they are stored, but a store may predate that or come from elsewhere.
    """
    return inert_text(str(value))


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def _when(stamp: str) -> str:
    return stamp[:16].replace("T", " ")


def _arrow(before: Any, after: Any) -> str:
    return f"{before or '–'} → {after or '–'}"


# -- diff -----------------------------------------------------------------------------------------------------

def diff_text(d: dict[str, Any]) -> str:
    f, t = d["from"], d["to"]
    lines = [f"Run {f['id']} ({_when(f['started_at'])}) → run {t['id']} ({_when(t['started_at'])}) in "
             f"{inert(d['store'])}", ""]
    for name, title in TITLES:
        items = d[name]
        if not items:
            continue
        lines.append(f"{title} ({len(items)})")
        for e in items:
            head = f"  {inert(e['source'])}  {inert(e['policy'])}: "
            if name in ("new", "gone"):
                lines.append(head + (e["status"] or e["status_before"]))
                continue
            lines.append(head + _arrow(e["status_before"], e["status"]) + (" (page bytes changed)" if name == "changed" else ""))
            for c in e["clauses"]:
                lines.append(f"    {c['id']} ({c['severity']}): {_arrow(c['before'], c['after'])}. {inert(c['message'])}")
            if not e["clauses"] and name != "changed":
                lines.append(f"    {inert(e['message'])}")
        lines.append("")
    s = d["summary"]
    lines.append(", ".join(f"{s[name]} {title.lower()}" for name, title in TITLES) + ".")
    return "\n".join(lines) + "\n"


def diff_html(d: dict[str, Any]) -> str:
    return _render("diff.html.j2", d=d, titles=TITLES, store=d["store"], tool=d["tool"])


# -- history --------------------------------------------------------------------------------------------------

def history_text(h: dict[str, Any]) -> str:
    runs = h["runs"]
    if not runs:
        lines = ["The store has no complete run yet: record one with `compliance check … --store`."]
    else:
        width = max([len(inert(s["site"])) for s in h["sites"]] + [4])
        lines = [f"Compliance by site over {len(runs)} complete run(s), {runs[0]['started_at'][:10]} to "
                 f"{runs[-1]['started_at'][:10]} (pass among pass + fail):", "",
                 "site".ljust(width) + "".join(f"  {'#' + str(r['id']):>6}" for r in runs)]
        for s in worst_first(h["sites"]):
            by_run = {r["run"]: r for r in s["runs"]}
            lines.append(inert(s["site"]).ljust(width) + "".join(
                f"  {_pct(by_run[r['id']]['compliance']) if r['id'] in by_run else '':>6}" for r in runs))
        if h.get("pages"):
            lines.append("")
            for p in h["pages"]:
                cells = ", ".join(f"#{c['run']} {c['status']}" + (f" ({', '.join(c['failing'])})" if c["failing"] else "")
                                  for c in p["runs"])
                lines.append(f"{inert(p['source'])} ({inert(p['policy'])}): {cells}")
    if h["incomplete_runs"]:
        lines += ["", "Not counted: " + ", ".join(f"run {r['id']} ({r['status']})" for r in h["incomplete_runs"])
                  + ", which did not finish."]
    return "\n".join(lines) + "\n"


def history_html(h: dict[str, Any]) -> str:
    runs = h["runs"]
    rows = []
    for site in worst_first(h["sites"]):
        judged = [r["compliance"] for r in site["runs"] if r["compliance"] is not None]
        change = judged[-1] - judged[-2] if len(judged) >= 2 else None
        rows.append({"site": site["site"], "spark": sparkline(site, runs), "latest": _pct(latest_rate(site)),
                     "change": "–" if change is None else f"{'+' if change > 0 else ''}{round(change * 100)} pts",
                     "change_class": "" if not change else ("down" if change < 0 else "up"),
                     "last": site["runs"][-1]})
    pages = []
    for p in h.get("pages") or []:
        by_run = {c["run"]: c for c in p["runs"]}
        pages.append({"source": p["source"], "policy": p["policy"],
                      "cells": [by_run.get(r["id"], {"status": None, "failing": []}) for r in runs]})
    return _render("history.html.j2", runs=runs, incomplete=h["incomplete_runs"], site=h["site"], page=h["page"],
                   chart=line_chart(runs, h["sites"]), rows=rows, pages=pages, store=h["store"], tool=h["tool"])


def _render(template: str, **data: Any) -> str:
    from compliance.reporters.data import xml_text
    from compliance.reporters.templated import environment

    return xml_text(environment().get_template(template).render(**data))


def render(kind: str, fmt: str, data: dict[str, Any]) -> str:
    """``kind`` is "diff" or "history"; ``fmt`` one of FORMATS."""
    if fmt == "json":
        return as_json(data)
    return {("diff", "text"): diff_text, ("diff", "html"): diff_html,
            ("history", "text"): history_text, ("history", "html"): history_html}[(kind, fmt)](data)

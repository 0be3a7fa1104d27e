"""The data every report is built from: ``RunResult.to_dict()`` plus a few precomputed views.

Built-in templates, custom ``--template`` files and the Python reporters
(JUnit, SARIF, GitHub) all read this one structure, so a user's template
sees exactly what ours see. It is plain dicts, lists, strings and numbers:
nothing in it can run code or reach back into the checker. README.md
("Reports" → "Custom templates") documents every key.
"""

from __future__ import annotations

import os
import re
import socket
from datetime import datetime, timezone
from typing import Any

from compliance.errors import where
from compliance.results.model import RunResult, Severity
from compliance.text.regex import lazy

# Clause statuses that ask somebody to act, most urgent first; everything else is "settled".
ATTENTION = ("fail", "error", "review")
# How pages are ordered in a report: failures first, inapplicable pages last.
VERDICT_ORDER = ("fail", "error", "review", "pass", "not_applicable")
# Reports for large runs: at most this many pages are shown in full (failures first); passing and
# not-applicable pages are shown only when the whole run has at most this many results.
DETAIL_LIMIT = 100
LOCAL_SITE = "local files"
SEVERITY_RANK = {s.value: s.rank for s in Severity}

_HTTP_URL = lazy(r"https?://[^\s\"'<>\\`\x00-\x1f\x7f]+\Z", re.I)
# Characters XML 1.0 forbids (and lone surrogates); removed from every XML report. Compiled on first use:
# this class alone costs the re module ~3 ms, which a text report never needs.
_XML_ILLEGAL = lazy("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def http_url(value: Any) -> str:
    """``value`` if it is a plain absolute http(s) URL, else "" — the only links a report may emit."""
    text = str(value or "")
    return text if _HTTP_URL.match(text) else ""


def xml_text(value: Any) -> str:
    """Text with the characters XML 1.0 cannot carry removed (control characters, lone surrogates)."""
    return _XML_ILLEGAL.sub("", str(value if value is not None else ""))


def utf8_safe(text: str) -> str:
    """Text that can be written as UTF-8: lone surrogates (never valid in a file) become "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")


def report_time(timestamp: datetime | None = None) -> datetime:
    """When the report was made, in UTC: injected, else SOURCE_DATE_EPOCH (reproducible builds), else now."""
    if timestamp is not None:
        return timestamp.astimezone(timezone.utc) if timestamp.tzinfo else timestamp.replace(tzinfo=timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def report_host(hostname: str | None = None) -> str:
    if hostname:
        return hostname
    try:
        return socket.gethostname() or "localhost"
    except OSError:
        return "localhost"


def suppression_text(s: dict[str, Any]) -> str:
    """The one sentence every report uses for the waiver or baseline entry attached to a clause."""
    at = where(s.get("file", ""), s.get("line"))
    if s.get("kind") == "baseline":
        return f"baselined: recorded in {at} (fingerprint {s.get('fingerprint', '')})"
    if s.get("expired"):
        return (f"the waiver in {at} expired on {s.get('expires', '?')}, so the failure counts again "
                f"(its reason: {s.get('reason', 'none given')})")
    return f"waived through {s.get('expires', '?')} by {s.get('approved_by', '?')} ({at}): {s.get('reason', '')}"


# how a page was matched to its original, as a reader would put it
MATCH_WORDS = {"link": "the page links to it", "headline": "same headline", "body": "same body text",
               "given": "given with --original"}


def original_of(context: dict[str, Any]) -> dict[str, Any] | None:
    """The original a page was matched to: ``{title, url, link, method, how, score, detail}``, or None."""
    original, match = context.get("original"), context.get("match")
    if not original or not match:
        return None
    method = str(match.get("method", ""))
    return {"title": original.get("title") or "", "url": original.get("url") or "",
            "link": http_url(original.get("url")), "method": method, "how": MATCH_WORDS.get(method, method),
            # an original given with --original scores 1.0 by construction: a number there would claim a measurement
            "score": None if method == "given" else match.get("score"), "detail": match.get("detail") or ""}


def original_sentence(original: dict[str, Any]) -> str:
    """One line for text and Markdown reports: which licensor story the page was matched to, how, how well."""
    what = " ".join(p for p in (f"“{original['title']}”" if original["title"] else "", original["url"]) if p)
    score = f", score {original['score']:.2f}" if isinstance(original["score"], (int, float)) else ""
    return f"Matched original: {what or 'an original'} ({original['how']}{score})"


def page_verdict(page: dict[str, Any]) -> str:
    """A page's status, with passing pages that still have a clause needing review marked "review"."""
    return verdict_of(page["status"], (c["status"] for c in page["clauses"]))


def verdict_of(status: str, clause_statuses: Any) -> str:
    """``page_verdict`` from a status and its clauses' statuses (for results not yet made into dicts)."""
    if status == "pass" and any(s == "review" for s in clause_statuses):
        return "review"
    return status


def clause_sort_key(clause: dict[str, Any]) -> tuple[int, int]:
    """Failures first (most severe first), then errors, then review; settled clauses after."""
    status = clause["status"]
    group = ATTENTION.index(status) if status in ATTENTION else len(ATTENTION)
    return group, -SEVERITY_RANK.get(clause["severity"], 0)


def applicability_notes(summary: dict[str, Any], policies: list[dict[str, Any]], fail_on_empty: bool = False
                        ) -> list[str]:
    """The sentences every report uses to say that pages were not republications under a policy.

    A run where no page was a republication checked nothing against any license terms, whatever the
    pass/fail counts look like; each report leads with that instead of "passed".
    """
    if not summary.get("results"):
        return []
    applicable = summary.get("applicable", {})
    names = {p["id"]: p["id"] for p in policies}
    sources = summary["sources"]
    notes = []
    if summary.get("empty"):
        which = " or ".join(names.get(k, k) for k in applicable) or "the policies checked"
        notes.append(f"No page was a republication under {which}: nothing was checked against the license terms "
                     f"({sources} page(s) looked at, every one not applicable).")
    else:
        for policy_id, count in applicable.items():
            if count == 0:
                notes.append(f"No page was a republication under {policy_id} (0 of {sources} page(s)).")
    missing = summary.get("not_republications", 0)
    if missing and fail_on_empty:
        notes.append(f"{missing} page(s) are republications under none of the policies, and --fail-on-empty makes "
                     f"that a failure.")
    return notes


def template_data(run: RunResult, options: Any = None) -> dict[str, Any]:
    """The documented report data model (see README "Custom templates")."""
    from compliance.ci.baseline import base_dir, entry_for, page_key
    from compliance.results.exit import exit_code

    fail_on = getattr(options, "fail_on", "error")
    data = run.to_dict()
    folder = base_dir(run)
    by_clause: dict[str, dict[str, Any]] = {}
    by_policy: dict[str, dict[str, Any]] = {
        p["id"]: {**p, "terms_link": http_url(p["terms_url"]), "results": 0, "failed_pages": 0,
                  "failed_clauses": 0, "error_pages": 0, "review_pages": 0}
        for p in data["policies"]}
    for index, (page, result) in enumerate(zip(data["pages"], run.pages), start=1):
        page["index"] = index
        page["anchor"] = f"page-{index}"
        page["verdict"] = page_verdict(page)
        page["source_link"] = http_url(page["source"])
        page["terms_link"] = http_url(page.get("terms_url", ""))
        page["title"] = str(page["context"].get("title") or "")
        page["original"] = original_of(page["context"])
        key = page_key(result.source, folder)
        for clause, model in zip(page["clauses"], result.clauses):
            clause["key"] = f"{page['policy']}/{clause['id']}"
            clause["fingerprint"] = entry_for(page["policy"], model, key).fingerprint  # the baseline's identity
        ordered = sorted(page["clauses"], key=clause_sort_key)
        page["attention"] = [c for c in ordered if c["status"] in ATTENTION]
        page["settled"] = [c for c in ordered if c["status"] not in ATTENTION]
        policy = by_policy.setdefault(page["policy"], {
            "id": page["policy"], "title": page.get("policy_title", ""), "licensor": page.get("licensor", ""),
            "terms_url": page.get("terms_url", ""), "terms_link": page["terms_link"], "results": 0,
            "failed_pages": 0, "failed_clauses": 0, "error_pages": 0, "review_pages": 0})
        policy["results"] += 1
        policy["failed_pages"] += page["verdict"] == "fail"
        policy["error_pages"] += page["verdict"] == "error"
        policy["review_pages"] += page["verdict"] == "review"
        for clause in page["clauses"]:
            if clause["status"] != "fail":
                continue
            policy["failed_clauses"] += 1
            entry = by_clause.setdefault(clause["key"], {
                "key": clause["key"], "policy": page["policy"], "id": clause["id"], "title": clause["title"],
                "severity": clause["severity"], "term": clause["term"], "terms_link": page["terms_link"],
                "pages": 0})
            entry["pages"] += 1

    summary = data["summary"]
    pages = summary["pages"]
    summary["verdicts"] = {
        "fail": pages.get("fail", 0), "error": pages.get("error", 0), "review": summary["pages_needing_review"],
        "pass": pages.get("pass", 0) - summary["pages_needing_review"], "not_applicable": pages.get("not_applicable", 0)}
    data["failures_by_clause"] = sorted(
        by_clause.values(), key=lambda e: (-e["pages"], -SEVERITY_RANK.get(e["severity"], 0), e["key"]))
    data["failures_by_policy"] = list(by_policy.values())
    data["groups"] = {v: [p for p in data["pages"] if p["verdict"] == v] for v in VERDICT_ORDER}
    known = set(VERDICT_ORDER)
    data["ordered_pages"] = [p for v in VERDICT_ORDER for p in data["groups"][v]] + \
                            [p for p in data["pages"] if p["verdict"] not in known]
    data["sites"] = site_rollup(data["pages"])
    attention = [p for p in data["ordered_pages"] if p["verdict"] in ATTENTION]
    if len(data["pages"]) <= DETAIL_LIMIT:
        data["shown_pages"], data["more_pages"] = data["ordered_pages"], []
    else:
        data["shown_pages"], data["more_pages"] = attention[:DETAIL_LIMIT], attention[DETAIL_LIMIT:]
    data["unlisted_pages"] = len(data["pages"]) - len(data["shown_pages"]) - len(data["more_pages"])
    fail_on_empty = bool(getattr(options, "fail_on_empty", False))
    code = exit_code(run, fail_on, fail_on_empty)
    when = report_time(getattr(options, "timestamp", None))
    data["report"] = {
        "generated_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "fail_on": fail_on,
        "fail_on_empty": fail_on_empty,
        "exit_code": code,
        "failed": code != 0,
    }
    data["applicability"] = {"empty": summary.get("empty", False),
                             "notes": applicability_notes(summary, data["policies"], fail_on_empty)}
    return data


def site_of(source: str) -> str:
    """The site a page belongs to in a report's rollup: its URL's host, or "local files"."""
    from compliance.text.urls import host

    return host(source).lower() or LOCAL_SITE


def site_rollup(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per site: results, verdict counts, failure rate and the clause failing on most pages; worst first."""
    sites: dict[str, dict[str, Any]] = {}
    for page in pages:
        name = site_of(page["source"])
        site = sites.setdefault(name, {"site": name, "results": 0, **{v: 0 for v in VERDICT_ORDER},
                                       "_clauses": {}})
        site["results"] += 1
        site[page["verdict"]] = site.get(page["verdict"], 0) + 1
        for clause in page["clauses"]:
            if clause["status"] == "fail":
                entry = site["_clauses"].setdefault(clause["key"], {"key": clause["key"], "title": clause["title"],
                                                                    "pages": 0})
                entry["pages"] += 1
    out = []
    for site in sites.values():
        clauses = site.pop("_clauses")
        site["failure_rate"] = site["fail"] / site["results"] if site["results"] else 0.0
        ranked = sorted(clauses.values(), key=lambda c: (-c["pages"], c["key"]))
        site["top_clause"] = ranked[0] if ranked else None
        out.append(site)
    return sorted(out, key=lambda s: (-s["fail"], -s["error"], -s["results"], s["site"]))

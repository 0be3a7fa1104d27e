"""SARIF 2.1.0 for code-scanning tools: one run; each policy clause is a rule ``policy/clause``.

Decisions (also in README "Reports"):

- fail → a result whose level follows the clause severity (error → error,
  warning → warning, info → note).
- review → level "note" with ``properties.status = "review"`` and a message
  starting "Needs review". SARIF's own ``kind: "review"`` would force
  ``level: "none"`` (§3.27.9), which code-scanning views hide, so kind stays
  the default "fail".
- clause error → level "error" with ``properties.status = "error"``, plus a
  tool execution notification; a page that could not be read → a
  notification only (there is no clause to hang a result on). Either makes
  ``executionSuccessful`` false.
- waived or baselined → a result like a failure, with an accepted external
  ``suppressions`` entry (the waiver's reason), so code scanning shows it
  as dismissed.
- pass and not applicable → no result.

Tracking across runs: every result carries ``partialFingerprints``
(``complianceFingerprint/v1``) from the baseline fingerprint (policy, clause,
page, evidence; never line numbers), so code scanning follows an alert when
lines move. Not ``primaryLocationLineHash``: GitHub's upload action computes
that one itself and warns when a supplied value differs from its own.
When a baseline is in use every result also carries ``baselineState``:
``unchanged`` for a failure the baseline records (baselined, or waived after
it was recorded), ``new`` for everything else; each baseline entry whose
failure is gone (fixed, or stale) becomes an ``absent`` result of kind
``pass`` and level ``none``. Code scanning turns every result into an alert
whatever its kind, so absent results also carry an accepted suppression:
the alert of a fixed failure stays closed instead of reopening.

Locations: the page path (relative, as given, with "/" separators) or its
URL; ``region.startLine`` and ``snippet`` from the evidence; the element's
XPath as a logical location. Further evidence goes to ``relatedLocations``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path, PureWindowsPath
from typing import Any
from urllib.parse import quote

from compliance.ci.suppress import WAIVED_NOW
from compliance.reporters.data import (
    http_url,
    suppression_text,
    template_data,
    utf8_safe,
)
from compliance.resources import homepage
from compliance.results.model import RunResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "complianceFingerprint/v1"  # partialFingerprints key; bump the version if the hash ever changes
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)


def render(run: RunResult, options: Any = None) -> str:
    return utf8_safe(json.dumps(sarif_log(run, options), indent=2, ensure_ascii=False)) + "\n"


def sarif_log(run: RunResult, options: Any = None) -> dict[str, Any]:
    data = template_data(run, options)
    rules: dict[str, dict[str, Any]] = {}
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    report = data.get("suppressions", {})
    baseline = report.get("baseline") or any(c["status"] == "baselined" for p in data["pages"] for c in p["clauses"])
    recorded = {e["fingerprint"] for e in report.get("stale", []) if e["why"] == WAIVED_NOW}
    for page in data["pages"]:
        uri = artifact_uri(page["source"])
        if page["status"] == "error" and not page["clauses"]:
            notifications.append({"level": "error", "message": {"text": page["message"] or "The page could not be checked."},
                                  "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]})
            continue
        for clause in page["clauses"]:
            rule_id = clause["key"]
            if rule_id not in rules:
                rules[rule_id] = _rule(clause, page)
                index[rule_id] = len(index)
            elif "help" not in rules[rule_id] and clause["remediation"]:
                rules[rule_id]["help"] = {"text": clause["remediation"]}
            result = _result(clause, page, uri, index[rule_id])
            if result is None:
                continue
            if baseline:
                result["baselineState"] = "unchanged" if clause["status"] == "baselined" or \
                    (clause["status"] == "waived" and clause["fingerprint"] in recorded) else "new"
            results.append(result)
            if clause["status"] == "error":
                notifications.append({"level": "error", "message": {"text": clause["message"]},
                                      "associatedRule": {"id": rule_id},
                                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]})
    if report.get("baseline"):
        terms = {p["id"]: p.get("terms_link") for p in data.get("failures_by_policy", [])}
        results.extend(_absent(report, rules, index, terms))
    driver: dict[str, Any] = {"name": data["tool"]["name"], "rules": list(rules.values())}
    if homepage():
        driver["informationUri"] = homepage()
    if data["tool"]["version"]:
        driver["version"] = data["tool"]["version"]
        driver["semanticVersion"] = data["tool"]["version"]
    failed_to_check = bool(notifications)
    for note in data["applicability"]["notes"]:  # "0 results" must not read as "compliant" when nothing applied
        notifications.append({"level": "error" if data["report"]["fail_on_empty"] else "warning",
                              "message": {"text": note}, "descriptor": {"id": "applicability"}})
    invocation: dict[str, Any] = {"executionSuccessful": not failed_to_check}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"summary": data["summary"], "failed": data["report"]["failed"],
                           "fail_on": data["report"]["fail_on"], "fail_on_empty": data["report"]["fail_on_empty"]},
        }],
    }


def artifact_uri(source: str) -> str:
    """A URI reference for a page: web URLs as they are, paths percent-encoded with "/" separators."""
    if http_url(source) or (_SCHEME.match(source) and not PureWindowsPath(source).drive):
        return quote(source, safe=":/?#[]@!$&'()*+,;=%~")  # only non-ASCII and spaces change
    path = source.replace("\\", "/")
    drive = PureWindowsPath(source).drive
    if drive:  # C:/x → file:///C:/x
        return "file:///" + quote(path, safe="/:")
    if path.startswith("/"):
        return "file://" + quote(path, safe="/")
    return quote(path, safe="/")


def _rule(clause: dict[str, Any], page: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": clause["key"],
        "shortDescription": {"text": clause["title"] or clause["id"]},
        "fullDescription": {"text": clause["term"] or clause["title"] or clause["id"]},
        "defaultConfiguration": {"level": LEVEL.get(clause["severity"], "warning")},
        "properties": {"policy": page["policy"], "licensor": page.get("licensor", ""),
                       "severity": clause["severity"], "tags": ["license", page["policy"]]},
    }
    if page["terms_link"]:
        rule["helpUri"] = page["terms_link"]
    if clause["remediation"]:
        rule["help"] = {"text": clause["remediation"]}
    return rule


def _result(clause: dict[str, Any], page: dict[str, Any], uri: str, rule_index: int) -> dict[str, Any] | None:
    status = clause["status"]
    if status == "fail":
        level, text = LEVEL.get(clause["severity"], "warning"), clause["message"]
    elif status == "review":
        level, text = "note", f"Needs review: {clause['message']}"
    elif status == "error":
        level, text = "error", f"The check could not run: {clause['message']}"
    elif status in ("waived", "baselined"):
        level, text = LEVEL.get(clause["severity"], "warning"), clause["message"]
    else:
        return None
    if clause["remediation"]:
        text = f"{text} Fix: {clause['remediation']}"
    locations = [_location(uri, ev) for ev in clause["evidence"] if ev.get("kind") != "looked_for"]
    result: dict[str, Any] = {
        "ruleId": clause["key"],
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": text},
        "locations": locations[:1] or [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
        "partialFingerprints": {FINGERPRINT: clause["fingerprint"]},
        "properties": {"status": status, "severity": clause["severity"], "source": page["source"]},
    }
    if status in ("waived", "baselined"):  # excused failures are reported as suppressed, not dropped
        justification = suppression_text(clause.get("suppression", {"kind": "waiver" if status == "waived" else ""}))
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": justification}]
    if len(locations) > 1:
        result["relatedLocations"] = [dict(loc, id=i) for i, loc in enumerate(locations[1:], start=1)]
    return result


def _absent(report: dict[str, Any], rules: dict[str, dict[str, Any]], index: dict[str, int],
            terms: dict[str, Any]) -> list[dict[str, Any]]:
    """One ``absent`` result per baseline entry whose failure this run no longer has."""
    folder = Path(report["baseline"]).absolute().parent
    out = []
    for entry in [*report.get("fixed", []), *report.get("stale", [])]:
        if entry.get("why") == WAIVED_NOW:
            continue
        rule_id = f"{entry['policy']}/{entry['clause']}"
        if rule_id not in rules:  # the clause is gone from the policy: a bare rule keeps the log consistent
            rules[rule_id] = {"id": rule_id, "shortDescription": {"text": entry["clause"]},
                              "properties": {"policy": entry["policy"]}}
            if terms.get(entry["policy"]):  # the policy is still checked: its terms are still the help
                rules[rule_id]["helpUri"] = terms[entry["policy"]]
            index[rule_id] = len(index)
        page = entry["page"]
        source = page if page == "-" or http_url(page) else os.path.relpath(folder / page)
        why = f"{entry['why'][:1].upper()}{entry['why'][1:]}" if entry.get("why") else "Fixed"
        out.append({
            "ruleId": rule_id,
            "ruleIndex": index[rule_id],
            "kind": "pass",
            "level": "none",
            "baselineState": "absent",
            "message": {"text": f"No longer fails: this baseline entry can go ({why}). Rewrite the baseline "
                                f"with --write-baseline {report['baseline']} to drop it."},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(source)}}}],
            "partialFingerprints": {FINGERPRINT: entry["fingerprint"]},
            "suppressions": [{"kind": "external", "status": "accepted",
                              "justification": f"Fixed since the baseline ({report['baseline']})."}],
            "properties": {"status": "absent", "source": source},
        })
    return out


def _location(uri: str, ev: dict[str, Any]) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    region: dict[str, Any] = {}
    if isinstance(ev.get("line"), int) and ev["line"] >= 1:
        region["startLine"] = ev["line"]
        if isinstance(ev.get("column"), int) and ev["column"] >= 1:
            region["startColumn"] = ev["column"]
    if ev.get("snippet"):
        region["snippet"] = {"text": ev["snippet"]}
    if "startLine" in region:  # a region needs a start; a snippet alone cannot place it
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical, "message": {"text": ev["note"]}}
    if ev.get("xpath"):
        location["logicalLocations"] = [{"fullyQualifiedName": ev["xpath"], "kind": "element"}]
    return location

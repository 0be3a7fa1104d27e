"""JUnit XML for CI test views: one testsuite per policy, one testcase per page × clause.

Mapping (also in README "Reports"):

- pass → a plain testcase
- fail → ``<failure type="SEVERITY">`` with the message, evidence, fix and term
- review → ``<skipped>``: a person must decide, so it neither passes nor fails the build
- not applicable, waived, baselined (or any other status) → ``<skipped>`` saying why
- clause error → ``<error type="check-error">``; a page that could not be read or
  parsed → one ``<error type="page-error">`` testcase named "page"

The output validates against the strict Ant JUnit schema, which requires
``properties``, ``system-out``, ``system-err``, a timezone-less
``timestamp``, ``hostname`` and ``time`` on every suite. The model records
no durations, so every ``time`` is 0. Built with lxml, never by string
concatenation; characters XML 1.0 cannot hold are removed.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from compliance.reporters.data import (
    report_host,
    report_time,
    suppression_text,
    template_data,
    xml_text,
)
from compliance.results.model import RunResult


def render(run: RunResult, options: Any = None) -> str:
    data = template_data(run, options)
    stamp = report_time(getattr(options, "timestamp", None)).strftime("%Y-%m-%dT%H:%M:%S")
    host = xml_text(report_host(getattr(options, "hostname", None))).strip() or "localhost"
    root = etree.Element("testsuites")
    by_policy: dict[str, list[dict[str, Any]]] = {}
    for page in data["pages"]:
        by_policy.setdefault(page["policy"], []).append(page)
    policies = {p["id"]: p for p in data["failures_by_policy"]}
    for index, (policy_id, pages) in enumerate(by_policy.items()):
        _suite(root, index, policies[policy_id], pages, data, stamp, host)
    notes = data["applicability"]["notes"]
    if notes:  # one test case says it, so a CI test view does not show only "all skipped, 0 failures"
        suite = etree.SubElement(root, "testsuite", name="applicability", package="applicability",
                                 id=str(len(by_policy)), timestamp=stamp, hostname=host, tests="1", time="0",
                                 failures="1" if data["report"]["fail_on_empty"] else "0", errors="0",
                                 skipped="0" if data["report"]["fail_on_empty"] else "1")
        props = etree.SubElement(suite, "properties")  # the strict JUnit schema wants properties first
        etree.SubElement(props, "property", name="fail_on_empty", value=str(data["report"]["fail_on_empty"]).lower())
        case = _case("applicability", "pages are republications under the policies checked")
        if data["report"]["fail_on_empty"]:
            _child(case, "failure", notes[0], "fail-on-empty", "\n".join(notes))
        else:
            _child(case, "skipped", notes[0], None, "\n".join(notes))
        suite.append(case)
        etree.SubElement(suite, "system-out").text = xml_text(" ".join(notes))
        etree.SubElement(suite, "system-err")
    body = etree.tostring(root, pretty_print=True, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _suite(root: etree._Element, index: int, policy: dict[str, Any], pages: list[dict[str, Any]],
           data: dict[str, Any], stamp: str, host: str) -> None:
    suite = etree.SubElement(root, "testsuite")
    props = etree.SubElement(suite, "properties")
    for name, value in (("policy", policy["id"]), ("policy.title", policy["title"]),
                        ("licensor", policy["licensor"]), ("terms_url", policy["terms_url"]),
                        ("tool", f"{data['tool']['name']} {data['tool']['version']}"),
                        ("fail_on", data["report"]["fail_on"]),
                        ("applicable", data["summary"]["applicable"].get(policy["id"], 0))):
        etree.SubElement(props, "property", name=name, value=xml_text(value))
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for page in pages:
        for case, outcome in _cases(page):
            suite.append(case)
            counts["tests"] += 1
            if outcome:
                counts[outcome] += 1
    name = xml_text(policy["id"]).strip() or "policy"
    suite.attrib.update({"name": name, "package": name, "id": str(index), "timestamp": stamp,
                         "hostname": host, "tests": str(counts["tests"]), "failures": str(counts["failures"]),
                         "errors": str(counts["errors"]), "skipped": str(counts["skipped"]), "time": "0"})
    out = etree.SubElement(suite, "system-out")
    out.text = xml_text(f"{policy['title'] or policy['id']} ({policy['licensor']}): {policy['results']} result(s), "
                        f"{policy['failed_pages']} failing, {policy['review_pages']} needing review, "
                        f"{policy['error_pages']} not checked. Terms: {policy['terms_url']}")
    etree.SubElement(suite, "system-err")


def _cases(page: dict[str, Any]):
    """Yield (testcase element, outcome counter name or None) for one page."""
    classname = xml_text(page["source"]) or "-"
    if page["status"] == "error" and not page["clauses"]:
        case = _case(classname, "page")
        _child(case, "error", page["message"] or "The page could not be checked.", "page-error",
               f"{page['message']}\nSource: {page['source']}")
        yield case, "errors"
        return
    if not page["clauses"]:
        case = _case(classname, "page")
        _child(case, "skipped", f"{page['status']}: {page['message']}", None, page["message"])
        yield case, "skipped"
        return
    for clause in page["clauses"]:
        case = _case(classname, f"{clause['id']}: {clause['title']}" if clause["title"] else clause["id"])
        status = clause["status"]
        if status == "pass":
            yield case, None
            continue
        details = _details(clause, page)
        if status == "fail":
            _child(case, "failure", clause["message"], clause["severity"], details)
            yield case, "failures"
        elif status == "error":
            _child(case, "error", clause["message"], "check-error", details)
            yield case, "errors"
        else:
            label = "needs review" if status == "review" else status.replace("_", " ")
            _child(case, "skipped", f"{label}: {clause['message']}", None, details)
            yield case, "skipped"


def _case(classname: str, name: str) -> etree._Element:
    return etree.Element("testcase", name=xml_text(name) or "-", classname=classname, time="0")


def _child(case: etree._Element, tag: str, message: str, kind: str | None, text: str) -> None:
    el = etree.SubElement(case, tag, message=xml_text(message))
    if kind is not None:
        el.set("type", xml_text(kind))
    el.text = xml_text(text)


def _details(clause: dict[str, Any], page: dict[str, Any]) -> str:
    lines = [clause["message"]]
    for ev in clause["evidence"]:
        where = f"line {ev['line']}" if "line" in ev else "metadata"
        lines.append(f"- {where}: {ev['note']}")
        if "snippet" in ev:
            lines.append(f"    {ev['snippet']}")
        if "xpath" in ev:
            lines.append(f"    at {ev['xpath']}")
    if clause["remediation"]:
        lines.append(f"Fix: {clause['remediation']}")
    if "suppression" in clause:
        lines.append(suppression_text(clause["suppression"]))
    if clause["term"]:
        lines.append(f"License term: {clause['term']}")
    if page.get("terms_url"):
        lines.append(f"Terms: {page['terms_url']}")
    return "\n".join(lines)

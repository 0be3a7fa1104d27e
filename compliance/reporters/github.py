"""GitHub Actions workflow commands: one annotation per problem, then one summary line that is never capped.

Levels: a failed clause follows its severity (error → ``::error``, warning →
``::warning``, info → ``::notice``); a clause needing review is a
``::notice``; a clause or page that could not be checked is an ``::error``.
At most ``max_annotations`` lines are printed per level (GitHub itself shows
only a few per step), and the last line always states the totals and
whether the run failed, so a cap can never hide the failure.

Escaping follows the Actions toolkit: in the message ``%``, CR and LF are
percent-encoded; in properties ``:`` and ``,`` are too. Every annotation is
therefore one line, and page text cannot start a workflow command of its own.
"""

from __future__ import annotations

import os
from typing import Any

from compliance.reporters.data import (
    http_url,
    suppression_text,
    template_data,
    utf8_safe,
)
from compliance.results.model import RunResult

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **props: Any) -> str:
    fields = ",".join(f"{k}={escape_property(v)}" for k, v in props.items() if v not in (None, ""))
    return f"::{level}{' ' + fields if fields else ''}::{escape_data(message)}"


def render(run: RunResult, options: Any = None) -> str:
    data = template_data(run, options)
    cap = max(int(getattr(options, "max_annotations", 50)), 0)
    printed = {"error": 0, "warning": 0, "notice": 0}
    totals = dict(printed)
    lines: list[str] = []
    for level, message, props in _annotations(data):
        totals[level] += 1
        if printed[level] < cap:
            printed[level] += 1
            lines.append(command(level, message, **props))
    for note in data["applicability"]["notes"]:  # never only a green "passed" when nothing was checked
        level = "error" if data["report"]["fail_on_empty"] else "warning"
        totals[level] += 1
        printed[level] += 1
        lines.append(command(level, note, title="compliance: no republication"))
    lines.append(_summary(data, totals, printed, cap))
    return utf8_safe("\n".join(lines)) + "\n"


def _annotations(data: dict[str, Any]):
    for page in data["ordered_pages"]:
        where = _file(page["source"])
        if page["status"] == "error" and not page["clauses"]:
            yield "error", _with_source(page["message"] or "The page could not be checked.", page, where), \
                {"file": where, "title": f"{page['policy']}: page could not be checked"}
            continue
        for clause in page["attention"]:
            status = clause["status"]
            if status == "fail":
                level, label = LEVEL.get(clause["severity"], "warning"), clause["title"] or clause["id"]
            elif status == "review":
                level, label = "notice", f"needs review: {clause['title'] or clause['id']}"
            else:
                level, label = "error", f"could not check: {clause['title'] or clause['id']}"
            first = next((ev for ev in clause["evidence"] if "line" in ev), {})
            yield level, _with_source(_message(clause, page), page, where), \
                {"file": where, "line": first.get("line") if where else None,
                 "col": first.get("column") if where else None, "title": f"{clause['key']} {label}"}


def _message(clause: dict[str, Any], page: dict[str, Any]) -> str:
    parts = [clause["message"]]
    if clause["remediation"]:
        parts.append(f"Fix: {clause['remediation']}")
    if "suppression" in clause:
        parts.append(suppression_text(clause["suppression"]))
    if clause["term"]:
        parts.append(f"License term: {clause['term']}" + (f" ({page['terms_url']})" if page["terms_url"] else ""))
    return "\n".join(parts)


def _with_source(message: str, page: dict[str, Any], where: str) -> str:
    return message if where else f"{page['source']}: {message}"


def _file(source: str) -> str:
    """A path GitHub can attach the annotation to, or "" for URLs and standard input."""
    if http_url(source) or source in ("-", "") or "://" in source:
        return ""
    return annotation_path(source)


def annotation_path(path: str) -> str:
    """``path`` as GitHub wants it in an annotation: relative to the repository (``$GITHUB_WORKSPACE``).

    The check may run in a subfolder (the Action's ``working-directory``), where paths are relative to
    that folder; outside Actions, or for a path outside the workspace, it is left as it is.
    """
    workspace = os.environ.get("GITHUB_WORKSPACE", "")
    if workspace and not os.path.isabs(path):
        inside = os.path.relpath(os.path.abspath(path), os.path.abspath(workspace))
        if not inside.startswith(".."):
            path = inside
    path = path.replace("\\", "/")
    return path[2:] if path.startswith("./") else path


def _summary(data: dict[str, Any], totals: dict[str, int], printed: dict[str, int], cap: int) -> str:
    v = data["summary"]["verdicts"]
    report = data["report"]
    counts = (f"{data['summary']['sources']} page(s) checked: {v['fail']} fail, {v['error']} could not be checked, "
              f"{v['review']} need review, {v['pass']} pass, {v['not_applicable']} not applicable. "
              f"Annotations: {totals['error']} error, {totals['warning']} warning, {totals['notice']} notice.")
    excused = data["summary"].get("failures", {})
    if excused.get("waived") or excused.get("baselined"):
        counts += f" Not annotated: {excused.get('waived', 0)} waived, {excused.get('baselined', 0)} baselined."
    hidden = sum(totals.values()) - sum(printed.values())
    if hidden:
        counts += f" {hidden} not shown (limit {cap} per level; raise it with --max-annotations)."
    if report["failed"]:
        return command("error", f"The license check FAILED (exit status {report['exit_code']}, "
                                f"--fail-on {report['fail_on']}). {counts}", title="compliance: check failed")
    if data["applicability"]["empty"]:
        return command("warning", f"Nothing was checked against the license terms: no page was a republication "
                                  f"under any policy. {counts}", title="compliance: nothing checked")
    return command("notice", f"The license check passed (--fail-on {report['fail_on']}). {counts}",
                   title="compliance: check passed")

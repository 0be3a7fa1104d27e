"""A policy in plain words (``policy show``): what a republisher must do, ready to paste into an e-mail.

Clauses are grouped the way a partner reads terms: what they must do
(severity error), what they should do (warning), what is good to know
(info), and the terms no page can show, which a person confirms. Each item
gives the term and how to comply; ``details=True`` adds the clause ids,
sources, certainty and how each clause is checked, for the policy's authors.
"""

from __future__ import annotations

import textwrap
from typing import Any

from compliance.checks.manual import ManualCheck
from compliance.policy.model import Clause, Policy
from compliance.results.model import Severity

WIDTH = 88
_UNCONFIRMED = {"secondary": "*", "inferred": "**"}
_GROUPS = (
    ("must", "You must:"),
    ("should", "You should:"),
    ("info", "Good to know:"),
    ("person", "The terms also say (these cannot be seen on the page, so a person confirms them):"),
)


def group(clause: Clause) -> str:
    """must / should / info by severity, or person for terms no page can show."""
    if isinstance(clause.check, ManualCheck):
        return "person"
    return {Severity.ERROR: "must", Severity.WARNING: "should"}.get(clause.severity, "info")


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent) or [first or indent]


def explain(policy: Policy, details: bool = False) -> str:
    out = [policy.title, f"Licensor: {policy.licensor}", f"Terms: {policy.terms_url}", ""]
    if policy.description:
        out.extend(_wrap(policy.description, ""))
        out.append("")
    if details and policy.applies_to is not None:
        out.extend(_wrap(f"Applies to pages where {policy.applies_to.describe()}.", ""))
        out.append("")
    clauses = [c for c in policy.clauses if c.enabled]
    marks: set[str] = set()
    n = 0
    for key, heading in _GROUPS:
        members = [c for c in clauses if group(c) == key]
        if not members:
            continue
        out.append(heading)
        out.append("")
        for clause in members:
            n += 1
            mark = _UNCONFIRMED.get(clause.certainty, "")
            if mark:
                marks.add(clause.certainty)
            out.extend(_clause(n, clause, mark, details))
            out.append("")
    if marks:
        if "secondary" in marks:
            out.extend(_wrap("* Read from quotations of the terms or from republished copies, not from the "
                             "licensor's own page: please check the terms page.", "  ", ""))
        if "inferred" in marks:
            out.extend(_wrap("** Our reading: the terms do not say this in so many words.", "   ", ""))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def requirement(clause: Clause) -> str:
    """What the clause asks, as a republisher reads it: the license's words, else what is checked."""
    if isinstance(clause.check, ManualCheck):
        return clause.term or clause.check.note
    return clause.term or clause.description or clause.check.describe()


def as_data(policy: Policy) -> dict[str, Any]:
    """The policy in plain words as data (``GET /v1/policies/{id}``): the groups and sentences of ``explain``."""
    clauses = [{"id": c.id, "title": c.title, "severity": c.severity.value, "group": group(c),
                "requirement": requirement(c),
                "how_to_comply": "" if isinstance(c.check, ManualCheck) else c.remediation,
                "checked_as": c.check.describe(), "source": c.source, "certainty": c.certainty}
               for c in policy.clauses if c.enabled]
    return {"id": policy.id, "title": policy.title, "licensor": policy.licensor, "terms_url": policy.terms_url,
            "description": policy.description, "clauses": clauses, "text": explain(policy)}


def _clause(n: int, clause: Clause, mark: str, details: bool) -> list[str]:
    lines = [f"{n:>2}. {clause.title}{mark}" + (f"  [{clause.id}, {clause.severity.value}]" if details else "")]
    indent = "    "
    lines.extend(_wrap(requirement(clause), indent))
    if not isinstance(clause.check, ManualCheck):
        if clause.remediation:
            lines.extend(_wrap(clause.remediation, indent, indent + "How: "))
    if details:
        if clause.description and clause.description != clause.term:
            lines.extend(_wrap(clause.description, indent, indent + "Checked: "))
        lines.extend(_wrap(clause.check.describe() + ".", indent, indent + "Rule: "))
        if clause.when is not None:
            lines.extend(_wrap(clause.when.describe() + ".", indent, indent + "Only when: "))
        if clause.source or clause.certainty:
            source = clause.source + (f" ({clause.certainty})" if clause.certainty else "")
            lines.extend(_wrap(source, indent, indent + "Source: "))
    return lines

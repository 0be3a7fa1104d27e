"""A policy in plain words: what a republisher must do, clause by clause (``policy show``)."""

from __future__ import annotations

import textwrap

from compliance.policy import Policy


def explain(policy: Policy) -> str:
    out = [policy.title, f"Licensor: {policy.licensor}", f"Terms: {policy.terms_url}", ""]
    if policy.description:
        out.extend(textwrap.wrap(" ".join(policy.description.split()), 88))
        out.append("")
    if policy.applies_to is not None:
        out.append(f"Applies to pages where {policy.applies_to.describe()}.")
        out.append("")
    out.append("A republished article must:")
    for i, clause in enumerate((c for c in policy.clauses if c.enabled), 1):
        out.append(f"{i}. {clause.title} [{clause.id}, {clause.severity.value}]")
        if clause.term:
            out.append(f"   Term: “{clause.term}”")
        text = clause.description or clause.check.describe()
        out.extend("   " + line for line in textwrap.wrap(" ".join(text.split()), 85))
        out.append(f"   Checked: {clause.check.describe()}.")
        if clause.when is not None:
            out.append(f"   Only when: {clause.when.describe()}.")
        if clause.remediation:
            out.extend("   " + line for line in textwrap.wrap("How to comply: " + " ".join(clause.remediation.split()), 85))
        out.append("")
    return "\n".join(out).rstrip() + "\n"

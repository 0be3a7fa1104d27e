"""A loaded policy: its clauses, each with one compiled check, and what reports need to know of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compliance.results.model import PolicyRef, Severity


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    severity: Severity
    check: Any
    description: str = ""
    remediation: str = ""
    term: str = ""
    source: str = ""
    certainty: str = ""
    when: Any = None
    enabled: bool = True
    line: int | None = None


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    licensor: str
    terms_url: str
    clauses: tuple[Clause, ...]
    applies_to: Any = None
    description: str = ""
    file: str = ""
    data: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def ref(self) -> PolicyRef:
        return PolicyRef(self.id, self.title, self.licensor, self.terms_url)

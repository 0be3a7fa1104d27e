"""``manual``: a term no program can verify from the page; always asks a person to review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compliance.checks.base import REVIEW, Context, Outcome, register

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["note"],
    "properties": {"note": {"type": "string", "minLength": 1,
                            "description": "What a person must verify, in one or two sentences."}},
}


@dataclass(frozen=True)
class ManualCheck:
    note: str

    def evaluate(self, ctx: Context) -> Outcome:
        return Outcome(REVIEW, f"This term cannot be verified from the page alone: {self.note}")

    def describe(self) -> str:
        return f"(checked by a person) {self.note}"


@register("manual", SCHEMA)
def build_manual(options: dict[str, Any], where: Any) -> ManualCheck:
    """Always 'review': records a term that needs a person (e.g. 'do not sell ads against the story')."""
    return ManualCheck(options["note"])

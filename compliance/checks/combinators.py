"""``all``, ``any`` and ``not``: boolean composition of checks (axe-core's any/all/none).

``all`` evaluates every child, so a failure's explanation is complete;
``any`` stops at the first child that passes (its evidence is the proof).
Verdicts never depend on the order in which children are written. ``review`` (cannot
decide) propagates: ``all`` of pass and review is review; ``any`` of fail and
review is review; ``not`` of review is review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compliance.checks.base import FAIL, PASS, REVIEW, Check, Context, Outcome, register

CHILDREN_SCHEMA: dict[str, Any] = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/check"}}


@dataclass(frozen=True)
class All:
    children: tuple[Check, ...]

    def evaluate(self, ctx: Context) -> Outcome:
        outcomes = [c.evaluate(ctx) for c in self.children]
        failed = [o for o in outcomes if o.status is FAIL]
        review = [o for o in outcomes if o.status is REVIEW]
        if failed:
            return _merge(FAIL, failed, outcomes)
        if review:
            return _merge(REVIEW, review, outcomes)
        return _merge(PASS, outcomes, outcomes)

    def describe(self) -> str:
        return "all of: " + "; ".join(c.describe() for c in self.children)


@dataclass(frozen=True)
class Any_:
    children: tuple[Check, ...]

    def evaluate(self, ctx: Context) -> Outcome:
        outcomes = []
        for child in self.children:
            outcome = child.evaluate(ctx)
            if outcome.status is PASS:  # the verdict is settled; its evidence is the passing check's
                return outcome
            outcomes.append(outcome)
        passed = [o for o in outcomes if o.status is PASS]
        review = [o for o in outcomes if o.status is REVIEW]
        if passed:
            return _merge(PASS, passed, passed)
        if review:
            return _merge(REVIEW, review, outcomes)
        return _merge(FAIL, outcomes, outcomes)

    def describe(self) -> str:
        return "at least one of: " + "; ".join(c.describe() for c in self.children)


@dataclass(frozen=True)
class Not:
    child: Check

    def evaluate(self, ctx: Context) -> Outcome:
        inner = self.child.evaluate(ctx)
        if inner.status is REVIEW:
            return inner
        flipped = FAIL if inner.status is PASS else PASS
        verb = "the policy forbids it" if flipped is FAIL else "which the policy forbids, as it should be"
        return Outcome(flipped, f"{_strip_period(inner.message)}: {verb}." if flipped is FAIL else
                       f"{_strip_period(inner.message)}, {verb}.", inner.evidence)

    def describe(self) -> str:
        return "never: " + self.child.describe()


def _merge(status, chosen: list[Outcome], evidence_from: list[Outcome]) -> Outcome:
    message = " ".join(o.message for o in chosen)
    evidence = tuple(e for o in evidence_from for e in o.evidence)
    return Outcome(status, message, evidence)


def _strip_period(text: str) -> str:
    return text[:-1] if text.endswith(".") else text


def _children(options: Any, where: Any) -> tuple[Check, ...]:
    return tuple(where.child(i).build(item) for i, item in enumerate(options))


@register("all", CHILDREN_SCHEMA)
def build_all(options: Any, where: Any) -> Check:
    """Passes when every listed check passes."""
    return All(_children(options, where))


@register("any", CHILDREN_SCHEMA)
def build_any(options: Any, where: Any) -> Check:
    """Passes when at least one listed check passes."""
    return Any_(_children(options, where))


@register("not", {"$ref": "#/$defs/check"})
def build_not(options: Any, where: Any) -> Check:
    """Passes when the inner check fails (and fails when it passes)."""
    return Not(where.build(options))

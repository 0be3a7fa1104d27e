"""The check primitives. Each module registers itself in ``REGISTRY`` on import.

The list below is the one place that decides which primitives exist: add a
module, import it here, and the policy schema and ``policy show`` pick it up.
Checks read the page model (``document``), originals and ``text``; they never import the policy
loader: a check that nests others builds them through the ``Where`` it is handed.
"""

from __future__ import annotations

from compliance.checks import (  # noqa: F401  (imported for registration)
    byline,
    combinators,
    credit,
    dates,
    element,
    image,
    indexing,
    integrity,
    link,
    logo,
    manual,
    meta,
    original,
    text,
)
from compliance.checks.base import REGISTRY, Check, Context, Outcome, Primitive

__all__ = ["REGISTRY", "Check", "Context", "Outcome", "Primitive"]

"""The check primitives. Each module registers its own in ``REGISTRY`` when it is imported.

``PRIMITIVES`` below is the one place that decides which primitives exist and where each lives: add a
module, name its primitives here, and the policy schema and ``policy show`` pick them up. A module is
imported only when a policy uses one of its primitives (``base.Registry``), so a run loads the checks
it needs and no more.
Checks read the page model (``document``), originals and ``text``; they never import the policy
loader: a check that nests others builds them through the ``Where`` it is handed.
"""

from __future__ import annotations

from compliance.checks.base import REGISTRY, Check, Context, Outcome, Primitive

__all__ = ["PRIMITIVES", "REGISTRY", "Check", "Context", "Outcome", "Primitive"]

# primitive name -> the module of this package that registers it
PRIMITIVES = {
    "all": "combinators", "any": "combinators", "not": "combinators",
    "byline": "byline",
    "credit": "credit",
    "published_within": "dates",
    "element": "element",
    "image": "image",
    "canonical": "indexing", "indexing": "indexing",
    "headline": "integrity", "integrity": "integrity",
    "link": "link",
    "logo": "logo",
    "manual": "manual",
    "meta": "meta",
    "original_link": "original", "links_kept": "original", "if_original": "original", "matched_original": "original",
    "text": "text",
}

REGISTRY.declare({name: f"{__name__}.{module}" for name, module in PRIMITIVES.items()})

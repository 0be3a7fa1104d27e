"""``image``: images counted by where they come from, whichever attribute names the address.

"No ProPublica photos" means any image a reader may be shown from ProPublica's image server: its
``src``, ``srcset``, a lazy-loading attribute (``data-src``, ``data-srcset`` …), a ``<source srcset>``
of the ``<picture>`` it sits in, an SVG ``<image>``, a CSS ``background-image``. The sources are
read the way the ``logo`` check reads them (``image_sources``), so both agree on what an image
shows. Content of a ``<template>`` is never instantiated and counts nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from compliance.checks.base import FAIL, PASS, Context, Outcome, register
from compliance.checks.logo import CANDIDATE_QUERIES, image_sources
from compliance.checks.options import PATTERNS_SCHEMA, PatternList, pattern_list
from compliance.text.patterns import normalize

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["src"],
    "properties": {
        "src": {**PATTERNS_SCHEMA,
                "description": "Patterns for any address the image may show (src, srcset, lazy-loading "
                               "attributes, <picture> sources, CSS backgrounds)."},
        "visible": {"enum": [True, False, "any"], "default": "any",
                    "description": "Count only images a reader sees, only hidden ones, or any (default)."},
        "min": {"type": "integer", "minimum": 0, "default": 1,
                "description": "At least this many must match (default 1; 0 when max is 0)."},
        "max": {"type": "integer", "minimum": 0, "description": "At most this many may match (0 forbids)."},
    },
}


@dataclass(frozen=True)
class ImageCheck:
    src: PatternList
    visible: Any
    min: int
    max: int | None

    def evaluate(self, ctx: Context) -> Outcome:
        page = ctx.page
        patterns = [p for p in self.src.resolve(ctx) if page.may_match(p)]
        matched: list[tuple[Any, str]] = []
        rejected: list[tuple[Any, str]] = []
        if patterns:
            for el in _images(page):
                url = next((u for u in image_sources(el) if any(p.matches(normalize(u)) for p in patterns)), None)
                if url is None:
                    continue
                why = page.inert_reason(el) or self._visibility(page, el)
                (rejected if why else matched).append((el, why or url))
        n = len(matched)
        ok = n >= self.min and (self.max is None or n <= self.max)
        evidence = tuple(page.evidence(el, f"An image from {url[:120]}.") for el, url in matched[:5])
        evidence += tuple(page.evidence(el, f"An image not counted: {why}.") for el, why in rejected[:3])
        found = f"Found {n} image(s) from {self.src.describe()}"
        if matched:
            found += f" (first at line {matched[0][0].sourceline}: {matched[0][1][:120]})"
        return Outcome(PASS if ok else FAIL, f"{found}; the policy requires {self._bounds()}.", evidence)

    def _visibility(self, page, el: Any) -> str | None:
        if self.visible == "any":
            return None
        visible = page.is_visible(el)
        if self.visible is True and not visible:
            return f"it is hidden ({page.hidden_reason(el)})"
        if self.visible is False and visible:
            return "it is visible"
        return None

    def _bounds(self) -> str:
        if self.max == 0:
            return "none"
        if self.max is None:
            return f"at least {self.min}"
        return f"between {self.min} and {self.max}"

    def describe(self) -> str:
        return f"{self._bounds()} image(s) from {self.src.describe()}"


def _images(page) -> Iterator[Any]:
    """Each image-like element once; a <picture>'s sources are read through its <img>."""
    seen = set()
    for kind, query in CANDIDATE_QUERIES:
        if kind == "picture" or not page.may_contain([kind]):
            continue
        for el in query(page.root):
            if el not in seen:
                seen.add(el)
                yield el
    if page.may_contain(["picture"]):  # a <picture> without an <img> (invalid, but seen) still shows its sources
        for picture in page.root.iter("picture"):
            if picture.find(".//img") is None:
                yield picture


@register("image", SCHEMA)
def build_image(options: dict[str, Any], where: Any) -> ImageCheck:
    """Images whose address (any source attribute, <picture> sources, CSS backgrounds) matches, counted."""
    maximum = options.get("max")
    minimum = int(options.get("min", 1 if maximum != 0 else 0))
    if maximum is not None and maximum < minimum:
        raise where.error("max", f"max ({maximum}) is smaller than min ({minimum})")
    return ImageCheck(pattern_list(options["src"], where, "src"), options.get("visible", "any"), minimum, maximum)

"""``element``: elements chosen by CSS selector or XPath, with attribute and text conditions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compliance.checks.base import FAIL, PASS, Context, Outcome, register
from compliance.checks.options import (
    PATTERNS_SCHEMA,
    SELECTOR_SCHEMA,
    PatternList,
    compile_selector,
    pattern_list,
)
from compliance.text.patterns import normalize

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["selector"],
    "properties": {
        "selector": SELECTOR_SCHEMA,
        "attributes": {"type": "object", "additionalProperties": PATTERNS_SCHEMA,
                       "description": "Attribute name → patterns its value must match."},
        "text": {**PATTERNS_SCHEMA, "description": "Patterns the element's visible text must match (text hidden "
                                                   "inside it does not count)."},
        "links": {"type": "integer", "minimum": 1,
                  "description": "The element must hold at least this many visible links (<a href>)."},
        "visible": {"enum": [True, False, "any"], "default": True,
                    "description": "Count only visible elements (default), only hidden ones, or any."},
        "min": {"type": "integer", "minimum": 0, "default": 1,
                "description": "At least this many must match (default 1; 0 when max is 0)."},
        "max": {"type": "integer", "minimum": 0, "description": "At most this many may match (0 forbids)."},
    },
}


@dataclass(frozen=True)
class ElementCheck:
    selector_text: str
    selector: Any
    attributes: tuple[tuple[str, PatternList], ...]
    text: PatternList | None
    visible: Any
    min: int
    max: int | None
    links: int | None = None

    def evaluate(self, ctx: Context) -> Outcome:
        page = ctx.page
        matched, rejected = [], []
        for el in self.selector(page.root):
            if not hasattr(el, "tag"):
                continue  # an XPath may select text or attributes
            why = self._reject(el, ctx)
            if why:
                rejected.append((el, why))
            else:
                matched.append(el)
        n = len(matched)
        ok = n >= self.min and (self.max is None or n <= self.max)
        evidence = tuple(page.evidence(el, "A matching element.") for el in matched[:5])
        evidence += tuple(page.evidence(el, f"Selected but not counted: {why}.") for el, why in rejected[:3])
        if ok:
            return Outcome(PASS, f"Found {n} element(s) matching {self._what()}, as required "
                                 f"({self._bounds()}).", evidence)
        return Outcome(FAIL, f"Found {n} element(s) matching {self._what()}; the policy requires "
                             f"{self._bounds()}.", evidence)

    def _reject(self, el: Any, ctx: Context) -> str | None:
        page = ctx.page
        inert = page.inert_reason(el)
        if inert:  # counts nowhere, whatever `visible` says: a pixel in a <template> never loads
            return inert
        for name, patterns in self.attributes:
            value = el.get(name)
            if value is None:
                return f"it has no {name} attribute"
            if not any(p.matches(normalize(value)) for p in patterns.resolve(ctx)):
                return f"its {name} does not match {patterns.describe()}"
        if self.text is not None:
            if not any(p.matches(normalize(page.visible_text_within(el, 5000))) for p in self.text.resolve(ctx)):
                return f"its text does not match {self.text.describe()}"
        if self.links is not None:
            shown = sum(1 for a in el.iter("a") if a.get("href") and page.is_visible(a))
            if shown < self.links:
                return f"it holds {shown} visible link(s), fewer than {self.links}"
        if self.visible != "any":
            visible = page.is_visible(el)
            if self.visible is True and not visible:
                return f"it is hidden ({page.hidden_reason(el)})"
            if self.visible is False and visible:
                return "it is visible"
        return None

    def _what(self) -> str:
        parts = [f"`{self.selector_text}`"]
        for name, patterns in self.attributes:
            parts.append(f"with {name} {patterns.describe()}")
        if self.text is not None:
            parts.append(f"with text {self.text.describe()}")
        if self.links is not None:
            parts.append(f"holding at least {self.links} visible link(s)")
        if self.visible is True:
            parts.append("(visible)")
        return " ".join(parts)

    def _bounds(self) -> str:
        if self.max == 0:
            return "none"
        if self.max is None:
            return f"at least {self.min}"
        return f"between {self.min} and {self.max}"

    def describe(self) -> str:
        return f"{self._bounds()} element(s) matching {self._what()}"


@register("element", SCHEMA)
def build_element(options: dict[str, Any], where: Any) -> ElementCheck:
    """Elements selected by CSS or XPath, counted after attribute, text and visibility conditions."""
    attrs = tuple((name, pattern_list(value, where.child("attributes"), name))
                  for name, value in (options.get("attributes") or {}).items())
    minimum = int(options.get("min", 1 if options.get("max") != 0 else 0))
    maximum = options.get("max")
    if maximum is not None and maximum < minimum:
        raise where.error("max", f"max ({maximum}) is smaller than min ({minimum})")
    return ElementCheck(
        options["selector"],
        compile_selector(options["selector"], where, "selector"),
        attrs,
        pattern_list(options["text"], where, "text") if "text" in options else None,
        options.get("visible", True),
        minimum,
        maximum,
        options.get("links"),
    )

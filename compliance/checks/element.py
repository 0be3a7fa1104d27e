"""``element``: elements chosen by CSS selector or XPath, with attribute and text conditions."""

from __future__ import annotations

import re
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


def _shares_a_word(value: str, patterns: PatternList, ctx: Context) -> bool:
    """Whether ``value`` holds the most telling word of a pattern (its longest, of 4 letters or more)."""
    folded = normalize(value)
    for pattern in patterns.resolve(ctx):
        words = [w for w in pattern.required_words() if len(w) >= 4]
        if words and max(words, key=len) in folded:
            return True
    return False


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
        matched, near = [], []
        broad = self._bare_tag  # `script`, `img`
        for el in self.selector(page.root):
            if not hasattr(el, "tag"):
                continue  # an XPath may select text or attributes
            why, relevant = self._reject(el, ctx)
            if why is None:
                matched.append(el)
            elif relevant or not broad:  # a narrow selector (p.credit) picks the element the clause is about
                near.append((el, why))
        n = len(matched)
        ok = n >= self.min and (self.max is None or n <= self.max)
        evidence = tuple(page.evidence(el, "A matching element.") for el in matched[:5])
        # with a bare tag for a selector, only the near misses: another service's <script> says nothing
        # about the missing pixel
        evidence += tuple(page.evidence(el, f"Selected but not counted: {why}.") for el, why in near[:3])
        found = f"Found {n if n else 'no'} {self._what(plural=n != 1)}"
        if ok:
            required = "" if self._bounds() == "at least 1" else f", as required ({self._bounds()})"
            return Outcome(PASS, f"{found}{required}.", evidence)
        return Outcome(FAIL, f"{found}; the policy requires {self._bounds()}.", evidence)

    def _reject(self, el: Any, ctx: Context) -> tuple[str | None, bool]:
        """Why ``el`` does not count (None when it does), and whether it came close enough to show."""
        page = ctx.page
        inert = page.inert_reason(el)
        if inert:  # counts nowhere, whatever `visible` says: a pixel in a <template> never loads
            return inert, self._close(el, ctx)
        for name, patterns in self.attributes:
            value = el.get(name)
            if value is None:
                return f"it has no {name} attribute", False
            if not any(p.matches(normalize(value)) for p in patterns.resolve(ctx)):
                return f"its {name} does not match {patterns.describe()}", _shares_a_word(value, patterns, ctx)
        if self.text is not None:
            text = page.visible_text_within(el, 5000)
            if not any(p.matches(normalize(text)) for p in self.text.resolve(ctx)):
                return f"its text does not match {self.text.describe()}", _shares_a_word(text, self.text, ctx)
        if self.links is not None:
            shown = sum(1 for a in el.iter("a") if a.get("href") and page.is_visible(a))
            if shown < self.links:
                return f"it holds {shown} visible link(s), fewer than {self.links}", True
        if self.visible != "any":
            visible = page.is_visible(el)
            if self.visible is True and not visible:
                return f"it is hidden ({page.hidden_reason(el)})", True
            if self.visible is False and visible:
                return "it is visible", True
        return None, False

    @property
    def _bare_tag(self) -> bool:
        """Whether the selector is a bare tag name (`script`, `img`)."""
        return re.fullmatch(r"[a-z][a-z0-9]*", self.selector_text.strip()) is not None

    def _close(self, el: Any, ctx: Context) -> bool:
        """Whether ``el`` meets every attribute and text condition (so only where it sits keeps it out)."""
        return all(el.get(name) is not None and any(p.matches(normalize(el.get(name))) for p in pats.resolve(ctx))
                   for name, pats in self.attributes)

    def _what(self, plural: bool = True) -> str:
        noun = f"<{self.selector_text.strip()}>" if self._bare_tag else \
            f"element{'s' if plural else ''} matching `{self.selector_text}`"
        parts = [noun]
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
        return f"{self._bounds()} {self._what()}"


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

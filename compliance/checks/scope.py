"""Narrowing a check to part of a page: ``within`` selectors and ``position`` windows."""

from __future__ import annotations

from typing import Any

from compliance.checks.options import SELECTOR_SCHEMA, compile_selector
from compliance.document.page import Line, Page, inside_any

SCOPE_PROPERTIES: dict[str, Any] = {
    "within": {
        "description": "Only look inside elements matching this selector; or a list of selectors, of which the "
                       "first that matches anything on the page is used (e.g. [article, main, body]).",
        "oneOf": [SELECTOR_SCHEMA, {"type": "array", "items": SELECTOR_SCHEMA, "minItems": 1}],
    },
    "position": {"enum": ["top", "bottom", "anywhere"], "default": "anywhere",
                 "description": "Only look at the first or last lines of visible text (of the scope)."},
    "window": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 8,
               "description": "How many visible lines count as the top or bottom (default 8)."},
}


class Scope:
    """Compiled ``within``/``position``/``window`` options."""

    def __init__(self, options: dict[str, Any], where: Any):
        within = options.get("within")
        if isinstance(within, list):  # fallbacks: the first selector that matches on the page wins
            self.within_text = f"{', '.join(within)} (the first of these the page has)"
            self.selectors = [compile_selector(s, where.child("within"), i) for i, s in enumerate(within)]
        else:
            self.within_text = within
            self.selectors = [compile_selector(within, where, "within")] if within else []
        self.within = self.selectors[0] if self.selectors else None
        self.position = options.get("position", "anywhere")
        self.window = int(options.get("window", 8))

    def roots(self, page: Page) -> list[Any] | None:
        """Elements to search inside, or None for the whole page."""
        if not self.selectors:
            return None
        for selector in self.selectors:
            found = selector(page.root)
            if found:
                return found
        return []

    def lines(self, page: Page) -> list[Line]:
        roots = self.roots(page)
        lines = page.lines
        if roots is not None:
            scope = set(roots)
            lines = [ln for ln in lines if inside_any(ln.block, scope) or _holds_scope_text(ln, scope)]
        if self.position == "top":
            top = lines[: self.window]
            # "the top of the story" starts at its headline, wherever the page puts that relative to
            # the scope (many pages keep the <h1> in a header outside the article body)
            near_headline = _after_headline(page, self.window)
            if near_headline:
                ids = {id(ln) for ln in top}
                top = top + [ln for ln in near_headline if id(ln) not in ids]
            lines = top
        elif self.position == "bottom":
            lines = lines[-self.window:]
        return lines

    def describe(self) -> str:
        parts = []
        if self.within_text:
            parts.append(f"inside {self.within_text}")
        if self.position == "top":
            parts.append(f"in the first {self.window} lines of text (of the scope, or from the headline on)")
        elif self.position == "bottom":
            parts.append(f"in the last {self.window} lines of text")
        return (" " + ", ".join(parts)) if parts else ""

    def restricts_position(self) -> bool:
        return self.position != "anywhere"


def _after_headline(page: Page, window: int) -> list[Line]:
    """The lines from just above the story's headline (the longest visible <h1>) to ``window`` lines below it."""
    headlines = [h for h in page.root.iter("h1") if page.is_visible(h)]
    if not headlines:
        return []
    headline = max(headlines, key=lambda h: len(" ".join("".join(h.itertext()).split())))
    lines = page.lines
    for index, line in enumerate(lines):
        if line.block is headline or inside_any(line.block, {headline}) or any(o is headline for _, o in line.owners):
            return lines[max(0, index - 2): index + 1 + window]
    return []


def _holds_scope_text(line: Line, scope: set[Any]) -> bool:
    """An inline scope root (``within: span.credit``) sits inside a larger line: count that line."""
    return any(inside_any(owner, scope) for _, owner in line.owners)

"""Narrowing a check to part of a page: ``within`` selectors, and the top or bottom of the story."""

from __future__ import annotations

from typing import Any

from compliance.checks.options import SELECTOR_SCHEMA, compile_selector
from compliance.document.page import LINE_BLOCK_TAGS, Line, Page, inside_any
from compliance.document.story import ABOVE_HEADLINE, headline_index, paragraph_indices

SCOPE_PROPERTIES: dict[str, Any] = {
    "within": {
        "description": "Only look inside elements matching this selector; or a list of selectors, of which the "
                       "first that matches anything on the page is used (e.g. [article, main, body]).",
        "oneOf": [SELECTOR_SCHEMA, {"type": "array", "items": SELECTOR_SCHEMA, "minItems": 1}],
    },
    "position": {"enum": ["top", "bottom", "anywhere"], "default": "anywhere",
                 "description": "Only look at the top of the story (from its headline to the end of its first "
                                "paragraph) or its bottom (from its last paragraph on), within the scope."},
    "paragraphs": {"type": "integer", "minimum": 1, "maximum": 50, "default": 1,
                   "description": "How many of the story's paragraphs the top or bottom takes in (default 1: the "
                                  "first or last paragraph and what lies above or below it)."},
    "window": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 8,
               "description": "Only where no story paragraph is found (a page of short lines): how many visible "
                              "lines count as the top or bottom (default 8)."},
}


class Scope:
    """Compiled ``within``/``position``/``paragraphs``/``window`` options.

    The top and bottom are measured against the story (``compliance.document.story``), not a line count:
    share bars, tag lists and toolbars above the first paragraph do not push a credit out of the top, and
    a credit after the last paragraph of a two-paragraph story is at the bottom, not the top.
    """

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
        self.paragraphs = int(options.get("paragraphs", 1))
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
        if roots is None:
            lines = page.lines
        elif all(isinstance(r.tag, str) and r.tag in LINE_BLOCK_TAGS for r in roots):
            lines = page.lines_in(roots)  # a block's text makes lines of its own: only its subtree is read
        else:
            lines = self.narrow(roots, page.lines)
        if self.position == "top":
            return self._top(page, lines)
        if self.position == "bottom":
            found = paragraph_indices(lines, last=self.paragraphs)
            return lines[found[0]:] if found else lines[-self.window:]
        return lines

    @staticmethod
    def narrow(roots: list[Any], lines: list[Line]) -> list[Line]:
        """The lines inside the scope's roots (an inline root inside a longer line counts that line)."""
        scope = set(roots)
        return [ln for ln in lines if inside_any(ln.block, scope) or _holds_scope_text(ln, scope)]

    def _top(self, page: Page, lines: list[Line]) -> list[Line]:
        h = headline_index(page, lines)
        # the story starts at its headline: prose above it (a site blurb, a previous teaser) is not the story,
        # and breadcrumbs and menus above the headline are not its top
        start = max(0, h - ABOVE_HEADLINE) if h is not None else 0
        found = [start + i for i in paragraph_indices(lines[start:], first=self.paragraphs)]
        end = found[-1] + 1 if found else min(start + self.window, len(lines))
        top = lines[start:end]
        if h is None and lines:
            # the headline sits outside the scope (many pages keep the <h1> in a header above the article
            # body): the story's top also takes in the lines from just above it down to the scope
            everything = page.lines
            at = headline_index(page, everything)
            first = next((i for i, ln in enumerate(everything) if ln == lines[0]), None)  # equal, perhaps not the same object
            if at is not None and first is not None and at < first:
                between = everything[at + 1:first]
                found_between = paragraph_indices(between, first=self.paragraphs)
                stop = at + 1 + (found_between[-1] + 1 if len(found_between) == self.paragraphs else len(between))
                top = everything[max(0, at - ABOVE_HEADLINE):stop] + (top if stop >= first else [])
        return top

    def describe(self) -> str:
        parts = []
        if self.within_text:
            parts.append(f"inside {self.within_text}")
        which = "first paragraph" if self.paragraphs == 1 else f"first {self.paragraphs} paragraphs"
        if self.position == "top":
            parts.append(f"at the top of the story (from its headline to the end of its {which})")
        elif self.position == "bottom":
            which = which.replace("first", "last")
            parts.append(f"at the bottom of the story (from its {which} on)")
        return (" " + ", ".join(parts)) if parts else ""

    def restricts_position(self) -> bool:
        return self.position != "anywhere"


def _holds_scope_text(line: Line, scope: set[Any]) -> bool:
    """An inline scope root (``within: span.credit``) sits inside a larger line: count that line."""
    return any(inside_any(owner, scope) for _, owner in line.owners)

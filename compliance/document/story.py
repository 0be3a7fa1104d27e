"""The story's shape on a page: its headline, and which visible lines are its paragraphs.

"At the top of the story" and "at the bottom" are about the story, not a count of lines: a credit
that is the story's first paragraph is at the top even when a share bar, a tag list and a toolbar
of a dozen short lines sit above it inside the article, and a credit after the story's last
paragraph is at the bottom however short the story is. So:

- the **headline** is the story's ``<h1>`` (the longest visible one: pages repeat the site name or a
  section in shorter ones);
- a **story paragraph** is a visible line that reads as prose (at least ``MIN_WORDS`` words ending in
  sentence punctuation) and is not page chrome (related stories, teasers, comments, navigation) nor
  an author box (a bio is not the story);
- the **header** is what sits between the headline and the first story paragraph: the kicker above
  the headline, the byline, the dateline, a share bar. Bylines there count whatever their class says.
"""

from __future__ import annotations

import re
from typing import Any

from compliance.document.page import Line, Page, inside_any
from compliance.document.regions import author_markup, negative_region
from compliance.text.regex import lazy

MIN_WORDS = 8          # "The vote was 4-1." is a sentence; "Share on Facebook" and "4 min read" are not prose
HEADER_LINES = 12      # the story header ends at the first paragraph, or this many lines below the headline
ABOVE_HEADLINE = 2     # a kicker or section label just above the headline belongs to the story's top
MIN_CJK_CHARS = 30    # a sentence of Chinese or Japanese, which has no spaces to count words by
_PROSE_END = re.compile(r"[.!?…:;。！？][\"”’'»)\]」』]*$")
_CJK = lazy(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_NOT_PROSE_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "caption", "nav", "button",
                             "label", "option", "dt", "th", "header", "footer"})
# Prose-shaped page furniture that follows a story on real pages (fundus's publisher parsers leave it out):
# the site's copyright line, a newsletter sign-up, a footer blurb, a subscription box. Never story paragraphs,
# so a credit after the story's last paragraph stays at its bottom.
_BOILERPLATE = re.compile(r"^(©|\(c\) |copyright\b)|all rights reserved|"
                          r"\b(sign up|subscribe)\b.{0,60}\bnewsletters?\b|\bnewsletters?\b.{0,60}\b(sign up|subscribe)\b",
                          re.I)
_FURNITURE = lazy(r"(^|[\s_-])(footer|copyright|newsletter|subscribe|subscription|paywall|promo)", re.I)
FURNITURE_DEPTH = 4  # how many elements up a furniture class may sit (not the story's own wrappers further up)


def headline(page: Page) -> Any:
    """The story's headline element (the longest visible ``<h1>``), or None; once per page."""
    return page.derive(_headline)


def _headline(page: Page) -> Any:
    best, size = None, 0
    for h in page.root.iter("h1"):
        if not page.is_visible(h):
            continue
        n = len(" ".join("".join(h.itertext()).split()))
        if n > size:
            best, size = h, n
    return best


def headline_index(page: Page, lines: list[Line]) -> int | None:
    """Index in ``lines`` of the first line of the headline, or None when the headline is not among them."""
    h = headline(page)
    if h is None:
        return None
    for i, line in enumerate(lines):
        if line.block is h or inside_any(line.block, {h}) or any(o is h for _, o in line.owners):
            return i
    return None


def reads_as_prose(line: Line) -> bool:
    """Text shaped like a paragraph of a story (before asking whether it sits in chrome)."""
    text = line.text
    if not _PROSE_END.search(text):
        return False
    words = len(text.split())
    if words < MIN_WORDS and not (len(text) >= MIN_CJK_CHARS and _CJK.search(text)):  # Chinese, Japanese: no spaces
        return False
    block = line.block
    return not (isinstance(block.tag, str) and block.tag in _NOT_PROSE_TAGS)


def is_story_paragraph(line: Line) -> bool:
    """A paragraph of the story itself: prose, outside page chrome, furniture and author boxes."""
    return (reads_as_prose(line) and not _BOILERPLATE.search(line.text) and not _in_furniture(line.block)
            and negative_region(line.block) is None and author_markup(line.block, 3) is None)


def _in_furniture(el: Any) -> bool:
    """The block sits in a <footer> or, close above it, in an element classed as footer, copyright,
    newsletter, subscription, paywall or promo (the story's own wrappers higher up are not judged)."""
    node, depth = el, 0
    while node is not None and isinstance(node.tag, str) and node.tag not in ("body", "html", "article", "main"):
        if node.tag == "footer":
            return True
        if depth < FURNITURE_DEPTH:
            attrs = " ".join(v for k in ("class", "id") if (v := node.get(k)))
            if attrs and _FURNITURE.search(attrs):
                return True
        node, depth = node.getparent(), depth + 1
    return False


def paragraph_indices(lines: list[Line], first: int | None = None, last: int | None = None) -> list[int]:
    """Indices of story paragraphs in ``lines``: the first ``first`` of them from the start, or the last
    ``last`` from the end (only as many lines are judged as that takes)."""
    found: list[int] = []
    if first is not None:
        for i, line in enumerate(lines):
            if is_story_paragraph(line):
                found.append(i)
                if len(found) == first:
                    break
        return found
    for i in range(len(lines) - 1, -1, -1):
        if is_story_paragraph(lines[i]):
            found.append(i)
            if last is not None and len(found) == last:
                break
    return sorted(found)


def header_blocks(page: Page) -> frozenset[Any]:
    """Blocks of the story's header: from just above the headline to its first paragraph; once per page."""
    return page.derive(_header_blocks)


def _header_blocks(page: Page) -> frozenset[Any]:
    h = headline(page)
    if h is None:
        return frozenset()
    # read outwards from the headline, not the whole page: the smallest container that also holds the
    # story's first paragraph (or, failing that, the page)
    lines: list[Line] = []
    node = h.getparent()
    for _ in range(6):
        if node is None or node.tag in ("body", "html"):
            break
        lines = page.lines_in([node])
        start = headline_index(page, lines)
        if start is not None and any(is_story_paragraph(ln) for ln in lines[start + 1:start + 2 + HEADER_LINES]):
            break
        node = node.getparent()
    if not lines:  # the headline sits right in <body>
        lines = page.lines
    start = headline_index(page, lines)
    if start is None:
        return frozenset()
    out = []
    for i in range(max(0, start - ABOVE_HEADLINE), min(len(lines), start + 1 + HEADER_LINES)):
        if i > start and is_story_paragraph(lines[i]):
            break
        out.append(lines[i].block)
    return frozenset(out)

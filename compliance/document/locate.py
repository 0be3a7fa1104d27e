"""Finding where on a page a word is written, from its place in the source instead of a walk over the tree.

Every walk over a parsed page costs about a fifth of parsing it, even in C (libxml2's XPath included),
and a ``contains()`` test on every text node costs as much again. A word is usually written a handful
of times, and the page source says where: its byte offset gives a source line, the line leads down the
tree (children are in source order) to the smallest element holding that line, and only that
element's text is searched. The result is checked against the count of occurrences in the source;
whenever the two disagree (a minified page keeps everything on one line, a ``<`` inside a script
misleads the tag test), the whole body is searched the old way, so the answer is always the same.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

from lxml import etree

from compliance.document.page import Line, Page, block_ancestor

MAX_SPELLINGS = 8


def spellings_in(page: Page, word: str, whole_words: bool = True) -> tuple[str, ...]:
    """How ``word`` is actually written in the page source ("Doe", "DOE"), as whole words or anywhere.

    For an ASCII word this is read off the raw bytes: ASCII lower-casing keeps byte offsets, so each hit
    in the lower-cased source points at the original spelling. Other words keep their case variants.
    """
    from compliance.text.names import fold

    if not word:
        return ()
    plain = fold(word)
    if not word.isascii() or not plain.isascii():
        return tuple(sorted({word, word.lower(), word.upper(), word.title(), plain, plain.title(), plain.upper()}))
    needle = plain.lower().encode()
    src, raw = page.lower_source, page.utf8
    found: set[str] = set()
    size = len(needle)
    # whole words only: "doe" inside "does" is not a spelling of the name
    for pos in _starts_of(needle, whole_words, src):
        found.add(raw[pos:pos + size].decode("ascii", "replace"))
        if len(found) >= MAX_SPELLINGS:
            break
    return tuple(sorted(found))


def _starts_of(needle: bytes, whole_words: bool, src: bytes, start: int = 0) -> Any:
    """Offsets of ``needle`` in ``src`` from ``start``; with ``whole_words``, only where no letter or digit
    comes before or after it (the end is tested in C)."""
    if not whole_words:
        return _offsets(needle, src, start)
    return (m.start() for m in _ending_word(needle).finditer(src, start) if not src[m.start() - 1:m.start()].isalnum())


def _offsets(needle: bytes, src: bytes, start: int = 0) -> Any:
    size = len(needle)
    pos = src.find(needle, start)
    while pos >= 0:
        yield pos
        pos = src.find(needle, pos + size)


@lru_cache(maxsize=1024)
def _ending_word(needle: bytes) -> re.Pattern[bytes]:
    return re.compile(re.escape(needle) + rb"(?![A-Za-z0-9])")


def text_nodes_with(page: Page, spellings: tuple[str, ...], whole_words: bool = True) -> list[Any]:
    """Text nodes of the ``<body>`` that contain one of ``spellings``, in document order.

    With ``whole_words`` ASCII spellings must stand as whole words ("Doe", not "Does"); other
    spellings are matched anywhere.
    """
    return page.derive(_text_nodes_with, spellings, whole_words)


def lines_with(page: Page, pattern: Any) -> list[Line] | None:
    """The visible lines that may match ``pattern`` (a ``compliance.text.patterns.Pattern``), in document
    order: those holding its rarest required word. None when only the full visible-text pass can tell
    (a regex without required words, a word the source may spell with references or other forms)."""
    blocks = _blocks_for(page, pattern)
    return None if blocks is None else page.lines_in(blocks)


def lines_about(page: Page, patterns: list[Any], links: list[Any] = ()) -> list[Line] | None:
    """The visible lines that may match any of ``patterns`` or hold a link whose normalised address
    matches one of ``links``, in document order; None when only the full visible-text pass can tell."""
    from compliance.text.patterns import normalize

    blocks: list[Any] = []
    for pattern in patterns:
        found = _blocks_for(page, pattern)
        if found is None:
            return None
        blocks.extend(found)
    if links:
        # a link's address must hold every required word of a pattern: tested on the raw href first
        needs = [[w.encode() for w in p.required_words()] for p in links]
        for a in page.elements("a"):
            href = a.get("href")
            if not href:
                continue
            raw = href.encode("utf-8", "replace").lower()
            if any(all(w in raw for w in words) and p.search(normalize(href)) for p, words in zip(links, needs)):
                blocks.append(block_ancestor(a))
    return page.lines_in(blocks)


def _blocks_for(page: Page, pattern: Any) -> list[Any] | None:
    words = pattern.required_words()
    if not words or not all(w.isascii() for w in words) or any(page.respelled(w) for w in words) or \
            not page.may_contain(words):
        return None
    word = max(words, key=len)  # the longest word is usually the rarest
    return blocks_of(text_nodes_with(page, spellings_in(page, word, whole_words=False), whole_words=False))


def blocks_of(nodes: list[Any]) -> list[Any]:
    """The block elements (the units of visible lines) holding these text nodes."""
    blocks = []
    for node in nodes:
        parent = node.getparent()
        if parent is None:
            continue
        owner = parent.getparent() if node.is_tail else parent
        if owner is not None:
            blocks.append(block_ancestor(owner))
    return blocks


def _text_nodes_with(page: Page, spellings: tuple[str, ...], whole_words: bool) -> list[Any]:
    if not spellings:
        return []
    body = page.root.find("body")
    if body is None:
        return []
    if not all(s.isascii() for s in spellings):
        return _query(spellings)(body)
    whole = whole_word(spellings) if whole_words else _anywhere(spellings)
    located = _by_source(page, body, spellings, whole, whole_words)
    if located is not None:
        return located
    return [n for n in _query(spellings)(body) if whole.search(n)]


def _by_source(page: Page, body: Any, spellings: tuple[str, ...], whole: re.Pattern[str],
               whole_words: bool) -> list[Any] | None:
    """The nodes, found through the source; None when that cannot be trusted."""
    src = page.utf8
    start = page.lower_source.find(b"<body")
    if start < 0:
        return None
    offsets: list[int] = []
    for s in spellings:
        needle = s.encode()
        for pos in _starts_of(needle, whole_words, src, start):
            offsets.append(pos)
            if len(offsets) > 64:
                return None  # a common word: one search of the body is cheaper
    offsets.sort()
    expected = 0
    regions: list[Any] = []
    seen: set[Any] = set()
    line, at = 1, 0
    for offset in offsets:
        if src.rfind(b"<", 0, offset) > src.rfind(b">", 0, offset):
            continue  # inside a tag (an attribute) or a comment: not text
        expected += 1
        line += src.count(b"\n", at, offset)
        at = offset
        region = _region(body, line)
        if region not in seen:
            seen.add(region)
            regions.append(region)
    if not expected:
        return []
    query = _query(spellings)
    found: list[Any] = []
    keys: set[tuple[Any, bool]] = set()
    for region in _outermost(regions):
        nodes = [n for n in query(region) if whole.search(n)]
        if region is not body and region.tail and whole.search(region.tail):
            nodes.extend(_TAIL(region))
        for n in nodes:
            key = (n.getparent(), n.is_tail)
            if key not in keys:
                keys.add(key)
                found.append(n)
    if sum(len(whole.findall(n)) for n in found) != expected:
        return None
    return found


_TAIL = etree.XPath("following-sibling::node()[1][self::text()]")


def _region(body: Any, line: int) -> Any:
    """The smallest element that holds everything at ``line`` of the source (its tail included)."""
    node = body
    while True:
        n = len(node)
        if n == 0:
            return node
        lo, hi = 0, n
        while lo < hi:
            mid = (lo + hi) // 2
            if (node[mid].sourceline or 0) <= line:
                lo = mid + 1
            else:
                hi = mid
        i = lo - 1
        if i < 0:
            return node  # the line comes before every child: the element's own text
        child = node[i]
        if (child.sourceline or 0) >= line or not isinstance(child.tag, str):
            return node  # other elements may start on that line before the word: search them all
        node = child


def _outermost(regions: list[Any]) -> list[Any]:
    """The regions not inside another one, in the order found (source order)."""
    chosen = set(regions)
    out = []
    for region in regions:
        parent = region.getparent()
        inside = False
        while parent is not None:
            if parent in chosen:
                inside = True
                break
            parent = parent.getparent()
        if not inside:
            out.append(region)
    return out


@lru_cache(maxsize=1024)
def whole_word(spellings: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in spellings) + r")(?!\w)")


@lru_cache(maxsize=1024)
def _anywhere(spellings: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(s) for s in spellings))


@lru_cache(maxsize=1024)
def _query(spellings: tuple[str, ...]) -> etree.XPath:
    test = " or ".join(f"contains(., {_xpath_literal(v)})" for v in spellings)
    return etree.XPath(f"descendant::text()[{test}]")


def _xpath_literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in value.split("'")) + ")"


def script_hint(page: Page, words: list[str]) -> str:
    """A sentence for a failure whose words are written only in the page's script data, or "".

    A page that draws its byline or credit with JavaScript (React or Next hydration data, an inline
    script) has those words in a ``<script>``, not in its markup: read as served, they are not on the
    page; ``--render`` checks the page as a browser draws it.
    """
    needles = [w.casefold() for w in words if w]
    if page.rendered or not needles or not page.may_contain(needles):
        return ""  # a word the source lacks is in no script: the page need not even be parsed
    for script in page.elements("script"):
        if "ld+json" in (script.get("type") or "").lower():
            continue  # structured data for search engines: never drawn
        text = (script.text or "").casefold()
        if text and all(n in text for n in needles):
            return (f" The words are written in script data on the page (<script> at line {script.sourceline}): "
                    "if the page draws them with JavaScript, check it with --render.")
    return ""


def script_hint_for(page: Page, patterns: Iterable[Any]) -> str:
    """``script_hint`` for the first of ``patterns`` whose words are all in script data, or ""."""
    for pattern in patterns:
        hint = script_hint(page, pattern.required_words())
        if hint:
            return hint
    return ""

"""A parsed page and what a reader would see of it.

The tree is parsed once from already-decoded text (``compliance.inputs.decode``
decides the encoding; libxml2's own guess is wrong on too many real pages).
Everything expensive is computed lazily and cached: most checks only need a
handful of XPath queries, and the full visible-text pass runs only when a
check needs text positions.

Visibility (``compliance.document.visibility``) is decided once per page and
shared by every check, byline discovery and the article reader. Everything
derived from the page is cached here, in one place: the properties below, and
``derive`` for what other modules compute from a page (its bylines, its story,
its links by address). Comments are dropped at parse time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterator, TypeVar

from lxml import etree

from compliance.document.jsonld import parse_json_ld
from compliance.document.parsing import PageParseError, check_parse_log
from compliance.document.respelling import (
    decomposes_accents,
    referenced_symbols,
    respells_ascii_letters,
    spells_letters,
)
from compliance.document.styles.collect import Loader, collect
from compliance.document.visibility import (
    INVISIBLE_TAGS,
    RenderedVisibility,
    Visibility,
    describe,
    inert_reason,
    inline_visibility,
    text_readable,
)
from compliance.results.model import Evidence
from compliance.text.patterns import normalize
from compliance.text.shorten import clip

__all__ = ["INVISIBLE_TAGS", "Line", "Page", "PageParseError", "describe", "inline_visibility"]

T = TypeVar("T")
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "br", "img", "picture", "time",
})
# the blocks a visible Line is made of (a <br>, an image or a <time> ends a line but makes none of its own)
LINE_BLOCK_TAGS = BLOCK_TAGS - {"br", "img", "time"}
# inline elements that may sit inside a word (drop caps, emphasis); other element boundaries separate words
INTRAWORD_TAGS = frozenset({"b", "i", "em", "strong", "u", "s", "small", "sup", "sub", "mark", "font", "abbr"})
# huge_tree lifts libxml2's nesting-depth limit from 256 to 2048; past it libxml2 drops content and says so
# only in its error log, which check_parse_log reads. The page size is capped before parsing, and nothing
# here recurses over the tree.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8",
                           huge_tree=True)
# The elements checks look for by tag, gathered in one walk of the tree (``Page.elements``): each further
# walk, even in C, costs about a fifth of parsing the page.
# AMP pages write their images as <amp-img> (and <amp-anim>): they count wherever an <img> counts
IMG_TAGS = ("img", "amp-img", "amp-anim")
INVENTORY_TAGS = ("a", *IMG_TAGS, "svg", "picture", "source", "input", "amp-pixel", "iframe",
                  "h1", "h2", "meta", "link", "base", "time", "script", "style", "address", "template")
_INVENTORY = frozenset(INVENTORY_TAGS)


@dataclass(frozen=True)
class Line:
    """Visible text of one block (a paragraph, list item, div run…), with the owners of its pieces.

    ``text`` is the text as written (pieces joined, whitespace collapsed);
    ``owners`` maps offsets in ``text`` to the element that holds the piece
    starting there, so a match can be pinned to the tightest element.
    """

    block: etree._Element
    text: str
    owners: tuple[tuple[int, etree._Element], ...]

    @cached_property
    def norm(self) -> str:
        """``normalize(text)``: what patterns are matched against."""
        return normalize(self.text)

    def owner_at(self, offset: int) -> etree._Element:
        found = self.block
        for start, el in self.owners:
            if start > offset:
                break
            found = el
        return found


class Page:
    """One decoded HTML page: its tree, visibility and evidence helpers."""

    def __init__(self, text: str, source: str = "<page>", encoding: str | None = None, url: str | None = None,
                 lazy: bool = False, utf8: bytes | None = None, stylesheets: Loader | None = None,
                 rendered: bool = False):
        self.source = source
        self.text = text
        self.encoding = encoding
        self.url = url
        self.stylesheets = stylesheets  # reads the page's linked stylesheets (files beside it, its own site)
        self.rendered = rendered  # the DOM a browser rendered (--render): visibility comes marked by it
        self._utf8 = utf8 if utf8 is not None else text.encode("utf-8", "surrogatepass")
        if not lazy:
            self.root  # noqa: B018 - parse now, so that a broken page fails here
        self._word_cache: dict[str, bool] = {}
        self._symbols: dict[str, bool] = {}
        self._block_lines: dict[etree._Element, list[Line]] = {}
        self._derived: dict[tuple[Any, ...], Any] = {}

    def derive(self, compute: Callable[..., T], *args: Any) -> T:
        """``compute(self, *args)``, computed once per page: the one cache for what other modules read from it.

        Keyed by the function itself (and its arguments), never by a string, so two modules cannot
        collide and a reader can find every producer by searching for its name.
        """
        key = (compute, *args)
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = compute(self, *args)
            return value

    @cached_property
    def root(self) -> etree._Element:
        """The parsed tree, built on first use: a page that a policy rules out by its raw text is never parsed."""
        try:
            root = etree.fromstring(self._utf8, _PARSER)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
            check_parse_log(_PARSER.error_log)
            raise PageParseError(f"the page could not be parsed as HTML ({exc})") from None
        check_parse_log(_PARSER.error_log)  # a tree cut short at a libxml2 limit is not the page
        if root is None:
            raise PageParseError("the page has no HTML content")
        return root

    @cached_property
    def tree(self) -> etree._ElementTree:
        return self.root.getroottree()

    @cached_property
    def _inventory(self) -> tuple[list[etree._Element], dict[str, list[etree._Element]]]:
        ordered = list(self.root.iter(*INVENTORY_TAGS))
        by_tag: dict[str, list[etree._Element]] = {tag: [] for tag in INVENTORY_TAGS}
        for el in ordered:
            by_tag[el.tag].append(el)
        return ordered, by_tag

    def elements(self, *tags: str) -> list[etree._Element]:
        """The page's elements of these tags, in document order, from one walk of the tree shared by all.

        Tags outside ``INVENTORY_TAGS`` are looked up with a walk of their own.
        """
        if not all(t in _INVENTORY for t in tags):
            return list(self.root.iter(*tags))
        ordered, by_tag = self._inventory
        if len(tags) == 1:
            return by_tag[tags[0]]
        wanted = set(tags)
        return [el for el in ordered if el.tag in wanted]

    # -- cheap text access -------------------------------------------------

    @cached_property
    def folded_source(self) -> str:
        """The raw page text, case-folded: a conservative pre-filter for non-ASCII words."""
        return self.text.casefold()

    @property
    def utf8(self) -> bytes:
        """The page source as UTF-8 bytes: what the tree was parsed from, and what byte searches read."""
        return self._utf8

    @cached_property
    def lower_source(self) -> bytes:
        """ASCII lower-casing of the UTF-8 bytes: same offsets as the source, and memmem-fast to search."""
        return self._utf8.lower()

    @property
    def _lower_source(self) -> bytes:
        return self.lower_source

    def may_contain(self, words: Iterator[str] | list[str]) -> bool:
        """False only when some word certainly does not occur anywhere in the page source.

        Longer words are tried first: they are rarer, so an absent page is usually ruled out in one scan.
        A word the raw source lacks may still be spelled with character references (``Caf&eacute;``),
        decomposed accents or compatibility forms (full-width letters); pages that use any of these
        are searched once more in their unescaped, normalised text before the word is ruled out.
        """
        seen = self._word_cache
        for word in sorted(words, key=len, reverse=True):
            present = seen.get(word)
            if present is None:
                if word.isascii():
                    present = word.encode() in self._lower_source
                else:
                    present = word in self.folded_source
                if not present and self.respelled(word):
                    present = word in self._respelled_source
                seen[word] = present
            if not present:
                return False
        return True

    @cached_property
    def letter_refs(self) -> bool:
        """Does the source spell a letter with a character reference (``&eacute;``, ``&#233;``)?"""
        return spells_letters(self._lower_source)

    def respelled(self, word: str) -> bool:
        """Could ``word`` hide from a plain search of the source, written with references or other forms?

        A word of ASCII letters hides behind ``&#67;``, full-width letters or ligatures; one with digits or
        punctuation ("4.0") also behind references to those or their full-width forms; any other word
        behind any letter reference, decomposed accents or compatibility forms.
        """
        if not word.isascii():
            return self._any_respelled
        if word.isalpha():
            return self._ascii_respelled
        return self._ascii_respelled or any(self._symbol_respelled(c) for c in set(word) if not c.isalpha())

    @cached_property
    def _ascii_respelled(self) -> bool:
        """Could an ASCII word hide from the byte search (``&#67;``, full-width letters, ligatures)?"""
        src = self._lower_source
        return respells_ascii_letters(src)

    def _symbol_respelled(self, ch: str) -> bool:
        """Does the source write the digit or punctuation mark ``ch`` with a reference (``&#46;``,
        ``&period;``) or in its full-width form (``．``)?"""
        found = self._symbols.get(ch)
        if found is None:
            found = self._symbols[ch] = ch in self._referenced_symbols or \
                chr(ord(ch) + 0xFEE0).encode() in self._lower_source
        return found

    @cached_property
    def _referenced_symbols(self) -> frozenset[str]:
        """The digits and punctuation marks of required words that the source writes as references (one scan)."""
        return referenced_symbols(self._lower_source)

    @cached_property
    def _any_respelled(self) -> bool:
        """Could any word hide from the plain search (references, decomposed accents, compatibility forms)?"""
        return self._ascii_respelled or decomposes_accents(self._lower_source) or self.letter_refs

    @cached_property
    def _respelled_source(self) -> str:
        """The page text unescaped and normalised like pattern text: built only for pages that need it."""
        import html

        return normalize(html.unescape(self.text) if "&" in self.text else self.text)

    @cached_property
    def tree_text(self) -> bytes:
        """Every text of the parsed tree (references resolved, scripts included), joined, ASCII-lower-cased
        UTF-8: in C, what a byte search for a word reads on a page that spells letters with references."""
        return etree.tostring(self.root, method="text", encoding="utf-8").lower()

    def may_match(self, pattern) -> bool:
        """False only when ``pattern`` (a ``compliance.text.patterns.Pattern``) certainly matches nothing on the page."""
        words = pattern.required_words()
        return not words or self.may_contain(words)

    # -- visibility --------------------------------------------------------

    @cached_property
    def visibility(self) -> Visibility:
        """What a reader sees of each element: the page's one visibility computation, stylesheets included."""
        if self.rendered:
            return RenderedVisibility()
        src = self._lower_source
        if b"<style" not in src and b"stylesheet" not in src:
            return Visibility()
        return Visibility(collect(self.root, self.stylesheets, self.elements("style", "link")))

    def is_visible(self, el: etree._Element) -> bool:
        """Would a reader see this element (its box: an image, a link)?"""
        return self.visibility.is_visible(el)

    def hidden_reason(self, el: etree._Element) -> str | None:
        """One phrase saying why ``el`` is not visible, or None if it is."""
        return self.visibility.hidden_reason(el)

    def text_hidden_reason(self, el: etree._Element) -> str | None:
        """Why a reader cannot read the text ``el`` holds (hidden, font size 0, pushed out of sight), or None."""
        return self.visibility.text_hidden_reason(el)

    def inert_reason(self, el: etree._Element) -> str | None:
        """Why ``el`` never takes effect (inside ``<template>``, or a lazy image never laid out), or None: it
        counts nowhere, seen or not."""
        return inert_reason(el, self.visibility)

    # -- visible text ------------------------------------------------------

    @cached_property
    def lines(self) -> list[Line]:
        """Visible text of the body, one Line per block run, in document order (the full, slower pass)."""
        body = self.root.find("body")
        if body is None:
            body = next(self.root.iter("body"), None)
        return [] if body is None else self._build_lines(body)

    def lines_in(self, blocks: list[etree._Element]) -> list[Line]:
        """Lines of just these elements' subtrees: the fast path when a query already found where to look."""
        if "lines" in self.__dict__:
            wanted = set(blocks)
            return [ln for ln in self.lines if inside_any(ln.block, wanted)]
        out: list[Line] = []
        unique = set(blocks)
        chosen = {b for b in unique if b.getparent() is None or not inside_any(b.getparent(), unique)}
        cache = self._block_lines
        for block in in_document_order(self.root, chosen):
            if block not in cache:
                cache[block] = self._build_lines(block)
            out.extend(cache[block])
        return out

    def _build_lines(self, top: etree._Element) -> list[Line]:
        """The visible lines of the text inside ``top`` (not its tail), in one walk down its subtree.

        Visibility is worked out on the way down (each element's state from its parent's, remembered
        by ``Visibility``), and a subtree nothing inside can undo hiding (``display: none`` …) is skipped.
        """
        visibility = self.visibility
        descend = visibility.descend
        cache = self._block_lines
        lines: list[Line] = []
        current_block = None
        prev_holder = None
        pieces: list[str] = []
        owners: list[tuple[int, etree._Element]] = []
        length = 0

        def flush() -> None:
            nonlocal pieces, owners, length
            if current_block is not None and pieces:
                raw = "".join(pieces)
                text = " ".join(raw.split())
                if text:
                    # re-map owner offsets after whitespace collapsing (approximate but monotonic)
                    lead = len(raw) - len(raw.lstrip())
                    if lead or owners[-1][0] > len(text):
                        size = len(text)
                        mapped = tuple((max(0, min(size, off - lead)), o) for off, o in owners)
                    else:
                        mapped = tuple(owners)
                    lines.append(Line(current_block, text, mapped))
            pieces, owners, length = [], [], 0

        def add(s: str, holder: etree._Element, block: etree._Element, breaks: bool) -> None:
            nonlocal current_block, prev_holder, length
            if block is not current_block or breaks:
                flush()
                current_block = block
            if pieces and _separate_words(prev_holder, pieces[-1], holder, s):
                pieces.append(" ")
                length += 1
            owners.append((length, holder))
            pieces.append(s)
            length += len(s)
            prev_holder = holder

        # per open element: (element, its block, whether a reader can read text it holds)
        stack: list[tuple[etree._Element, etree._Element, bool]] = []
        walk = etree.iterwalk(top, events=("start", "end"))
        for event, el in walk:
            tag = el.tag
            if event == "start":
                if stack:
                    parent, parent_block, _ = stack[-1]
                    block = el if isinstance(tag, str) and tag in LINE_BLOCK_TAGS else parent_block
                    known = cache.get(el) if block is el else None
                    if known is not None:  # a block read before: its lines are its own, whatever surrounds it
                        if known:  # (one that shows nothing does not end the line around it)
                            flush()
                            lines.extend(known)
                            current_block = el
                        stack.append((el, el, False))
                        walk.skip_subtree()
                        continue
                    if not el.text and not len(el):
                        stack.append((el, block, False))  # holds no text: its state is never needed
                        continue
                    state = descend(el, parent)
                else:
                    state = visibility.state(el)
                    block = block_ancestor(el)
                readable = text_readable(state)
                stack.append((el, block, readable))
                if state.removed is not None:
                    walk.skip_subtree()  # nothing inside can be seen
                elif readable and el.text and isinstance(tag, str):
                    add(el.text, el, block, False)
                continue
            stack.pop()
            if not stack:
                break  # the tail of ``top`` is not inside it
            tail = el.tail
            if tail:
                owner, block, readable = stack[-1]
                if readable:
                    add(tail, owner, block, isinstance(tag, str) and tag in BLOCK_TAGS)
        flush()
        return lines

    def visible_text_within(self, el: etree._Element, limit: int = 600) -> str:
        """Visible, whitespace-normalised text inside ``el``, stopping early past ``limit``."""
        out: list[str] = []
        size = 0
        prev = None
        for node in el.xpath(".//text()"):
            parent = node.getparent()
            owner = parent.getparent() if node.is_tail else parent
            if owner is None or not self.visibility.text_visible(owner):
                continue
            holder = owner if node.is_tail else parent
            piece = str(node)
            if out and _separate_words(prev, out[-1], holder, piece):
                out.append(" ")
            out.append(piece)
            prev = holder
            size += len(node)
            if size > limit * 2:
                break
        return " ".join("".join(out).split())[:limit]

    def find_text(self, pattern) -> Iterator[tuple[Line, int, int]]:
        """Yield (line, start, end) for every visible line whose normalised text matches ``pattern``."""
        for line in self.lines:
            span = pattern.search(line.norm)
            if span:
                yield line, span[0], span[1]

    # -- structured data ---------------------------------------------------

    @cached_property
    def json_ld(self) -> list[object]:
        """Parsed JSON-LD objects of the page (see ``compliance.document.jsonld``)."""
        return parse_json_ld(self.root)

    # -- evidence ----------------------------------------------------------

    def evidence(self, el: etree._Element, note: str, text: str | None = None) -> Evidence:
        from compliance.document.positions import positions

        return Evidence(
            note=note,
            line=el.sourceline,
            column=self.derive(positions).column(el),
            xpath=self.tree.getpath(el),
            css=css_path(el),
            snippet=snippet(el),
            text=clip(text, 200) if text else None,
        )


def _separate_words(prev_holder: etree._Element, prev_text: str, holder: etree._Element, text: str) -> bool:
    """Whether text from two adjacent elements needs a space between them to read as the page shows it.

    Different elements end words (``<span>Jane Doe</span><span>Reporter</span>``,
    ``Doe</a><div>Daily``); inline formatting inside a word (``<b>J</b>ane``) does not.
    """
    return (holder is not prev_holder and text[:1].isalnum() and prev_text[-1:].isalnum()
            and not (holder.tag in INTRAWORD_TAGS or prev_holder.tag in INTRAWORD_TAGS))


def in_document_order(root: etree._Element, elements: set[etree._Element]) -> list[etree._Element]:
    """``elements`` in document order. A few are placed by their ancestors' positions; many (a page of
    50,000 byline paragraphs) by one walk of the tree, since finding a node among its siblings is linear
    and doing that for each of many siblings would be quadratic."""
    if len(elements) <= 16:
        return sorted(elements, key=_position_path)
    found: list[etree._Element] = []
    for el in root.iter():
        if el in elements:
            found.append(el)
            if len(found) == len(elements):
                break
    return found


def _position_path(el: etree._Element) -> tuple[int, ...]:
    """The position of each ancestor among its siblings, from the root down."""
    path = []
    node, parent = el, el.getparent()
    while parent is not None:
        path.append(parent.index(node))
        node, parent = parent, parent.getparent()
    return tuple(reversed(path))


def inside_any(el: etree._Element | None, scope: set[etree._Element]) -> bool:
    """Is ``el`` one of ``scope`` or inside one of them?"""
    node: etree._Element | None = el
    while node is not None:
        if node in scope:
            return True
        node = node.getparent()
    return False


def block_ancestor(el: etree._Element) -> etree._Element:
    """The nearest block-level element holding ``el``: the unit a visible Line is made of."""
    node: etree._Element | None = el
    while node is not None:
        tag = node.tag
        if isinstance(tag, str) and tag in LINE_BLOCK_TAGS:
            return node
        node = node.getparent()
    return el


def css_path(el: etree._Element) -> str:
    """A readable CSS path: ids where present, else tag with nth-of-type."""
    parts: list[str] = []
    node: etree._Element | None = el
    while node is not None and isinstance(node.tag, str):
        ident = node.get("id")
        if ident and re.fullmatch(r"[A-Za-z][\w-]*", ident):
            parts.append(f"{node.tag}#{ident}")
            break
        parent = node.getparent()
        part = node.tag
        if parent is not None:
            same = [c for c in parent if c.tag == node.tag]
            if len(same) > 1:
                part += f":nth-of-type({same.index(node) + 1})"
        parts.append(part)
        node = parent
    return " > ".join(reversed(parts))


_SNIPPET_ATTRS = ("id", "class", "src", "data-src", "data-lazy-src", "srcset", "data-srcset", "href", "alt",
                  "title", "aria-label", "rel", "itemprop", "name", "property", "content", "width", "height",
                  "style", "hidden")


def snippet(el: etree._Element, limit: int = 240) -> str:
    """A short, readable excerpt of an element's source: start tag, text, end tag."""
    tag = el.tag if isinstance(el.tag, str) else "node"
    attrs = []
    for name in _SNIPPET_ATTRS:
        value = el.get(name)
        if value is not None:
            attrs.append(f'{name}="{clip(" ".join(value.split()), 80)}"')
    start = f"<{tag}{' ' + ' '.join(attrs) if attrs else ''}>"
    if tag in ("img", "source", "meta", "link", "br", "hr", "input"):
        return clip(start, limit)
    text = text_prefix(el, 200) if tag not in ("script", "style") else ""
    return clip(f"{start}{clip(text, 160)}</{tag}>", limit)


def text_prefix(el: etree._Element, limit: int) -> str:
    """Whitespace-normalised text of ``el``, stopping early once ``limit`` characters are collected."""
    out: list[str] = []
    size = 0
    for piece in el.itertext():
        out.append(piece)
        size += len(piece)
        if size > limit * 2:
            break
    return " ".join("".join(out).split())[:limit]

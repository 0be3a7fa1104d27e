"""The story's body in a parsed page: which container holds the prose, and its paragraphs and links.

Blocks of prose and their containers are scored (dense, comma-rich text with few links wins), then
read out paragraph by paragraph while skipping the chrome that sits inside article containers (share
bars, related-story lists, captions, ads). The search prunes as it goes, so it works on a copy of the
page's ``<body>`` from which what a reader cannot see (the page's own visibility) is already gone: the
page's tree is never changed and never parsed again.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from compliance.document.page import Page, inside_any
from compliance.document.visibility import Visibility
from compliance.text.patterns import normalize
from compliance.text.urls import normalize_url

_STRING = etree.XPath("string()")


def element_text(element: Any) -> str:
    """All text inside an element, whitespace collapsed (read in C)."""
    return squash(_STRING(element))


def squash(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def absolute(href: str | None, base: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if base:
        try:
            return urljoin(base, href)
        except ValueError:
            return href
    return href


def base_href(root: Any) -> str | None:
    for base in root.iter("base"):
        href = base.get("href")
        if href and href.strip():
            return href.strip()
    return None


_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def drop(element: Any) -> None:
    """Remove an element but keep its tail text in the flow.

    A character reference such as ``&#3;`` puts a control character into the parsed text, which lxml
    then refuses to store anywhere: such characters become spaces, as the decoder makes them in raw bytes.
    """
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        tail = _NOT_XML_TEXT.sub(" ", tail)
        previous = element.getprevious()
        if previous is not None:
            previous.tail = _NOT_XML_TEXT.sub(" ", previous.tail or "") + tail
        else:
            parent.text = _NOT_XML_TEXT.sub(" ", parent.text or "") + tail
    parent.remove(element)


# "By", "Von", "Par", ... in any case; particles that also begin surnames
# ("Di Stefano", "Af Klint") only in lower case.
BYLINE_PREFIX = re.compile(
    r"^(?:(?i:by|from|von|par|por|przez|autor(?:in)?|written by|posted by|text)|di|door|av|af)\s*:?\s+"
)
# --------------------------------------------------------------------------
# Body: cleaning

NEVER_CONTENT_TAGS = (
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "button", "input", "select", "textarea", "dialog",
    "figcaption", "picture", "img", "link", "meta",
)
# Page furniture by its tag, yet some sites wrap the whole page in a <form>
# (ASP.NET) or put the story in an <aside>: kept when it holds prose.
_FURNITURE_TAGS = ("nav", "aside", "footer", "form", "figure")
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "blockquote", "pre", "ul", "ol",
        "li", "dl", "dt", "dd", "table", "tr", "td", "th", "thead", "tbody", "h1", "h2",
        "h3", "h4", "h5", "h6", "hr", "br", "address", "center", "details", "summary",
    }
)
# Words in class/id that mark page chrome; matched against whole word pieces
# of the attribute ("share-bar" and "ShareBar" both give "share"). A block
# marked with one of these is never story text ...
_CHROME_WORDS = frozenset(
    {
        "comment", "comments", "disqus", "share", "sharing", "shares", "social", "shariff",
        "related", "recommended", "recommendation", "recommendations", "recirc", "recirculation",
        "newsletter", "subscribe", "subscription", "signup", "nav", "navigation", "navbar",
        "menu", "breadcrumb", "breadcrumbs", "advert", "advertisement", "advertising", "ad",
        "ads", "adslot", "adunit", "dfp", "sponsor", "sponsored", "cookie", "cookies",
        "consent", "gdpr", "popup", "modal", "toolbar", "pagination", "pager", "outbrain",
        "taboola", "caption", "credit", "credits", "byline", "dateline", "tags", "tag",
        "print", "rss", "sronly", "visuallyhidden",
    }
)
# ... while these only suggest chrome: layouts name story columns "sidebar-grid"
# or "teaser", so such a block is kept when it holds several paragraphs of prose.
_MAYBE_CHROME_WORDS = frozenset(
    {
        "sidebar", "widget", "footer", "banner", "masthead", "promo", "promotion", "paywall",
        "teaser", "teasers", "more", "readmore", "most", "popular", "trending", "topics",
        "keywords", "author", "bio", "hidden", "hide", "skip", "overlay", "jump", "timestamp",
    }
)
# Words that mark the story itself; they protect a container from the list above.
_CONTENT_WORDS = frozenset(
    {
        "article", "articlebody", "body", "content", "main", "story", "storybody", "text",
        "post", "entry", "column", "richtext", "prose", "paragraph", "copy",
    }
)
_WORD_PIECES = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_BOILERPLATE_LINES = frozenset(
    {
        "advertisement", "anzeige", "werbung", "publicité", "publicidad", "pubblicità",
        "reklame", "ad", "sponsored", "skip advertisement", "story continues below advertisement",
        "continue reading below", "continue reading", "read more", "mehr lesen",
        "weiterlesen", "share", "share this", "share this article", "teilen",
    }
)


def _attribute_words(element: Any) -> set[str]:
    tokens = f"{element.get('class') or ''} {element.get('id') or ''}".split()
    # Utility classes with a variant or an arbitrary value ("print:px-6",
    # "text-[17px]") describe styling, not what the block is.
    value = " ".join(t for t in tokens if ":" not in t and "[" not in t)
    if not value.strip():
        return set()
    words = {piece.lower() for piece in _WORD_PIECES.findall(value)}
    # Joined forms, so that "sr-only" and "visually-hidden" are recognised.
    for token in re.split(r"\s+", value.strip()):
        words.add(re.sub(r"[^a-z]", "", token.lower()))
    return words


def looks_like_chrome(element: Any) -> bool:
    words = _attribute_words(element)
    if not words or words & _CONTENT_WORDS:
        return False
    if words & _CHROME_WORDS:
        return True
    return bool(words & _MAYBE_CHROME_WORDS) and not holds_prose(element)


def _holds_much_text(element: Any) -> bool:
    """Enough text to hold a story, however it is marked up (a page-wide
    <form> also holds the menus, so its links are not held against it)."""
    if len(element_text(element)) < 1000:
        return False
    return element.tag == "form" or _link_density(element) < 0.25


def holds_prose(element: Any) -> bool:
    """Several real paragraphs and few links: a story column, not a widget."""
    paragraphs = sum(1 for p in element.iter("p") if len(element_text(p)) >= 80)
    return paragraphs >= 3 and _link_density(element) < 0.25


class Hidden:
    """What a reader cannot see inside a container: elements to skip whole, and elements whose own text is
    hidden though some of their children show (``visibility: hidden`` undone below)."""

    def __init__(self, skip: set[Any] | None = None, mute: set[Any] | None = None) -> None:
        self.skip = skip or set()
        self.mute = mute or set()

    @classmethod
    def of_fragment(cls, container: Any) -> "Hidden":
        """For markup that is not a page (a feed item's content): its own markup decides, by the page's rules."""
        visibility = Visibility()
        hidden = cls()
        _classify(container, container, visibility, hidden)
        return hidden


def _classify(original: Any, twin: Any, visibility: Visibility, into: Hidden) -> None:
    """Fill ``into`` with the elements of ``twin`` (a same-shape copy of ``original``, or itself) a reader
    cannot see, judged on ``original`` by ``visibility``; descendants of a skipped element are not listed."""
    status = {original: "shown"}
    for el, copy_el in zip(original.iter(), twin.iter()):
        if not isinstance(el.tag, str) or el is original:
            continue
        above = status.get(el.getparent(), "shown")
        if above == "gone":
            status[el] = "gone"
            continue
        if visibility.is_visible(el):
            status[el] = "shown"
        elif visibility.state(el).removed is None and any(
                visibility.is_visible(d) for d in el.iterdescendants() if isinstance(d.tag, str)):
            status[el] = "partial"
            into.mute.add(copy_el)
        else:
            status[el] = "gone"
            into.skip.add(copy_el)


def _pruned_copy(page: Page, body: Any) -> tuple[Any, Hidden]:
    """A copy of ``body`` without page furniture and without what a reader cannot see.

    Hidden elements are found on the page itself (its one visibility computation) and mapped to the
    copy, which has the same shape, by walking both in step.
    """
    work = copy.deepcopy(body)
    hidden = Hidden()
    _classify(body, work, page.visibility, hidden)
    for element in list(work.iter(*NEVER_CONTENT_TAGS)):
        drop(element)
    for element in list(work.iter(*_FURNITURE_TAGS)):
        if not _holds_much_text(element):
            drop(element)
    for element in list(hidden.skip):
        # Some app shells hide the whole page until a script shows it: a large hidden block stays a
        # candidate for the story's container, though its hidden parts are not read out
        if inside_any(element, {work}) and not _holds_much_text(element):
            drop(element)
            hidden.skip.discard(element)
    return work, hidden


# --------------------------------------------------------------------------
# Body: finding the container

_MIN_BLOCK_CHARS = 25
# A container scoring this share of the best one may hold another part of the story.
_RIVAL_SHARE = 0.35
# Widening stops at an ancestor whose text is mostly those story parts.
_HELD_TEXT_SHARE = 0.6
_MAX_WIDENING_LEVELS = 6


def find_body(page: Page, title: str | None = None) -> tuple[Any, Hidden]:
    """The element (of a pruned copy of the page's body) that holds the story's prose, and the hidden
    elements still in that copy (kept only because they may hold the story; ``read_blocks`` skips them)."""
    root = page.root
    body = root.find("body")
    if body is None:
        body = root
    body, hidden = _pruned_copy(page, body)
    return _best_container(body, title), hidden


def _best_container(body: Any, title: str | None) -> Any:
    scores: dict[Any, float] = {}
    for block, text, loose in _prose_blocks(body):
        points = 1.0 + _comma_count(text) + min(len(text) / 100.0, 3.0)
        # Loose text between a container's blocks is held by the container itself.
        ancestor = block if loose else block.getparent()
        for level in range(5):
            if ancestor is None:
                break
            if ancestor not in scores:
                scores[ancestor] = _container_bias(ancestor)
            divisor = 1 if level == 0 else 2 if level == 1 else level * 3
            scores[ancestor] += points / divisor
            ancestor = ancestor.getparent()
    if not scores:
        return body
    # Link density is costly (it reads whole subtrees): apply it to the
    # leading candidates only.
    leading = sorted(scores.items(), key=lambda pair: pair[1], reverse=True)[:15]
    ranked = sorted(
        ((score * (1.0 - _link_density(element)), element) for element, score in leading),
        key=lambda pair: pair[0],
        reverse=True,
    )
    best_score, best = ranked[0]
    best, best_score = _prefer_headlined_story(best, best_score, ranked, _headline_element(body, title))
    return _widen_to_shared_ancestor(best, best_score, ranked)


def _story_scope(element: Any) -> Any:
    """The nearest <article> holding the element (itself included), if any."""
    if element.tag == "article":
        return element
    for ancestor in element.iterancestors("article"):
        return ancestor
    return None


def _headline_element(body: Any, title: str | None) -> Any:
    folded_title = normalize(title) if title else None
    first = None
    for heading in body.iter("h1", "h2"):
        text = normalize(element_text(heading))
        if folded_title and text and (text == folded_title or folded_title.startswith(text)):
            return heading
        if first is None and heading.tag == "h1" and text:
            first = heading
    return first


def _prefer_headlined_story(
    best: Any, best_score: float, ranked: list[tuple[float, Any]], headline: Any
) -> tuple[Any, float]:
    """Pages that load the next story below the first (endless scroll) hold
    two <article>s; the page's story is the one with the page's headline."""
    if headline is None:
        return best, best_score
    scope = _story_scope(best)
    if scope is None or inside_any(headline, {scope}):
        return best, best_score
    for score, candidate in ranked[1:]:
        if score < 0.4 * best_score:
            break
        candidate_scope = _story_scope(candidate)
        if candidate_scope is not None and inside_any(headline, {candidate_scope}):
            return candidate, score
    return best, best_score


def _prose_blocks(container: Any) -> Iterator[tuple[Any, str, bool]]:
    """Paragraph-like elements with enough text to be prose, and whether the
    text is loose text between the element's own child blocks."""
    for element in container.iter("p", "pre", "td", "div", "section", "blockquote", "li", "dd"):
        loose = element.tag in ("div", "section", "td", "li", "dd") and any(
            child.tag in BLOCK_TAGS for child in element if isinstance(child.tag, str)
        )
        text = squash(_own_text(element)) if loose else element_text(element)
        if len(text) >= _MIN_BLOCK_CHARS:
            yield element, text, loose


def _own_text(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS:
            parts.append(_STRING(child))
        parts.append(child.tail or "")
    return " ".join(parts)


def _comma_count(text: str) -> int:
    return sum(text.count(c) for c in ",\uff0c\u3001\u060c")


def _container_bias(element: Any) -> float:
    words = _attribute_words(element)
    bias = {"article": 10.0, "main": 5.0, "div": 5.0, "section": 3.0, "td": 3.0, "blockquote": 3.0,
            "pre": 3.0, "li": -3.0, "ul": -3.0, "ol": -3.0, "dl": -3.0, "form": -3.0}.get(element.tag, 0.0)
    if element.get("itemprop", "").lower() == "articlebody":
        bias += 30.0
    if words & _CONTENT_WORDS:
        bias += 25.0
    if words & (_CHROME_WORDS | _MAYBE_CHROME_WORDS):
        bias -= 25.0
    return bias


def _link_density(element: Any) -> float:
    text_length = len(element_text(element))
    if not text_length:
        return 0.0
    link_length = sum(len(element_text(a)) for a in element.iter("a"))
    return min(1.0, link_length / text_length)


def _widen_to_shared_ancestor(best: Any, best_score: float, ranked: list[tuple[float, Any]]) -> Any:
    """When the story is split over several containers (around ads, images or
    section breaks), the best-scoring one holds only part of it: climb to the
    nearest ancestor that holds other well-scored containers and little else."""
    if best_score <= 0:
        return best
    lineage = list(best.iterancestors())
    scope = _story_scope(best)
    rivals = [
        element for score, element in ranked[1:]
        if score >= _RIVAL_SHARE * best_score
        and element not in lineage and not inside_any(element.getparent(), {best})
        and _story_scope(element) is scope  # another <article> is another story
    ]
    if not rivals:
        return best
    best_length = len(element_text(best))
    for ancestor in lineage[:_MAX_WIDENING_LEVELS]:
        inside = [r for r in rivals if inside_any(r.getparent(), {ancestor})]
        outermost = [r for r in inside if not inside_any(r.getparent(), set(inside))]
        if not outermost:
            continue
        held = best_length + sum(len(element_text(r)) for r in outermost)
        if held >= _HELD_TEXT_SHARE * len(element_text(ancestor)):
            return ancestor
    return best


# --------------------------------------------------------------------------
# Body: reading paragraphs and links


def read_blocks(container: Any, base: str | None,
                hidden: Hidden | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Paragraphs and body links of a container, skipping chrome and what a reader cannot see.

    Without ``hidden`` (a feed item's fragment, not a page) the fragment's own markup decides, by the
    same rules as a page's (``compliance.document.visibility``).
    """
    reader = _BlockReader(base, hidden if hidden is not None else Hidden.of_fragment(container))
    reader.read(container, top=True)
    reader.flush()
    return tuple(reader.paragraphs), tuple(dict.fromkeys(reader.links))


class _BlockReader:
    """Walks a body container in document order, cutting text at block
    boundaries and collecting link targets, skipping chrome inside it."""

    def __init__(self, base: str | None, hidden: Hidden) -> None:
        self.base = base
        self.hidden = hidden
        self.paragraphs: list[str] = []
        self.links: list[str] = []
        self._buffer: list[str] = []
        self._buffer_links: list[str] = []

    def read(self, element: Any, top: bool = False, muted: bool = False) -> None:
        """Read ``element`` and everything under it, in document order; ``muted``: its tail is text of a
        parent whose own text is hidden.

        An explicit stack rather than recursion: a page may nest elements as deep as libxml2 allows
        (thousands of levels), far past Python's recursion limit.
        """
        stack: list[tuple[Any, bool, bool, bool]] = [(element, top, muted, False)]  # (…, leaving it)
        while stack:
            el, is_top, is_muted, leaving = stack.pop()
            if leaving:
                if el.tag in BLOCK_TAGS:
                    self.flush()
                if not is_top and not is_muted:
                    self._add(el.tail)
                continue
            if not isinstance(el.tag, str) or (not is_top and self._skip(el)):
                if not is_muted:
                    self._add(el.tail)
                continue
            if el.tag in BLOCK_TAGS:
                self.flush()
            if el.tag == "a":
                self._note_link(el.get("href"))
            own_muted = el in self.hidden.mute
            if not own_muted:
                self._add(el.text)
            stack.append((el, is_top, is_muted, True))
            stack.extend((child, False, own_muted, False) for child in reversed(el))

    def _skip(self, element: Any) -> bool:
        if element.tag in NEVER_CONTENT_TAGS or element.tag == "h1" or element in self.hidden.skip:
            return True
        if element.tag in _FURNITURE_TAGS and not holds_prose(element):
            return True
        if looks_like_chrome(element):
            return True
        if element.tag in ("ul", "ol", "div", "section", "table") and _is_link_list(element):
            return True
        return False

    def _note_link(self, href: str | None) -> None:
        if not href or not href.strip() or href.strip().startswith("#"):
            return
        target = normalize_url(href, self.base)
        if target.startswith(("javascript:", "data:", "about:")):
            return
        self._buffer_links.append(target)

    def _add(self, text: str | None) -> None:
        if text:
            self._buffer.append(text)

    def flush(self) -> None:
        text = squash("".join(self._buffer))
        self._buffer = []
        links, self._buffer_links = self._buffer_links, []
        if text and text.casefold().strip(" .:\u2026") not in _BOILERPLATE_LINES:
            self.paragraphs.append(text)
            self.links.extend(links)


def _is_link_list(element: Any) -> bool:
    """A block that is mostly links (related stories, tag lists, menus)."""
    anchors = list(element.iter("a"))
    if len(anchors) < 3:
        return False
    return _link_density(element) > 0.6


_DATE_LIKE = re.compile(
    r"\b\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b"
    r"|\b\d{1,2}\.?\s+(?:jan|feb|mar|apr|may|mai|jun|jul|aug|sep|okt|oct|nov|dez|dec)[a-z]*\.?\s+\d{4}\b"
    r"|\b\d+\s*(?:min|minutes?|minuten)\b",
    re.IGNORECASE,
)
_META_LINE_MAX_CHARS = 120
_DATELINE_MAX_CHARS = 80


def without_leading_meta_lines(
    paragraphs: tuple[str, ...], title: str | None, authors: tuple[str, ...]
) -> tuple[str, ...]:
    """Drop the headline, byline and dateline that story containers often
    start with: they are page furniture, not story text."""
    folded_title = normalize(title) if title else ""
    folded_authors = [normalize(a) for a in authors if len(a) > 3]
    start = 0
    for paragraph in paragraphs[:6]:
        folded = normalize(paragraph)
        if len(paragraph) > _META_LINE_MAX_CHARS and folded != folded_title:
            break
        is_meta = (
            folded == folded_title
            or any(author in folded for author in folded_authors)
            or bool(BYLINE_PREFIX.match(paragraph) and len(paragraph.split()) <= 8)
            or bool(len(paragraph) <= _DATELINE_MAX_CHARS and _DATE_LIKE.search(paragraph))
        )
        if not is_meta:
            break
        start += 1
    return paragraphs[start:]


def paragraphs_from_text(text: str) -> tuple[str, ...]:
    """Paragraphs of plain text: blank-line separated, else one per line."""
    chunks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.splitlines()
    return tuple(p for p in (squash(c) for c in chunks) if p)

"""Finding the byline of the article on a page, the way a reader would.

A byline is a short visible line that credits a person as the author: it
starts with a marker such as "By"/"Von"/"Par", or sits in an element the
page marks as an author block (``class="byline"``, ``rel="author"``,
``itemprop="author"``, a link to an author page). A name in a body sentence
(a long paragraph), in a related-articles sidebar, in ``<meta>`` or in JSON-LD
is not a byline. Two entry points:

- ``find_author``: where does a *given* person appear as a byline?
- ``discover``: which bylines does the page show, best candidate first?
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import re2
from lxml import etree

from compliance.document.locate import blocks_of, spellings_in, text_nodes_with
from compliance.document.page import Line, Page, block_ancestor
from compliance.document.regions import AUTHOR_HREF_LOWER, SIGNAL_LOWER, author_markup, negative_region
from compliance.document.story import header_blocks
from compliance.text.regex import lazy, lazy_re2

MAX_BYLINE_CHARS = 300          # a longer line is a paragraph, not a byline
SHORT_NAME_LINE = 70            # a line this short that is mostly a name reads as a byline
MAX_CANDIDATES = 400            # byline candidates examined per page when discovering bylines
META_LINE = 160                 # "3 May 2024 • Jane Doe • 4 min read"

# Words that credit the names after them. All of them count right before a name ("… by Jane Doe");
# only the unambiguous ones start a byline line on their own ("De …" and "Da …" start sentences too).
_LINE_START_WORDS = (r"by|von|par|por|di|door|av|af|written by|reported by|story by|words by|text|texto|"
                     r"autor(?:in)?|author|auteur|autore")
_CREDIT_WORDS = (_LINE_START_WORDS + r"|vom|de|da|z|od|від|от|testo|tekst|autor(?:es|en)|authors|auteurs|"
                 r"autori|redakteur(?:in)?|redaktion|reporters?|escrito por|scritto da|geschrieben von|publié par")
_MARKER = re.compile(rf"(?:^|[\s|•·,(])(?:{_CREDIT_WORDS})\s*[:\-–—]?\s*$", re.I)
_STOP_TAGS = frozenset({"body", "html"})


@dataclass(frozen=True)
class BylineHit:
    """A person named in a byline: the line, the tightest element, and why it reads as a byline."""

    line: Line
    element: Any
    start: int
    end: int
    name: str
    reason: str
    names: tuple[str, ...] = ()  # every person the line credits (co-authors), when discovery read them

    @property
    def text(self) -> str:
        return self.line.text

    def people(self) -> list["BylineHit"]:
        """This byline once per person it credits (its span narrowed to that name), for co-author bylines."""
        out = []
        for person in self.names or (self.name,):
            at = self.line.text.find(person)
            if person == self.name or at < 0:
                out.append(self)
            else:
                out.append(BylineHit(self.line, self.line.owner_at(at), at, at + len(person), person, self.reason,
                                     self.names))
        return out


@dataclass(frozen=True)
class Mention:
    """A visible occurrence of a name that is *not* a byline, kept to explain failures."""

    line: Line
    element: Any
    why_not: str


def classify(line: Line, start: int, end: int, *, header: bool = False, weak: bool = True
             ) -> tuple[Any, str | None, str | None]:
    """(element, reason it is a byline, reason it is not) for a name at [start, end) of ``line``.

    ``header``: the line is in the story's header, between its headline and first paragraph; position
    there is stronger evidence than a class name, so "teaser"-like classes do not rule it out. ``weak``:
    also accept evidence that rests on the name itself (a short line that is mostly the name, an item of
    a details line, a "(Name)" sign-off). Only a known name makes such a line a byline: without one,
    "Quick Navigation", "Key Points" or a topic tag "Donald Trump" look just as much like a name.
    """
    el = line.owner_at(start)
    if len(line.text) > MAX_BYLINE_CHARS:
        return el, None, f"it is in a {len(line.text)}-character paragraph of body text"
    chrome = negative_region(el)
    if chrome and not (header and "“" in chrome):  # in the header a class name yields; <nav>/<aside> never do
        return el, None, chrome
    marker = credit_marker(line.text[:start])
    if marker:
        return el, f"the line credits the name with “{marker}”", None
    cjk = _CJK_MARKER.search(line.text[max(0, start - 12):start])
    if cjk:
        return el, f"the line credits the name with “{cjk.group(1)}”", None
    markup = author_markup(el)
    if markup:
        return markup[0], f"it is marked up as a byline ({markup[1]})", None
    if not weak:
        return el, None, "nothing marks it as a byline"
    if line.text[:start].rstrip().endswith("(") and line.text[end:].lstrip().startswith(")"):
        return el, "the text is signed off with the name in parentheses", None
    name_len = end - start
    where = " under the headline" if header else ""
    if len(line.text) <= SHORT_NAME_LINE and name_len >= 0.35 * len(line.text):
        return el, f"it stands on a short line of its own{where}, as a byline does", None
    if len(line.text) <= META_LINE and _stands_alone(line.text, start, end):
        return el, f"it is its own item on a short line of article details{where} (date, name, reading time)", None
    return el, None, "it reads as running text, not as a byline"


_MARKER_ANYWHERE = re.compile(rf"(?:^|[\s|•·,(/])({_CREDIT_WORDS})\s*[:\-–—]?\s+", re.I)
_SENTENCE_END = re.compile(r"[.!?]\s|[.!?]$")
_MEDIA_CREDIT = re.compile(r"(photo|photograph|foto|image|picture|graphic|illustration|video|bild|cartoon|"
                           r"drawing|map|chart)s?\s*$", re.I)
MAX_CREDIT_GAP = 120  # characters between "By" and the last name of a co-author list


def credit_marker(before: str) -> str | None:
    """The "By"-like marker that credits the name following ``before``, if any.

    The marker may be followed by other names ("By A, B and C"), but not by a
    sentence end: "by the river. Jane Doe said" does not credit Jane Doe.
    """
    window = before[-(MAX_CREDIT_GAP + 40):]
    found = None
    for m in _MARKER_ANYWHERE.finditer(window):
        found = m
    if found is None:
        # the marker may directly precede the name with no space after it ("By:Jane")
        m = _MARKER.search(window[-40:])
        return m.group(0).strip(" |•·,(:") if m else None
    gap = window[found.end():]
    if len(gap) > MAX_CREDIT_GAP or _SENTENCE_END.search(gap):
        return None
    if _MEDIA_CREDIT.search(window[:found.start() + 1]):
        return None  # "Photo by Jane Doe" credits a picture, not the article
    return found.group(1)


_ITEM_SEPARATOR = "•·|–—/:;,"
_CJK_NAME = lazy(r"(?:作者|记者|記者|责编|責編|责任编辑|責任編輯|编辑|編輯|撰文)\s*[:：]?\s*([\u4e00-\u9fff]{2,4})(?![\u4e00-\u9fff])"
                 r"|([\uac00-\ud7af]{2,4})\s*기자")  # compiled for the first page with text in Chinese or Korean
_CJK_WORD = lazy(r"作者|记者|記者|责编|責編|编辑|編輯|撰文|기자")
_CJK_MARKER = re.compile(r"(作者|记者|記者|责编|責編|责任编辑|責任編輯|编辑|編輯|撰文|文|기자|글)\s*[:：]?\s*(?:[^\s、，,]{1,8}[、，,]\s*)*$")


def _stands_alone(text: str, start: int, end: int) -> bool:
    """True when [start, end) is a whole item of a separated list, e.g. between two '•'."""
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    left = not before or before[-1] in _ITEM_SEPARATOR
    right = not after or after[0] in _ITEM_SEPARATOR
    return left and right and (bool(before) or bool(after))


def find_author(page: Page, matcher: Any) -> tuple[list[BylineHit], list[Mention]]:
    """Bylines naming the person ``matcher`` looks for, and other visible mentions of them.

    The text nodes that may hold the name are found from where the source spells it
    (``compliance.document.locate``); only their blocks are turned into lines. The full visible-text
    pass runs only when that cannot rule the name out (a name typed without accents on a page that
    may write them).
    """
    word = key_word(matcher.name)
    spellings = spellings_in(page, word)
    complete = not word or not word.isascii() or not _ACCENTABLE.search(word)
    nodes = text_nodes_with(page, spellings)
    if nodes:
        lines = page.lines_in(blocks_of(nodes))
    elif complete:
        lines = []
    elif page.letter_refs:  # "V&aacute;vra": the source bytes cannot rule the name out, its unescaped text can
        lines = page.lines if _accented_word_in(page.tree_text, matcher.name) else []
    elif page.text.isascii() or not _accented_word_in(page.lower_source, matcher.name):
        lines = []
    else:
        lines = page.lines
    hits: list[BylineHit] = []
    mentions: list[Mention] = []
    for line in lines:
        for m in matcher.search_all(line.text):
            el, reason, why_not = _classify_on(page, line, m.start, m.end, weak=True)
            if reason:
                hits.append(BylineHit(line, el, m.start, m.end, m.matched, reason))
            else:
                mentions.append(Mention(line, el, why_not or "it is not a byline"))
    if len(hits) > 1:
        header = header_blocks(page)
        hits.sort(key=lambda hit: _rank(hit, header))
    return hits, mentions


def hidden_mention(page: Page, name: str) -> tuple[Any, str] | None:
    """Where the page writes ``name`` in text a reader cannot see (a stylesheet or the markup hides it), and
    why: the explanation of a byline that is on the page but out of sight. Script and style text is not
    drawn text at all (``locate.script_hint`` speaks for script data)."""
    try:
        matcher = name_matcher(name)
    except ValueError:
        return None
    word = key_word(name)
    if not word or not _may_appear(page, name):
        return None
    for node in text_nodes_with(page, spellings_in(page, word)):
        parent = node.getparent()
        owner = parent.getparent() if node.is_tail else parent
        if owner is None or owner.tag in ("script", "style") or any(a.tag in ("script", "style")
                                                                     for a in owner.iterancestors()):
            continue
        why = page.text_hidden_reason(owner)
        if why and matcher.search(" ".join("".join(block_ancestor(owner).itertext()).split())):
            return owner, why
    return None


def _classify_on(page: Page, line: Line, start: int, end: int, *, weak: bool) -> tuple[Any, str | None, str | None]:
    """``classify`` on a page: a line a class name rules out gets a second look if it is in the story's header
    (worked out only then: most bylines are not in "teaser"-classed blocks)."""
    el, reason, why_not = classify(line, start, end, weak=weak)
    if reason is None and why_not and why_not.startswith("it is inside a “") and line.block in header_blocks(page):
        return classify(line, start, end, header=True, weak=weak)
    return el, reason, why_not


_BYTES = re2.Options()
_BYTES.encoding = re2.Options.Encoding.LATIN1  # RE2 over page bytes: match bytes, not UTF-8 characters
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md"})


def key_word(name: str) -> str:
    """The word of a name that any byline naming the person must spell out: the family name's last word.

    The given name may be shortened to an initial ("J. Doe") and middle names left out, so neither is
    used when there is more: "Jane Q. Doe" -> "Doe", "Mary Elizabeth Doe" -> "Doe", "Doe, Jane" -> "Doe",
    "Ngozi Okonjo-Iweala" -> "Iweala", "Perry Bacon Jr." -> "Bacon", "Paddy" -> "Paddy".
    """
    family = name.split(",")[0] if "," in name else name
    words = re.findall(r"\w+", family)
    if "," not in name:
        words = words[1:] or words
    words = [w for w in words if len(w) > 1 and w.lower() not in _NAME_SUFFIXES] or re.findall(r"\w+", name)
    return words[-1] if words else ""  # the last word: a middle name may be left out of the byline


_ACCENTABLE = lazy(r"[a-zA-Z]")  # an ASCII letter might be written with an accent on the page


@lru_cache(maxsize=256)
def _accented_spelling(name: str) -> Any:
    """A bytes regex over the lower-cased UTF-8 source matching the name's key word with any letter
    possibly written with a diacritic (a two-byte Latin letter). A miss proves the word is absent."""
    from compliance.text.names import fold

    word = fold(key_word(name))
    parts = []
    for ch in word:
        if ch.isascii() and ch.isalpha():
            parts.append(b"(?:" + re.escape(ch.encode()) + b"|[\xc3-\xc5][\x80-\xbf])")
        else:
            parts.append(re.escape(ch.encode()))
    return re2.compile(b"".join(parts) or b"[^\\x00-\\xff]", _BYTES)  # RE2: one linear pass over the source


_WORD_BYTE = lazy(rb"[a-z0-9]|[\xc3-\xc5][\x80-\xbf]")


def _accented_word_in(src: bytes, name: str) -> bool:
    """Does the (lower-cased UTF-8) source hold the name's key word, perhaps with accents, as a whole word
    ("doe", not "does")?

    Lookarounds would make the regex test every position; boundaries are checked at the few hits instead.
    """
    for m in _accented_spelling(name).finditer(src):
        start, end = m.start(), m.end()
        before = src[max(0, start - 2):start]
        after = src[end:end + 2]
        if not (before and (_WORD_BYTE.fullmatch(before[-1:]) or _WORD_BYTE.fullmatch(before))) and \
                not (after and (_WORD_BYTE.match(after))):
            return True
    return False


def _rank(hit: BylineHit, header: frozenset[Any] = frozenset()) -> tuple[int, int, int]:
    """Prefer bylines in the story's header (under its headline), then inside the main article, then earlier
    ones: an author link in a "more from" list further down is not the story's byline."""
    in_article = 0
    node = hit.element
    while node is not None:
        if node.tag in ("article", "main"):
            in_article = -1
            break
        node = node.getparent()
    return (0 if hit.line.block in header else 1), in_article, hit.element.sourceline or 0


@dataclass(frozen=True)
class Discovered:
    """What byline discovery found on a page: bylines naming people (best first), and ones naming none."""

    hits: list[BylineHit]
    impersonal: list[Line]


def discover(page: Page) -> list[BylineHit]:
    """Bylines naming people, best candidate for the article's own byline first."""
    return page.derive(_discover).hits


def impersonal_bylines(page: Page) -> list[Line]:
    """Byline-like lines that credit no person ("By Staff", "By The Associated Press")."""
    return page.derive(_discover).impersonal


def find_named(page: Page, name: str) -> tuple[list[BylineHit], list[Mention]]:
    """Bylines naming the person ``name`` and other visible mentions of them; computed once per page and name."""
    return page.derive(_find_named, name)


@lru_cache(maxsize=256)
def name_matcher(name: str) -> Any:
    """Compiled once per name for the whole run: a run checks many pages for the same reporter."""
    from compliance.text.names import NameMatcher

    return NameMatcher(name)


def _find_named(page: Page, name: str) -> tuple[list[BylineHit], list[Mention]]:
    try:
        matcher = name_matcher(name)
    except ValueError:
        return [], []
    if not _may_appear(page, name):
        return [], []
    return find_author(page, matcher)


def _may_appear(page: Page, name: str) -> bool:
    """Cheap pre-filter: skip the visible-text pass when the surname is certainly absent."""
    word = key_word(name).casefold()
    if not word:
        return True
    if page.text.isascii() and name.isascii() and not page.letter_refs:
        return page.may_contain([word])
    return True


def _discover(page: Page) -> Discovered:
    """Every line that reads as a byline by its own evidence: a credit marker before a name, or author markup
    (classes, rel/itemprop, a link to an author page), judged by the same ``classify`` as a given name
    (in the story's header a "teaser"-like class does not rule a line out). The name-only shapes (a short
    line that is just a name) need a known name: without one they cannot be told from any short line."""
    # bylines sit near the top of a story: a page with thousands of candidates is not searched to the end
    blocks = [block_ancestor(c) for c in _candidates(page)[:MAX_CANDIDATES]]
    found: list[BylineHit] = []
    impersonal: list[Line] = []
    for line in page.lines_in(blocks)[:MAX_CANDIDATES]:
        if len(line.text) > MAX_BYLINE_CHARS:
            continue
        if not (_MARKER_ANYWHERE.search(line.text) or _CJK_WORD.search(line.text) or _looks_like_byline(line)):
            continue  # neither a credit word nor author markup: nothing here can make it a byline
        credited = []
        for start, end, name in _person_names(line):
            el, reason, _ = _classify_on(page, line, start, end, weak=False)
            if reason:
                credited.append((start, end, name, el, reason))
        if credited:
            start, end, _, el, reason = credited[0]
            names = tuple(dict.fromkeys(c[2] for c in credited))
            found.append(BylineHit(line, el, start, end, ", ".join(names), reason, names))
        elif _looks_like_byline(line) and not negative_region(line.owner_at(0)):
            impersonal.append(line)
    if len(found) > 1:
        header = header_blocks(page)
        found.sort(key=lambda hit: _rank(hit, header))
    return Discovered(found, impersonal)


def _looks_like_byline(line: Line) -> bool:
    """A line a reader takes for a byline, whoever it names: "By …" at its start, or author markup."""
    if _MARKER_AT_START.match(line.text) or author_markup(line.owner_at(0)):
        return True
    return any(author_markup(owner, depth=2) for _, owner in line.owners)


def _person_names(line: Line) -> list[tuple[int, int, str]]:
    """(start, end, name) of the people a line names, as a reader would cut them.

    An element the page marks as the author holds the name exactly: "Von <span class=author>Henry</span>
    In <a>Aktuell</a>" names Henry, not "Henry In Aktuell".
    """
    from compliance.text.names import looks_like_person_name, split_names

    text = line.text
    marked = []  # spans of text pieces inside author markup
    bounds = [o for o, _ in line.owners] + [len(text)]
    for (offset, owner), nxt in zip(line.owners, bounds[1:]):
        if author_markup(owner, depth=2) is not None:
            marked.append((offset, nxt))
    out: list[tuple[int, int, str]] = []
    pos = 0
    for name in split_names(text):
        start = text.find(name, pos)
        if start < 0:
            continue
        end = start + len(name)
        pos = end
        inside = [(max(a, start), min(b, end)) for a, b in marked if a < end and start < b]
        exact = False
        if inside and (inside[0][0] > start or inside[-1][1] < end):  # the name runs past the author element
            a, b = inside[0][0], inside[-1][1]
            trimmed = text[a:b].strip(" ,;:|•·")
            if trimmed:
                a = text.find(trimmed, a)
                start, end, name, exact = a, a + len(trimmed), trimmed, True
        if looks_like_person_name(name) or exact:
            out.append((start, end, name))
    # a name the page puts in an author element of its own, whatever the line glues to it ("Inga Hoeltmann
    # Follow", "Scott Gilbertson Gear Team", "Greg Iacurci@GregIacurci")
    for a, b in marked:
        piece = text[a:b].strip(" ,;:|•·")
        if piece and not any(s < b and a < e for s, e, _ in out) and looks_like_person_name(piece):
            at = text.find(piece, a)
            out.append((at, at + len(piece), piece))
    for m in () if text.isascii() else _CJK_NAME.finditer(text):  # "责任编辑：孔德明", "배윤경 기자"
        g = 1 if m.group(1) else 2
        if not any(s < m.end(g) and m.start(g) < e for s, e, _ in out):
            out.append((m.start(g), m.end(g), m.group(g)))
    out.sort()
    return out


# a credit word opening an element's text, before a name or before the tag holding it ("By <a>Jane</a>")
_MARKER_IN_SOURCE = re.compile(rf">\s*(?:{_LINE_START_WORDS})\b\s*[:\-–—]?\s*(?:<[a-z]|[^\s<])", re.I)


# where _MARKER_IN_SOURCE may match, found by RE2 in the lower-cased source bytes (one linear pass, where
# Python's case-insensitive search tries every ">" of the page); each place is then confirmed by it
_SPACE_BYTES = rb"(?:[\t-\r\x1c-\x20]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80)"
_MARKER_NEAR = lazy_re2(rb">" + _SPACE_BYTES + rb"*(?:" + _LINE_START_WORDS.encode() + rb")", _BYTES)


# the elements the pass below reads: libxml2 picks them (most elements of a page carry none of these)
_ATTRIBUTED = etree.XPath("descendant-or-self::*[self::address or @class or @id or @data-testid or @data-component"
                          " or @rel or @itemprop]")


def _candidates(page: Page) -> list[Any]:
    """Elements marked up as author/byline, and elements whose text starts with a "By"-like marker.

    One Python pass over the elements that carry class/id/rel/itemprop reads them (cheaper than making
    libxml2 case-fold every attribute); "By …" text is located with one regex over the page source, and
    only the source lines it hits are mapped back to elements.
    """
    out: list[Any] = []
    body = page.root.find("body")
    if body is None:
        return out
    marked: list[Any] = []
    texts: list[str] = []
    for el in _ATTRIBUTED(body):
        tag = el.tag
        if tag == "address":
            out.append(el)
            continue
        rel = el.get("rel")
        prop = el.get("itemprop")
        if (rel and "author" in rel.lower()) or (prop and prop.lower() in ("author", "creator")):
            out.append(el)
            continue
        cls = el.get("class")
        ident = el.get("id")
        test_id = el.get("data-testid") or el.get("data-component")
        if cls or ident or test_id:
            marked.append(el)
            texts.append(f"{cls or ''} {ident or ''} {test_id or ''}")
    if texts:  # one regex pass over all class/id values instead of one search per element
        joined = "\n".join(texts).lower()
        starts = []
        pos = 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        hit = set()
        for m in SIGNAL_LOWER.finditer(joined):
            hit.add(bisect_right(starts, m.start()) - 1)
        out.extend(marked[i] for i in sorted(hit))
    anchors = [a for a in body.iter("a") if a.get("href")]  # a byline written as a link to the author's page
    if anchors:
        joined = "\n".join(a.get("href") for a in anchors)
        starts, pos = [], 0
        for a in anchors:
            starts.append(pos)
            pos += len(a.get("href")) + 1
        lowered = joined.lower()
        if len(lowered) != len(joined):  # a letter whose lower case is longer: offsets must stay the same
            lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in joined)
        hit = {bisect_right(starts, m.start()) - 1 for m in AUTHOR_HREF_LOWER.finditer(lowered)}
        out.extend(anchors[i] for i in sorted(hit))
    lines: set[int] = set()
    line, pos = 1, 0
    raw = page.utf8
    for m in _MARKER_NEAR.finditer(page.lower_source):
        at = m.start()
        end = m.end() + 64
        while end < len(raw) and raw[end - 1:end].isspace():
            end += 64  # the name may come after a long run of spaces
        if not _MARKER_IN_SOURCE.match(raw[at:end].decode("utf-8", "ignore")):
            continue
        line += raw.count(b"\n", pos, at)
        pos = at
        lines.add(line)
    if lines:
        out.extend(el for el in body.iterdescendants() if el.sourceline in lines and isinstance(el.tag, str)
                   and el.tag not in _STOP_TAGS)
    return out


_MARKER_AT_START = lazy(rf"^\s*({_LINE_START_WORDS})\b\s*[:\-–—]?\s*(?=\S)", re.I)

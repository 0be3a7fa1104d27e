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


from compliance.document.locate import blocks_of, spellings_in, text_nodes_with
from compliance.document.page import Line, Page, block_ancestor

MAX_BYLINE_CHARS = 300          # a longer line is a paragraph, not a byline
SHORT_NAME_LINE = 70            # a line this short that is mostly a name reads as a byline
MAX_CANDIDATES = 400            # byline candidates examined per page when discovering bylines
META_LINE = 160                 # "3 May 2024 • Jane Doe • 4 min read"
SIGNAL_DEPTH = 6                # how many ancestors may carry the author markup

_SIGNAL = re.compile(
    r"author|byline|by-line|by_line|writer|creator|contributor|reporter|journalist|columnist|"
    r"autor|auteur|autore|verfasser|firma|signature|redakteur|periodista|giornalista|dziennikarz", re.I)
_SIGNAL_LOWER = re.compile(_SIGNAL.pattern)  # for already lower-cased text: no re.I, several times faster
_NEGATIVE = re.compile(
    r"related|recommend|teaser|trending|popular|most-?read|newsletter|comments?(?:-|_|$)|"
    r"outbrain|taboola|breadcrumb|more-?stories|read-?more|readmore|up-?next|next-?article|also-?read|"
    r"more-?from|morefrom|related-?posts|post-?nav", re.I)
_AUTHOR_HREF = re.compile(
    r"/(authors?|autor(?:en|in)?|auteurs?|autore|people|profiles?|staff|journalists?|reporters?|contributors?|"
    r"team|redaktion|mitarbeiter|writers?|columnists?|byline|u|user|persons?|equipo|redazione)(/|-|\?|$)|"
    r"[?&]author=", re.I)
# Words that credit the names after them. All of them count right before a name ("… by Jane Doe");
# only the unambiguous ones start a byline line on their own ("De …" and "Da …" start sentences too).
_LINE_START_WORDS = (r"by|von|par|por|di|door|av|af|written by|reported by|story by|words by|text|texto|"
                     r"autor(?:in)?|author|auteur|autore")
_CREDIT_WORDS = (_LINE_START_WORDS + r"|vom|de|da|z|od|від|от|testo|tekst|autor(?:es|en)|authors|auteurs|"
                 r"autori|redakteur(?:in)?|redaktion|reporters?|escrito por|scritto da|geschrieben von|publié par")
_MARKER = re.compile(rf"(?:^|[\s|•·,(])(?:{_CREDIT_WORDS})\s*[:\-–—]?\s*$", re.I)
_NEGATIVE_TAGS = frozenset({"aside", "blockquote", "figcaption"})
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

    @property
    def text(self) -> str:
        return self.line.text


@dataclass(frozen=True)
class Mention:
    """A visible occurrence of a name that is *not* a byline, kept to explain failures."""

    line: Line
    element: Any
    why_not: str


def _attr_text(el: Any) -> str:
    return " ".join(v for k in ("class", "id", "itemprop", "rel", "data-testid", "data-component", "name")
                    if (v := el.get(k)))


def negative_region(el: Any) -> str | None:
    """A reason this element sits in page chrome (related list, teaser, comments, nav) rather than the article.

    - Class names that describe *other content* (related, teaser, comments …) exclude.
    - "sidebar" classes and the <aside>, <figcaption>, <blockquote> tags exclude unless the name sits in
      author markup below them: modern pages put author boxes in an <aside> or an author photo's caption.
    - Layout names ("with-sidebar", "sidebar-layout__content") never exclude, and class names above the
      enclosing <article>/<main> are layout around the story, not chrome inside it.
    """
    node = el
    author_below = False
    crossed_boundary = False
    while node is not None and node.tag not in _STOP_TAGS:
        tag = node.tag if isinstance(node.tag, str) else ""
        attrs = _attr_text(node)
        if attrs and not crossed_boundary:
            strong = _negative_token(attrs, _NEGATIVE)
            if strong and not _holds_headline(node):
                return f"it is inside a “{strong}” block"
            weak = _negative_token(attrs, _WEAK_NEGATIVE)
            if weak and not author_below:
                return f"it is inside a “{weak}” block"
        if (attrs and _SIGNAL.search(attrs)) or (tag == "a" and _AUTHOR_HREF.search(node.get("href") or "")):
            author_below = True
        if tag == "address":
            author_below = True
        if tag == "nav":
            return "it is inside <nav>"
        if tag in _NEGATIVE_TAGS and not author_below:
            return f"it is inside <{tag}>"
        if tag in ("article", "main"):
            crossed_boundary = True
        node = node.getparent()
    return None


_LAYOUT_WORDS = re.compile(r"with|has|layout|container|wrapper|wrap|grid|col|main|content|header|page|body|"
                           r"parent|sticky|left|right|inner|outer|enabled|active|visible|\d", re.I)
_WEAK_NEGATIVE = re.compile(r"sidebar|side-bar|side_bar", re.I)


def _holds_headline(node: Any) -> bool:
    """A block that holds an <h1> is the story's own header, whatever its class says ("panorama-teaser")."""
    return node.find(".//h1") is not None


_TAXONOMY = re.compile(r"^(tag|category|categories|post|type|status|format|topic|section)[-_]", re.I)


def _negative_token(attrs: str, vocabulary: re.Pattern[str]) -> str | None:
    """A class/id token naming other content (not layout), e.g. "related-posts", "teaser", "comment-body".

    CMS taxonomy classes ("tag-newsletter", "category-comments") describe the story, not a region.
    """
    for token in attrs.split():
        if _TAXONOMY.match(token):
            continue
        m = vocabulary.search(token)
        if m and not _SIGNAL.search(token) and not _LAYOUT_WORDS.search(token.replace(m.group(0), " ")):
            return m.group(0)
    return None


def author_markup(el: Any, depth: int = SIGNAL_DEPTH) -> tuple[Any, str] | None:
    """The nearest element (self or ancestor) marked as author/byline, with a description."""
    node = el
    for _ in range(depth):
        if node is None or node.tag in _STOP_TAGS or not isinstance(node.tag, str):
            return None
        if node.tag == "address":
            return node, "an <address> element"
        rel = (node.get("rel") or "").lower().split()
        if "author" in rel:
            return node, 'rel="author"'
        if (node.get("itemprop") or "").lower() in ("author", "creator"):
            return node, f'itemprop="{node.get("itemprop")}"'
        if node.tag == "a" and _AUTHOR_HREF.search(node.get("href") or ""):
            return node, "a link to an author page"
        attrs = " ".join(v for k in ("class", "id", "data-testid", "data-component") if (v := node.get(k)))
        m = _SIGNAL.search(attrs) if attrs else None
        if m:
            return node, f"author markup (“{m.group(0)}” in its class/id)"
        node = node.getparent()
    return None


def classify(line: Line, start: int, end: int) -> tuple[Any, str | None, str | None]:
    """(element, reason it is a byline, reason it is not) for a name at [start, end) of ``line``."""
    el = line.owner_at(start)
    if len(line.text) > MAX_BYLINE_CHARS:
        return el, None, f"it is in a {len(line.text)}-character paragraph of body text"
    chrome = negative_region(el)
    if chrome:
        return el, None, chrome
    marker = credit_marker(line.text[:start])
    if marker:
        return el, f"the line credits the name with “{marker}”", None
    cjk = _CJK_MARKER.search(line.text[max(0, start - 12):start])
    if cjk:
        return el, f"the line credits the name with “{cjk.group(1)}”", None
    if line.text[:start].rstrip().endswith("(") and line.text[end:].lstrip().startswith(")"):
        return el, "the text is signed off with the name in parentheses", None
    markup = author_markup(el)
    if markup:
        return markup[0], f"it is marked up as a byline ({markup[1]})", None
    name_len = end - start
    if len(line.text) <= SHORT_NAME_LINE and name_len >= 0.35 * len(line.text):
        return el, "it stands on a short line of its own, as a byline does", None
    if len(line.text) <= META_LINE and _stands_alone(line.text, start, end):
        return el, "it is its own item on a short line of article details (date, name, reading time)", None
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
    elif page.letter_refs:  # "V&aacute;vra": the source bytes cannot rule the name out
        lines = page.lines
    elif page.text.isascii() or not _accented_word_in(page, matcher.name):
        lines = []
    else:
        lines = page.lines
    hits: list[BylineHit] = []
    mentions: list[Mention] = []
    for line in lines:
        for m in matcher.search_all(line.text):
            el, reason, why_not = classify(line, m.start, m.end)
            if reason:
                hits.append(BylineHit(line, el, m.start, m.end, m.matched, reason))
            else:
                mentions.append(Mention(line, el, why_not or "it is not a byline"))
    hits.sort(key=_rank)
    return hits, mentions


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


_ACCENTABLE = re.compile(r"[a-zA-Z]")  # an ASCII letter might be written with an accent on the page


@lru_cache(maxsize=256)
def _accented_spelling(name: str) -> re.Pattern[bytes]:
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
    return re.compile(b"".join(parts) or b"(?!)")


_WORD_BYTE = re.compile(rb"[a-z0-9]|[\xc3-\xc5][\x80-\xbf]")


def _accented_word_in(page: Page, name: str) -> bool:
    """Does the page source hold the name's key word, perhaps with accents, as a whole word ("doe", not "does")?

    Lookarounds would make the regex test every position; boundaries are checked at the few hits instead.
    """
    src = page.lower_source
    for m in _accented_spelling(name).finditer(src):
        start, end = m.start(), m.end()
        before = src[max(0, start - 2):start]
        after = src[end:end + 2]
        if not (before and (_WORD_BYTE.fullmatch(before[-1:]) or _WORD_BYTE.fullmatch(before))) and \
                not (after and (_WORD_BYTE.match(after))):
            return True
    return False


def _rank(hit: BylineHit) -> tuple[int, int]:
    """Prefer bylines inside the main article, then earlier ones."""
    in_article = 0
    node = hit.element
    while node is not None:
        if node.tag in ("article", "main"):
            in_article = -1
            break
        node = node.getparent()
    return in_article, hit.element.sourceline or 0


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
    from compliance.text.names import looks_like_person_name, split_names

    # bylines sit near the top of a story: a page with thousands of candidates is not searched to the end
    blocks = [block_ancestor(c) for c in _candidates(page)[:MAX_CANDIDATES]]
    found: list[BylineHit] = []
    impersonal: list[Line] = []
    for line in page.lines_in(blocks)[:MAX_CANDIDATES]:
        if len(line.text) > MAX_BYLINE_CHARS:
            continue
        marker = _MARKER_AT_START.match(line.text)
        el = line.owner_at(0)
        markup = None if marker else author_markup(el)
        if not marker and not markup:
            # the name may sit in a marked-up child (e.g. <span class="author">)
            for _, owner in line.owners:
                markup = author_markup(owner, depth=2)
                if markup:
                    break
        if not marker and not markup:
            continue
        if negative_region(el):
            continue
        names = [n for n in split_names(line.text) if looks_like_person_name(n)]
        if not names:
            impersonal.append(line)
            continue
        name = names[0]
        start = max(line.text.find(name), 0)
        reason = (f"the line credits the name with “{marker.group(1)}”" if marker
                  else f"it is marked up as a byline ({markup[1]})")
        found.append(BylineHit(line, line.owner_at(start), start, start + len(name), ", ".join(names), reason))
    found.sort(key=_rank)
    return Discovered(found, impersonal)


_MARKER_IN_SOURCE = re.compile(rf">\s*(?:{_LINE_START_WORDS})\b\s*[:\-–—]?\s+[^\s<]", re.I)


def _candidates(page: Page) -> list[Any]:
    """Elements marked up as author/byline, and elements whose text starts with a "By"-like marker.

    One Python pass over the elements reads class/id/rel/itemprop (cheaper than making libxml2
    case-fold every attribute); "By …" text is located with one regex over the page source, and
    only the source lines it hits are mapped back to elements.
    """
    out: list[Any] = []
    body = page.root.find("body")
    if body is None:
        return out
    marked: list[Any] = []
    texts: list[str] = []
    for el in body.iter():
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
        if cls or ident:
            marked.append(el)
            texts.append(f"{cls or ''} {ident or ''}")
    if texts:  # one regex pass over all class/id values instead of one search per element
        joined = "\n".join(texts).lower()
        starts = []
        pos = 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        hit = set()
        for m in _SIGNAL_LOWER.finditer(joined):
            hit.add(bisect_right(starts, m.start()) - 1)
        out.extend(marked[i] for i in sorted(hit))
    lines: set[int] = set()
    line, pos = 1, 0
    for m in _MARKER_IN_SOURCE.finditer(page.text):
        line += page.text.count("\n", pos, m.start())
        pos = m.start()
        lines.add(line)
    if lines:
        out.extend(el for el in body.iterdescendants() if el.sourceline in lines and isinstance(el.tag, str)
                   and el.tag not in _STOP_TAGS)
    return out


_MARKER_AT_START = re.compile(rf"^\s*({_LINE_START_WORDS})\b\s*[:\-–—]?\s*(?=\S)", re.I)


def author_block_texts(page: Page, hit: BylineHit) -> list[tuple[Any, str]]:
    """Visible texts that count as 'attached to' a byline: its line, its author block, a small container.

    A container counts only when it is a small, self-contained box (not the article, a section or
    anything holding a headline): "name here, affiliation right beside it" in an author card.
    """
    text_prefix = page.visible_text_within
    out: list[tuple[Any, str]] = [(hit.line.block, hit.line.text)]
    markup = author_markup(hit.element)
    containers = [hit.line.block.getparent()]
    if markup:
        block = markup[0]
        text = text_prefix(block, 600)
        if len(text) <= 500:
            out.append((block, text))
        containers.insert(0, block.getparent())
    # the line right after the byline ("By Jane Doe" / "Daily Caller News Foundation") belongs to it
    for block in (hit.line.block, markup[0] if markup else None):
        following = block.getnext() if block is not None else None
        if following is not None and isinstance(following.tag, str) and not negative_region(following):
            ftext = text_prefix(following, 200)
            if _label_like(ftext):
                out.append((following, ftext))
    for parent in containers:
        if parent is None or parent.tag in _STOP_TAGS or parent.tag in _NOT_A_BOX:
            continue
        if parent.find(".//h1") is not None or parent.find(".//h2") is not None:
            continue
        ptext = text_prefix(parent, 400)
        if len(ptext) <= 300:
            out.append((parent, ptext))
    return out


def _label_like(text: str) -> bool:
    """A short label ("Daily Caller News Foundation", "Staff reporter, DCNF"), not a sentence such as a credit line."""
    return bool(text) and len(text) <= 60 and len(text.split()) <= 6 and not text.rstrip().endswith((".", "!", "?"))


_NOT_A_BOX = frozenset({"article", "main", "section", "body", "html", "table", "tbody", "ul", "ol"})
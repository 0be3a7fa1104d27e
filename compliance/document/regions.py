"""Which part of a page a block sits in: page chrome around the story, or an author's box.

Two judgements that bylines, credit lines and the story's paragraphs all rest on, defined once:

- ``negative_region``: the block is in chrome that holds *other* content (related stories, teasers,
  comments, newsletters, navigation, breadcrumbs), not the article;
- ``author_markup``: the block is, or sits in, an element the page marks as an author or byline
  (``rel="author"``, ``itemprop="author"``, ``<address>``, a link to an author page, a class such as
  ``byline``).
"""

from __future__ import annotations

import re
from typing import Any

SIGNAL_DEPTH = 6                # how many ancestors may carry the author markup


class Folded:
    """A case-insensitive search run on lower-cased text: Python's ``re.I`` tries an alternation of words at
    every position, several times slower. The match comes back as the text writes it."""

    def __init__(self, pattern: str, flags: int = 0):
        self.regex = re.compile(pattern, flags)

    def search(self, text: str) -> str | None:
        low = text.lower()
        m = self.regex.search(low)
        if m is None:
            return None
        return text[m.start():m.end()] if len(low) == len(text) else m.group(0)


_SIGNAL_WORDS = (r"author|byline|by-line|by_line|writer|creator|contributor|reporter|journalist|columnist|"
                 r"autor|auteur|autore|verfasser|firma|signature|redakteur|periodista|giornalista|dziennikarz")
SIGNAL = Folded(_SIGNAL_WORDS)
SIGNAL_LOWER = SIGNAL.regex  # for already lower-cased text
_NEGATIVE = Folded(
    r"related|recommend|teaser|trending|popular|most-?read|newsletter|comments?(?:-|_|$)|"
    r"outbrain|taboola|breadcrumb|more-?stories|read-?more|readmore|up-?next|next-?article|also-?read|"
    r"more-?from|morefrom|related-?posts|post-?nav", re.M)  # re.M: "$" also ends each line of a token list
_AUTHOR_PATHS = (
    r"/(authors?|autor(?:en|in)?|auteurs?|autore|people|profiles?|staff|journalists?|reporters?|contributors?|"
    r"team|redaktion|mitarbeiter|writers?|columnists?|byline|u|user|persons?|equipo|redazione)(/|-|\?|$)|"
    r"[?&]author=")
AUTHOR_HREF = Folded(_AUTHOR_PATHS, re.M)  # re.M: "$" also ends each of many hrefs joined by newlines
AUTHOR_HREF_LOWER = AUTHOR_HREF.regex  # for already lower-cased hrefs
_NEGATIVE_TAGS = frozenset({"aside", "blockquote", "figcaption"})
_STOP_TAGS = frozenset({"body", "html"})


_REGION_ATTRS = ("class", "id", "itemprop", "rel", "data-testid", "data-component", "name")


def _attr_text(el: Any) -> str:
    items = el.items()
    if not items:
        return ""
    values = dict(items)
    return " ".join(v for k in _REGION_ATTRS if (v := values.get(k)))


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
        if (attrs and SIGNAL.search(attrs)) or (tag == "a" and AUTHOR_HREF.search(node.get("href") or "")):
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


_LAYOUT_WORDS = Folded(r"with|has|layout|container|wrapper|wrap|grid|col|main|content|header|page|body|"
                       r"parent|sticky|left|right|inner|outer|enabled|active|visible|\d")
_WEAK_NEGATIVE = Folded(r"sidebar|side-bar|side_bar", re.M)


def _holds_headline(node: Any) -> bool:
    """A block that holds an <h1> is the story's own header, whatever its class says ("panorama-teaser")."""
    return node.find(".//h1") is not None


_TAXONOMY = Folded(r"^(tag|category|categories|post|type|status|format|topic|section)[-_]")


def _negative_token(attrs: str, vocabulary: Folded) -> str | None:
    """A class/id token naming other content (not layout), e.g. "related-posts", "teaser", "comment-body".

    CMS taxonomy classes ("tag-newsletter", "category-comments") describe the story, not a region.
    """
    tokens = attrs.split()
    if vocabulary.search("\n".join(tokens)) is None:
        return None  # no token can name other content (one search of them all, a token per line)
    for token in tokens:
        if _TAXONOMY.search(token):
            continue
        found = vocabulary.search(token)
        if found and not SIGNAL.search(token) and not _LAYOUT_WORDS.search(token.replace(found, " ")):
            return found
    return None


def author_markup(el: Any, depth: int = SIGNAL_DEPTH) -> tuple[Any, str] | None:
    """The nearest element (self or ancestor) marked as author/byline, with a description."""
    node = el
    for _ in range(depth):
        if node is None:
            return None
        tag = node.tag
        if not isinstance(tag, str) or tag in _STOP_TAGS:
            return None
        if tag == "address":
            return node, "an <address> element"
        items = node.items()  # one call for all of them: most elements carry none of these
        if items:
            found = _marked(node, tag, items)
            if found is not None:
                return node, found
        node = node.getparent()
    return None


_MARKUP_ATTRS = ("class", "id", "data-testid", "data-component")


def _marked(node: Any, tag: str, items: list[tuple[str, str]]) -> str | None:
    """Why the element's own attributes mark it as an author or byline, or None."""
    values = dict(items)
    rel = values.get("rel")
    if rel and "author" in rel.lower().split():
        return 'rel="author"'
    prop = values.get("itemprop")
    if prop and prop.lower() in ("author", "creator"):
        return f'itemprop="{prop}"'
    if tag == "a" and AUTHOR_HREF.search(values.get("href") or ""):
        return "a link to an author page"
    attrs = " ".join(v for k in _MARKUP_ATTRS if (v := values.get(k)))
    found = SIGNAL.search(attrs) if attrs else None
    return f"author markup (“{found}” in its class/id)" if found else None

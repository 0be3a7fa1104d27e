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

SIGNAL = re.compile(
    r"author|byline|by-line|by_line|writer|creator|contributor|reporter|journalist|columnist|"
    r"autor|auteur|autore|verfasser|firma|signature|redakteur|periodista|giornalista|dziennikarz", re.I)
SIGNAL_LOWER = re.compile(SIGNAL.pattern)  # for already lower-cased text: no re.I, several times faster
_NEGATIVE = re.compile(
    r"related|recommend|teaser|trending|popular|most-?read|newsletter|comments?(?:-|_|$)|"
    r"outbrain|taboola|breadcrumb|more-?stories|read-?more|readmore|up-?next|next-?article|also-?read|"
    r"more-?from|morefrom|related-?posts|post-?nav", re.I)
AUTHOR_HREF = re.compile(
    r"/(authors?|autor(?:en|in)?|auteurs?|autore|people|profiles?|staff|journalists?|reporters?|contributors?|"
    r"team|redaktion|mitarbeiter|writers?|columnists?|byline|u|user|persons?|equipo|redazione)(/|-|\?|$)|"
    r"[?&]author=", re.I | re.M)  # re.M: also matched over many hrefs joined by newlines
_NEGATIVE_TAGS = frozenset({"aside", "blockquote", "figcaption"})
_STOP_TAGS = frozenset({"body", "html"})


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
        if m and not SIGNAL.search(token) and not _LAYOUT_WORDS.search(token.replace(m.group(0), " ")):
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
        if node.tag == "a" and AUTHOR_HREF.search(node.get("href") or ""):
            return node, "a link to an author page"
        attrs = " ".join(v for k in ("class", "id", "data-testid", "data-component") if (v := node.get(k)))
        m = SIGNAL.search(attrs) if attrs else None
        if m:
            return node, f"author markup (“{m.group(0)}” in its class/id)"
        node = node.getparent()
    return None



"""One news story as data, and how to read it out of an HTML page.

The same extractor reads the licensor's original page and the republished
copy, so every later comparison (byline, headline, body text, in-story links)
works on like-for-like records. Metadata comes from what publishers declare
for search engines (JSON-LD, OpenGraph and other ``<meta>`` tags,
``rel=canonical``) before falling back to the visible page. The body is found
by scoring blocks of prose and their containers (dense, comma-rich text with
few links wins), then read out paragraph by paragraph while skipping the
chrome that sits inside article containers (share bars, related-story lists,
captions, ads).
"""

from __future__ import annotations

import html as html_entities
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from lxml import etree, html as lxml_html

from compliance.document.page import inside_any
from compliance.text.patterns import normalize
from compliance.text.urls import normalize_url

__all__ = [
    "Article",
    "article_id_from_url",
    "body_from_html",
    "extract_article",
    "paragraphs_from_text",
    "split_names",
]


@dataclass(frozen=True)
class Article:
    """A story: the licensor's original, or a republished copy of one."""

    url: str | None  # the page's address: the given URL, else its canonical URL
    title: str | None
    authors: tuple[str, ...]
    published: str | None  # ISO 8601 date or datetime, as the source states it
    paragraphs: tuple[str, ...]  # body text, whitespace-normalised, in order
    links: tuple[str, ...]  # body links, absolute and normalised, first occurrence order
    article_id: str | None = None  # licensor's id (catalog value, else trailing URL number)
    canonical: str | None = None
    source: str | None = None  # where this record came from (file, feed#item, ...)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def extract_article(html: str, url: str | None = None) -> Article:
    """Read title, authors, date, canonical URL and body out of a page."""
    root = _parse_document(html)
    if root is None:
        return Article(url=url, title=None, authors=(), published=None, paragraphs=(), links=(),
                       article_id=article_id_from_url(url))
    facts = _PageFacts.read(root)
    base = url or _base_href(root) or facts.canonical_raw
    canonical = _absolute(facts.canonical_raw, base)
    page_url = url or canonical
    # Read the visible metadata before the body search prunes the tree.
    title = _choose_title(facts, root)
    authors = _choose_authors(facts, root)
    published = facts.published or _visible_date(root)

    body = _find_body(root, title)
    paragraphs, links = _read_blocks(body, base)
    paragraphs = _without_leading_meta_lines(paragraphs, title, authors)
    if facts.article_body and len(facts.article_body) > 2 * sum(len(p) for p in paragraphs) + 200:
        # The markup hides most of the story (teaser layouts, scripts that
        # render it); publishers still declare the whole text for search engines.
        paragraphs = paragraphs_from_text(facts.article_body)

    return Article(
        url=page_url,
        title=title,
        authors=authors,
        published=published,
        paragraphs=paragraphs,
        links=links,
        article_id=article_id_from_url(page_url),
        canonical=canonical,
    )


def body_from_html(html: str, base: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Paragraphs and links of an HTML fragment that is all body (feed content)."""
    if not html or not html.strip():
        return (), ()
    try:
        container = lxml_html.fragment_fromstring(
            html.encode("utf-8", errors="replace"), create_parent="div", parser=_PARSER
        )
    except (etree.ParserError, ValueError):
        return (), ()
    for junk in list(container.iter(*_NEVER_CONTENT_TAGS)):
        _drop(junk)
    return _read_blocks(container, base)


def article_id_from_url(url: str | None) -> str | None:
    """The trailing number of a URL's last path segment (``…-14848164.php``), if any.

    Many CMSs end article URLs with the story's numeric id; four digits at
    least, and a bare year is not an id.
    """
    if not url:
        return None
    path = re.sub(r"[?#].*", "", url).rstrip("/")
    last = path.rsplit("/", 1)[-1]
    last = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", last)
    match = re.search(r"(\d{4,})$", last)
    if not match:
        return None
    number = match.group(1)
    if number == last and len(number) == 4 and 1900 <= int(number) <= 2100:
        return None
    return number


# --------------------------------------------------------------------------
# Parsing

# the same parser settings as compliance.document.page: no network, and no silent loss of deeply nested content
_PARSER = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
                               huge_tree=True)


def _parse_document(html: str) -> Any:
    if not html or not html.strip():
        return None
    # Bytes with a fixed encoding: a str with an XML declaration is refused by
    # lxml, and libxml2 must not guess the encoding again.
    data = html.encode("utf-8", errors="replace")
    try:
        root = lxml_html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return root


def _text(element: Any) -> str:
    return _squash(element.text_content())


def _squash(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _absolute(href: str | None, base: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if base:
        try:
            return urljoin(base, href)
        except ValueError:
            return href
    return href


def _base_href(root: Any) -> str | None:
    for base in root.iter("base"):
        href = base.get("href")
        if href and href.strip():
            return href.strip()
    return None


def _drop(element: Any) -> None:
    """Remove an element but keep its tail text in the flow."""
    parent = element.getparent()
    if parent is None:
        return
    element.drop_tree()


# --------------------------------------------------------------------------
# Metadata

_ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
        "backgroundnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
        "askpublicquestionarticle", "satiricalarticle", "blogposting", "liveblogposting",
        "socialmediaposting", "techarticle", "scholarlyarticle", "report", "creativework",
    }
)
_TITLE_META = ("og:title", "parsely-title", "twitter:title", "dc.title", "dcterms.title", "title")
_AUTHOR_META = (
    "author", "article:author", "parsely-author", "dc.creator", "dcterms.creator",
    "sailthru.author", "byl", "citation_author", "og:article:author", "cxenseparse:author",
)
_DATE_META = (
    "article:published_time", "og:article:published_time", "parsely-pub-date",
    "sailthru.date", "dc.date", "dcterms.created", "dc.date.issued", "date", "pubdate",
    "publish-date", "publish_date", "citation_publication_date", "article.published",
)


@dataclass
class _PageFacts:
    """What the page declares about itself, before looking at visible text."""

    headline: str | None
    meta: dict[str, list[str]]
    ld_authors: list[str]
    published: str | None
    canonical_raw: str | None
    article_body: str | None

    @classmethod
    def read(cls, root: Any) -> _PageFacts:
        meta = _meta_tags(root)
        ld_article = _json_ld_article(root)
        headline = None
        ld_authors: list[str] = []
        ld_date = None
        ld_url = None
        article_body = None
        if ld_article is not None:
            record, by_id = ld_article
            headline = _first_string(record.get("headline")) or _first_string(record.get("name"))
            ld_authors = _ld_names(record.get("author"), by_id) or _ld_names(record.get("creator"), by_id)
            ld_date = _first_string(record.get("datePublished")) or _first_string(record.get("dateCreated"))
            ld_url = _ld_url(record.get("url")) or _ld_url(record.get("mainEntityOfPage"))
            article_body = _first_string(record.get("articleBody"))
        canonical = None
        for link in root.iter("link"):
            rel = (link.get("rel") or "").lower().split()
            if "canonical" in rel and (link.get("href") or "").strip():
                canonical = link.get("href").strip()
                break
        canonical = canonical or _first(meta, "og:url") or ld_url
        published = ld_date or next((v for key in _DATE_META for v in meta.get(key, ()) if v), None)
        return cls(
            headline=_squash(headline) or None,
            meta=meta,
            ld_authors=ld_authors,
            published=published.strip() if published else None,
            canonical_raw=canonical,
            article_body=article_body,
        )


def _meta_tags(root: Any) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content and content.strip():
            tags.setdefault(key.strip().lower(), []).append(_squash(content))
    return tags


def _first(meta: dict[str, list[str]], key: str) -> str | None:
    values = meta.get(key)
    return values[0] if values else None


def _json_ld_article(root: Any) -> tuple[dict[str, Any], dict[str, dict[str, Any]]] | None:
    """The first article-typed JSON-LD record (inside ``@graph`` or nested), and
    all records by ``@id`` so that author references can be resolved."""
    records: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        data = _load_json_leniently(script.text or "")
        if data is not None:
            records.extend(_walk_json_ld(data))
    by_id = {r["@id"]: r for r in records if isinstance(r.get("@id"), str)}
    articles = [r for r in records if _is_article(r)]
    if not articles:
        return None
    # Prefer a record that states a headline: wrappers often repeat the type.
    articles.sort(key=lambda r: not (r.get("headline") or r.get("articleBody")))
    return articles[0], by_id


def _load_json_leniently(text: str) -> Any:
    text = text.strip()
    text = re.sub(r"^\s*(<!--|<!\[CDATA\[)|(-->|\]\]>)\s*$", "", text).strip().rstrip(";")
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except ValueError:
        return None


def _walk_json_ld(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk_json_ld(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement"):
            if key in data:
                yield from _walk_json_ld(data[key], depth + 1)


def _is_article(record: dict[str, Any]) -> bool:
    types = record.get("@type")
    names = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.rsplit("/", 1)[-1].lower() in _ARTICLE_TYPES for t in names)


def _first_string(value: Any) -> str | None:
    if isinstance(value, str):
        # JSON-LD sits in a <script>, where the parser decodes no entities.
        return html_entities.unescape(value).strip() or None
    if isinstance(value, list):
        for item in value:
            found = _first_string(item)
            if found:
                return found
    if isinstance(value, dict):
        return _first_string(value.get("@value"))
    return None


def _ld_url(value: Any) -> str | None:
    if isinstance(value, str) and value.strip().lower().startswith(("http", "//", "/")):
        return value.strip()
    if isinstance(value, dict):
        return _ld_url(value.get("@id")) or _ld_url(value.get("url"))
    if isinstance(value, list) and value:
        return _ld_url(value[0])
    return None


def _ld_names(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    names: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            names.extend(split_names(html_entities.unescape(item)))
        elif isinstance(item, dict):
            record = item
            if "name" not in record and isinstance(record.get("@id"), str):
                record = by_id.get(record["@id"], record)
            name = record.get("name")
            if isinstance(name, list):
                name = _first_string(name)
            if isinstance(name, str) and name.strip():
                names.extend(split_names(html_entities.unescape(name)))
    return names


# --------------------------------------------------------------------------
# Title, authors, date

_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014\-:\u00b7\u2022»]\s+")


def _choose_title(facts: _PageFacts, root: Any) -> str | None:
    """JSON-LD headline, else the <h1> when a declared title starts with it
    (it then lacks the site name), else the declared title without site name."""
    if facts.headline:
        return facts.headline
    heading = _main_heading(root)
    declared = [t for t in (_first(facts.meta, key) for key in _TITLE_META) if t]
    title_element = root.find("head/title")
    document_title = _text(title_element) if title_element is not None else ""
    if heading and any(normalize(t).startswith(normalize(heading)) for t in declared):
        return heading
    if declared:
        return _strip_site_name(declared[0], facts.meta)
    if heading:
        return heading
    return _strip_site_name(document_title, facts.meta) or None


def _main_heading(root: Any) -> str | None:
    for heading in root.iter("h1"):
        text = _text(heading)
        if text:
            return text
    return None


def _strip_site_name(title: str, meta: dict[str, list[str]]) -> str:
    site = normalize(_first(meta, "og:site_name") or "")
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        if (site and normalize(parts[-1]) == site) or len(parts[-1].split()) <= 3 < len(parts[0].split()):
            return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
        if site and normalize(parts[0]) == site:
            return parts[-1]
    return title


# "By", "Von", "Par", ... in any case; particles that also begin surnames
# ("Di Stefano", "Af Klint") only in lower case.
_BYLINE_PREFIX = re.compile(
    r"^(?:(?i:by|from|von|par|por|przez|autor(?:in)?|written by|posted by|text)|di|door|av|af)\s*:?\s+"
)
_NAME_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bog\b|\ben\b|\bi\b)\s*", re.IGNORECASE)
# "Elena Oberholzer (obe)": the desk's short sign appended to a name.
_INITIALS_SUFFIX = re.compile(r"\s*\([a-z.]{2,5}\)\s*$")
_ROLE_WORDS = frozenset(
    {
        "writer", "writers", "reporter", "reporters", "correspondent", "correspondents",
        "editor", "editors", "staff", "contributor", "contributors", "columnist", "columnists",
        "photographer", "producer", "journalist", "journalists", "redakteur", "redakteurin",
        "korrespondent", "korrespondentin",
    }
)
_BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(byline|author|authors|author-name|writer)(?:$|[\s_-])", re.IGNORECASE)


def _choose_authors(facts: _PageFacts, root: Any) -> tuple[str, ...]:
    names = facts.ld_authors
    if not names:
        for key in _AUTHOR_META:
            values = [v for v in facts.meta.get(key, ()) if not v.lower().startswith(("http", "www."))]
            if values:
                names = [n for v in values for n in split_names(v)]
                break
    if not names:
        names = _visible_byline(root)
    return unique_names(n for n in names if _plausible_name(n))


def _visible_byline(root: Any) -> list[str]:
    candidates: list[Any] = []
    candidates.extend(
        e for e in root.iter("a", "span", "div", "p", "address") if "author" in (e.get("rel") or "").lower().split()
    )
    candidates.extend(
        e for e in root.iter() if isinstance(e.tag, str) and (e.get("itemprop") or "").lower() == "author"
    )
    if not candidates:
        candidates.extend(
            e for e in root.iter("span", "div", "p", "a", "address")
            if _BYLINE_CLASS.search(f"{e.get('class') or ''} {e.get('id') or ''}")
        )
    for element in candidates:
        name_element = element.find('.//*[@itemprop="name"]')
        text = _text(name_element if name_element is not None else element)
        if 2 < len(text) <= 120:
            names = [n for n in split_names(text) if _plausible_name(n)]
            if names:
                return names
    return []


def split_names(text: str) -> list[str]:
    """Names in a byline string: "By Jane Doe and John Roe, Staff Writers" gives two."""
    text = _BYLINE_PREFIX.sub("", _squash(text))
    parts = [
        _INITIALS_SUFFIX.sub("", _BYLINE_PREFIX.sub("", p)).strip(" .,:;|-\u2013\u2014")
        for p in _NAME_SPLIT.split(text)
    ]
    # "Doe, Jane" style or a single name with a comma suffix: keep whole.
    if len(parts) == 2 and all(len(p.split()) == 1 for p in parts) and "," in text:
        return [text.strip()]
    parts = [p for p in parts if p]
    # "Tom Krisher, AP Auto Writer": the job title is not a second author.
    people = [p for p in parts if not _ROLE_WORDS & set(p.casefold().split())]
    return people or parts


def _plausible_name(name: str) -> bool:
    return (
        any(c.isalpha() for c in name)
        and 1 < len(name) <= 80
        and len(name.split()) <= 8
        and not name.lower().startswith(("http", "www."))
    )


def unique_names(names: Iterable[str]) -> tuple[str, ...]:
    """Names in first-seen order, without empty ones or repeats that differ only in case."""
    seen: set[str] = set()
    kept: list[str] = []
    for name in names:
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            kept.append(name)
    return tuple(kept)


def _visible_date(root: Any) -> str | None:
    for element in root.iter("time"):
        value = (element.get("datetime") or "").strip()
        if value:
            return value
    return None


# --------------------------------------------------------------------------
# Body: cleaning

_NEVER_CONTENT_TAGS = (
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "button", "input", "select", "textarea", "dialog",
    "figcaption", "picture", "img", "link", "meta",
)
# Page furniture by its tag, yet some sites wrap the whole page in a <form>
# (ASP.NET) or put the story in an <aside>: kept when it holds prose.
_FURNITURE_TAGS = ("nav", "aside", "footer", "form", "figure")
_BLOCK_TAGS = frozenset(
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
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
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


def _is_hidden(element: Any) -> bool:
    if element.get("hidden") is not None or (element.get("aria-hidden") or "").lower() == "true":
        return True
    style = element.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _looks_like_chrome(element: Any) -> bool:
    words = _attribute_words(element)
    if not words or words & _CONTENT_WORDS:
        return False
    if words & _CHROME_WORDS:
        return True
    return bool(words & _MAYBE_CHROME_WORDS) and not _holds_prose(element)


def _holds_much_text(element: Any) -> bool:
    """Enough text to hold a story, however it is marked up (a page-wide
    <form> also holds the menus, so its links are not held against it)."""
    if len(_text(element)) < 1000:
        return False
    return element.tag == "form" or _link_density(element) < 0.25


def _holds_prose(element: Any) -> bool:
    """Several real paragraphs and few links: a story column, not a widget."""
    paragraphs = sum(1 for p in element.iter("p") if len(_text(p)) >= 80)
    return paragraphs >= 3 and _link_density(element) < 0.25


def _remove_never_content(root: Any) -> None:
    for element in list(root.iter(*_NEVER_CONTENT_TAGS)):
        _drop(element)
    for element in list(root.iter(*_FURNITURE_TAGS)):
        if not _holds_much_text(element):
            _drop(element)
    for element in list(root.iter()):
        if isinstance(element.tag, str) and element.tag not in ("html", "body") and _is_hidden(element):
            # Some app shells hide the whole page until a script shows it.
            if not _holds_much_text(element):
                _drop(element)


# --------------------------------------------------------------------------
# Body: finding the container

_MIN_BLOCK_CHARS = 25
# A container scoring this share of the best one may hold another part of the story.
_RIVAL_SHARE = 0.35
# Widening stops at an ancestor whose text is mostly those story parts.
_HELD_TEXT_SHARE = 0.6
_MAX_WIDENING_LEVELS = 6


def _find_body(root: Any, title: str | None = None) -> Any:
    body = root.find("body")
    if body is None:
        body = root
    _remove_never_content(body)
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
        text = normalize(_text(heading))
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
            child.tag in _BLOCK_TAGS for child in element if isinstance(child.tag, str)
        )
        text = _squash(_own_text(element)) if loose else _text(element)
        if len(text) >= _MIN_BLOCK_CHARS:
            yield element, text, loose


def _own_text(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _BLOCK_TAGS:
            parts.append(child.text_content())
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
    text_length = len(_text(element))
    if not text_length:
        return 0.0
    link_length = sum(len(_text(a)) for a in element.iter("a"))
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
    best_length = len(_text(best))
    for ancestor in lineage[:_MAX_WIDENING_LEVELS]:
        inside = [r for r in rivals if inside_any(r.getparent(), {ancestor})]
        outermost = [r for r in inside if not inside_any(r.getparent(), set(inside))]
        if not outermost:
            continue
        held = best_length + sum(len(_text(r)) for r in outermost)
        if held >= _HELD_TEXT_SHARE * len(_text(ancestor)):
            return ancestor
    return best


# --------------------------------------------------------------------------
# Body: reading paragraphs and links


def _read_blocks(container: Any, base: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    reader = _BlockReader(base)
    reader.read(container, top=True)
    reader.flush()
    return tuple(reader.paragraphs), tuple(dict.fromkeys(reader.links))


class _BlockReader:
    """Walks a body container in document order, cutting text at block
    boundaries and collecting link targets, skipping chrome inside it."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.paragraphs: list[str] = []
        self.links: list[str] = []
        self._buffer: list[str] = []
        self._buffer_links: list[str] = []

    def read(self, element: Any, top: bool = False) -> None:
        if not isinstance(element.tag, str):
            self._add(element.tail)
            return
        if not top and self._skip(element):
            self._add(element.tail)
            return
        block = element.tag in _BLOCK_TAGS
        if block:
            self.flush()
        if element.tag == "a":
            self._note_link(element.get("href"))
        self._add(element.text)
        for child in element:
            self.read(child)
        if block:
            self.flush()
        if not top:
            self._add(element.tail)

    def _skip(self, element: Any) -> bool:
        if element.tag in _NEVER_CONTENT_TAGS or element.tag == "h1" or _is_hidden(element):
            return True
        if element.tag in _FURNITURE_TAGS and not _holds_prose(element):
            return True
        if _looks_like_chrome(element):
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
        text = _squash("".join(self._buffer))
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


def _without_leading_meta_lines(
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
            or bool(_BYLINE_PREFIX.match(paragraph) and len(paragraph.split()) <= 8)
            or bool(len(paragraph) <= _DATELINE_MAX_CHARS and _DATE_LIKE.search(paragraph))
        )
        if not is_meta:
            break
        start += 1
    return paragraphs[start:]


def paragraphs_from_text(text: str) -> tuple[str, ...]:
    """Paragraphs of plain text: blank-line separated, else one per line."""
    chunks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.splitlines()
    return tuple(p for p in (_squash(c) for c in chunks) if p)

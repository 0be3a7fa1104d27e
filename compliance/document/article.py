"""One news story as data, and how to read it out of a page.

The same reader reads the licensor's original page and the republished copy,
so every later comparison (byline, headline, body text, in-story links) works
on like-for-like records. It reads the page model (``compliance.document.page``):
the page's one parse, its visibility, its JSON-LD; it parses nothing and judges
no visibility of its own. Metadata comes from what publishers declare for search
engines (JSON-LD, OpenGraph and other ``<meta>`` tags, ``rel=canonical``) before
falling back to the visible page; the body is read by ``compliance.document.body``.
Names are split by ``compliance.text.names``, like every byline.
"""

from __future__ import annotations

import html as html_entities
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from compliance.document.body import (
    absolute,
    base_href,
    element_text,
    find_body,
    paragraphs_from_text,
    read_blocks,
    squash,
    without_leading_meta_lines,
)
from compliance.document.jsonld import json_ld_records
from compliance.document.page import Page, PageParseError
from compliance.document.parsing import ParserLimitError
from compliance.text.names import split_names
from compliance.text.patterns import normalize

__all__ = [
    "Article",
    "article_id_from_url",
    "extract_article",
    "paragraphs_from_text",
    "read_article",
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
    """An original given as HTML text: parsed once into a page, then read like any page."""
    try:
        page = Page(html, url=url) if html and html.strip() else None
    except ParserLimitError:
        raise  # part of the story would be missing: never matched or compared as if whole
    except PageParseError:
        page = None
    if page is None:
        return Article(url=url, title=None, authors=(), published=None, paragraphs=(), links=(),
                       article_id=article_id_from_url(url))
    return read_article(page)


def read_article(page: Page) -> Article:
    """Title, authors, date, canonical URL and body of a parsed page (its own tree, never parsed again)."""
    root = page.root
    url = page.url
    facts = _PageFacts.read(page)
    base = url or base_href(root) or facts.canonical_raw
    canonical = absolute(facts.canonical_raw, base)
    page_url = url or canonical
    title = _choose_title(facts, root)
    authors = _choose_authors(facts, page)
    published = facts.published or _visible_date(root)

    body, hidden = find_body(page, title)
    paragraphs, links = read_blocks(body, base, hidden)
    paragraphs = without_leading_meta_lines(paragraphs, title, authors)
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
    def read(cls, page: Page) -> _PageFacts:
        root = page.root
        meta = _meta_tags(root)
        ld_article = _json_ld_article(page)
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
            headline=squash(headline) or None,
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
            tags.setdefault(key.strip().lower(), []).append(squash(content))
    return tags


def _first(meta: dict[str, list[str]], key: str) -> str | None:
    values = meta.get(key)
    return values[0] if values else None


def _json_ld_article(page: Page) -> tuple[dict[str, Any], dict[str, dict[str, Any]]] | None:
    """The first article-typed JSON-LD record (inside ``@graph`` or nested), and
    all records by ``@id`` so that author references can be resolved."""
    records = json_ld_records(page.json_ld)
    by_id = {r["@id"]: r for r in records if isinstance(r.get("@id"), str)}
    articles = [r for r in records if _is_article(r)]
    if not articles:
        return None
    # Prefer a record that states a headline: wrappers often repeat the type.
    articles.sort(key=lambda r: not (r.get("headline") or r.get("articleBody")))
    return articles[0], by_id


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
    document_title = element_text(title_element) if title_element is not None else ""
    if heading and any(normalize(t).startswith(normalize(heading)) for t in declared):
        return heading
    if declared:
        return _strip_site_name(declared[0], facts.meta)
    if heading:
        return heading
    return _strip_site_name(document_title, facts.meta) or None


def _main_heading(root: Any) -> str | None:
    for heading in root.iter("h1"):
        text = element_text(heading)
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


_BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(byline|author|authors|author-name|writer)(?:$|[\s_-])", re.IGNORECASE)


def _choose_authors(facts: _PageFacts, page: Page) -> tuple[str, ...]:
    names = facts.ld_authors
    if not names:
        for key in _AUTHOR_META:
            values = [v for v in facts.meta.get(key, ()) if not v.lower().startswith(("http", "www."))]
            if values:
                names = [n for v in values for n in split_names(v)]
                break
    if not names:
        names = _visible_byline(page)
    return unique_names(n for n in names if _plausible_name(n))


def _visible_byline(page: Page) -> list[str]:
    root = page.root
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
        if not page.is_visible(element):
            continue
        name_element = element.find('.//*[@itemprop="name"]')
        text = element_text(name_element if name_element is not None else element)
        if 2 < len(text) <= 120:
            names = [n for n in split_names(text) if _plausible_name(n)]
            if names:
                return names
    return []


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



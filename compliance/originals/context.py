"""Article context from the licensor's originals: load them, match each page, fill the check context.

``--original FILE_OR_URL`` gives one original story (an HTML page): every page
checked is taken to republish it. ``--originals CATALOG`` gives many (an RSS
or Atom feed, or a JSON Lines / CSV manifest): each page is matched to one by
explicit links, then headline, then body overlap (``compliance.originals.matching``), and
a page that matches none is ``not_applicable``. The matched original's
authors become the byline's expected authors unless ``--author`` was given,
and its fields fill ``{original.*}`` placeholders in policies.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Callable

from compliance.document.article import Article, extract_article, read_article
from compliance.document.page import Page
from compliance.document.parsing import ParserLimitError
from compliance.errors import UsageError
from compliance.inputs.files import open_regular, read_bytes
from compliance.text.urls import is_web_url

PAGE, CATALOG = "page", "catalog"


@dataclass(frozen=True)
class OriginalSource:
    kind: str      # "page" (one original story) or "catalog" (a feed or manifest of many)
    location: str  # path or URL as given


def parse_source(spec: str) -> OriginalSource:
    """``page:PATH`` / ``catalog:PATH`` (as the CLI records them); a bare path is sniffed from its content."""
    kind, sep, rest = spec.partition(":")
    if sep and kind in (PAGE, CATALOG) and rest:
        return OriginalSource(kind, rest)
    return OriginalSource(_sniff(spec), spec)


def _sniff(location: str) -> str:
    lower = location.lower()
    if lower.endswith((".jsonl", ".ndjson", ".csv", ".json", ".xml", ".rss", ".atom")):
        return CATALOG
    if lower.endswith((".html", ".htm")):
        return PAGE
    try:
        if is_web_url(location):
            head = _read(location)[0][:4096].lower()
        else:
            with open_regular(location) as handle:
                head = handle.read(4096).lower()
    except (UsageError, OSError):
        return PAGE
    return CATALOG if (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head) else PAGE


# A catalog fetched from a URL may be this large (a local catalog file has no limit).
CATALOG_URL_LIMIT = 50 * 1024 * 1024


@lru_cache(maxsize=8)
def _read(location: str, limit: int | None = None) -> tuple[bytes, str | None]:
    """(bytes, charset from the HTTP header) of an original or catalog, within ``limit`` (default: a page's).

    Cached, so that sniffing a file's kind and then loading it reads it once.
    """
    from compliance.inputs.fetch import FetchError, FetchLimits, fetch

    limit = limit or FetchLimits().max_bytes
    if is_web_url(location):
        try:
            fetched = fetch(location, FetchLimits(max_bytes=limit))
        except FetchError as exc:
            raise UsageError(f"cannot fetch the original {location}: {exc}") from None
        return fetched.data, fetched.http_charset
    try:
        return read_bytes(location, limit), None
    except OSError as exc:
        raise UsageError(f"cannot read the original {location}: {exc.strerror or exc}") from None


@lru_cache(maxsize=4)
def load_originals(specs: tuple[str, ...]) -> tuple[tuple[Article, ...], bool]:
    """(originals, whether they came from a catalog). Problems are usage errors (exit 2).

    Cached: the command line loads them once to stop early on a broken catalog, and the run (and
    worker processes forked after it) reuse that instead of reading files or URLs again.
    """
    from compliance.originals.catalog import CatalogError, load_catalog

    articles: list[Article] = []
    from_catalog = False
    for spec in specs:
        source = parse_source(spec)
        if source.kind == CATALOG:
            from_catalog = True
            # a local catalog is read by the catalog reader itself: incrementally, with no size limit
            data = _read(source.location, CATALOG_URL_LIMIT)[0] if is_web_url(source.location) else None
            try:
                articles.extend(load_catalog(source.location, data))
            except CatalogError as exc:
                raise UsageError(str(exc)) from None
        else:
            data, charset = _read(source.location)
            try:
                articles.append(original_from_bytes(source.location, data, charset))
            except ParserLimitError as exc:
                raise UsageError(f"cannot use the original {source.location}: {exc}") from None
    if not articles:
        raise UsageError("no original articles were loaded")
    return tuple(articles), from_catalog


def original_from_bytes(location: str, data: bytes, charset: str | None = None) -> Article:
    """One original story read from its bytes; ``location`` (path or URL) is what results record as its source."""
    from compliance.inputs.decode import decode_html

    url = location if is_web_url(location) else None
    return replace(extract_article(decode_html(data, charset).text, url), source=location)


def page_article(page: Page) -> Article:
    """The republished page read as an article (headline, body paragraphs, body links); cached per page."""
    return page.derive(read_article)


def forget_loaded() -> None:
    """Forget the originals and catalogs read so far: a long-lived process reads changed files afresh."""
    _read.cache_clear()
    load_originals.cache_clear()


def explicit_links(page: Any, article: Article) -> list[tuple[str, str]]:
    """Links a republished page declares to its source: canonical, syndication-source, isBasedOn, body links."""
    from compliance.document.jsonld import json_ld_values

    links: list[tuple[str, str]] = []
    for el in page.root.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
            links.append(("canonical", el.get("href").strip()))
    for el in page.root.iter("meta"):
        if (el.get("name") or "").lower() == "syndication-source" and el.get("content"):
            links.append(("syndication-source", el.get("content").strip()))
    for key in ("isBasedOn", "isBasedOnUrl"):
        for value in json_ld_values(page.json_ld, [key]):
            links.append(("isBasedOn", value))
        for item in page.json_ld:
            if isinstance(item, dict) and isinstance(item.get(key), dict) and item[key].get("url"):
                links.append(("isBasedOn", str(item[key]["url"])))
    links.extend(("link", href) for href in article.links)
    return links


def make_context_matcher(settings: Any) -> Callable[[Any], dict[str, Any]]:
    """A function that fills a page's Context with its original and returns what to record about the match."""
    return matcher_for(*load_originals(tuple(settings.originals)))


def matcher_for(originals: tuple[Article, ...], from_catalog: bool = False) -> Callable[[Any], dict[str, Any]]:
    """The matcher over originals already in hand (a server fetches them itself, within its address policy)."""
    from compliance.originals.matching import Match, OriginalIndex

    index = OriginalIndex(originals)
    single = originals[0] if (len(originals) == 1 and not from_catalog) else None

    def match(ctx: Any) -> dict[str, Any]:
        article = page_article(ctx.page)
        found = index.match(article, explicit_links(ctx.page, article))
        if found is None and single is not None:
            found = Match(single, "given", 1.0, "The original was given with --original.")
        ctx.original = found.original if found else None
        ctx.match = found
        ctx.originals_given = True  # the original's authors become ctx.reporters; ctx.authors stays what was asserted
        if found is None:
            return {"original": None, "match": None}
        o = found.original
        return {
            "original": {"url": o.url, "title": o.title, "authors": list(o.authors), "published": o.published,
                         "article_id": o.article_id, "source": o.source},
            "match": {"method": found.method, "score": round(found.score, 3), "detail": found.detail},
        }

    return match

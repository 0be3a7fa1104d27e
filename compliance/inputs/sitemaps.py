"""Pages listed by sitemaps: sitemap indexes, gzipped sitemaps, Google News sitemaps, robots.txt ``Sitemap:`` lines.

``read_sitemaps`` walks from one location (a URL or a file) breadth-first:
an index's children are read in turn, up to ``max_depth`` levels and
``max_files`` files, each at most ``max_bytes`` after gunzip, and at most
``max_urls`` pages in all; whatever is cut off is reported as a ``Problem``,
never dropped in silence. A location ending in ``robots.txt`` stands for the
sitemaps its ``Sitemap:`` lines name. With ``since``, a page is kept when its
news publication date (else its ``lastmod``) is on or after it, or when it has
no date; a child sitemap whose ``lastmod`` is older is not read at all.
XML is read with ``compliance.inputs.xmlsafe`` (no DTD, entities or network).
"""

from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import Any, Iterator
from urllib.parse import urljoin

from compliance.inputs.listing import ListingLimits, Listed, Opener, Problem, parse_when, recent_enough
from compliance.inputs.robots import MAX_ROBOTS_BYTES
from compliance.inputs.xmlsafe import XMLProblem, capped, iter_end, local_name, maybe_gunzip
from compliance.text.urls import is_web_url

__all__ = ["read_sitemaps"]

_TAGS = {"url", "sitemap", "urlset", "sitemapindex"}


def read_sitemaps(location: str, open_source: Opener, *, since: datetime | None = None,
                  limits: ListingLimits = ListingLimits()) -> Iterator[Listed | Problem]:
    queue: deque[tuple[str, int]] = deque()
    if _is_robots(location):
        try:
            queue.extend((s, 1) for s in _robots_sitemaps(location, open_source))
        except (OSError, ValueError) as exc:
            yield Problem(location, f"robots.txt could not be read ({_reason(exc)})")
            return
        if not queue:
            yield Problem(location, "robots.txt names no sitemap (no Sitemap: lines)")
            return
    else:
        queue.append((location, 1))
    seen = {loc for loc, _ in queue}
    files = urls = 0
    while queue:
        current, depth = queue.popleft()
        files += 1
        if files > limits.max_files:
            yield Problem(location, f"more than {limits.max_files} sitemap files; the rest were not read")
            return
        for item in _read_one(current, open_source, since, limits):
            if isinstance(item, Listed):
                urls += 1
                if urls > limits.max_urls:
                    yield Problem(location, f"lists more than {limits.max_urls} pages; the first "
                                            f"{limits.max_urls} are checked (raise --max-pages for more)")
                    return
                yield item
            elif isinstance(item, tuple):  # a child sitemap
                child = item[0]
                if child in seen:
                    continue
                seen.add(child)
                if depth >= limits.max_depth:
                    yield Problem(child, f"is nested more than {limits.max_depth} sitemap levels deep; not read")
                    continue
                queue.append((child, depth + 1))
            else:
                yield item


def _read_one(location: str, open_source: Opener, since: datetime | None,
              limits: ListingLimits) -> Iterator[Listed | Problem | tuple[str]]:
    skipped = 0
    root_seen = False
    try:
        with open_source(location, limits.max_bytes) as raw:
            stream = capped(maybe_gunzip(raw), limits.max_bytes, "the sitemap")
            for element in iter_end(stream, _TAGS):
                name = local_name(element)
                if name in ("urlset", "sitemapindex"):
                    root_seen = True
                    continue
                loc, when = _entry(element)
                url = urljoin(location, loc) if loc and is_web_url(location) else loc
                if not url or not is_web_url(url):
                    skipped += 1
                    continue
                if not recent_enough(when, since):
                    continue
                yield (url,) if name == "sitemap" else Listed(url, when)
    except XMLProblem as exc:
        yield Problem(location, f"the sitemap {exc}" + (f" (line {exc.line})" if exc.line else ""))
        return
    except (OSError, ValueError) as exc:
        yield Problem(location, f"the sitemap could not be read ({_reason(exc)})")
        return
    if not root_seen:
        yield Problem(location, "is not a sitemap (no <urlset> or <sitemapindex>); for an RSS or Atom feed "
                                "use --feed")
    if skipped:
        yield Problem(location, f"{skipped} entr{'y' if skipped == 1 else 'ies'} without an http(s) <loc> "
                                "were skipped")


def _entry(element: Any) -> tuple[str | None, datetime | None]:
    """``<loc>``, and the news publication date or else ``<lastmod>``."""
    loc = lastmod = published = None
    for child in element:
        name = local_name(child)
        if name == "loc":
            loc = (child.text or "").strip()
        elif name == "lastmod":
            lastmod = parse_when(child.text)
        elif name == "news":
            for part in child:
                if local_name(part) == "publication_date":
                    published = parse_when(part.text)
    return loc, published or lastmod


def _is_robots(location: str) -> bool:
    return location.rstrip("/").lower().rsplit("/", 1)[-1] == "robots.txt"


def _robots_sitemaps(location: str, open_source: Opener) -> list[str]:
    from protego import Protego

    with open_source(location, MAX_ROBOTS_BYTES) as raw:
        text = raw.read(MAX_ROBOTS_BYTES).decode("utf-8", "replace")
    return [urljoin(location, s) if is_web_url(location) else s for s in Protego.parse(text).sitemaps]


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__

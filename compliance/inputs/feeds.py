"""Pages listed by a republisher's RSS 2.0, RSS 1.0 or Atom feed: each item's link is a page to check.

An RSS item's page is its ``<link>`` (else a permalink ``<guid>``); an Atom
entry's is its ``<link rel="alternate">`` (or a link without ``rel``). With
``since``, items dated (``pubDate``, ``dc:date``, ``published``,
``updated``) before it are left out; undated items are kept. XML is read with
``compliance.inputs.xmlsafe``; at most ``max_urls`` items and ``max_bytes``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator
from urllib.parse import urljoin

from compliance.inputs.listing import ListingLimits, Listed, Opener, Problem, parse_when, recent_enough
from compliance.inputs.xmlsafe import XMLProblem, capped, iter_end, local_name, maybe_gunzip
from compliance.text.urls import is_web_url

__all__ = ["read_feed"]

_TAGS = {"item", "entry", "rss", "feed", "rdf"}
_DATES = ("published", "pubdate", "date", "issued", "updated", "modified")


def read_feed(location: str, open_source: Opener, *, since: datetime | None = None,
              limits: ListingLimits = ListingLimits()) -> Iterator[Listed | Problem]:
    count = 0
    root_seen = False
    try:
        with open_source(location, limits.max_bytes) as raw:
            stream = capped(maybe_gunzip(raw), limits.max_bytes, "the feed")
            for element in iter_end(stream, _TAGS):
                name = local_name(element)
                if name in ("rss", "feed", "rdf"):
                    root_seen = True
                    continue
                link = _atom_link(element) if name == "entry" else _rss_link(element)
                url = urljoin(location, link) if link and is_web_url(location) else link
                if not url or not is_web_url(url):
                    continue
                when = _when(element)
                if not recent_enough(when, since):
                    continue
                count += 1
                if count > limits.max_urls:
                    yield Problem(location, f"lists more than {limits.max_urls} items; the first "
                                            f"{limits.max_urls} are checked (raise --max-pages for more)")
                    return
                yield Listed(url, when)
    except XMLProblem as exc:
        yield Problem(location, f"the feed {exc}" + (f" (line {exc.line})" if exc.line else ""))
        return
    except (OSError, ValueError) as exc:
        yield Problem(location, f"the feed could not be read ({getattr(exc, 'strerror', None) or exc})")
        return
    if not root_seen:
        yield Problem(location, "is not an RSS or Atom feed; for a sitemap use --sitemap")


def _rss_link(item: Any) -> str | None:
    guid = None
    for child in item:
        name = local_name(child)
        if name == "link" and (child.text or "").strip():
            return child.text.strip()
        if name == "guid" and (child.get("isPermaLink") or "true").lower() != "false":
            guid = (child.text or "").strip() or None
    return guid


def _atom_link(entry: Any) -> str | None:
    fallback = None
    for child in entry:
        if local_name(child) != "link" or not child.get("href"):
            continue
        rel = (child.get("rel") or "alternate").lower()
        if rel == "alternate" and (child.get("type") or "text/html").lower() in ("text/html",
                                                                                 "application/xhtml+xml"):
            return child.get("href").strip()
        if rel == "alternate":
            fallback = fallback or child.get("href").strip()
    return fallback


def _when(element: Any) -> datetime | None:
    found: dict[str, datetime] = {}
    for child in element:
        name = local_name(child)
        if name in _DATES and name not in found:
            when = parse_when(child.text)
            if when is not None:
                found[name] = when
    return next((found[n] for n in _DATES if n in found), None)

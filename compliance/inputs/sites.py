"""Whole sites as pages: URL lists, sitemaps and feeds become page references; URLs are fetched ahead.

``site_pages`` turns ``--urls``, ``--sitemap`` and ``--feed`` into
``PageInput`` references (a listing that cannot be read becomes one
``missing`` reference whose reason says why, so it is reported, not dropped).
Remote listings are fetched through the run's ``Crawler``, so robots.txt, the
per-host limits and the cache apply to them too.

``fetch_ahead`` is the stage between the inputs and the checkers: it keeps up
to ``window`` URL fetches in flight on the crawler and yields every page, in
input order, with its bytes, so checking page *n* overlaps fetching pages
*n+1…n+window* and memory holds at most ``window`` pages. Each page carries
the link to the run's stylesheet service (``compliance.inputs.sitesheets``):
the sheets its check asks for are fetched on the same crawler, once per run.
"""

from __future__ import annotations

import io
import sys
from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, Iterable, Iterator

from compliance.inputs.files import LIST_BYTES, FileProblem, megabytes, open_regular, read_bytes
from compliance.inputs.listing import ListingLimits, Listed, Problem
from compliance.inputs.sources import PageInput, RawPage, expand_inputs, raw_from_fetch
from compliance.text.urls import is_web_url

if TYPE_CHECKING:  # concurrent.futures pulls in logging: a run over local files has no futures
    from concurrent.futures import Future

    from compliance.inputs.sitesheets import SheetLink

__all__ = ["FetchAhead", "SiteSources", "fetch_ahead", "site_pages", "typed_urls"]


@dataclass(frozen=True)
class SiteSources:
    """The site-level inputs of one run (``--urls``, ``--sitemap``, ``--feed``, ``--since``)."""

    urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    since: datetime | None = None
    limits: ListingLimits = ListingLimits()

    @property
    def remote(self) -> bool:
        """Whether reading these needs the network (a listing given by URL)."""
        return any(is_web_url(s) for s in self.sitemaps + self.feeds + self.urls)


def site_pages(sources: SiteSources, crawler=None, stdin: IO[bytes] | None = None) -> list[PageInput]:
    """Every page the listings name, in order: URL files first, then sitemaps, then feeds."""
    if not (sources.urls or sources.sitemaps or sources.feeds):
        return []  # the usual run: no listing, and no feed or sitemap parser imported
    from compliance.inputs.feeds import read_feed
    from compliance.inputs.sitemaps import read_sitemaps

    opener = _opener(crawler)
    pages: list[PageInput] = []
    for name in sources.urls:
        pages.extend(_url_list(name, stdin))
    for location in sources.sitemaps:
        pages.extend(_listed(location, read_sitemaps(location, opener, since=sources.since, limits=sources.limits),
                             "sitemap", sources.since))
    for location in sources.feeds:
        pages.extend(_listed(location, read_feed(location, opener, since=sources.since, limits=sources.limits),
                             "feed", sources.since))
    return pages


def _listed(location: str, items: Iterable[Listed | Problem], what: str,
            since: datetime | None) -> Iterator[PageInput]:
    found = False
    for item in items:
        found = True  # a page, or a problem already saying what went wrong
        if isinstance(item, Listed):
            yield PageInput(item.url, "url")
        else:
            yield PageInput(item.source, "missing", reason=item.message)
    if not found:
        dated = f" dated on or after {since.date().isoformat()} (--since)" if since else ""
        yield PageInput(location, "missing", reason=f"the {what} lists no pages{dated}")


def typed_urls(pages: Iterable[str], sources: SiteSources) -> list[str]:
    """The URLs the user gave (arguments, listing locations, lines of local URL files), not ones found on the web:
    the kinds of address these lead to are the ones the run's address policy allows beyond public ones."""
    typed = [p for p in pages if is_web_url(p)]
    typed += [s for s in sources.sitemaps + sources.feeds + sources.urls if is_web_url(s)]
    for name in sources.urls:
        if name != "-" and not is_web_url(name):
            typed += [i.source for i in _url_list(name, None) if i.kind == "url"]
    return typed


def _url_list(name: str, stdin: IO[bytes] | None) -> list[PageInput]:
    """``--urls FILE``: one URL or path per line; blank lines and ``#`` comments are skipped."""
    try:
        if name == "-":
            stream = stdin or sys.stdin.buffer
            data = stream.read(LIST_BYTES + 1)
            if len(data) > LIST_BYTES:
                raise FileProblem(f"it is larger than the {megabytes(LIST_BYTES)} limit")
        else:
            data = read_bytes(name, LIST_BYTES)
        text = data.decode("utf-8-sig", "replace")
    except OSError as exc:
        return [PageInput(name, "missing", reason=f"the URL list could not be read ({exc.strerror or exc})")]
    lines = [line.strip() for line in text.splitlines()]
    return expand_inputs([line for line in lines if line and not line.startswith("#")]) or \
        [PageInput(name, "missing", reason="the URL list names no pages")]


def _opener(crawler):
    """How listings are read: files from disk, URLs through the crawler (any media type, listing-sized)."""

    def open_source(location: str, max_bytes: int) -> IO[bytes]:
        if not is_web_url(location):
            return open_regular(location)
        if crawler is None:
            raise OSError(f"{location} needs the network, which this run does not use")
        from compliance.inputs.fetch import FetchError

        limits = replace(crawler.limits, max_bytes=max_bytes)
        try:
            return io.BytesIO(crawler.get(location, limits, html=False).data)
        except FetchError as exc:
            raise ValueError(str(exc)) from None

    return open_source


def fetch_ahead(items: Iterable[tuple[PageInput, RawPage | None]], crawler, window: int = 32, *,
                sheets: bool = True) -> FetchAhead:
    """Pages in input order, URLs fetched up to ``window`` ahead on ``crawler`` (None: no URL is fetched here).

    With ``sheets``, a fetched page comes with the link to the run's stylesheet service
    (``compliance.inputs.sitesheets``), so the sheets its check asks for are fetched on the same crawler.
    """
    return FetchAhead(items, crawler, window, sheets)


class FetchAhead:
    """The fetch stage as an iterator: ``window`` fetches kept in flight, each page handed on in input order.

    ``ready()`` says whether the next page can be had without waiting for a download, so a consumer with
    other work in hand (results to pass on) asks for it only then. Nothing starts before the first page is
    asked for: no thread of the crawler's or of its sheet service, so a worker pool can fork first.
    """

    def __init__(self, items: Iterable[tuple[PageInput, RawPage | None]], crawler, window: int, sheets: bool) -> None:
        self._items = iter(items)
        self._crawler = crawler
        self._window = max(1, window)
        self._sheets = sheets
        self._service: Any = None
        self._link: SheetLink | None = None
        self._started = False
        self._exhausted = False
        self._pending: deque[tuple[PageInput, RawPage | None, Future | None]] = deque()

    def __iter__(self) -> FetchAhead:
        return self

    def __next__(self) -> tuple[PageInput, RawPage | None]:
        if not self._started:
            self._start()
        while not self._exhausted and len(self._pending) < self._window:  # a page handed on is replaced at once
            try:
                inp, raw = next(self._items)
            except StopIteration:
                self._exhausted = True
                break
            fetching = self._crawler is not None and inp.kind == "url" and raw is None
            future = self._crawler.submit(inp.source) if fetching else None
            if future is not None and self._service is not None:
                self._service.sheets.ahead(future, unchecked=self._window)
            self._pending.append((inp, raw, future))
        if not self._pending:
            raise StopIteration
        return _settle(*self._pending.popleft(), self._link)

    def ready(self) -> bool:
        """Whether ``next`` would return without waiting for a download. False when the next page is not fetched
        yet, when none is in flight (the stage reads inputs only when asked), and when the pages are done."""
        if not self._pending:
            return False
        future = self._pending[0][2]
        return future is None or future.done()

    def _start(self) -> None:
        self._started = True
        if self._crawler is not None and self._sheets:
            from compliance.inputs.sitesheets import SheetService

            self._service = self._crawler.service("sheets", SheetService)
            self._link = self._service.link


def _settle(inp: PageInput, raw: RawPage | None, future: Future | None, link: SheetLink | None,
            ) -> tuple[PageInput, RawPage | None]:
    if future is None:
        return inp, raw
    from compliance.inputs.fetch import FetchError

    try:
        raw = raw_from_fetch(inp.source, future.result())
    except FetchError as exc:
        return inp, RawPage(inp.source, None, error=str(exc))
    return inp, raw if link is None or raw.data is None else replace(raw, sheets=link)

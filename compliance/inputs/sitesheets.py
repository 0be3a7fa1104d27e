"""A run's linked stylesheets, fetched on its crawler when a check asks for them, and kept for the run.

A page fetched by URL is checked in a worker process, but the run's crawler (robots.txt, ``--per-host``,
``--delay``, ``--cache``, one pooled client) lives in the main process. So the fetch stage hands each
page over with a ``SheetLink``: the address of this process's ``SheetService``. When a check reads the
page's visibility and asks for its first linked stylesheet, the worker's loader (``SheetLink.loader``)
asks the service for every sheet the page links at once (``stylesheets.linked_hrefs``); the service
fetches those of the page's own site together on the crawler and answers. Sheets are fetched for pages
whose check needs them (a page a policy rules out by its text never asks), each at most once per run
while kept (``SiteSheets``: ``MAX_KEPT`` sheets, ``MAX_KEPT_BYTES`` together), so the pages of a site
share theirs whichever worker checks them. While a site's checks ask for sheets, as a rule (at least half
as often as pages of the site that link same-site sheets arrive, those still waiting to be checked aside),
the sheets of its next pages are fetched as those pages arrive, ahead of their checks
(``SiteSheets.ahead``); a site whose pages the policies rule out by their text gets few such fetches.
What a check is given is the same either way, only when the request is made differs.

The service listens on a Unix socket in a private folder, with a random key the workers get with
their pages; it stops with the crawler. A sheet that cannot be had, for any reason, is absent: it never
fails the page, as for ``stylesheets.url_loader``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import tempfile
import threading
from collections import Counter, OrderedDict
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass
from typing import Any

from compliance.inputs.fetch import FetchError, Fetched
from compliance.inputs.stylesheets import (
    MAX_LINKED,
    Loader,
    answer_for,
    linked_hrefs,
    same_site_target,
    sheet_limits,
)
from compliance.text.urls import site_of

__all__ = ["SheetLink", "SheetService", "SiteSheets"]

_MAX_ASKED = 2 * MAX_LINKED  # hrefs one request may name: the page's predicted links and the one asked for


class SiteSheets:
    """Sheets fetched on a crawler, shared by every page of the run; safe to use from several threads."""

    MAX_KEPT = 64
    MAX_KEPT_BYTES = 16 * 1024 * 1024

    def __init__(self, crawler: Any) -> None:
        self._crawler = crawler
        self._limits = sheet_limits(crawler.limits)
        self._kept: OrderedDict[str, Future[Fetched]] = OrderedDict()
        self._sizes: dict[str, int] = {}  # of the kept sheets that have arrived
        self._kept_bytes = 0  # their sum, kept up to date rather than summed again for every sheet asked for
        self._lock = threading.Lock()
        self._asked: Counter[str] = Counter()  # per site: checks that asked for sheets
        self._linking: Counter[str] = Counter()  # per site: pages read here that link same-site sheets

    def ahead(self, page: Future[Fetched], unchecked: int = 0) -> None:
        """Once ``page`` (a fetch on the crawler) is in, start its sheets' fetches if its site's pages want
        theirs: checks of the site asked for sheets at least half as often as this read pages of the site
        that link same-site sheets, not counting the last ``unchecked`` pages read (fetched ahead, not checked
        yet). Pages are read only while that holds, so a site whose pages rarely ask costs a few reads, and
        asks that come again start them again. A guess only decides when a sheet is fetched, never what a
        check is given."""
        def arrived(done: Future[Fetched]) -> None:
            if done.cancelled() or done.exception() is not None:
                return
            fetched = done.result()
            site = site_of(fetched.final_url)
            with self._lock:  # not wanted: the page is not even read (it is not counted either)
                asked = self._asked[site]
                if not asked or 2 * asked < self._linking[site] - unchecked:
                    return
            targets = [t for t in (same_site_target(fetched.final_url, href, site)
                                   for href in linked_hrefs(fetched.data, fetched.http_charset)) if t is not None]
            if not targets:
                return
            with self._lock:
                self._linking[site] += 1
            for target in targets:
                self._future(target)

        page.add_done_callback(arrived)

    def fetch(self, page_url: str, hrefs: list[str]) -> list[tuple[str, Any]]:
        """The answer for each href of the page: its own site's sheets fetched together, anything else None."""
        site = site_of(page_url)
        with self._lock:
            self._asked[site] += 1
        started = []
        for href in hrefs:
            target = same_site_target(page_url, href, site)
            started.append((href, target, None if target is None else self._future(target)))
        answers = []
        for href, target, future in started:
            found = None
            if future is not None:
                try:
                    found = answer_for(target, future.result(), site)
                except (FetchError, OSError, ValueError, CancelledError):  # cancelled: the run is stopping
                    pass
            answers.append((href, found))
        return answers

    def _future(self, target: str) -> Future[Fetched]:
        with self._lock:
            future = self._kept.get(target)
            if future is not None:
                self._kept.move_to_end(target)
                return future
            future = self._crawler.submit(target, self._limits, html=False)
            self._kept[target] = future
            self._evict()
        future.add_done_callback(lambda done: self._arrived(target, done))  # maybe at once: outside the lock
        return future

    def _arrived(self, target: str, done: Future[Fetched]) -> None:
        if done.cancelled() or done.exception() is not None:
            return
        with self._lock:
            if self._kept.get(target) is done:  # still kept (not evicted while it was on its way)
                size = len(done.result().data)
                self._sizes[target] = size
                self._kept_bytes += size
                self._evict()

    def _evict(self) -> None:
        """The oldest sheets dropped while more are kept than allowed, in number or in bytes (with the lock)."""
        while len(self._kept) > self.MAX_KEPT or self._kept_bytes > self.MAX_KEPT_BYTES:
            target, _ = self._kept.popitem(last=False)  # a page still waiting for it holds its own reference
            self._kept_bytes -= self._sizes.pop(target, 0)


@dataclass(frozen=True)
class SheetLink:
    """Where a worker asks for a page's linked stylesheets (picklable: it travels with the page)."""

    address: str
    key: bytes
    timeout: float  # seconds to wait for an answer: the longest a sheet's fetch may take, and then some

    def loader(self, page_url: str, data: bytes, http_charset: str | None = None) -> Loader:
        """The page's loader: its first question asks for every sheet the page links; the answers are kept."""
        answers: dict[str, Any] = {}
        predicted = False

        def load(href: str) -> tuple[str, bytes] | None:
            nonlocal predicted
            if href not in answers:
                wanted = [href]
                if not predicted:
                    predicted = True
                    wanted = list(dict.fromkeys([*linked_hrefs(data, http_charset), href]))
                answers.update(dict.fromkeys(wanted))  # unanswered: absent
                site = site_of(page_url)
                if any(same_site_target(page_url, h, site) for h in wanted):  # else nothing would be fetched
                    answers.update(self._ask(page_url, wanted))
            return answers[href]

        return load

    def _ask(self, page_url: str, hrefs: list[str]) -> list[tuple[str, Any]]:
        try:
            conn = _connection(self)
            conn.send((page_url, hrefs))
            if conn.poll(self.timeout):
                return conn.recv()
        except (OSError, EOFError, ValueError):
            pass
        stale = _CONNECTIONS.pop((self.address, self.key), None)  # no answer: the next page connects anew
        if stale is not None:
            stale.close()
        return []


_CONNECTIONS: dict[tuple[str, bytes], Any] = {}  # a worker's connection to each service, kept between pages


def _connection(link: SheetLink) -> Any:
    from multiprocessing.connection import Client

    conn = _CONNECTIONS.get((link.address, link.key))
    if conn is None:
        conn = _CONNECTIONS[(link.address, link.key)] = Client(link.address, family="AF_UNIX", authkey=link.key)
    return conn


class SheetService:
    """Answers workers' questions for sheets from a ``SiteSheets``; one thread per connected worker."""

    def __init__(self, crawler: Any) -> None:
        from multiprocessing.connection import Listener

        self.sheets = SiteSheets(crawler)
        self._folder = tempfile.mkdtemp(prefix="compliance-sheets-")  # mode 0700: only this user connects
        key = secrets.token_bytes(32)
        self._listener = Listener(os.path.join(self._folder, "s"), family="AF_UNIX", authkey=key)
        self.link = SheetLink(self._listener.address, key, crawler.limits.patience)
        self._connections: list[Any] = []
        self._threads: list[threading.Thread] = []
        self._closed = False
        self._acceptor = threading.Thread(target=self._accept, name="compliance-sheets", daemon=True)
        self._acceptor.start()

    def close(self) -> None:
        """Stop serving, and end every thread of the service: a thread left running would make the next
        worker pool of this process start its workers from the fork server instead of forking them."""
        self._closed = True
        try:  # closing a listening socket does not wake a thread blocked in accept(): a connection does
            with socket.socket(socket.AF_UNIX) as wake:
                wake.connect(self._listener.address)
        except OSError:
            pass
        self._acceptor.join(timeout=5)
        self._listener.close()
        for conn in list(self._connections):
            _close(conn)
        for thread in list(self._threads):
            thread.join(timeout=5)
        shutil.rmtree(self._folder, ignore_errors=True)

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn = self._listener.accept()
            except Exception:  # noqa: BLE001 - closed, or a client that failed the key: keep serving the others
                continue
            if self._closed:
                _close(conn)
                return
            self._connections.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), name="compliance-sheets", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: Any) -> None:
        try:
            while True:
                page_url, hrefs = conn.recv()
                if not isinstance(page_url, str) or not isinstance(hrefs, list):
                    break
                wanted = [h for h in hrefs[:_MAX_ASKED] if isinstance(h, str)]
                conn.send(self.sheets.fetch(page_url, wanted))
        except (EOFError, OSError, ValueError, TypeError):
            pass  # the worker went away, or the run stopped
        finally:
            _close(conn)
            if conn in self._connections:
                self._connections.remove(conn)


def _close(conn: Any) -> None:
    try:
        conn.close()
    except OSError:  # closed already, by the other side of the run's shutdown
        pass

"""Fetching many pages like a good citizen: one pooled async client, per-host limits, robots.txt, retries.

``Crawler`` runs one pooled client (``compliance.inputs.http11``) on an event loop in a background
thread, so the rest of the program stays synchronous: ``submit(url)`` returns
a ``concurrent.futures.Future`` of a ``Fetched`` page (or a ``FetchError``).
What it guarantees, per ``Politeness``:

- at most ``concurrency`` requests at once, and at most ``per_host`` to any
  one host (host and port), each holding its slot until its body is read;
- request *starts* to one host at least ``delay`` seconds apart (or the
  robots.txt ``Crawl-delay``/``Request-rate`` when that asks for more);
- robots.txt obeyed (``compliance.inputs.robots``): a disallowed page is never
  requested and its ``FetchError`` says robots.txt disallows it;
- connection failures, 429 and 503 retried ``retries`` times with exponential
  backoff, waiting as long as ``Retry-After`` asks (up to ``max_retry_wait``),
  and a 429/503 holds back every request to that host, not only the one retried;
- optionally a revalidating on-disk cache (``compliance.inputs.httpcache``).

Every hop goes through ``compliance.inputs.fetch.follow``, so the size, time
and redirect limits are the same as for a single page.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from concurrent.futures import Future
from contextlib import asynccontextmanager
from email.utils import parsedate_to_datetime
from typing import Any, AsyncIterator
from urllib.parse import urlsplit

from compliance.inputs.fetch import (
    FROM_CACHE,
    FetchError,
    FetchLimits,
    Fetched,
    HTTPStatusError,
    follow,
    request_headers,
    send,
)
from compliance.inputs.messages import ReadAhead
from compliance.inputs.politeness import Politeness
from compliance.inputs.robots import MAX_ROBOTS_BYTES, Robots, origin_of, robots_url

__all__ = ["Crawler", "Politeness"]

_RETRY_STATUSES = frozenset({429, 503})


class _Host:
    """Per-host slots and the earliest time the next request may start."""

    def __init__(self, per_host: int, delay: float) -> None:
        self.slots = asyncio.Semaphore(per_host)
        self.lock = asyncio.Lock()
        self.delay = delay
        self.next_start = 0.0

    async def wait_turn(self) -> None:
        async with self.lock:  # reserve start times one by one, so concurrent callers stay spaced
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.delay
        if start > now:
            await asyncio.sleep(start - now)

    def hold_back(self, seconds: float) -> None:
        self.next_start = max(self.next_start, time.monotonic() + seconds)


class Crawler:
    """A polite fetcher shared by a whole run; use as a context manager (it owns a thread)."""

    def __init__(self, limits: FetchLimits = FetchLimits(), polite: Politeness = Politeness()) -> None:
        self.limits = limits
        self.polite = polite
        self._loop: asyncio.AbstractEventLoop | None = None  # with its thread, made by the first fetch
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._client: Any = None
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, asyncio.Task[Robots]] = {}
        self._cache: Any = None
        self._closed = False
        self._services: dict[str, Any] = {}
        self._services_lock = threading.Lock()

    # -- the synchronous face ---------------------------------------------------------------

    def __enter__(self) -> Crawler:
        return self

    def _running(self) -> asyncio.AbstractEventLoop:
        """The crawler's loop, its thread started on first use: until a page is fetched the process runs no
        thread of the crawler's, so a worker pool started before that forks its workers (a few milliseconds)
        instead of starting them from the fork server (a fresh interpreter, a tenth of a second or more)."""
        loop = self._loop
        if loop is not None:
            return loop
        with self._start_lock:
            if self._loop is None:
                if self._closed:
                    raise RuntimeError("the crawler is closed")
                loop = asyncio.new_event_loop()
                self._thread = threading.Thread(target=loop.run_forever, name="compliance-fetch", daemon=True)
                self._thread.start()
                try:
                    asyncio.run_coroutine_threadsafe(self._open_client(), loop).result()
                except BaseException:
                    _stop(loop, self._thread)
                    raise
                self._loop = loop
            return self._loop

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, url: str, limits: FetchLimits | None = None, *, html: bool = True) -> Future[Fetched]:
        """Start fetching ``url``; the future holds the page or raises FetchError."""
        return asyncio.run_coroutine_threadsafe(self._fetch(url, limits or self.limits, html), self._running())

    def get(self, url: str, limits: FetchLimits | None = None, *, html: bool = True) -> Fetched:
        return self.submit(url, limits, html=html).result()

    def robots(self, url: str) -> Robots:
        """The robots.txt answer for ``url``'s origin (fetched once per run)."""
        return asyncio.run_coroutine_threadsafe(self._robots_for(url), self._running()).result()

    def service(self, name: str, make: Any) -> Any:
        """The run's one ``make(self)`` under ``name``: something that lives as long as the fetching (the
        linked-stylesheet service, say); its ``close()`` is called when the crawler closes."""
        with self._services_lock:
            if name not in self._services:
                self._services[name] = make(self)
            return self._services[name]

    def close(self) -> None:
        with self._start_lock:  # a fetch starting the loop now finishes starting it first
            if self._closed:
                return
            self._closed = True
        for service in self._services.values():
            service.close()
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=10)
        finally:
            _stop(loop, thread)

    # -- on the loop ------------------------------------------------------------------------

    async def _open_client(self) -> None:
        from compliance.inputs.http11 import guarded_client

        n = self.polite.concurrency
        self._client = guarded_client(request_headers(self.polite.user_agent), self.limits.timeout,
                                      max_connections=n, max_keepalive=n)
        self._slots = asyncio.Semaphore(n)
        if self.polite.cache_dir:
            from compliance.inputs.httpcache import PageCache

            self._cache = PageCache(self.polite.cache_dir)

    async def _shutdown(self) -> None:
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._client.aclose()
        if self._cache is not None:
            self._cache.close()
        # the threads name look-ups ran on: none outlives the crawler (a thread left running would make the
        # next worker pool of this process start from the fork server instead of forking)
        await asyncio.get_running_loop().shutdown_default_executor()

    async def _fetch(self, url: str, limits: FetchLimits, html: bool) -> Fetched:
        page = await follow(self._opener, url, limits, html=html)
        if self._cache is not None:
            self._cache.store(page.final_url, page)
        return page

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(self.polite.per_host, self.polite.delay)
        return host

    @asynccontextmanager
    async def _opener(self, url: str, read_ahead: ReadAhead | None = None) -> AsyncIterator[Any]:
        """One hop: robots.txt first, then a slot, then the request (retried), held until read."""
        if self.polite.obey_robots and urlsplit(url).path != "/robots.txt":  # robots.txt itself is always allowed
            refusal = (await self._robots_for(url)).refusal(url, self.polite.user_agent)
            if refusal:
                raise FetchError(refusal)
        async with self._request(url, cached=self._cache is not None, read_ahead=read_ahead) as response:
            yield response

    @asynccontextmanager
    async def _request(self, url: str, *, cached: bool = False,
                       read_ahead: ReadAhead | None = None) -> AsyncIterator[Any]:
        import httpx

        host = self._host(url)
        headers = self._cache.conditional_headers(url) if cached else {}
        for attempt in range(self.polite.retries + 1):
            last = attempt == self.polite.retries
            async with self._slots, host.slots:
                await host.wait_turn()
                try:
                    request = self._client.build_request("GET", url, headers=headers, read_ahead=read_ahead)
                    response = await send(self._client, request, self.limits.timeout)
                except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError,
                        httpx.ReadError, httpx.WriteError):
                    if last:
                        raise
                    wait = self._backoff(attempt)
                else:
                    if response.status_code in _RETRY_STATUSES and not last:
                        wait = self._retry_after(response, url, attempt)
                        await response.aclose()
                        host.hold_back(wait)
                    else:
                        if response.status_code == 304 and headers:
                            await response.aclose()
                            response = self._from_cache(url, response)
                        try:
                            yield response
                        finally:
                            await response.aclose()
                        return
            await asyncio.sleep(wait)

    def _from_cache(self, url: str, not_modified: Any) -> Any:
        from compliance.inputs.messages import Headers, Response

        page = self._cache.cached(url)
        if page is None:  # the entry vanished between the two look-ups: an honest 304 with no body
            return not_modified
        headers = {"content-type": f"{page.content_type or 'text/html'}"
                                   + (f"; charset={page.http_charset}" if page.http_charset else ""),
                   **page.validators}
        return Response(200, Headers(headers.items()), not_modified.request, reason_phrase="OK", content=page.data,
                        extensions={FROM_CACHE: True})

    def _backoff(self, attempt: int) -> float:
        return min(30.0, 0.5 * 2 ** attempt) * (1 + random.random() / 4)

    def _retry_after(self, response: Any, url: str, attempt: int) -> float:
        wait = _parse_retry_after(response.headers.get("retry-after"))
        if wait is None:
            return self._backoff(attempt)
        if wait > self.polite.max_retry_wait:
            raise HTTPStatusError(f"HTTP {response.status_code} for {url}: the server asks to retry after "
                                  f"{wait:g} s, longer than the {self.polite.max_retry_wait:g} s this run waits",
                                  response.status_code)
        return wait

    async def _robots_for(self, url: str) -> Robots:
        origin = origin_of(url)
        task = self._robots.get(origin)
        if task is None:
            task = self._robots[origin] = asyncio.ensure_future(self._read_robots(robots_url(url)))
        return await task

    async def _read_robots(self, url: str) -> Robots:
        @asynccontextmanager
        async def opener(target: str, read_ahead: ReadAhead) -> AsyncIterator[Any]:
            async with self._request(target, read_ahead=read_ahead) as response:
                yield response

        limits = FetchLimits(timeout=self.limits.timeout, max_bytes=MAX_ROBOTS_BYTES, max_redirects=5,
                             addresses=self.limits.addresses)
        try:
            page = await follow(opener, url, limits, html=False)
        except HTTPStatusError as exc:
            return Robots.from_response(url, exc.status, None)
        except FetchError as exc:
            return Robots.from_response(url, None, None, problem=str(exc))
        return Robots.from_response(url, page.status, page.data.decode("utf-8", "replace"))


def _stop(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    """Stop ``loop`` and wait for its thread; the loop is closed once the thread is gone."""
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    if not thread.is_alive():
        loop.close()


def _parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date from which now is subtracted."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    from datetime import datetime, timezone

    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())

"""Download pages over HTTP(S), defensively: the one place a response is vetted.

A checker is pointed at pages it does not control, so every way a server can
waste our time or memory is bounded:

- one deadline (``FetchLimits.timeout``) over each request's connect, headers and
  body together, so a server that trickles header lines or body bytes is cut off
  however it paces them (a socket's own timeout only bounds each single read);
- the body is read raw and decoded here, at most ``MAX_ENCODINGS`` content-encoding
  layers (gzip, deflate), each decompressor asked for no more output than the size
  limit leaves, so a small compressed bomb never expands past the limit in memory;
  a compressed body cut short is an error, never a shorter page;
- redirects are counted and checked one by one (only http and https, no loops),
  and every connection, redirects included, is vetted by the address policy
  (``compliance.inputs.addresses``): a public page cannot redirect into the
  checker's own network.

There is one code path, asynchronous: ``follow`` walks the redirects of one URL
through an ``opener`` (an async context manager giving a streamed response for
one hop). ``fetch`` is the one-page form used for ``--original`` and single
URLs; ``compliance.inputs.crawl`` supplies a polite opener (shared client,
per-host limits, robots.txt, retries, cache) for whole sites.

httpx and asyncio are imported inside the functions so that commands that never touch the
network do not pay for importing them.
"""

from __future__ import annotations

import re
import threading
import time
import zlib
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, AsyncContextManager, AsyncIterator, Callable
from urllib.parse import urljoin

from compliance.inputs.addresses import AddressNotAllowed, AddressPolicy, applied, check_literal
from compliance.inputs.clock import now
from compliance.inputs.files import megabytes as _megabytes
from compliance.inputs.files import over_limit as _size_over_limit
from compliance.inputs.messages import ReadAhead, split_url
from compliance.inputs.politeness import DEFAULT_USER_AGENT

if TYPE_CHECKING:
    import asyncio

    from compliance.inputs.http11 import Client
    from compliance.inputs.messages import Request, Response

__all__ = ["DEFAULT_USER_AGENT", "AddressRefused", "Exchange", "FetchError", "HTTPStatusError", "FetchLimits", "Fetched",
           "MAX_ENCODINGS", "fetch", "fetch_with", "follow", "request_headers", "send"]

_MB = 1024 * 1024


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much a single page download may take, and where it may connect.

    ``addresses`` None: the URL asked for is allowed, and its redirects may lead to public addresses and
    to addresses of the same kinds as it (``AddressPolicy().widened_for([url])``).
    """

    timeout: float = 15.0  # seconds for each request: connect, headers and body together
    max_bytes: int = 10 * _MB
    max_redirects: int = 5
    addresses: AddressPolicy | None = None

    @property
    def patience(self) -> float:
        """How long a caller waits for one download, redirects included, before giving up on whoever runs it:
        each hop has its own deadline inside, so this only guards against a fetcher that never answers."""
        return self.timeout * (self.max_redirects + 1) + 5


@dataclass(frozen=True)
class Fetched:
    """A downloaded page; ``content_type`` is the media type alone, lower-cased.

    ``validators`` holds the response's ``ETag``/``Last-Modified`` (for a
    conditional request next time); ``from_cache`` says the body came from the
    on-disk cache after the server answered 304 Not Modified. The exchange
    itself (``exchange``: both sides' headers and when it happened) is kept
    for ``--archive``, which writes it as WARC request and response records.
    """

    data: bytes
    http_charset: str | None
    final_url: str
    status: int
    content_type: str | None
    validators: dict[str, str] = field(default_factory=dict)
    from_cache: bool = False
    exchange: Exchange | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Exchange:
    """The HTTP request and response a page came from, as a WARC file records them."""

    fetched_at: str  # ISO 8601, UTC, to the microsecond: when the request was sent
    status: int
    http_version: str
    reason: str
    headers: tuple[tuple[str, str], ...]  # the response's, in order, repeats kept
    request_headers: tuple[tuple[str, str], ...]
    method: str = "GET"


class FetchError(Exception):
    """A page could not be downloaded; ``str(error)`` is one sentence for the user."""


class AddressRefused(FetchError):
    """The URL or one of its redirects leads to an address the address policy refuses."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (``status``), e.g. 404 or 503."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


# set in a response's extensions by a cache that answered for the server (see compliance.inputs.crawl)
FROM_CACHE = "compliance.from_cache"

# an opener sends one request: to ``url``, the transport reading ahead a body ``read_ahead`` says will be read
Opener = Callable[[str, "ReadAhead"], AsyncContextManager["Response"]]

_ALLOWED_SCHEMES = ("http", "https")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_ENCODINGS = 2  # content-encoding layers decoded; a response stacking more is refused
_DEADLINE = "compliance.deadline"  # a response's extension: when its request's time is up (time.monotonic)
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# Media types that cannot be an HTML page. Anything else, a missing type
# included, goes on to the decoder, which looks at the bytes themselves.
_NOT_HTML_TOP_LEVEL = frozenset({"image", "audio", "video", "font", "model"})
_NOT_HTML_TYPES = frozenset({
    "application/pdf",
    "application/json",
    "application/zip",
    "application/gzip",
    "application/x-gzip",
    "application/x-tar",
    "application/x-7z-compressed",
    "application/x-rar-compressed",
    "application/vnd.rar",
    "application/javascript",
    "application/x-javascript",
    "application/ecmascript",
    "application/wasm",
    "application/msword",
    "application/rtf",
    "text/javascript",
    "text/css",
    "text/csv",
    "text/calendar",
})


def request_headers(user_agent: str = DEFAULT_USER_AGENT) -> dict[str, str]:
    return {
        "User-Agent": user_agent,
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }


def fetch(url: str, limits: FetchLimits = FetchLimits()) -> Fetched:
    """Download the page at ``url`` within ``limits``; raise FetchError with a readable reason."""
    import asyncio

    require_web_scheme(url)
    return asyncio.run(_fetch_one(url, limits))


async def _fetch_one(url: str, limits: FetchLimits) -> Fetched:
    async with _client(limits) as client:
        return await fetch_with(client, url, limits, True)


def _client(limits: FetchLimits):
    from compliance.inputs.http11 import guarded_client

    return guarded_client(request_headers(), limits.timeout)


async def fetch_with(client: Client, url: str, limits: FetchLimits, html: bool = True) -> Fetched:
    """``url`` through ``client`` (one request per hop, as ``follow`` walks the redirects)."""
    @asynccontextmanager
    async def opener(target: str, read_ahead: ReadAhead) -> AsyncIterator:
        response = await send(client, client.build_request("GET", target, read_ahead=read_ahead), limits.timeout)
        try:
            yield response
        finally:
            await response.aclose()

    return await follow(opener, url, limits, html=html)


class Session:
    """Many small downloads from synchronous code (a page's linked stylesheets) through one client, so
    connections are kept alive: its event loop runs on a thread of its own, started on first use."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client = None
        self._lock = threading.Lock()

    def fetch(self, url: str, limits: FetchLimits, html: bool = True) -> Fetched:
        import asyncio

        require_web_scheme(url)
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, name="compliance-fetch", daemon=True).start()
        future = asyncio.run_coroutine_threadsafe(self._fetch(url, limits, html), self._loop)
        try:
            return future.result(limits.patience)
        except TimeoutError:
            future.cancel()
            raise FetchError(f"{url}: no answer within the time limit") from None

    async def _fetch(self, url: str, limits: FetchLimits, html: bool) -> Fetched:
        if self._client is None:
            self._client = _client(limits)
        return await fetch_with(self._client, url, limits, html)


async def send(client: Client, request: Request, timeout: float) -> Response:
    """Send ``request`` (streamed) with one deadline over connect, headers and, later, the body.

    Every opener sends through here; ``follow`` reads the body within what is left of the deadline.
    """
    import asyncio

    deadline = time.monotonic() + timeout
    async with asyncio.timeout(timeout):
        response = await client.send(request)
    response.extensions[_DEADLINE] = deadline
    return response


async def follow(opener: Opener, url: str, limits: FetchLimits, *, html: bool = True) -> Fetched:
    """Request ``url``, following redirects by hand so each hop can be vetted.

    ``html=False`` accepts any media type (sitemaps and feeds are XML or gzip).
    Every httpx failure becomes a FetchError with one sentence.
    """
    import httpx

    require_web_scheme(url)
    policy = limits.addresses or await AddressPolicy().widened_for_async([url])

    def read_ahead(status: int, length: int, content_type: str | None) -> bool:
        """Whether ``_read_page`` will read this body whole: what it refuses unread is never read ahead."""
        return 200 <= status < 300 and length <= limits.max_bytes and _refused_type(content_type, html) is None

    try:
        with applied(policy):
            visited = {url}
            current = url
            for _ in range(limits.max_redirects + 1):
                check_literal(current, policy)
                sent_at = now()
                async with opener(current, read_ahead) as response:
                    target = _redirect_target(response, url)
                    if target is None:
                        return await _read_page(response, current, limits, html, sent_at)
                    await _drain(response, limits)
                if target in visited:
                    raise FetchError(f"the redirects from {url} loop back to {target}")
                visited.add(target)
                current = target
            raise FetchError(f"{url} redirects more than {limits.max_redirects} times")
    except FetchError:
        raise
    except AddressNotAllowed as exc:
        where = "" if current == url else f" (redirected from {url})"
        raise AddressRefused(f"refused to fetch {current}{where}: {exc}") from None
    except (httpx.TimeoutException, TimeoutError):
        raise FetchError(f"timed out after {limits.timeout:g} s fetching {url}") from None
    except httpx.ConnectError as exc:
        raise FetchError(f"could not connect to the server for {url} ({_one_line(exc)})") from None
    except httpx.DecodingError:
        raise FetchError(f"the server sent a damaged compressed body for {url}") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError):
        raise FetchError(f"{url} is not a valid http or https URL") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"could not fetch {url} ({_one_line(exc)})") from None


def _redirect_target(response: Response, requested: str) -> str | None:
    """The absolute URL a redirect points to, normalised as a request to it will be; None when this is not a
    redirect."""
    location = response.headers.get("location")
    if response.status_code not in _REDIRECT_STATUSES or location is None:
        return None
    target = urljoin(response.url, location)
    if target.partition(":")[0].lower() not in _ALLOWED_SCHEMES:
        raise FetchError(f"{requested} redirects to {location}, which is not an http or https URL")
    return split_url(target)[4]


async def _read_page(response: Response, url: str, limits: FetchLimits, html: bool = True,
                     sent_at: str = "") -> Fetched:
    status = response.status_code
    if status >= 400:
        reason = response.reason_phrase or "error"
        await _drain(response, limits)
        raise HTTPStatusError(f"HTTP {status} {reason} for {url}", status)
    if status >= 300:
        raise FetchError(f"HTTP {status} for {url} without a usable redirect")

    content_type = response.headers.get("content-type")
    media_type = _media_type(content_type)
    refused = _refused_type(content_type, html)
    if refused is not None:
        raise FetchError(f"the server sent {refused}, not HTML, for {url}")

    declared_size = _content_length(response.headers.get("content-length"))
    if declared_size is not None and declared_size > limits.max_bytes:
        too_big = _size_over_limit(declared_size, limits.max_bytes)
        raise FetchError(f"the page at {url} is {too_big}")

    data = await read_capped(response, url, limits)
    validators = {k: response.headers[k] for k in ("etag", "last-modified") if k in response.headers}
    return Fetched(data=data, http_charset=_charset_param(content_type), final_url=str(response.url),
                   status=status, content_type=media_type, validators=validators,
                   from_cache=bool(response.extensions.get(FROM_CACHE)),
                   exchange=Exchange(fetched_at=sent_at or now(), status=status, http_version=response.http_version,
                                     reason=response.reason_phrase, headers=tuple(response.headers.multi_items()),
                                     request_headers=tuple(response.request.headers.multi_items()),
                                     method=response.request.method))


_DRAIN_BYTES = 64 * 1024  # an error page or redirect body this small is read, so its connection can be reused


async def _drain(response: Response, limits: FetchLimits) -> None:
    """Read a small body nobody wants (a 404 page, a redirect's) to its end within the request's deadline, so
    that the kept-alive connection carries the next request instead of being closed; a larger one, or one
    of unknown length, is left unread and its connection closed, as before."""
    import asyncio

    import httpx

    size = _content_length(response.headers.get("content-length"))
    if size is None or size > _DRAIN_BYTES or response.is_stream_consumed:
        return
    deadline = response.extensions.get(_DEADLINE) or time.monotonic() + limits.timeout
    try:
        async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
            async for _ in response.aiter_raw():
                pass
    except (TimeoutError, httpx.HTTPError):
        pass  # the connection is closed instead


async def read_capped(response: Response, url: str, limits: FetchLimits) -> bytes:
    """Read the raw body and decode it, stopping the moment it passes the size limit or the deadline."""
    import asyncio

    decoder = _Decoder(response.headers.get("content-encoding"), limits.max_bytes, url)
    deadline = response.extensions.get(_DEADLINE) or time.monotonic() + limits.timeout
    try:
        async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
            async for chunk in response.aiter_raw():  # as it arrives (or at once, from the cache), before decoding
                decoder.feed(chunk)
    except TimeoutError:
        raise FetchError(f"timed out after {limits.timeout:g} s downloading {url}") from None
    return decoder.finish()


class _Decoder:
    """Content-encoding layers decoded as the body arrives, never producing more than the size limit.

    ``zlib``'s ``max_length`` caps what each call may return; input the cap left undecoded means the
    page is larger than the limit. Intermediate layers get twice the limit (compressed data can grow a
    little when compressed again). The last layer must reach its end: a truncated body is an error.
    """

    def __init__(self, header: str | None, max_bytes: int, url: str) -> None:
        names = [n.strip().lower() for n in (header or "").split(",")]
        names = [n for n in names if n and n != "identity"]
        if len(names) > MAX_ENCODINGS:
            raise FetchError(f"the server stacked {len(names)} content encodings ({', '.join(names)}) on {url}; "
                             f"at most {MAX_ENCODINGS} are decoded")
        for name in names:
            if name not in ("gzip", "x-gzip", "deflate"):
                raise FetchError(f"the server sent {url} with content encoding {name!r}, which was not asked for")
        self.layers = [_Layer(name) for name in reversed(names)]  # the last one applied is undone first
        self.max_bytes, self.url = max_bytes, url
        self.chunks: list[bytes] = []
        self.size = 0

    def feed(self, data: bytes) -> None:
        for i, layer in enumerate(self.layers):
            last = i == len(self.layers) - 1
            room = self.max_bytes - self.size + 1 if last else 2 * self.max_bytes + 1
            data = layer.decode(data, room, self)
            if not data:
                return
        self._append(data)

    def finish(self) -> bytes:
        data = b""
        for layer in self.layers:
            data = layer.decode(data, self.max_bytes - self.size + 1, self) + layer.flush(self)
        if data:
            self._append(data)
        return b"".join(self.chunks)

    def _append(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise FetchError(f"the page at {self.url} is larger than the {_megabytes(self.max_bytes)} limit")
        self.chunks.append(data)

    def too_large(self) -> FetchError:
        return FetchError(f"the page at {self.url} is larger than the {_megabytes(self.max_bytes)} limit")

    def damaged(self) -> FetchError:
        return FetchError(f"the server sent a damaged compressed body for {self.url} (cut short, or not in the "
                          f"encoding it names)")


class _Layer:
    def __init__(self, name: str) -> None:
        self.name = name
        self.raw_deflate = False  # "deflate" is zlib-wrapped by the standard, raw by some servers
        self.started = False
        self.z = zlib.decompressobj(16 + zlib.MAX_WBITS if name != "deflate" else zlib.MAX_WBITS)

    def decode(self, data: bytes, room: int, owner: _Decoder) -> bytes:
        if not data:
            return b""
        if self.z.eof:
            return b""  # trailing bytes after the end of the stream are ignored, as browsers do
        try:
            out = self.z.decompress(data, room)
        except zlib.error:
            if self.name == "deflate" and not self.started and not self.raw_deflate:
                self.raw_deflate = True
                self.z = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.decode(data, room, owner)
            raise owner.damaged() from None
        self.started = True
        if self.z.unconsumed_tail:
            raise owner.too_large()  # more output was waiting than the limit allows
        return out

    def flush(self, owner: _Decoder) -> bytes:
        if not self.started:
            raise owner.damaged()  # a compressed body with no bytes at all
        if not self.z.eof:
            raise owner.damaged()
        return b""


def require_web_scheme(url: str) -> None:
    scheme, sep, _ = url.partition("://")
    if not sep or scheme.lower() not in _ALLOWED_SCHEMES:
        raise FetchError(f"{url} is not an http or https URL")
    if _CONTROL.search(url):
        raise FetchError(f"{url!r} is not a valid URL: it contains control characters")


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type or None


def _refused_type(content_type: str | None, html: bool) -> str | None:
    """The media type of a response refused unread for not being HTML (when ``html`` asks for it), or None."""
    media_type = _media_type(content_type)
    return media_type if html and media_type is not None and _clearly_not_html(media_type) else None


def _clearly_not_html(media_type: str) -> bool:
    top_level, _, subtype = media_type.partition("/")
    return (
        top_level in _NOT_HTML_TOP_LEVEL
        or media_type in _NOT_HTML_TYPES
        or subtype.endswith("+json")
        or (top_level == "application" and subtype.startswith("vnd."))
    )


def _charset_param(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'").strip() or None
    return None


def _content_length(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__

"""Download pages over HTTP(S), defensively: the one place a response is vetted.

A checker is pointed at pages it does not control, so every way a server can
waste our time or memory is bounded: redirects are counted and checked one by
one (only http and https, no loops), the body is streamed and cut off once it
passes the size limit (counted after gzip/deflate decoding, so a small
compressed bomb cannot expand in full), and a server that trickles bytes is cut
off by an overall deadline as well as by the per-step timeouts.

There is one code path, asynchronous: ``follow`` walks the redirects of one URL
through an ``opener`` (an async context manager giving a streamed response for
one hop). ``fetch`` is the one-page form used for ``--original`` and single
URLs; ``compliance.inputs.crawl`` supplies a polite opener (shared client,
per-host limits, robots.txt, retries, cache) for whole sites.

httpx is imported inside the functions so that commands that never touch the
network do not pay for importing it.
"""

from __future__ import annotations

import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, AsyncContextManager, AsyncIterator, Callable

from compliance import __version__
from compliance.inputs.archive import now

if TYPE_CHECKING:
    import httpx

__all__ = ["DEFAULT_USER_AGENT", "Exchange", "FetchError", "HTTPStatusError", "FetchLimits", "Fetched", "fetch", "follow", "request_headers"]

_MB = 1024 * 1024
DEFAULT_USER_AGENT = f"compliance/{__version__} (syndication license checker)"


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much a single page download may take."""

    timeout: float = 15.0  # seconds, connect+read each
    max_bytes: int = 10 * _MB
    max_redirects: int = 5


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


class HTTPStatusError(FetchError):
    """The server answered with an error status (``status``), e.g. 404 or 503."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


# set in a response's extensions by a cache that answered for the server (see compliance.inputs.crawl)
FROM_CACHE = "compliance.from_cache"

Opener = Callable[[str], AsyncContextManager["httpx.Response"]]

_ALLOWED_SCHEMES = ("http", "https")
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# A server sending one byte just inside every read timeout would otherwise
# never be stopped; the whole download gets this many timeouts at most.
_DEADLINE_TIMEOUTS = 4

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
    """Download ``url`` within ``limits``; raise FetchError with a readable reason."""
    import asyncio

    _require_web_scheme(url)
    return asyncio.run(_fetch_one(url, limits))


async def _fetch_one(url: str, limits: FetchLimits) -> Fetched:
    import httpx

    async with httpx.AsyncClient(headers=request_headers(), timeout=httpx.Timeout(limits.timeout),
                                 follow_redirects=False) as client:

        @asynccontextmanager
        async def opener(target: str) -> AsyncIterator[httpx.Response]:
            response = await client.send(client.build_request("GET", target), stream=True)
            try:
                yield response
            finally:
                await response.aclose()

        return await follow(opener, url, limits)


async def follow(opener: Opener, url: str, limits: FetchLimits, *, html: bool = True) -> Fetched:
    """Request ``url``, following redirects by hand so each hop can be vetted.

    ``html=False`` accepts any media type (sitemaps and feeds are XML or gzip).
    Every httpx failure becomes a FetchError with one sentence.
    """
    import httpx

    _require_web_scheme(url)
    deadline = time.monotonic() + limits.timeout * _DEADLINE_TIMEOUTS
    try:
        visited = {url}
        current = url
        for _ in range(limits.max_redirects + 1):
            sent_at = now()
            async with opener(current) as response:
                target = _redirect_target(response, url)
                if target is None:
                    return await _read_page(response, current, limits, deadline, html, sent_at)
            if target in visited:
                raise FetchError(f"the redirects from {url} loop back to {target}")
            visited.add(target)
            current = target
        raise FetchError(f"{url} redirects more than {limits.max_redirects} times")
    except FetchError:
        raise
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {limits.timeout:g} s fetching {url}") from None
    except httpx.ConnectError as exc:
        raise FetchError(f"could not connect to the server for {url} ({_one_line(exc)})") from None
    except httpx.DecodingError:
        raise FetchError(f"the server sent a damaged compressed body for {url}") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError):
        raise FetchError(f"{url} is not a valid http or https URL") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"could not fetch {url} ({_one_line(exc)})") from None


def _redirect_target(response: httpx.Response, requested: str) -> str | None:
    """The absolute URL a redirect points to, or None when this is not a redirect."""
    location = response.headers.get("location")
    if response.status_code not in _REDIRECT_STATUSES or location is None:
        return None
    target = response.url.join(location)
    if target.scheme not in _ALLOWED_SCHEMES:
        raise FetchError(f"{requested} redirects to {location}, which is not an http or https URL")
    return str(target)


async def _read_page(response: httpx.Response, url: str, limits: FetchLimits, deadline: float,
                     html: bool = True, sent_at: str = "") -> Fetched:
    status = response.status_code
    if status >= 400:
        reason = response.reason_phrase or "error"
        raise HTTPStatusError(f"HTTP {status} {reason} for {url}", status)
    if status >= 300:
        raise FetchError(f"HTTP {status} for {url} without a usable redirect")

    content_type = response.headers.get("content-type")
    media_type = _media_type(content_type)
    if html and media_type is not None and _clearly_not_html(media_type):
        raise FetchError(f"the server sent {media_type}, not HTML, for {url}")

    declared_size = _content_length(response.headers.get("content-length"))
    if declared_size is not None and declared_size > limits.max_bytes:
        too_big = _size_over_limit(declared_size, limits.max_bytes)
        raise FetchError(f"the page at {url} is {too_big}")

    data = await read_capped(response, url, limits, deadline)
    validators = {k: response.headers[k] for k in ("etag", "last-modified") if k in response.headers}
    return Fetched(data=data, http_charset=_charset_param(content_type), final_url=str(response.url),
                   status=status, content_type=media_type, validators=validators,
                   from_cache=bool(response.extensions.get(FROM_CACHE)),
                   exchange=Exchange(fetched_at=sent_at or now(), status=status, http_version=response.http_version,
                                     reason=response.reason_phrase, headers=tuple(response.headers.multi_items()),
                                     request_headers=tuple(response.request.headers.multi_items()),
                                     method=response.request.method))


async def read_capped(response: httpx.Response, url: str, limits: FetchLimits, deadline: float) -> bytes:
    """Collect the decoded body, stopping the moment it passes the size limit or the deadline."""
    chunks: list[bytes] = []
    received = 0
    async for chunk in response.aiter_bytes():  # as it arrives, so the deadline is seen
        received += len(chunk)
        if received > limits.max_bytes:
            raise FetchError(f"the page at {url} is larger than the {_megabytes(limits.max_bytes)} limit")
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {limits.timeout * _DEADLINE_TIMEOUTS:g} s downloading {url}")
        chunks.append(chunk)
    return b"".join(chunks)


def deadline_for(limits: FetchLimits) -> float:
    return time.monotonic() + limits.timeout * _DEADLINE_TIMEOUTS


def _require_web_scheme(url: str) -> None:
    scheme, sep, _ = url.partition("://")
    if not sep or scheme.lower() not in _ALLOWED_SCHEMES:
        raise FetchError(f"{url} is not an http or https URL")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in url):
        raise FetchError(f"{url!r} is not a valid URL: it contains control characters")


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type or None


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


def _megabytes(size: int) -> str:
    return f"{size / _MB:g} MB"


def _size_over_limit(size: int, limit: int) -> str:
    """'12.3 MB, over the 10 MB limit', with enough digits to show the excess."""
    digits = 1
    while round(size / _MB, digits) <= limit / _MB and digits < 6:
        digits += 1
    return f"{size / _MB:.{digits}f} MB, over the {_megabytes(limit)} limit"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__

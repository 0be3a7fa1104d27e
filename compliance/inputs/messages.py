"""The HTTP request and response the fetching code passes around: plain objects, a few attributes each.

httpx's models validate and normalise every URL and header character by character in Python, and
building one request and one response cost more than the whole exchange on ``http.client`` (about 50 µs
a page, a third of the event loop's time on a site). Here a URL of the usual shape (lower-case host,
ASCII path and query, no dot segments, no default port spelled out) is split by one regular expression;
any other is normalised by ``httpx.URL`` exactly as before, so both give the same target, ``Host`` and
URL string (a property test holds them to it).
"""

from __future__ import annotations

import re
from typing import Any, AsyncIterator, Callable, Iterable

__all__ = ["Headers", "ReadAhead", "Request", "Response", "split_url"]

# (status, declared length, content type) of a response's head: will its body be read whole?
ReadAhead = Callable[[int, int, "str | None"], bool]

_DEFAULT_PORTS = {"http": 80, "https": 443}
_SIMPLE_URL = re.compile(
    r"(https?)://"
    r"([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)"  # a host name or IPv4 address
    r"(?::([1-9][0-9]{0,4}))?"
    r"((?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*)"  # the path
    r"(\?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?",  # the query
    re.ASCII)
_DOT_SEGMENT = re.compile(r"/\.\.?(?:/|$)")
_FOUR_NUMBERS = re.compile(r"[0-9]+(?:\.[0-9]+){3}")  # a host httpx reads as an IPv4 address, and vets
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")  # one it accepts: no octet over 255, none zero-padded


def split_url(url: str) -> tuple[str, str, int | None, str, str]:
    """``(scheme, host, port, target, url)``: the host as connected to (IDNA, IPv6 without brackets), the port
    when not the scheme's default, the request target (path and query), and the URL normalised."""
    simple = _SIMPLE_URL.fullmatch(url)
    if simple is not None and not _DOT_SEGMENT.search(simple[4]) and \
            (not _FOUR_NUMBERS.fullmatch(simple[2]) or _IPV4.fullmatch(simple[2])):
        scheme, host, port_text, path, query = simple.groups()
        port = int(port_text) if port_text else None
        if port is None or (port <= 65535 and port != _DEFAULT_PORTS[scheme]):
            query = query or ""
            shown = f"{scheme}://{host}{'' if port is None else f':{port}'}{path}{query}"
            return scheme, host, port, (path or "/") + query, shown
    import httpx

    parsed = httpx.URL(url)
    host = parsed.raw_host.decode("ascii")
    return parsed.scheme, host, parsed.port, parsed.raw_path.decode("ascii"), str(parsed)


class Headers:
    """Header fields in order, repeats kept; looked up by name in any case (repeats joined with ", ")."""

    __slots__ = ("_items", "_index")

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items = list(items)
        index: dict[str, str] = {}
        for name, value in self._items:
            key = name.lower()
            index[key] = f"{index[key]}, {value}" if key in index else value
        self._index = index

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._index.get(name.lower(), default)

    def __getitem__(self, name: str) -> str:
        return self._index[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._index

    def multi_items(self) -> list[tuple[str, str]]:
        """Every field, names lower-cased (as httpx gives them, and as ``--archive`` has always written them)."""
        return [(name.lower(), value) for name, value in self._items]

    def raw(self) -> list[tuple[str, str]]:
        """Every field as written, names in their own case (what goes on the wire)."""
        return list(self._items)


class Request:
    """One request: method, normalised URL, where it goes (scheme, host, port, target) and its headers, ``Host``
    first; ``timeout`` is the seconds each connect and read may take; ``read_ahead``, if given, says from a
    response's head whether its body will be read whole, so the transport may read it with the head."""

    __slots__ = ("method", "url", "scheme", "host", "port", "target", "headers", "timeout", "read_ahead")

    def __init__(self, method: str, url: str, headers: dict[str, tuple[str, str]], timeout: float | None,
                 read_ahead: ReadAhead | None = None) -> None:
        self.scheme, self.host, self.port, self.target, self.url = split_url(url)
        self.method = method
        shown = f"[{self.host}]" if ":" in self.host else self.host
        host_field = ("Host", shown if self.port is None else f"{shown}:{self.port}")
        self.headers = Headers([host_field, *(field for key, field in headers.items() if key != "host")])
        self.timeout = timeout
        self.read_ahead = read_ahead


class Response:
    """A response whose body is read from ``stream`` (an async iterable of raw chunks, closed by ``aclose``), or
    held whole in ``content`` (one the on-disk cache answered with)."""

    def __init__(self, status_code: int, headers: Headers, request: Request, *, reason_phrase: str = "",
                 http_version: str = "HTTP/1.1", stream: Any = None, content: bytes | None = None,
                 extensions: dict[str, Any] | None = None) -> None:
        self.status_code, self.headers, self.request = status_code, headers, request
        self.reason_phrase, self.http_version = reason_phrase, http_version
        self.url = request.url
        self.content = content
        self.extensions = extensions or {}
        self._stream = stream
        self.is_stream_consumed = stream is None

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        """The body as it arrives, content encodings not undone; once only."""
        if self.content is not None:
            if self.content:
                yield self.content
            return
        if self.is_stream_consumed:
            raise RuntimeError("the response body was read already")
        self.is_stream_consumed = True
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        if self._stream is not None:
            await self._stream.aclose()

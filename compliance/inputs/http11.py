"""HTTP/1.1 on the standard library's ``http.client``, each blocking step on a thread of its own.

Measured on the corpus served from 127.0.0.1, httpcore's asynchronous pool spends about 0.9 ms of CPU
per request (it scans every pooled connection for expiry on each request, and every read and lock goes
through anyio's cancel scopes), so fetching a site cost more than checking it. ``http.client`` does the
same exchange in a tenth of that and waits in C with the GIL released. So the event loop keeps what it is
good at (politeness, deadlines, many requests waiting at once) and this transport runs each exchange's
connect, head and body reads on a small thread pool, in as few steps as it can: a body declared up to
``_READ_AHEAD`` comes with its head, a larger one in reads of ``_CHUNK`` (each hop between the loop and a
thread costs more than the bytes it carries). Requests and responses are ``inputs.messages``' plain
objects; httpx supplies the vocabulary of errors.

- every connection is vetted where it opens (``addresses``): the name is resolved once, every address it
  resolves to is checked against the policy in force for the request, and the socket goes to one of them;
  connections are pooled per policy, so a download under a strict policy never reuses one opened under
  a looser one;
- a step the event loop stops waiting for (the request's deadline passed, the run was stopped) shuts its
  socket down, so a thread blocked reading, writing or in a TLS handshake returns at once; one resolving
  the name or opening the connection stops as soon as that returns (each within the request's timeout);
- a kept-alive connection is reused only after its response was read to the end (a body shorter than its
  declared length is an error, never a shorter page), and not when the server closed it or sent more while
  it was idle; one that fails before any answer is retried once on a new connection;
- informational heads (102, 103 Early Hints) are read past to the final one, and folded header lines are
  unfolded, as httpcore did;
- the body is handed on raw (``http.client`` undoes chunking only): ``inputs.fetch`` decodes it, within
  its size limit. ``http.client`` bounds a response's head: 64 KiB a line, 100 header fields.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import select
import socket
import ssl
import time
from collections import OrderedDict
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, AsyncIterator, Callable

import httpx

from compliance.inputs.addresses import AddressNotAllowed, AddressPolicy, active_policy
from compliance.inputs.messages import Headers, ReadAhead, Request, Response
from compliance.text.urls import site_of

__all__ = ["Client", "ThreadedTransport", "guarded_client"]

_CHUNK = 256 * 1024  # bytes a body read may return: fewer hops to the thread than httpcore's 64 KiB
_READ_AHEAD = 1024 * 1024  # a body declared this small is read with its head, on the same thread step
_CLOSE_WAIT_SECONDS = 2.0  # how long closing waits for threads still connecting
_KEEPALIVE_SECONDS = 5.0  # an idle connection older than this is closed rather than reused (httpx's default)
_FOLD = re.compile(r"\r?\n[ \t]*")
_RETRIED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


def guarded_client(headers: dict[str, str], timeout: float, *, max_connections: int | None = 100,
                   max_keepalive: int | None = 20, trust_env: bool = True) -> Client:
    """A client whose every connection is vetted by the address policy ``applied`` at the time;
    ``trust_env`` lets SSL_CERT_FILE and SSL_CERT_DIR name the trusted roots (no proxy is ever used)."""
    transport = ThreadedTransport(max_connections=max_connections, max_keepalive=max_keepalive,
                                  ssl_context=lambda: httpx.create_ssl_context(trust_env=trust_env))
    return Client(transport, headers, timeout)


MAX_COOKIES_PER_SITE = 50  # cookies a run keeps for one site (browsers keep 50 to 180 a domain)
MAX_SITES_WITH_COOKIES = 256  # sites whose cookies are kept at once; the least recently asked loses its own


class Client:
    """What the fetching code asks of an HTTP client, and no more: requests get the client's headers and timeout
    and go straight to the transport, redirects are left to the caller (``inputs.fetch.follow`` vets each hop).
    Cookies a server sets are sent back to it, as a browser would (a site that sets one and redirects to check
    it works). Each site (``text.urls.site_of``) has a jar of its own, as browsers now partition them, so vetting
    a response's cookies looks at that site's few, never at every site's."""

    def __init__(self, transport: ThreadedTransport, headers: dict[str, str], timeout: float) -> None:
        self._transport = transport
        self._headers = {name.lower(): (name, value) for name, value in headers.items()}
        self._timeout = timeout
        self._jars: OrderedDict[str, Any] = OrderedDict()  # site: http.cookiejar.CookieJar

    def build_request(self, method: str, url: str, headers: dict[str, str] | None = None,
                      read_ahead: ReadAhead | None = None) -> Request:
        """``read_ahead(status, declared length, content type)`` says whether the caller will read a body whole:
        then one of at most ``_READ_AHEAD`` bytes comes with the head."""
        merged = self._headers
        if headers:
            merged = {**merged, **{name.lower(): (name, value) for name, value in headers.items()}}
        return Request(method, url, merged, self._timeout, read_ahead)

    async def send(self, request: Request) -> Response:
        """The response with its body not read yet."""
        site = site_of(request.url)
        jar = self._jars.get(site)
        if jar is not None:
            self._jars.move_to_end(site)
            from compliance.inputs import cookies

            try:
                cookies.send_with(jar, request)
            except Exception:  # noqa: BLE001 - a kept cookie no header can carry: the site's jar starts afresh
                jar.clear()
        response = await self._transport.handle_async_request(request)
        if "set-cookie" in response.headers:
            self._keep_cookies(site, response)
        return response

    def _keep_cookies(self, site: str, response: Response) -> None:
        """The response's cookies, those a request header can carry (ASCII), ``MAX_COOKIES_PER_SITE`` a site."""
        from compliance.inputs import cookies

        jar = self._jars.get(site)
        if jar is None:
            jar = self._jars[site] = cookies.new_jar()
        self._jars.move_to_end(site)
        while len(self._jars) > MAX_SITES_WITH_COOKIES:
            self._jars.popitem(last=False)
        try:
            cookies.keep_from(jar, response)
        except Exception:  # noqa: BLE001 - a cookie the standard library cannot parse is not kept
            return
        for cookie in list(jar):
            if not (cookie.name + (cookie.value or "")).isascii():
                jar.clear(cookie.domain, cookie.path, cookie.name)
        if len(jar) > MAX_COOKIES_PER_SITE:
            jar.clear()  # a server setting cookies without end gets none sent back; other sites keep theirs

    async def aclose(self) -> None:
        await self._transport.aclose()

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class ThreadedTransport:
    """At most ``max_connections`` exchanges at once, ``max_keepalive`` idle connections kept for reuse."""

    def __init__(self, *, max_connections: int | None = 100, max_keepalive: int | None = 20,
                 ssl_context: Callable[[], ssl.SSLContext] = ssl.create_default_context) -> None:
        self._max_connections = max_connections or 100
        self._max_keepalive = self._max_connections if max_keepalive is None else max_keepalive
        self._make_ssl_context = ssl_context  # called for the first https connection (loading roots takes time)
        self._ssl_context: ssl.SSLContext | None = None
        self._slots: asyncio.Semaphore | None = None  # made on the loop that first uses the transport
        self._idle: OrderedDict[tuple, list[tuple[http.client.HTTPConnection, float]]] = OrderedDict()
        self._idle_count = 0
        self._busy: set[http.client.HTTPConnection] = set()  # carrying an exchange: closed with the transport
        self._executor = ThreadPoolExecutor(self._max_connections, thread_name_prefix="compliance-http")
        self._closed = False

    async def handle_async_request(self, request: Request) -> Response:
        if request.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"the URL scheme {request.scheme!r} is not http or https")
        if self._closed:
            raise httpx.TransportError("the transport is closed")
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._max_connections)
        key = (request.scheme, request.host, request.port, active_policy())
        await self._slots.acquire()
        try:
            conn, response = await self._exchange(key, request)
        except BaseException:
            self._slots.release()
            raise
        headers = Headers([(name, _unfolded(value)) for name, value in response.msg.items()])
        return Response(response.status, headers, request, reason_phrase=response.reason,
                        http_version="HTTP/1.0" if response.version == 10 else "HTTP/1.1",
                        stream=_Body(self, key, conn, response))

    async def aclose(self) -> None:
        self._closed = True
        for connections in self._idle.values():
            for conn, _ in connections:
                conn.close()
        self._idle.clear()
        busy = list(self._busy)
        for conn in busy:
            _abort(conn)  # a thread blocked reading or writing returns at once
        self._executor.shutdown(wait=False, cancel_futures=True)
        steps = [c.step for c in busy if c.step is not None and not c.step.done()]
        if steps:  # one still connecting or resolving a name ends when that does (its own timeout bounds it)
            await asyncio.to_thread(futures.wait, steps, _CLOSE_WAIT_SECONDS)
        if all(step.done() for step in steps):
            await asyncio.to_thread(self._executor.shutdown, True)  # its idle threads have ended when this returns
        for conn in busy:
            _close(conn)
        self._busy.clear()

    # -- the exchange --------------------------------------------------------------------------

    async def _exchange(self, key: tuple, request: Request) -> tuple[Any, Any]:
        """Send the request and read the response's head, on a reused connection if one is fit, else a new one."""
        conn = self._reusable(key)
        while True:
            reused = conn is not None
            if conn is None:
                conn = self._new_connection(key, request.timeout)
            self._busy.add(conn)
            try:
                response = await self.in_thread(conn, _send_and_read_head, conn, request)
                return conn, response
            except _RETRIED as exc:
                self._forget(conn)
                if not reused:
                    raise _mapped(exc, request) from None
                conn = None  # the server had closed it: once more on a fresh connection
            except BaseException as exc:
                self._forget(conn)
                mapped = _mapped(exc, request)
                if mapped is exc:
                    raise
                raise mapped from None

    async def in_thread(self, conn: http.client.HTTPConnection, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)`` on the pool; if the caller stops waiting, ``conn`` is shut down so the thread returns."""
        try:
            step = self._executor.submit(fn, *args)
        except RuntimeError:  # the transport was closed meanwhile
            raise httpx.TransportError("the transport is closed") from None
        conn.step = step
        try:
            return await asyncio.wrap_future(step)
        except asyncio.CancelledError:
            _abort(conn)
            raise

    def _forget(self, conn: http.client.HTTPConnection, response: http.client.HTTPResponse | None = None) -> None:
        """Close ``conn`` once its thread is done with it; until then ``aclose`` can still shut it down."""
        _close(conn, response, then=lambda: self._busy.discard(conn))

    def _new_connection(self, key: tuple, timeout: float | None) -> http.client.HTTPConnection:
        scheme, host, port, policy = key
        if scheme == "https":
            return _GuardedHTTPS(host, port or 443, policy, timeout, timeout, self._tls())
        return _GuardedHTTP(host, port or 80, policy, timeout, timeout)

    def _tls(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            try:
                self._ssl_context = self._make_ssl_context()
            except (OSError, ssl.SSLError):
                named = [f"{v}={os.environ[v]}" for v in ("SSL_CERT_FILE", "SSL_CERT_DIR") if os.environ.get(v)]
                raise httpx.ConnectError("the trusted certificates could not be read"
                                         + (f" ({', '.join(named)})" if named else "")) from None
        return self._ssl_context

    def _reusable(self, key: tuple) -> http.client.HTTPConnection | None:
        connections = self._idle.get(key)
        found = None
        while connections and found is None:
            conn, since = connections.pop()
            self._idle_count -= 1
            if time.monotonic() - since < _KEEPALIVE_SECONDS and not _readable(conn):
                found = conn
            else:
                conn.close()  # expired, or the server closed it (or wrote to it unasked)
        if connections is not None and not connections:
            del self._idle[key]  # no empty lists: eviction takes from the first place listed
        return found

    def release(self, key: tuple, conn: http.client.HTTPConnection, reusable: bool,
                response: http.client.HTTPResponse | None = None) -> None:
        """An exchange is over: its connection kept for the next request to the same place, or closed."""
        assert self._slots is not None
        self._slots.release()
        if not reusable or self._closed or self._max_keepalive == 0:
            self._forget(conn, response)
            return
        self._busy.discard(conn)
        self._idle.setdefault(key, []).append((conn, time.monotonic()))
        self._idle.move_to_end(key)
        self._idle_count += 1
        while self._idle_count > self._max_keepalive:  # the least recently used place loses one
            oldest = next(iter(self._idle))
            connections = self._idle[oldest]
            connections.pop(0)[0].close()
            self._idle_count -= 1
            if not connections:
                del self._idle[oldest]


class _Body:
    """The raw body, read on the transport's threads; the connection goes back to the pool once it is read."""

    def __init__(self, transport: ThreadedTransport, key: tuple, conn: Any, response: Any) -> None:
        self._transport, self._key, self._conn, self._response = transport, key, conn, response
        self._complete = False
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        failed = self._response.ahead_error
        if failed is not None:
            await self.aclose()
            raise _mapped(failed, None, reading=True) from None
        ahead = self._response.ahead
        if ahead:
            self._response.ahead = None
            if self._response.length == 0:
                self._complete = True
            yield ahead
        while not self._complete:
            try:
                chunk = await self._transport.in_thread(self._conn, _read_chunk, self._response)
            except (OSError, http.client.HTTPException) as exc:
                await self.aclose()
                raise _mapped(exc, None, reading=True) from None
            if not chunk:
                if self._response.length:  # the server hung up before the length it declared
                    await self.aclose()
                    raise httpx.RemoteProtocolError("the server closed the connection before the end of the body")
                self._complete = True
                break
            yield chunk
            if self._response.length == 0:  # a sized body read to its end: no further read is needed
                self._complete = True

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        reusable = self._complete and not self._response.will_close
        if reusable:
            self._response.close()  # read to the end: this only lets the connection send its next request
        self._transport.release(self._key, self._conn, reusable, self._response)


def _send_and_read_head(conn: _GuardedHTTP, request: Request) -> http.client.HTTPResponse:
    conn.check_aborted()
    conn.putrequest(request.method, request.target, skip_host=True, skip_accept_encoding=True)
    for name, value in request.headers.raw():
        conn.putheader(name, value)
    conn.endheaders()
    response = conn.getresponse()
    wanted = request.read_ahead
    if wanted is not None and 0 < (response.length or 0) <= _READ_AHEAD and request.method != "HEAD" and \
            wanted(response.status, response.length, response.getheader("content-type")):
        try:  # the whole body in this same step: a page is one hop to the thread, not two or three
            response.ahead = response.read(response.length)
        except (OSError, http.client.HTTPException) as exc:
            response.ahead_error = exc
    return response


def _unfolded(value: str) -> str:
    """A header value with obsolete line folding (a line break, then spaces) made one line, as RFC 9112 asks."""
    return _FOLD.sub(" ", value) if "\n" in value else value


def _read_chunk(response: http.client.HTTPResponse) -> bytes:
    """Up to ``_CHUNK`` bytes, as many reads as that takes: one hop to the thread, not one per segment."""
    first = response.read1(_CHUNK)
    if not first or response.length == 0:
        return first
    parts, size = [first], len(first)
    while size < _CHUNK:
        more = response.read1(_CHUNK - size)
        if not more:
            break
        parts.append(more)
        size += len(more)
        if response.length == 0:
            break
    return b"".join(parts)


class _Stopped(OSError):
    """Raised on a thread whose step the event loop stopped waiting for (not a server's doing: never retried)."""


class _FinalResponse(http.client.HTTPResponse):
    """A response whose informational heads (102, 103 Early Hints) are read past, as ``100 Continue`` is: the
    head returned is the final one, so the next response on the connection is the next request's. A 101
    (switching protocols, never asked for here) is an error, and so are more than ``MAX_INFORMATIONAL``."""

    MAX_INFORMATIONAL = 16
    _informational = 0
    ahead: bytes | None = None  # the body, when it was read with the head (``_send_and_read_head``)
    ahead_error: BaseException | None = None  # what reading it then raised, reported when the body is read

    def _read_status(self) -> tuple[str, int, str]:
        while True:
            version, status, reason = super()._read_status()
            if status == 101:
                raise http.client.HTTPException("the server switched protocols, which was not asked for")
            if 100 <= status < 200:
                self._informational += 1  # a 100 too: it counts, though http.client reads past it itself
                if self._informational > self.MAX_INFORMATIONAL:
                    raise http.client.HTTPException(f"more than {self.MAX_INFORMATIONAL} informational responses")
            if not 101 < status < 200:
                return version, status, reason
            http.client.parse_headers(self.fp)  # its fields (within http.client's bounds), not kept


class _GuardedHTTP(http.client.HTTPConnection):
    """A connection opened only to an address the request's policy allows (see ``addresses``)."""

    response_class = _FinalResponse
    opened: socket.socket | None = None  # the socket from before its connect; a response that closes the
    # connection takes ``sock`` over, and this stays to shut it down
    step: Future | None = None  # the last step run on a thread for this connection
    aborted = False  # set by the event loop when it stopped waiting: the thread stops at its next step

    def __init__(self, host: str, port: int, policy: AddressPolicy, connect: float | None, read: float | None) -> None:
        super().__init__(host, port, timeout=connect)
        self._policy, self._read_timeout = policy, read

    def check_aborted(self) -> None:
        if self.aborted:
            raise _Stopped("the request was stopped")

    def connect(self) -> None:
        self.sock = _vetted_socket(self.host, self.port, self._policy, self.timeout, self)
        self.sock.settimeout(self._read_timeout)


class _GuardedHTTPS(_GuardedHTTP):
    default_port = 443

    def __init__(self, host: str, port: int, policy: AddressPolicy, connect: float | None, read: float | None,
                 context: ssl.SSLContext) -> None:
        super().__init__(host, port, policy, connect, read)
        self._context = context

    def connect(self) -> None:
        raw = _vetted_socket(self.host, self.port, self._policy, self.timeout, self)
        try:
            tls = self._context.wrap_socket(raw, server_hostname=self.host, do_handshake_on_connect=False)
        except BaseException:
            raw.close()
            raise
        self.opened = tls  # the plain socket is now this one's: an abort shuts it down during the handshake
        try:
            self.check_aborted()  # stopped while it was being wrapped
            tls.do_handshake()  # within the connect timeout, which the socket keeps
            self.check_aborted()
        except BaseException:
            tls.close()
            raise
        self.sock = tls
        self.sock.settimeout(self._read_timeout)


def _vetted_socket(host: str, port: int, policy: AddressPolicy, timeout: float | None,
                   conn: _GuardedHTTP) -> socket.socket:
    """A socket connected to one of the addresses ``host`` resolves to, every one of them allowed by ``policy``;
    each address is tried in turn. ``conn.opened`` is the socket while it connects, so an abort reaches it."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpx.ConnectError(f"cannot resolve {host} ({exc})") from None
    for info in infos:
        refusal = policy.refusal(host, str(info[4][0]))
        if refusal is not None:
            raise refusal
    failure: OSError | None = None
    for family, kind, proto, _, address in infos:
        conn.check_aborted()  # stopped while the name was resolved, or while the last address was tried
        try:
            sock = socket.socket(family, kind, proto)
        except OSError as exc:  # this machine cannot open that family (IPv6 switched off, say): the next one
            failure = exc
            continue
        conn.opened = sock
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.settimeout(timeout)
            sock.connect(address)
            conn.check_aborted()
            return sock
        except OSError as exc:
            sock.close()
            failure = exc
        except BaseException:
            sock.close()
            raise
    assert failure is not None  # getaddrinfo answers with at least one address or raises
    raise failure


def _readable(conn: http.client.HTTPConnection) -> bool:
    """Whether an idle connection has something to read: the server closed it, or sent what nobody asked for."""
    sock = conn.sock
    if sock is None:
        return True
    try:
        poller = select.poll()  # not select(): it cannot watch a descriptor numbered 1024 or more
        poller.register(sock, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True


def _close(conn: _GuardedHTTP, response: http.client.HTTPResponse | None = None,
           then: Callable[[], None] | None = None) -> None:
    """Close ``conn`` (and its ``response``) once no thread uses it, then call ``then``: closing a socket
    another thread is blocked on could hand its number to the next socket opened while that thread reads."""
    def close(_: object = None) -> None:
        if response is not None:
            response.close()
        conn.close()
        if then is not None:
            then()

    step = conn.step
    if step is not None and not step.done():
        step.add_done_callback(close)
    else:
        close()


def _abort(conn: _GuardedHTTP) -> None:
    """Shut the connection's socket down, so a thread blocked connecting, reading or writing it returns at
    once (for TLS too: the plain socket's shutdown, which leaves the TLS state to the thread that holds it),
    and mark it so the thread stops at its next step (one still resolving the name stops once it has)."""
    conn.aborted = True
    sock = conn.opened
    if sock is not None:
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass


def _mapped(exc: BaseException, request: Request | None, *, reading: bool = False) -> BaseException:
    """The httpx exception for a failure here (what ``inputs.fetch`` turns into one sentence)."""
    if isinstance(exc, (AddressNotAllowed, httpx.HTTPError, asyncio.CancelledError)):
        return exc
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return httpx.ReadTimeout("the server did not answer in time", request=request)
    if isinstance(exc, ssl.SSLError):
        return httpx.ConnectError(f"TLS failed: {exc.reason or exc}", request=request)
    if isinstance(exc, ConnectionRefusedError):
        return httpx.ConnectError("connection refused", request=request)
    if isinstance(exc, _Stopped):
        return httpx.TransportError("the request was stopped")
    if isinstance(exc, _RETRIED):
        return httpx.RemoteProtocolError("the server closed the connection without answering", request=request)
    if isinstance(exc, http.client.HTTPException):
        return httpx.RemoteProtocolError(f"the server's answer is not valid HTTP ({type(exc).__name__}"
                                         f"{': ' + str(exc)[:200] if str(exc) else ''})", request=request)
    if isinstance(exc, OSError):
        kind = httpx.ReadError if reading else httpx.ConnectError
        return kind(exc.strerror or str(exc), request=request)
    return exc

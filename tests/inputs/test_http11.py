"""The HTTP/1.1 transport (``compliance.inputs.http11``) against a server scripted byte by byte on 127.0.0.1.

Each test's server runs one function per accepted connection, so a test decides exactly what goes over
the wire (a kept-alive answer, a connection closed while idle, a chunked body, a head too large) and
counts the connections and requests the client made. Every socket has a timeout: no test can hang.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from typing import Callable

import pytest
import trustme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.inputs.addresses import AddressNotAllowed, AddressPolicy, applied
from compliance.inputs.crawl import Crawler, Politeness
from compliance.inputs.fetch import FetchError, FetchLimits, fetch
from compliance.inputs.http11 import guarded_client

LIMITS = FetchLimits(timeout=5.0, addresses=AddressPolicy.everything())
ONE_AT_A_TIME = Politeness(concurrency=1, per_host=1, delay=0.0, retries=0, obey_robots=False)
PAGE = b"<html><head><title>t</title></head><body><h1>Story</h1></body></html>"


class Scripted:
    """A server running ``serve(connection, reader)`` for each connection; it counts connections and requests."""

    def __init__(self, serve: Callable[[socket.socket, "Requests"], None], tls: ssl.SSLContext | None = None) -> None:
        self.serve, self.tls = serve, tls
        self.connections = 0
        self.requests: list[bytes] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self._listener.getsockname()[1]}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> Scripted:
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            with self._lock:
                self.connections += 1
            thread = threading.Thread(target=self._run, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _run(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            with conn:
                self.serve(conn, Requests(conn, self))
        except OSError:  # includes a TLS handshake the client refused
            conn.close()


class Requests:
    """Reads one request head at a time from a connection (None once the client closed it)."""

    def __init__(self, conn: socket.socket, server: Scripted) -> None:
        self._conn, self._server, self._buffer = conn, server, b""

    def next(self) -> bytes | None:
        while b"\r\n\r\n" not in self._buffer:
            chunk = self._conn.recv(65536)
            if not chunk:
                return None
            self._buffer += chunk
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        with self._server._lock:
            self._server.requests.append(head)
        return head


def answer(body: bytes = PAGE, *headers: str, status: str = "200 OK") -> bytes:
    lines = [f"HTTP/1.1 {status}", "Content-Type: text/html; charset=utf-8", f"Content-Length: {len(body)}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def keep_alive(conn: socket.socket, requests: Requests) -> None:
    while requests.next() is not None:
        conn.sendall(answer())


def crawl(server: Scripted, *paths: str, polite: Politeness = ONE_AT_A_TIME) -> list:
    with Crawler(LIMITS, polite) as crawler:
        return [crawler.get(server.url + p) for p in paths]


def no_transport_threads() -> bool:
    return not any(t.name.startswith("compliance-http") for t in threading.enumerate())


def test_a_kept_alive_connection_carries_the_next_requests() -> None:
    with Scripted(keep_alive) as server:
        pages = crawl(server, "/a", "/b", "/c", "/d")
    assert [p.data for p in pages] == [PAGE] * 4
    assert server.connections == 1 and len(server.requests) == 4


def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    def once(conn: socket.socket, requests: Requests) -> None:
        requests.next()
        conn.sendall(answer())  # and the connection closes: the client finds it readable (at its end) when idle

    with Scripted(once) as server:
        pages = crawl(server, "/a", "/b", "/c")
    assert [p.data for p in pages] == [PAGE] * 3
    assert server.connections == 3 and len(server.requests) == 3


def test_a_reused_connection_dropped_before_its_answer_is_retried_once_on_a_new_one() -> None:
    state = {"dropped": 0}

    def drop_the_second(conn: socket.socket, requests: Requests) -> None:
        requests.next()
        conn.sendall(answer())
        if requests.next() is not None and not state["dropped"]:
            state["dropped"] += 1  # read the second request, then hang up without a word (the keep-alive race)
            return
        keep_alive(conn, requests)

    with Scripted(drop_the_second) as server:
        pages = crawl(server, "/a", "/b")
    assert [p.data for p in pages] == [PAGE, PAGE]
    assert server.connections == 2 and [r.split(b" ")[1] for r in server.requests] == [b"/a", b"/b", b"/b"]


def test_a_new_connection_dropped_before_its_answer_is_an_error_not_a_retry() -> None:
    def hang_up(conn: socket.socket, requests: Requests) -> None:
        requests.next()

    with Scripted(hang_up) as server:
        with pytest.raises(FetchError, match="closed the connection without answering"):
            fetch(server.url + "/a", LIMITS)
    assert server.connections == 1


@pytest.mark.parametrize("framing", ["chunked", "until-close", "http/1.0"])
def test_bodies_framed_every_way_arrive_whole(framing: str) -> None:
    body = PAGE * 500

    def serve(conn: socket.socket, requests: Requests) -> None:
        if framing == "chunked":
            pieces = [body[i:i + 4096] for i in range(0, len(body), 4096)]
            framed = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
            while requests.next() is not None:  # one connection for both
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                             + framed)
        else:
            requests.next()
            version = "HTTP/1.0" if framing == "http/1.0" else "HTTP/1.1"
            conn.sendall(f"{version} 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n".encode() + body)

    with Scripted(serve) as server:
        pages = crawl(server, "/a", "/b")
    assert [p.data for p in pages] == [body, body]
    assert server.connections == (1 if framing == "chunked" else 2)
    assert pages[0].exchange.http_version == ("HTTP/1.0" if framing == "http/1.0" else "HTTP/1.1")


@pytest.mark.parametrize("head", [
    "\r\n".join(f"X-Field-{i}: {i}" for i in range(120)),  # more header fields than http.client reads
    "X-Long: " + "y" * 70_000,  # a line longer than it reads
    "No colon here at all but a very long line " * 2000,
])
def test_a_response_head_out_of_bounds_is_one_readable_error(head: str) -> None:
    def serve(conn: socket.socket, requests: Requests) -> None:
        requests.next()
        conn.sendall(f"HTTP/1.1 200 OK\r\n{head}\r\nContent-Length: 2\r\n\r\nok".encode())

    with Scripted(serve) as server:
        with pytest.raises(FetchError, match=r"^could not fetch http://127\.0\.0\.1:\d+/a \(the server's answer is "
                                             r"not valid HTTP"):
            fetch(server.url + "/a", LIMITS)
    assert no_transport_threads()


@pytest.mark.parametrize("secure", [False, True], ids=["http", "https"])
def test_a_body_that_trickles_past_the_deadline_leaves_no_thread_behind(secure: bool, request) -> None:
    release = threading.Event()
    tls = server_tls(request.getfixturevalue("authority"), "127.0.0.1") if secure else None

    def trickle(conn: socket.socket, requests: Requests) -> None:
        requests.next()
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html>")
        while not release.wait(0.05):
            conn.sendall(b" ")

    with Scripted(trickle, tls=tls) as server:
        try:
            with pytest.raises(FetchError, match="timed out after 1 s"):
                fetch(server.url + "/slow", FetchLimits(timeout=1.0, addresses=AddressPolicy.everything()))
            assert no_transport_threads()  # the blocked read was shut down, and its thread ended with the client
        finally:
            release.set()


def test_a_crawler_closed_while_a_head_is_awaited_stops_at_once() -> None:
    release = threading.Event()

    def silent(conn: socket.socket, requests: Requests) -> None:
        requests.next()
        release.wait(10)

    with Scripted(silent) as server:
        try:
            crawler = Crawler(FetchLimits(timeout=30.0, addresses=AddressPolicy.everything()), ONE_AT_A_TIME)
            future = crawler.submit(server.url + "/never")
            for _ in range(100):  # until the request is out (bounded)
                if server.requests:
                    break
                threading.Event().wait(0.05)
            crawler.close()  # does not wait for the 30 s deadline: the thread's read is shut down
            assert future.done() and no_transport_threads()
        finally:
            release.set()


def test_cookies_a_server_sets_are_sent_back_so_a_cookie_check_redirect_ends() -> None:
    def serve(conn: socket.socket, requests: Requests) -> None:
        while (head := requests.next()) is not None:
            if b"cookie: seen=1" in head.lower():
                conn.sendall(answer())
            else:
                conn.sendall(answer(b"", "Set-Cookie: seen=1; Path=/", "Location: /story?checked", status="302 Found"))

    with Scripted(serve) as server:
        (page,) = crawl(server, "/story")
    assert page.data == PAGE and page.final_url.endswith("/story?checked")


def test_a_connection_opened_under_one_address_policy_is_not_reused_under_a_stricter_one() -> None:
    async def both(url: str) -> tuple[int, BaseException | None]:
        async with guarded_client({}, 5.0) as client:
            with applied(AddressPolicy.everything()):
                first = await client.send(client.build_request("GET", url))
                async for _ in first.aiter_raw():
                    pass
                await first.aclose()
            try:
                with applied(AddressPolicy()):  # public addresses only: 127.0.0.1 is refused at the connect
                    await client.send(client.build_request("GET", url))
            except AddressNotAllowed as exc:
                return first.status_code, exc
            return first.status_code, None

    with Scripted(keep_alive) as server:
        status, refused = asyncio.run(both(server.url + "/a"))
    assert status == 200 and isinstance(refused, AddressNotAllowed)
    assert server.connections == 1 and len(server.requests) == 1


_LINE = st.text(st.characters(min_codepoint=1, max_codepoint=255, blacklist_characters="\r\n"), max_size=80)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.one_of(st.just("HTTP/1.1 200 OK"), _LINE), headers=st.lists(_LINE, max_size=8),
       body=st.binary(max_size=2000), framing=st.sampled_from(["none", "length", "chunked", "bad-chunked"]))
def test_whatever_a_server_answers_is_a_page_or_one_fetch_error(status: str, headers: list[str], body: bytes,
                                                                framing: str) -> None:
    """Hostile heads and bodies: the outcome is a page or a FetchError (one sentence), never another exception."""
    if framing == "length":
        headers = [*headers, f"Content-Length: {len(body)}"]
    elif framing in ("chunked", "bad-chunked"):
        headers = [*headers, "Transfer-Encoding: chunked"]
        body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body) if framing == "chunked" else b"zz\r\n" + body
    wire = ("\r\n".join([status, *headers]) + "\r\n\r\n").encode("latin-1") + body

    def serve(conn: socket.socket, requests: Requests) -> None:
        requests.next()
        conn.sendall(wire)

    with Scripted(serve) as server:
        try:
            page = fetch(server.url + "/x", FetchLimits(timeout=3.0, addresses=AddressPolicy.everything()))
        except FetchError as exc:
            assert "\n" not in str(exc) and str(exc)
        else:
            assert isinstance(page.data, bytes)
    assert no_transport_threads()


@pytest.fixture
def authority(tmp_path, monkeypatch: pytest.MonkeyPatch) -> trustme.CA:
    """A certificate authority the client trusts through SSL_CERT_FILE, as a user's own roots would be."""
    ca = trustme.CA()
    roots = tmp_path / "roots.pem"
    ca.cert_pem.write_to_path(str(roots))
    monkeypatch.setenv("SSL_CERT_FILE", str(roots))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return ca


def server_tls(ca: trustme.CA, *names: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return context


def test_https_pages_come_over_a_verified_kept_alive_connection(authority: trustme.CA) -> None:
    with Scripted(keep_alive, tls=server_tls(authority, "127.0.0.1")) as server:
        pages = crawl(server, "/a", "/b")
    assert [p.data for p in pages] == [PAGE, PAGE] and pages[0].final_url.startswith("https://")
    assert server.connections == 1 and len(server.requests) == 2


@pytest.mark.parametrize("trusted,names", [(False, ("127.0.0.1",)), (True, ("example.org",))],
                         ids=["unknown authority", "another host's certificate"])
def test_https_with_a_certificate_that_does_not_verify_is_refused(authority: trustme.CA, trusted: bool,
                                                                  names: tuple[str, ...]) -> None:
    with Scripted(keep_alive, tls=server_tls(authority if trusted else trustme.CA(), *names)) as server:
        with pytest.raises(FetchError, match=r"could not connect to the server for https://.*\(TLS failed: "
                                             r"CERTIFICATE_VERIFY_FAILED\)"):
            fetch(server.url + "/a", LIMITS)
    assert not server.requests and no_transport_threads()


def test_trusted_roots_that_cannot_be_read_fail_https_pages_with_a_reason_and_leave_http_ones(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with Scripted(keep_alive) as plain, Scripted(keep_alive, tls=server_tls(trustme.CA(), "127.0.0.1")) as secure:
        with Crawler(LIMITS, ONE_AT_A_TIME) as crawler:
            assert crawler.get(plain.url + "/a").data == PAGE
            with pytest.raises(FetchError, match=r"could not connect .*\(the trusted certificates could not be read "
                                                 r"\(SSL_CERT_FILE=.*missing\.pem"):
                crawler.get(secure.url + "/a")


def test_an_idle_connection_given_up_for_another_host_leaves_the_pool_sound() -> None:
    """Places whose idle connections were all used up must not stay listed: the one evicted next is a real one."""
    def close_the_second(conn: socket.socket, requests: Requests) -> None:
        requests.next()
        conn.sendall(answer())
        requests.next()
        conn.sendall(answer(PAGE, "Connection: close"))

    with Scripted(close_the_second) as a, Scripted(keep_alive) as b, Scripted(keep_alive) as c:
        with Crawler(LIMITS, ONE_AT_A_TIME) as crawler:  # one connection kept idle at most
            pages = [crawler.get(url).data for url in (a.url + "/1", a.url + "/2", b.url + "/1", c.url + "/1",
                                                       b.url + "/2")]
    assert pages == [PAGE] * 5
    assert (a.connections, b.connections, c.connections) == (1, 2, 1)


def test_informational_heads_are_read_past_so_each_request_gets_its_own_answer() -> None:
    def early_hints(conn: socket.socket, requests: Requests) -> None:
        n = 0
        while requests.next() is not None:
            n += 1
            conn.sendall(b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
                         b"HTTP/1.1 102 Processing\r\n\r\n" + answer(f"<html>answer {n}</html>".encode()))

    with Scripted(early_hints) as server:
        pages = crawl(server, "/a", "/b")
    assert [(p.status, p.data) for p in pages] == [(200, b"<html>answer 1</html>"), (200, b"<html>answer 2</html>")]
    assert server.connections == 1


@pytest.mark.parametrize("declared", [100_000, 3 * 1024 * 1024], ids=["read-with-its-head", "streamed"])
def test_a_body_cut_short_of_its_declared_length_is_an_error_not_a_shorter_page(declared: int) -> None:
    def short(conn: socket.socket, requests: Requests) -> None:
        requests.next()
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n<html>" % declared
                     + b"x" * (declared // 2))

    with Scripted(short) as server:
        with pytest.raises(FetchError, match="closed the connection before the end of the body"):
            fetch(server.url + "/a", LIMITS)


def test_folded_header_lines_are_unfolded() -> None:
    def folded(conn: socket.socket, requests: Requests) -> None:
        requests.next()
        conn.sendall(answer(PAGE, "X-Note: first part\r\n  second part", 'ETag: "v1"'))

    with Scripted(folded) as server:
        page = fetch(server.url + "/a", LIMITS)
    assert ("x-note", "first part second part") in page.exchange.headers and page.validators["etag"] == '"v1"'


def test_a_cookie_no_request_header_can_carry_is_dropped_and_the_site_still_answers() -> None:
    def sets(conn: socket.socket, requests: Requests) -> None:
        while (head := requests.next()) is not None:
            assert b"caf" not in head  # never sent back
            conn.sendall(answer(PAGE, "Set-Cookie: café=1", "Set-Cookie: plain=1"))

    with Scripted(sets) as server:
        pages = crawl(server, "/a", "/b", "/c")
    assert [p.data for p in pages] == [PAGE] * 3
    assert b"cookie: plain=1" in server.requests[1].lower()


def test_every_address_a_name_resolves_to_is_tried_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    with Scripted(keep_alive) as server:
        port = int(server.url.rsplit(":", 1)[1])
        closed = socket.create_server(("127.0.0.1", 0))
        dead = closed.getsockname()[1]
        closed.close()  # nothing listens there now: a refused connection
        real = socket.getaddrinfo

        def two_addresses(host, port_, *args, **kwargs):
            if host == "site.test":
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", dead)),
                        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
            return real(host, port_, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", two_addresses)
        page = fetch(f"http://site.test:{port}/a", LIMITS)
    assert page.data == PAGE and server.connections == 1


def test_a_request_stopped_while_its_name_resolves_never_reaches_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo
    resolving = threading.Event()

    def slow(host, *args, **kwargs):
        if host == "slow.test":
            resolving.set()
            threading.Event().wait(1.5)  # a resolver that takes its time
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    with Scripted(keep_alive) as server:
        port = server.url.rsplit(":", 1)[1]
        with pytest.raises(FetchError, match="timed out after 0.5 s"):
            fetch(f"http://slow.test:{port}/a", FetchLimits(timeout=0.5, addresses=AddressPolicy.everything()))
        assert resolving.is_set() and no_transport_threads()
    assert server.connections == 0  # the thread stopped once the name was resolved, before connecting


def test_a_crawler_closed_during_a_tls_handshake_stops_at_once(authority: trustme.CA) -> None:
    release = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))  # accepts, then never says a word of TLS
    accepted: list[socket.socket] = []

    def accept() -> None:
        listener.settimeout(5)
        try:
            accepted.append(listener.accept()[0])
        except OSError:
            pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        crawler = Crawler(FetchLimits(timeout=30.0, addresses=AddressPolicy.everything()), ONE_AT_A_TIME)
        future = crawler.submit(f"https://127.0.0.1:{listener.getsockname()[1]}/a")
        thread.join(5)
        assert accepted  # the handshake has begun
        crawler.close()  # does not wait out the 30 s timeout
        assert future.done() and no_transport_threads()
    finally:
        release.set()
        for sock in accepted:
            sock.close()
        listener.close()


@pytest.mark.parametrize("heads,expected", [
    (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "switched protocols"),
    ((b"HTTP/1.1 100 Continue\r\n\r\n" + b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n") * 9,
     "more than 16 informational responses"),
], ids=["101", "endless 1xx"])
def test_informational_answers_out_of_bounds_are_an_error(heads: bytes, expected: str) -> None:
    def serve(conn: socket.socket, requests: Requests) -> None:
        requests.next()
        conn.sendall(heads + answer())

    with Scripted(serve) as server:
        with pytest.raises(FetchError, match=expected):
            fetch(server.url + "/a", LIMITS)


def test_a_site_setting_cookies_without_end_loses_its_own_not_another_sites() -> None:
    from compliance.inputs.http11 import MAX_COOKIES_PER_SITE

    def many(conn: socket.socket, requests: Requests) -> None:
        while requests.next() is not None:
            conn.sendall(answer(PAGE, *(f"Set-Cookie: c{i}=1" for i in range(MAX_COOKIES_PER_SITE + 1))))

    def session(conn: socket.socket, requests: Requests) -> None:
        while requests.next() is not None:
            conn.sendall(answer(PAGE, "Set-Cookie: session=s1"))

    with Scripted(session) as good, Scripted(many) as greedy:
        greedy.url = greedy.url.replace("127.0.0.1", "localhost")  # another cookie domain on the same machine
        with Crawler(LIMITS, ONE_AT_A_TIME) as crawler:
            crawler.get(good.url + "/1")
            crawler.get(greedy.url + "/1")
            crawler.get(greedy.url + "/2")
            crawler.get(good.url + "/2")
    assert b"cookie: session=s1" in good.requests[1].lower()
    assert b"cookie:" not in greedy.requests[1].lower()


@pytest.mark.parametrize("size", [len(PAGE), 900 * 1024, 3 * 1024 * 1024])
def test_a_sized_body_comes_with_its_head_up_to_the_read_ahead_and_in_whole_chunks_beyond(
        size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from compliance.inputs import http11

    steps = []
    real = http11.ThreadedTransport.in_thread

    async def counted(self, conn, fn, *args):
        steps.append(fn.__name__)
        return await real(self, conn, fn, *args)

    monkeypatch.setattr(http11.ThreadedTransport, "in_thread", counted)
    body = (PAGE * (size // len(PAGE) + 1))[:size]

    def serve(conn: socket.socket, requests: Requests) -> None:
        while requests.next() is not None:
            conn.sendall(answer(body))

    with Scripted(serve) as server:
        pages = crawl(server, "/a", "/b")
    assert [p.data for p in pages] == [body, body] and server.connections == 1
    per_page = len(steps) / 2
    if size <= http11._READ_AHEAD:
        assert per_page == 1  # the head and the whole body at once
    else:  # a larger one is streamed in reads of _CHUNK each, however the kernel splits it
        assert per_page <= 2 + size // http11._CHUNK


def stalled(status: str, *headers: str, declared: int = 500_000):
    """A server answering ``status`` with a declared body it never finishes sending (until the test ends)."""
    done = threading.Event()

    def serve(conn: socket.socket, requests: Requests) -> None:
        while (head := requests.next()) is not None:
            if b"GET /story " in head:
                conn.sendall(answer(PAGE))
                continue
            lines = [f"HTTP/1.1 {status}", "Content-Type: text/html", f"Content-Length: {declared}", *headers]
            conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + b"<html>")
            done.wait(10)
            return

    return serve, done


@pytest.mark.parametrize("status, headers, expected", [
    ("404 Not Found", (), "page"),  # for robots.txt: no rules, so the page is fetched
    ("301 Moved Permanently", ("Location: /story",), "page"),  # the head says where to go: no body is awaited
    ("200 OK", (), "is 0.5 MB, over the"),  # declared over the size limit (but within the read-ahead): refused unread
])
def test_what_a_head_settles_is_acted_on_though_its_body_stalls(status: str, headers: tuple, expected: str) -> None:
    serve, done = stalled(status, *headers, declared=500_000)
    robots = status.startswith("404")  # the stalled answer is robots.txt's; else robots.txt is not asked for
    polite = Politeness(concurrency=2, per_host=2, delay=0.0, retries=0, obey_robots=robots)
    limits = FetchLimits(timeout=3.0, max_bytes=100_000, addresses=AddressPolicy.everything())
    with Scripted(serve) as server:
        path = "/story" if robots else "/page"
        try:
            with Crawler(limits, polite) as crawler:
                if expected == "page":
                    assert crawler.get(server.url + path).data == PAGE
                else:
                    with pytest.raises(FetchError, match=expected):
                        crawler.get(server.url + path)
        finally:
            done.set()

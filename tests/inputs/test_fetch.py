"""Fetching pages from a local server that misbehaves on purpose (never the internet)."""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helpers import loopback_server

from compliance import __version__
from compliance.inputs.fetch import Fetched, FetchError, FetchLimits, fetch

pytestmark = pytest.mark.network

PAGE = "<!DOCTYPE html><html><head><title>Grüße</title></head><body><p>Grüße</p></body></html>"
MB = 1024 * 1024
BOMB = gzip.compress(b"\0" * (8 * MB), compresslevel=9)


class Handler(BaseHTTPRequestHandler):
    """One route per misbehaviour; the path picks it."""

    protocol_version = "HTTP/1.0"  # a body without Content-Length ends when the socket closes
    seen_user_agents: list[str] = []

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        Handler.seen_user_agents.append(self.headers.get("User-Agent", ""))
        route = ROUTES.get(self.path.split("?")[0])
        if route is None:
            self.send_error(404, "Not Found")
            return
        try:
            route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on us, as it should

    def reply(self, body: bytes, content_type: str | None = "text/html", *,
              status: int = 200, length: int | None = None, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _chain(handler: Handler) -> None:
    """/chain/N redirects to N+1 until it reaches CHAIN_END, which is the page."""
    step = int(handler.path.split("/")[-1])
    if step >= CHAIN_END:
        handler.reply(PAGE.encode())
    else:
        handler.redirect(f"/chain/{step + 1}")


CHAIN_END = 20


def _slow(handler: Handler) -> None:
    time.sleep(1.0)
    handler.reply(PAGE.encode())


def _trickle(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    handler.wfile.write(b"<html>")
    for _ in range(40):
        time.sleep(0.05)
        handler.wfile.write(b" ")
        handler.wfile.flush()


def _big(handler: Handler, *, with_length: bool) -> None:
    body = b"<p>" + b"x" * (2 * MB) + b"</p>"
    handler.reply(body, length=len(body) if with_length else None)


ROUTES: dict[str, Callable[[Handler], None]] = {
    "/page": lambda h: h.reply(PAGE.encode(), "text/html; charset=UTF-8", length=len(PAGE.encode())),
    "/latin": lambda h: h.reply("<p>café</p>".encode("cp1252"), 'text/html; Charset="ISO-8859-1"'),
    "/untyped": lambda h: h.reply(b"<p>no type</p>", None),
    "/xhtml": lambda h: h.reply(b"<html/>", "application/xhtml+xml"),
    "/redirect-once": lambda h: h.redirect("/page"),
    "/loop-a": lambda h: h.redirect("/loop-b"),
    "/loop-b": lambda h: h.redirect("/loop-a"),
    **{f"/chain/{i}": _chain for i in range(CHAIN_END + 1)},
    "/to-file": lambda h: h.redirect("file:///etc/passwd"),
    "/to-ftp": lambda h: h.redirect("ftp://127.0.0.1/page.html"),
    "/big-with-length": lambda h: _big(h, with_length=True),
    "/big-without-length": lambda h: _big(h, with_length=False),
    "/huge-length": lambda h: h.reply(b"<p>", length=500 * MB),
    "/bomb": lambda h: h.reply(BOMB, length=len(BOMB), extra={"Content-Encoding": "gzip"}),
    "/gzipped": lambda h: h.reply(gzip.compress(PAGE.encode()), extra={"Content-Encoding": "gzip"}),
    "/bad-gzip": lambda h: h.reply(b"this is not gzip", extra={"Content-Encoding": "gzip"}),
    "/slow": _slow,
    "/trickle": _trickle,
    "/png": lambda h: h.reply(b"\x89PNG\r\n\x1a\n", "image/png"),
    "/pdf": lambda h: h.reply(b"%PDF-1.4", "application/pdf; qs=0.5"),
    "/json": lambda h: h.reply(b"{}", "application/json"),
    "/gone": lambda h: h.send_error(410, "Gone"),
    "/broken": lambda h: h.send_error(500, "Internal Server Error"),
}


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # slow handlers must not hold up the end of the tests

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with loopback_server(Handler, QuietServer) as url:
        yield url


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment must never see these requests."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


QUICK = FetchLimits(timeout=0.5, max_bytes=1 * MB, max_redirects=5)


# -- pages that arrive ---------------------------------------------------------


def test_html_with_charset_in_header(server: str) -> None:
    fetched = fetch(f"{server}/page", QUICK)
    assert fetched == Fetched(
        data=PAGE.encode(),
        http_charset="UTF-8",
        final_url=f"{server}/page",
        status=200,
        content_type="text/html",
    )


def test_quoted_charset_parameter(server: str) -> None:
    fetched = fetch(f"{server}/latin", QUICK)
    assert fetched.http_charset == "ISO-8859-1"
    assert fetched.data == b"<p>caf\xe9</p>"


@pytest.mark.parametrize(("path", "content_type"), [("/untyped", None), ("/xhtml", "application/xhtml+xml")])
def test_missing_or_xhtml_content_type_is_accepted(server: str, path: str, content_type: str | None) -> None:
    assert fetch(f"{server}{path}", QUICK).content_type == content_type


def test_user_agent_names_the_tool(server: str) -> None:
    fetch(f"{server}/page", QUICK)
    assert any(ua.startswith(f"compliance/{__version__} ") for ua in Handler.seen_user_agents)


def test_redirect_is_followed_and_final_url_reported(server: str) -> None:
    fetched = fetch(f"{server}/redirect-once", QUICK)
    assert fetched.final_url == f"{server}/page"
    assert fetched.data == PAGE.encode()


def test_gzip_body_is_decoded(server: str) -> None:
    assert fetch(f"{server}/gzipped", QUICK).data == PAGE.encode()


def test_redirects_up_to_the_limit_are_followed(server: str) -> None:
    fetched = fetch(f"{server}/chain/{CHAIN_END - 5}", QUICK)  # exactly five hops
    assert fetched.final_url == f"{server}/chain/{CHAIN_END}"
    with pytest.raises(FetchError, match="redirects more than 4 times"):
        fetch(f"{server}/chain/{CHAIN_END - 5}", FetchLimits(timeout=0.5, max_redirects=4))


# -- pages refused -------------------------------------------------------------


def test_redirect_chain_longer_than_limit(server: str) -> None:
    with pytest.raises(FetchError, match=r"redirects more than 5 times"):
        fetch(f"{server}/chain/0", QUICK)


def test_redirect_loop(server: str) -> None:
    with pytest.raises(FetchError, match="loop back to .*/loop-a"):
        fetch(f"{server}/loop-a", FetchLimits(timeout=0.5, max_redirects=10))


@pytest.mark.parametrize(("path", "target"), [("/to-file", "file:///etc/passwd"), ("/to-ftp", "ftp://")])
def test_redirect_to_other_schemes_is_refused(server: str, path: str, target: str) -> None:
    with pytest.raises(FetchError, match=f"redirects to {target}.*not an http or https URL"):
        fetch(f"{server}{path}", QUICK)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x.html", "example.org/page"])
def test_non_web_urls_are_refused_before_any_request(url: str) -> None:
    with pytest.raises(FetchError, match="not an http or https URL"):
        fetch(url, QUICK)


def test_body_over_limit_with_content_length_is_refused_early(server: str) -> None:
    with pytest.raises(FetchError, match=r"is 2\.0 MB, over the 1 MB limit"):
        fetch(f"{server}/big-with-length", QUICK)


def test_declared_huge_length_is_refused_without_reading(server: str) -> None:
    with pytest.raises(FetchError, match=r"500\.0 MB, over the 1 MB limit"):
        fetch(f"{server}/huge-length", QUICK)


def test_body_over_limit_without_content_length_is_cut_off(server: str) -> None:
    with pytest.raises(FetchError, match=r"larger than the 1 MB limit"):
        fetch(f"{server}/big-without-length", QUICK)


def test_gzip_bomb_is_cut_off_after_decompression(server: str) -> None:
    assert len(BOMB) < 64 * 1024
    with pytest.raises(FetchError, match=r"larger than the 1 MB limit"):
        fetch(f"{server}/bomb", QUICK)


def test_corrupt_gzip_is_reported(server: str) -> None:
    with pytest.raises(FetchError, match="damaged compressed body"):
        fetch(f"{server}/bad-gzip", QUICK)


def test_slow_server_times_out(server: str) -> None:
    with pytest.raises(FetchError, match=r"timed out after 0\.5 s"):
        fetch(f"{server}/slow", QUICK)


def test_trickling_server_hits_the_overall_deadline(server: str) -> None:
    limits = FetchLimits(timeout=0.2, max_bytes=MB)  # one deadline over connect, headers and body
    with pytest.raises(FetchError, match=r"timed out after 0\.2 s downloading"):
        fetch(f"{server}/trickle", limits)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "HTTP 404 Not Found for {server}/missing"),
        ("/gone", "HTTP 410 Gone for {server}/gone"),
        ("/broken", "HTTP 500 Internal Server Error for {server}/broken"),
    ],
)
def test_http_errors(server: str, path: str, message: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(f"{server}{path}", QUICK)
    assert str(caught.value) == message.format(server=server)


@pytest.mark.parametrize(("path", "media_type"), [("/png", "image/png"), ("/pdf", "application/pdf"), ("/json", "application/json")])
def test_content_types_that_are_not_html(server: str, path: str, media_type: str) -> None:
    with pytest.raises(FetchError, match=f"the server sent {media_type}, not HTML"):
        fetch(f"{server}{path}", QUICK)


def test_connection_refused_is_a_clear_message() -> None:
    import socket

    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="could not connect"):
        fetch(f"http://127.0.0.1:{port}/", QUICK)


def test_importing_fetch_does_not_import_httpx() -> None:
    import subprocess
    import sys

    code = "import sys, compliance.inputs.fetch; print('httpx' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_url_with_control_characters_is_refused() -> None:
    with pytest.raises(FetchError, match="contains control characters"):
        fetch("http://example.org/a\nb", QUICK)

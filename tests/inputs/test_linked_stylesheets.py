"""Linked stylesheets: read beside a page file or from the page's own site, never from anywhere else."""

from __future__ import annotations

import os
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import given, settings
from helpers import loopback_server
from hypothesis import strategies as st

from compliance.inputs.addresses import AddressPolicy
from compliance.inputs.fetch import FetchLimits
from compliance.inputs.stylesheets import MAX_SHEET_BYTES, file_loader, url_loader
from compliance.text.urls import site_of_host

CSS = b".mark { display: none }"


@pytest.fixture()
def page(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    (folder / "css").mkdir(parents=True)
    (folder / "css" / "main.css").write_bytes(CSS)
    (tmp_path / "outside.css").write_bytes(b"secret { }")
    path = folder / "story.html"
    path.write_text("<html></html>")
    return path


def test_a_stylesheet_beside_the_page_is_read(page: Path) -> None:
    assert file_loader(str(page))("css/main.css") == ("css/main.css", CSS)


@pytest.mark.parametrize("href", [
    "../outside.css",  # out of the page's folder
    "css/../../outside.css",
    "/css/main.css",  # from a web root the checker does not know
    "https://cdn.example.com/main.css",  # a URL: a file page never causes a request
    "//cdn.example.com/main.css",
    "css/missing.css",
    "story.html",  # not a stylesheet
    "http://[type=\"text\"/main.css",  # a malformed bracketed host, as a mutated page wrote it
])
def test_nothing_else_is_read_for_a_file_page(page: Path, href: str) -> None:
    assert file_loader(str(page))(href) is None


def test_a_link_out_of_the_folder_is_not_followed(page: Path, tmp_path: Path) -> None:
    (page.parent / "css" / "linked.css").symlink_to(tmp_path / "outside.css")
    assert file_loader(str(page))("css/linked.css") is None


def test_a_fifo_or_an_oversized_sheet_is_not_read(page: Path) -> None:
    os.mkfifo(page.parent / "css" / "pipe.css")
    (page.parent / "css" / "big.css").write_bytes(b" " * (MAX_SHEET_BYTES + 1))
    load = file_loader(str(page))
    assert load("css/pipe.css") is None  # returns at once: a pipe would block a reader forever
    assert load("css/big.css") is None


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_any_href_is_answered_without_raising(href: str) -> None:
    here = Path(__file__)
    file_loader(str(here))(href)
    url_loader("https://news.example.com/story", FetchLimits(timeout=0.1))("data:," + href)  # never fetched


@pytest.mark.parametrize("host, site", [
    ("static.example.com", "example.com"),
    ("news.example.co.uk", "example.co.uk"),
    ("example.com", "example.com"),
    ("127.0.0.1", "127.0.0.1"),
    ("10.0.0.1", "10.0.0.1"),
    ("::1", "::1"),
])
def test_the_site_of_a_host(host: str, site: str) -> None:
    assert site_of_host(host) == site


class _Sheets(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    asked: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self.asked.append(self.path)
        if self.path == "/main.css":
            body = CSS
        elif self.path == "/away.css":
            self.send_response(302)
            self.send_header("Location", "http://localhost.invalid/main.css")
            self.end_headers()
            return
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def site() -> Iterator[str]:
    with loopback_server(_Sheets) as url:
        yield url


def test_a_url_page_reads_stylesheets_of_its_own_site_only(site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    limits = FetchLimits(timeout=2.0, addresses=AddressPolicy.everything())
    load = url_loader(f"{site}/story", limits)
    assert load("/main.css") == (f"{site}/main.css", CSS)
    assert load("/missing.css") is None
    assert load("/away.css") is None  # a redirect off the site is not followed
    assert load("http://10.0.0.1/main.css") is None  # another host, never contacted


def test_pages_of_one_site_fetch_a_shared_stylesheet_once(site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    limits = FetchLimits(timeout=2.0, addresses=AddressPolicy.everything())
    _Sheets.asked.clear()
    for n in range(5):  # five pages of the site, each linking the same sheet and a missing one
        load = url_loader(f"{site}/story-{n}", limits)
        assert load("/main.css") == (f"{site}/main.css", CSS)
        assert load("/gone.css") is None
    assert sorted(_Sheets.asked) == ["/gone.css", "/main.css"]


# -- which sheets a page links, read from its bytes by the fetch stage ---------------------------------------


def _asked_by_the_checker(html: bytes) -> list[str]:
    """The hrefs the page model's stylesheet collection asks its loader for, as a check by URL does."""
    from compliance.document.page import Page
    from compliance.document.styles.collect import collect
    from compliance.inputs.decode import decode_html

    asked: list[str] = []

    def load(href: str) -> None:
        asked.append(href)

    decoded = decode_html(html, None)
    collect(Page(decoded.text, encoding=decoded.encoding, utf8=decoded.utf8).root, load)
    return asked


_HREF = st.sampled_from(["site.css", "/css/a.css", " b.css?x=1&amp;y=2 ", "//static.example.com/c.css",
                         "d.css#x", "e%20f.css", "q>.css"])
_REL = st.sampled_from(["stylesheet", "Stylesheet", "STYLESHEET preload", "alternate stylesheet", "icon",
                        "preload", "stylesheet alternate"])


@st.composite
def _link(draw) -> str:
    quote = draw(st.sampled_from(['"', "'", ""]))
    href = draw(_HREF)
    if not quote and (" " in href or ">" in href):
        quote = '"'
    attrs = [f"rel={quote or chr(34)}{draw(_REL)}{quote or chr(34)}", f"href={quote}{href}{quote}"]
    attrs += draw(st.lists(st.sampled_from(["disabled", "media='screen'", "type=text/css", "title=\"a>b\""]),
                           max_size=2))
    order = draw(st.permutations(attrs))
    tag = draw(st.sampled_from(["link", "LINK", "Link"]))
    return f"<{tag} {' '.join(order)}{draw(st.sampled_from(['>', ' />', '/>']))}"


@st.composite
def _fragment(draw) -> str:
    inner = "".join(draw(st.lists(_link(), min_size=1, max_size=3)))
    wrap = draw(st.sampled_from([
        "{}", "<div>{}</div>", "<!-- {} -->", "<!--[if IE]>{}<![endif]-->", "<!--[if !IE]><!-->{}<!--<![endif]-->",
        "<script>var s = '{}';</script>", "<SCRIPT type=text/template>{}</SCRIPT>", "<style>/* {} */</style>",
        "<noscript>{}</noscript>", "<template>{}</template>", "<p>text</p>{}", "<!---->{}", "<script>x</script>{}",
    ]))
    return wrap.replace("{}", inner)


@given(st.lists(_fragment(), min_size=1, max_size=6), st.booleans())
@settings(max_examples=200, deadline=None)
def test_the_fetch_stage_reads_the_same_links_as_the_page_model(fragments: list[str], in_body: bool) -> None:
    from compliance.inputs.stylesheets import linked_hrefs

    links = "".join(fragments)
    head, body = ("", links) if in_body else (links, "")
    html = f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body><h1>Story</h1>{body}<p>x</p></body></html>"
    assert linked_hrefs(html.encode()) == _asked_by_the_checker(html.encode())


@pytest.mark.slow
def test_the_fetch_stage_reads_the_same_links_as_the_page_model_on_real_pages() -> None:
    from compliance.inputs.stylesheets import linked_hrefs

    corpus = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "realworld"
    pages = sorted(corpus.glob("*/*.html"))
    if not pages:
        pytest.skip(f"{corpus} is absent (the shared real-world corpus)")
    differ = [p.name for p in pages if linked_hrefs(p.read_bytes()) != _asked_by_the_checker(p.read_bytes())]
    assert differ == []


def test_a_utf16_page_is_read_for_its_links_too() -> None:
    from compliance.inputs.stylesheets import linked_hrefs

    html = "<html><head><link rel=stylesheet href='ü.css'></head><body><p>x</p></body></html>"
    assert linked_hrefs(html.encode("utf-16")) == ["ü.css"] == _asked_by_the_checker(html.encode("utf-16"))
    without_bom = html.encode("utf-16-le")  # read as the decoder reads it, whatever that makes of it
    assert linked_hrefs(without_bom) == _asked_by_the_checker(without_bom)

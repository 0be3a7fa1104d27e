"""From command-line arguments to page bytes: every argument must come back as a result."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

import compliance.inputs.fetch as fetching
from compliance.inputs.fetch import Fetched, FetchError, FetchLimits
from compliance.inputs.sources import (
    HTML_SUFFIXES,
    PageInput,
    RawPage,
    expand_inputs,
    read_input,
)

HTML = b"<!DOCTYPE html><html><body><p>hello</p></body></html>"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small tree of pages, hidden folders and non-HTML files; cwd is its root."""
    files = [
        "a.html",
        "b.htm",
        "notes.txt",
        "logo.png",
        "sub/c.html",
        "sub/deeper/d.HTML",
        "sub/style.css",
        ".git/e.html",
        "sub/.cache/f.html",
        ".hidden.html",
        "empty/readme.md",
    ]
    for name in files:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(HTML)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def sources_of(inputs: list[PageInput]) -> list[str]:
    return [inp.source for inp in inputs]


# -- expand_inputs --------------------------------------------------------------


def test_directory_is_expanded_recursively_and_sorted(site: Path) -> None:
    inputs = expand_inputs(["."])
    assert inputs == [
        PageInput(os.path.join(".", "a.html"), "file"),
        PageInput(os.path.join(".", "b.htm"), "file"),
        PageInput(os.path.join(".", "sub", "c.html"), "file"),
        PageInput(os.path.join(".", "sub", "deeper", "d.HTML"), "file"),
    ]


def test_directory_given_by_absolute_path(site: Path) -> None:
    assert sources_of(expand_inputs([str(site / "sub")])) == [
        str(site / "sub" / "c.html"),
        str(site / "sub" / "deeper" / "d.HTML"),
    ]


def test_directory_without_pages_is_missing(site: Path) -> None:
    assert expand_inputs(["empty"]) == [PageInput("empty", "missing")]


def test_named_file_is_taken_whatever_its_suffix(site: Path) -> None:
    assert expand_inputs(["notes.txt", "sub/style.css"]) == [
        PageInput("notes.txt", "file"),
        PageInput("sub/style.css", "file"),
    ]


def test_glob_pattern(site: Path) -> None:
    assert sources_of(expand_inputs(["*.htm*"])) == ["a.html", "b.htm"]


def test_recursive_glob_skips_hidden_folders(site: Path) -> None:
    assert sources_of(expand_inputs(["**/*.html"])) == ["a.html", "sub/c.html"]


def test_glob_matching_only_folders_is_missing(site: Path) -> None:
    assert expand_inputs(["su?"]) == [PageInput("su?", "missing")]


def test_glob_matching_nothing_is_missing(site: Path) -> None:
    assert expand_inputs(["nothing/*.html"]) == [PageInput("nothing/*.html", "missing")]


def test_missing_path_is_kept_in_order(site: Path) -> None:
    inputs = expand_inputs(["a.html", "typo.html", "b.htm"])
    assert inputs == [
        PageInput("a.html", "file"),
        PageInput("typo.html", "missing"),
        PageInput("b.htm", "file"),
    ]


def test_urls_and_stdin(site: Path) -> None:
    inputs = expand_inputs(["https://example.org/a", "-", "HTTP://EXAMPLE.ORG/B", "-"])
    assert inputs == [
        PageInput("https://example.org/a", "url"),
        PageInput("-", "stdin"),
        PageInput("HTTP://EXAMPLE.ORG/B", "url"),
    ]


def test_duplicates_are_dropped_keeping_first_position(site: Path) -> None:
    inputs = expand_inputs(["b.htm", "*.html", "a.html", "./a.html", "b.htm", "https://x.org/", "https://x.org/"])
    assert inputs == [
        PageInput("b.htm", "file"),
        PageInput("a.html", "file"),
        PageInput("https://x.org/", "url"),
    ]


def test_user_order_across_arguments(site: Path) -> None:
    assert sources_of(expand_inputs(["sub", "a.html"])) == [
        os.path.join("sub", "c.html"),
        os.path.join("sub", "deeper", "d.HTML"),
        "a.html",
    ]


def test_file_named_like_a_glob_is_a_file(site: Path) -> None:
    (site / "odd[1].html").write_bytes(HTML)
    assert expand_inputs(["odd[1].html"]) == [PageInput("odd[1].html", "file")]


def test_html_suffixes() -> None:
    assert HTML_SUFFIXES == (".html", ".htm")


# -- read_input: files ---------------------------------------------------------------


def test_read_file(site: Path) -> None:
    assert read_input(PageInput("a.html", "file")) == RawPage("a.html", HTML)


def test_read_missing_file(site: Path) -> None:
    page = read_input(PageInput("gone.html", "file"))
    assert page == RawPage("gone.html", None, error="the file does not exist")


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("typo.html", "no such file or directory"),
        ("empty", "the directory contains no .html or .htm pages"),
        ("nothing/*.html", "the pattern matches no files"),
        ("ftp://example.org/page.html", "ftp:// addresses are not supported; use http or https"),
    ],
)
def test_read_missing_input_explains_why(site: Path, source: str, error: str) -> None:
    [inp] = expand_inputs([source])
    assert read_input(inp) == RawPage(source, None, error=error)


def test_read_directory_as_file(site: Path) -> None:
    page = read_input(PageInput("sub", "file"))
    assert page.data is None
    assert page.error == "the path is a directory, not a page"


def test_read_oversized_file_is_refused_by_size(site: Path) -> None:
    (site / "big.html").write_bytes(b"<p>" + b"x" * (3 * 1024 * 1024 + 200_000))
    page = read_input(PageInput("big.html", "file"), max_bytes=1024 * 1024)
    assert page.data is None
    assert page.error == "the file is 3.2 MB, over the 1 MB limit"


def test_size_just_over_the_limit_shows_enough_digits(site: Path) -> None:
    (site / "edge.html").write_bytes(b"<p>" + b"x" * (10 * 1024 * 1024 - 2))
    page = read_input(PageInput("edge.html", "file"))
    assert page.error == "the file is 10.000001 MB, over the 10 MB limit"


def test_read_binary_file(site: Path) -> None:
    (site / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    page = read_input(PageInput("logo.png", "file"))
    assert page == RawPage("logo.png", None, error="the file is a PNG image, not HTML")


def test_read_file_with_nul_bytes(site: Path) -> None:
    (site / "blob.html").write_bytes(b"\x00\x01\x02\x03" * 100)
    assert read_input(PageInput("blob.html", "file")).error == (
        "the file is binary data (it contains NUL bytes), not HTML"
    )


def test_read_empty_file(site: Path) -> None:
    (site / "empty.html").write_bytes(b"")
    assert read_input(PageInput("empty.html", "file")) == RawPage("empty.html", None, error="the page is empty")


def test_read_text_without_markup(site: Path) -> None:
    (site / "notes.txt").write_text("just some notes\n")
    page = read_input(PageInput("notes.txt", "file"))
    assert page == RawPage("notes.txt", None, error="the file contains no HTML markup")


def test_permission_denied(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    import compliance.inputs.files

    monkeypatch.setattr(compliance.inputs.files.os, "open", refuse)
    page = read_input(PageInput("a.html", "file"))
    assert page == RawPage("a.html", None, error="permission denied reading the file")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_permission_denied_for_real(site: Path) -> None:
    (site / "a.html").chmod(0)
    try:
        assert read_input(PageInput("a.html", "file")).error == "permission denied reading the file"
    finally:
        (site / "a.html").chmod(0o644)


# -- read_input: stdin -------------------------------------------------------------


def test_read_stdin() -> None:
    page = read_input(PageInput("-", "stdin"), stdin=io.BytesIO(HTML))
    assert page == RawPage("-", HTML)


def test_read_stdin_over_limit() -> None:
    page = read_input(PageInput("-", "stdin"), max_bytes=1024 * 1024, stdin=io.BytesIO(b"<p>" * 400_000))
    assert page == RawPage("-", None, error="standard input is larger than the 1 MB limit")


def test_read_empty_stdin() -> None:
    page = read_input(PageInput("-", "stdin"), stdin=io.BytesIO(b"\n"))
    assert page.error == "the page is empty"


# -- read_input: URLs (the fetcher itself is tested against a local server) -----


def test_read_url_passes_limits_and_keeps_charset(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake_fetch(url: str, limits: FetchLimits) -> Fetched:
        calls.append((url, limits))
        return Fetched(HTML, "iso-8859-1", "https://example.org/final", 200, "text/html")

    monkeypatch.setattr(fetching, "fetch", fake_fetch)
    page = read_input(PageInput("https://example.org/", "url"), max_bytes=1234)
    assert page == RawPage(
        "https://example.org/", HTML, http_charset="iso-8859-1", final_url="https://example.org/final"
    )
    assert calls == [("https://example.org/", FetchLimits(max_bytes=1234))]

    explicit = FetchLimits(timeout=1.0)
    read_input(PageInput("https://example.org/", "url"), limits=explicit)
    assert calls[-1][1] is explicit


def test_read_url_turns_fetch_errors_into_error_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_fetch(url: str, limits: FetchLimits) -> Fetched:
        raise FetchError(f"HTTP 404 Not Found for {url}")

    monkeypatch.setattr(fetching, "fetch", failing_fetch)
    page = read_input(PageInput("https://example.org/x", "url"))
    assert page == RawPage("https://example.org/x", None, error="HTTP 404 Not Found for https://example.org/x")


def test_read_url_that_is_not_html(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        fetching, "fetch", lambda url, limits: Fetched(b"%PDF-1.4", None, url, 200, None)
    )
    page = read_input(PageInput("https://example.org/doc", "url"))
    assert page.error == "the file is a PDF document, not HTML"
    assert page.final_url == "https://example.org/doc"

"""WARC archives: every HTML 2xx response is a page, named by its target URI, decoded by its HTTP charset."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from warc_kit import request_record, response_record, write_warc

from compliance.inputs.sources import PageInput, expand_inputs, iter_pages, read_input
from compliance.inputs.warc import read_record, warc_pages

LATIN = "<html><body><p>Caf\u00e9 cr\u00e8me</p></body></html>".encode("latin-1")


def records() -> list[bytes]:
    return [request_record("https://r.test/a"),
            response_record("https://r.test/a", LATIN, "text/html; charset=iso-8859-1"),
            response_record("https://r.test/logo.png", b"\x89PNG", "image/png"),
            response_record("https://r.test/gone", b"<html>gone</html>", status="404 Not Found"),
            response_record("https://r.test/gz", gzip.compress(b"<html><p>zipped</p></html>"),
                            extra_headers="Content-Encoding: gzip\r\n"),
            response_record("https://r.test/untyped", b"<!DOCTYPE html><p>no type</p>", content_type=None)]


@pytest.fixture(params=["fastwarc", "warcio"])
def reader(request, monkeypatch):
    """Both readers give the same pages: FastWARC (the warc extra) and warcio (always installed)."""
    if request.param == "warcio":
        import builtins

        real = builtins.__import__

        def no_fastwarc(name, *args, **kwargs):
            if name.startswith("fastwarc"):
                raise ImportError(name)
            return real(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", no_fastwarc)
    return request.param


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_html_responses_are_pages_with_uri_charset_and_offset(tmp_path: Path, name: str, reader: str) -> None:
    path = write_warc(tmp_path / name, records())
    pages = list(warc_pages(str(path), 10_000))
    assert [p.target_uri for p in pages] == ["https://r.test/a", "https://r.test/gz", "https://r.test/untyped"]
    assert pages[0].http_charset == "iso-8859-1" and pages[0].data == LATIN
    assert pages[1].data == b"<html><p>zipped</p></html>"  # the HTTP content encoding is undone
    again = read_record(str(path), pages[1].offset, 10_000)
    assert again is not None and again.data == pages[1].data and again.offset == pages[1].offset


def test_archives_expand_lazily_into_page_references_that_read_back(tmp_path: Path, reader: str) -> None:
    path = write_warc(tmp_path / "c.warc.gz", records())
    (archive,) = expand_inputs([str(path)])
    assert archive.kind == "archive"
    items = list(iter_pages([archive]))
    refs = [inp for inp, _ in items]
    assert [r.kind for r in refs] == ["warc"] * 3 and all(r.warc == str(path) for r in refs)
    first_ref, first_raw = items[0]
    assert first_raw.http_charset == "iso-8859-1"
    assert read_input(PageInput(first_ref.source, "warc", warc=first_ref.warc, offset=first_ref.offset)).data == LATIN


def test_oversized_records_and_broken_archives_are_errors_not_crashes(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "c.warc", records())
    assert [p.error for p in warc_pages(str(path), 10)][0].startswith("the archived page is larger")
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(b"\x1f\x8b not really gzip")
    (only,) = list(iter_pages(expand_inputs([str(broken)])))
    assert only[0].kind == "missing" and "WARC" in read_input(only[0]).error

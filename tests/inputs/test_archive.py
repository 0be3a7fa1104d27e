"""WARC records replay exactly the bytes that were checked, with the exchange's headers and time."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator

from compliance.inputs.archive import ArchiveWriter, build_records, read_record
from compliance.inputs.fetch import Exchange

WHEN = "2026-12-01T10:00:00.123456Z"


def exchange(headers: tuple[tuple[str, str], ...] = ()) -> Exchange:
    return Exchange(fetched_at=WHEN, status=200, http_version="HTTP/1.1", reason="OK",
                    headers=(("Content-Type", "text/html; charset=utf-8"), *headers),
                    request_headers=(("User-Agent", "compliance/test"), ("Accept", "text/html")))


def records_of(data: bytes) -> list[tuple[str, dict[str, str], bytes, bool]]:
    out = []
    for record in ArchiveIterator(io.BytesIO(data), check_digests=True):
        payload = record.content_stream().read()
        out.append((record.rec_type, dict(record.rec_headers.headers), payload, record.digest_checker.passed))
    return out


@settings(max_examples=50)
@given(body=st.binary(max_size=3000), encoding=st.sampled_from(["gzip", "br", "gzip, gzip"]))
def test_a_fetched_page_replays_byte_for_byte(body: bytes, encoding: str) -> None:
    rec = build_records("https://site.example/story?id=1", body, WHEN,
                        exchange((("Content-Encoding", encoding), ("Transfer-Encoding", "chunked"),
                                  ("Content-Length", "17"))))
    (kind, headers, payload, ok), (kind2, headers2, _, ok2) = records_of(rec.data)
    assert (kind, kind2) == ("response", "request") and ok is True and ok2 is True
    assert payload == body
    assert headers["WARC-Date"] == WHEN and headers["WARC-Target-URI"] == "https://site.example/story?id=1"
    assert headers2["WARC-Concurrent-To"] == headers["WARC-Record-ID"] == rec.record_id
    assert len(rec.data[:rec.length]) == rec.length and records_of(rec.data[:rec.length])[0][2] == body


def test_the_response_keeps_its_headers_and_notes_the_decoded_encoding() -> None:
    rec = build_records("https://site.example/a", b"<p>hi</p>", WHEN, exchange((("Content-Encoding", "gzip"),)))
    record = next(ArchiveIterator(io.BytesIO(rec.data)))
    http = record.http_headers
    assert http.get_statuscode() == "200"
    assert http.get_header("Content-Type") == "text/html; charset=utf-8"
    assert http.get_header("Content-Encoding") is None and http.get_header("X-Archive-Orig-Content-Encoding") == "gzip"
    assert http.get_header("Content-Length") == "9"
    request = list(ArchiveIterator(io.BytesIO(rec.data)))[1]
    assert request.http_headers.protocol == "GET" and request.http_headers.statusline.startswith("/a HTTP/1.1")
    assert request.http_headers.get_header("Host") == "site.example"
    assert request.http_headers.get_header("User-Agent") == "compliance/test"


def test_a_file_is_a_resource_record() -> None:
    rec = build_records("file:///srv/site/a.html", b"<p>file</p>", WHEN)
    [(kind, headers, payload, _)] = records_of(rec.data)
    assert (kind, headers["WARC-Target-URI"], headers["Content-Type"], payload) == (
        "resource", "file:///srv/site/a.html", "text/html", b"<p>file</p>")


def test_the_archive_starts_with_warcinfo_and_offsets_find_each_page(tmp_path: Path) -> None:
    path = str(tmp_path / "run.warc.gz")
    writer = ArchiveWriter(path, "9.9")
    pages = [(f"https://site.example/{i}", f"<p>page {i}</p>".encode() * (i + 1)) for i in range(3)]
    where = [writer.append(build_records(url, body, WHEN, exchange())) for url, body in pages]
    writer.close()
    assert records_of(Path(path).read_bytes())[0][0] == "warcinfo"
    assert b"compliance/9.9" in records_of(Path(path).read_bytes())[0][2]
    for (url, body), (offset, _) in zip(pages, where):
        replayed = read_record(path, offset)
        assert replayed.payload == body and replayed.headers["WARC-Target-URI"] == url
        assert [r[0] for r in records_of(replayed.raw)] == ["response", "request"]
    ArchiveWriter(path, "9.9").close()  # reopened: appends, no second warcinfo
    assert [r[0] for r in records_of(Path(path).read_bytes())].count("warcinfo") == 1

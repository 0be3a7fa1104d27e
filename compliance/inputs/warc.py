"""Pages inside WARC crawl archives (``*.warc``, ``*.warc.gz``), read with FastWARC.

Every ``response`` record whose HTTP status is 2xx and whose body is HTML (by
its Content-Type, or by its bytes when it has none) is a page. Its source is
the record's ``WARC-Target-URI``; its charset comes from the HTTP headers,
exactly as for a fetched page; transfer and content encodings are undone by
FastWARC. Each page keeps where it came from (file and byte offset of the
record), so a results store can point back into the archive. Records are
read one at a time, so an archive of any size is read in constant memory;
a body over ``max_bytes`` becomes an error for that page only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

__all__ = ["WarcPage", "WARC_SUFFIXES", "is_warc_name", "read_record", "warc_pages"]

WARC_SUFFIXES = (".warc", ".warc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class WarcPage:
    """One HTML response in an archive: ``data`` is None and ``error`` says why when it is unusable."""

    target_uri: str
    offset: int
    data: bytes | None
    http_charset: str | None = None
    error: str | None = None


def is_warc_name(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES)


def warc_pages(path: str, max_bytes: int) -> Iterator[WarcPage]:
    """Every HTML response record of the archive at ``path``, in file order."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    with open(path, "rb") as handle:
        records = ArchiveIterator(handle, record_types=WarcRecordType.response, parse_http=True,
                                  auto_decode="all", fsspec_args=False)
        for record in records:
            page = _page(record, max_bytes)
            if page is not None:
                yield page


def read_record(path: str, offset: int, max_bytes: int) -> WarcPage | None:
    """The page in the record starting at ``offset`` (a reference kept by an earlier run), or None."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    with open(path, "rb") as handle:
        handle.seek(offset)
        for record in ArchiveIterator(handle, record_types=WarcRecordType.response, parse_http=True,
                                      auto_decode="all", fsspec_args=False):
            return _page(record, max_bytes)
    return None


def _page(record, max_bytes: int) -> WarcPage | None:
    http = record.http_headers
    if http is None or not 200 <= http.status_code < 300:
        return None
    content_type = (record.http_content_type or "").lower() or None
    if content_type is not None and content_type not in _HTML_TYPES:
        return None
    uri = record.headers.get("WARC-Target-URI", "").strip("<> ")
    offset = record.stream_pos  # absolute, even after a seek; for .warc.gz the gzip member's start
    data = record.reader.read(max_bytes + 1)
    if len(data) > max_bytes:
        return WarcPage(uri, offset, None, error=f"the archived page is larger than the "
                                                 f"{max_bytes / 1024 / 1024:g} MB limit")
    return WarcPage(uri, offset, data, http_charset=record.http_charset)

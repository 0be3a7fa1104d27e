"""Pages inside WARC crawl archives (``*.warc``, ``*.warc.gz``), read with FastWARC (or warcio without it).

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
from compliance.inputs.files import open_regular

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
    with open_regular(path) as handle:  # a named pipe or a device is refused, never waited on
        yield from _pages(handle, max_bytes)


def read_record(path: str, offset: int, max_bytes: int) -> WarcPage | None:
    """The page in the record starting at ``offset`` (a reference kept by an earlier run), or None."""
    with open_regular(path) as handle:
        handle.seek(offset)
        return next(_pages(handle, max_bytes, first_only=True), None)


def _pages(handle, max_bytes: int, first_only: bool = False) -> Iterator[WarcPage]:
    """FastWARC when installed (the ``warc`` extra: several times faster), else warcio."""
    try:
        from fastwarc.warc import ArchiveIterator, WarcRecordType
    except ImportError:
        yield from _pages_warcio(handle, max_bytes, first_only)
        return
    for record in ArchiveIterator(handle, record_types=WarcRecordType.response, parse_http=True,
                                  auto_decode="all", fsspec_args=False):
        page = _page(record, max_bytes)
        if page is not None:
            yield page
        if first_only:
            return


def _pages_warcio(handle, max_bytes: int, first_only: bool) -> Iterator[WarcPage]:
    from warcio.archiveiterator import ArchiveIterator

    from compliance.inputs.fetch import _charset_param, _media_type

    records = ArchiveIterator(handle)
    for record in records:
        if record.rec_type != "response":
            if first_only:
                return
            continue
        http = record.http_headers
        content_type = http.get_header("Content-Type") if http is not None else None
        media_type = _media_type(content_type)
        ok = http is not None and (http.get_statuscode() or "").startswith("2")
        if ok and (media_type is None or media_type in _HTML_TYPES):
            uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")
            data = record.content_stream().read(max_bytes + 1)
            offset = records.get_record_offset()  # only after the read: asking first empties the stream
            if len(data) > max_bytes:
                yield WarcPage(uri, offset, None, error=_too_large(max_bytes))
            else:
                yield WarcPage(uri, offset, data, http_charset=_charset_param(content_type))
        if first_only:
            return


def _too_large(max_bytes: int) -> str:
    return f"the archived page is larger than the {max_bytes / 1024 / 1024:g} MB limit"


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
        return WarcPage(uri, offset, None, error=_too_large(max_bytes))
    return WarcPage(uri, offset, data, http_charset=record.http_charset)

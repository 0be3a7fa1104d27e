"""The pages a run read, as standard WARC records: written with ``--archive``, read back for evidence.

Records are built where the page was read (this process, a worker process, a
Dask worker) as finished gzip members, and the one process that owns the
archive file appends them, so the file has one writer and each record's
offset is known, as a CDX index would give it.

A page fetched over HTTP becomes a ``response`` record (status line, headers,
body) followed by the ``request`` that asked for it (``WARC-Concurrent-To``);
a local file or standard input becomes a ``resource`` record. The body is
the decoded one, the bytes the checker read: the response's
``Content-Encoding`` and ``Transfer-Encoding`` are kept as
``X-Archive-Orig-…`` headers, the way crawlers record them, and
``Content-Length`` is the body's, so a replay (pywb, warcio, ReplayWeb.page)
gives exactly the bytes that were checked. warcio is imported only here.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

__all__ = ["ArchiveWriter", "Record", "Replayed", "build_records", "file_uri", "read_record"]

# Replaced by the record's own (decoded) framing; the originals are kept under X-Archive-Orig-.
_REFRAMED = frozenset({"content-encoding", "transfer-encoding", "content-length"})
_ORIGINAL = "X-Archive-Orig-"


@dataclass(frozen=True)
class Record:
    """A page's records, ready to append: ``data`` starts with the page's own record, ``length`` long."""

    data: bytes
    length: int
    record_id: str


def _writer(out: IO[bytes]) -> Any:
    from warcio.warcwriter import WARCWriter

    return WARCWriter(out, gzip=True, warc_version="1.1")


def build_records(target: str, body: bytes, when: str, exchange: Any = None) -> Record:
    """The records of one page: ``exchange`` (an ``inputs.fetch.Exchange``) for HTTP, else a resource."""
    from warcio.statusandheaders import StatusAndHeaders

    out = io.BytesIO()
    writer = _writer(out)
    dated = {"WARC-Date": when}
    if exchange is None:
        main = writer.create_warc_record(target, "resource", payload=io.BytesIO(body), length=len(body),
                                         warc_content_type="text/html", warc_headers_dict=dated)
        writer.write_record(main)
        return Record(out.getvalue(), out.tell(), main.rec_headers.get_header("WARC-Record-ID"))
    headers = [(k, v) for k, v in exchange.headers if k.lower() not in _REFRAMED]
    headers += [(_ORIGINAL + k, v) for k, v in exchange.headers
                if k.lower() in _REFRAMED and k.lower() != "content-length"]
    headers.append(("Content-Length", str(len(body))))
    protocol = exchange.http_version or "HTTP/1.1"
    status = StatusAndHeaders(f"{exchange.status} {exchange.reason}".strip(), headers, protocol=protocol)
    main = writer.create_warc_record(target, "response", payload=io.BytesIO(body), length=len(body),
                                     http_headers=status, warc_headers_dict=dated)
    writer.write_record(main)
    length = out.tell()
    parts = urlsplit(target)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = list(exchange.request_headers)
    if not any(k.lower() == "host" for k, _ in sent):
        sent.insert(0, ("Host", parts.netloc))
    request = StatusAndHeaders(f"{exchange.method} {path} {protocol}", sent, is_http_request=True)
    record_id = main.rec_headers.get_header("WARC-Record-ID")
    writer.write_record(writer.create_warc_record(
        target, "request", payload=io.BytesIO(b""), length=0, http_headers=request,
        warc_headers_dict={**dated, "WARC-Concurrent-To": record_id}))
    return Record(out.getvalue(), length, record_id)


def file_uri(path: str) -> str:
    return Path(path).resolve().as_uri()


class ArchiveWriter:
    """Appends records to one WARC file for the whole run, after a ``warcinfo`` record naming the tool."""

    def __init__(self, path: str, tool_version: str):
        self.path = path
        try:
            self.handle = open(path, "ab")
        except OSError as exc:
            from compliance.errors import UsageError

            raise UsageError(f"cannot write the archive {path}: {exc.strerror or exc}") from None
        if self.handle.tell() == 0:
            writer = _writer(self.handle)
            writer.write_record(writer.create_warcinfo_record(os.path.basename(path), {
                "software": f"compliance/{tool_version}",
                "format": "WARC File Format 1.1",
                "description": "Pages as compliance read and checked them",
            }))

    def append(self, record: Record) -> tuple[int, int]:
        """Write a page's records; return (offset, length) of its main record."""
        offset = self.handle.tell()
        self.handle.write(record.data)
        self.handle.flush()
        return offset, record.length

    def close(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()


@dataclass(frozen=True)
class Replayed:
    """A record read back: its WARC headers, its payload as a replay gives it, and its raw bytes."""

    headers: dict[str, str]
    payload: bytes
    raw: bytes  # the gzip members of the record and of the request that asked for it


def read_record(path: str, offset: int) -> Replayed:
    """The record at ``offset`` of ``path`` (and, for a response, the request concurrent to it)."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as handle:
        handle.seek(offset)
        records = ArchiveIterator(handle)
        record = next(records)
        headers = dict(record.rec_headers.headers)
        payload = record.content_stream().read()
        records.read_to_end(record)
        length = records.get_record_length()
        following = next(records, None)
        if (following is not None and following.rec_type == "request"
                and following.rec_headers.get_header("WARC-Concurrent-To") == headers.get("WARC-Record-ID")):
            records.read_to_end(following)
            length += records.get_record_length()
        handle.seek(offset)
        return Replayed(headers, payload, handle.read(length))

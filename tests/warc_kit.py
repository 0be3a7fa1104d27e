"""Build WARC files in tests, by hand (the format is a few headers per record), plain or one gzip member a record."""

from __future__ import annotations

import gzip
import uuid
from pathlib import Path


def response_record(uri: str, body: bytes, content_type: str | None = "text/html; charset=utf-8",
                    status: str = "200 OK", extra_headers: str = "") -> bytes:
    http = f"HTTP/1.1 {status}\r\n"
    if content_type:
        http += f"Content-Type: {content_type}\r\n"
    http += f"Content-Length: {len(body)}\r\n{extra_headers}\r\n"
    return _record("response", uri, http.encode() + body, "application/http; msgtype=response")


def request_record(uri: str) -> bytes:
    return _record("request", uri, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "application/http; msgtype=request")


def _record(kind: str, uri: str, block: bytes, content_type: str) -> bytes:
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(block)}\r\n\r\n")
    return head.encode() + block + b"\r\n\r\n"


def write_warc(path: Path, records: list[bytes]) -> Path:
    gz = path.name.endswith(".gz")
    path.write_bytes(b"".join(gzip.compress(r) if gz else r for r in records))
    return path

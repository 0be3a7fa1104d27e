"""An on-disk cache of fetched pages, revalidated on every use (``--cache DIR``).

A re-audit should download only what changed, yet never trust a page it has
not asked about: every cached URL is requested again with ``If-None-Match`` /
``If-Modified-Since``, and a ``304 Not Modified`` answer is served from the
cache. (An RFC 9111 cache such as hishel would instead serve "fresh" copies
without asking and keep nothing that lacks cache headers, which is the wrong
trade for an audit.) Pages without an ``ETag`` or ``Last-Modified`` are not
stored: they cannot be revalidated. One SQLite file, stdlib only.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from compliance.inputs.fetch import Fetched

__all__ = ["PageCache"]

_SCHEMA = """CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, http_charset TEXT,
    final_url TEXT, content_type TEXT, body BLOB)"""


class PageCache:
    """Validators and bodies by URL; safe to use from one thread at a time (the fetch loop's)."""

    def __init__(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "pages.sqlite"
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute(_SCHEMA)
        self._lock = threading.Lock()

    def conditional_headers(self, url: str) -> dict[str, str]:
        with self._lock:
            row = self._db.execute("SELECT etag, last_modified FROM pages WHERE url = ?", (url,)).fetchone()
        if row is None:
            return {}
        headers = {}
        if row[0]:
            headers["If-None-Match"] = row[0]
        if row[1]:
            headers["If-Modified-Since"] = row[1]
        return headers

    def cached(self, url: str) -> Fetched | None:
        with self._lock:
            row = self._db.execute("SELECT etag, last_modified, http_charset, final_url, content_type, body "
                                   "FROM pages WHERE url = ?", (url,)).fetchone()
        if row is None:
            return None
        validators = {k: v for k, v in (("etag", row[0]), ("last-modified", row[1])) if v}
        return Fetched(data=row[5], http_charset=row[2], final_url=row[3], status=200, content_type=row[4],
                       validators=validators, from_cache=True)

    def store(self, url: str, page: Fetched) -> None:
        if page.from_cache or not page.validators:
            return
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (url, page.validators.get("etag"), page.validators.get("last-modified"),
                              page.http_charset, page.final_url, page.content_type, page.data))

    def close(self) -> None:
        with self._lock:
            self._db.close()

"""Reading a page's linked stylesheets, within limits: what ``<link rel=stylesheet>`` may make the checker read.

For a page read from a file, a relative ``href`` names a file beside it on disk: read when it exists,
is a ``.css`` file and is no larger than ``MAX_SHEET_BYTES``; nothing is fetched. For a page fetched
from a URL, a stylesheet on the same site (the page's host, or another host of the same domain such
as ``static.example.com`` for ``www.example.com``) is fetched under the page's own time, size and
redirect limits, and anything else is left alone. ``compliance.document.styles.collect`` asks for at
most a handful per page. A sheet that cannot be read is simply absent: it never fails the page.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

from compliance.inputs.fetch import FetchError, FetchLimits, Session
from compliance.inputs.files import inside, read_bytes

MAX_SHEET_BYTES = 2 * 1024 * 1024
Loader = Callable[[str], "tuple[str, bytes] | None"]


def file_loader(page_path: str) -> Loader:
    """Stylesheets beside a page file on disk."""
    folder = Path(page_path).resolve().parent

    def load(href: str) -> tuple[str, bytes] | None:
        try:
            parts = urlsplit(href)
        except ValueError:  # a malformed bracketed host, as a hostile page may write
            return None
        if parts.scheme or parts.netloc or not parts.path.lower().endswith(".css") or parts.path.startswith("/"):
            return None  # a URL, a path from a web root we do not know, or not a stylesheet: nothing is read
        path = folder / parts.path
        if not inside(path, folder):
            return None
        try:  # a regular file only (a pipe would block the reader), within the cap
            return parts.path, read_bytes(path, MAX_SHEET_BYTES)
        except OSError:
            return None

    return load


def url_loader(page_url: str, limits: FetchLimits) -> Loader:
    """Stylesheets of the page's own site, fetched within the page's limits."""
    site = _site(urlsplit(page_url).hostname or "")
    sheet_limits = FetchLimits(timeout=limits.timeout, max_bytes=min(limits.max_bytes, MAX_SHEET_BYTES),
                               max_redirects=limits.max_redirects, addresses=limits.addresses)

    def load(href: str) -> tuple[str, bytes] | None:
        try:
            target = urljoin(page_url, href)
            parts = urlsplit(target)
            hostname = parts.hostname or ""
        except ValueError:
            return None
        if parts.scheme not in ("http", "https") or _site(hostname) != site:
            return None
        key = (target, sheet_limits)
        if key in _FETCHED:
            _FETCHED.move_to_end(key)
            return _FETCHED[key]
        found = _fetch_sheet(target, sheet_limits, site)
        _keep(key, found)
        return found

    return load


# A site's pages share their stylesheets: each is fetched once per process (a worker), not once per page.
# Failures are kept too, so a missing sheet is not asked for again by every page.
_FETCHED: OrderedDict[tuple[str, FetchLimits], tuple[str, bytes] | None] = OrderedDict()
_KEPT_SHEETS = 64
_KEPT_BYTES = 16 * 1024 * 1024
_kept_bytes = 0


def _keep(key: tuple[str, FetchLimits], found: tuple[str, bytes] | None) -> None:
    global _kept_bytes
    _FETCHED[key] = found
    _kept_bytes += len(found[1]) if found else 0
    while len(_FETCHED) > _KEPT_SHEETS or _kept_bytes > _KEPT_BYTES:
        _, dropped = _FETCHED.popitem(last=False)
        _kept_bytes -= len(dropped[1]) if dropped else 0


_SESSION = Session()  # one client per process (a worker), its connections kept alive between pages


def _fetch_sheet(target: str, limits: FetchLimits, site: str) -> tuple[str, bytes] | None:
    try:
        fetched = _SESSION.fetch(target, limits, html=False)
    except (FetchError, OSError, ValueError):
        return None
    if _site(urlsplit(fetched.final_url).hostname or "") != site:
        return None  # redirected off the site
    return target, fetched.data


def _site(host: str) -> str:
    """The site a host belongs to: its last two labels (``static.example.com`` → ``example.com``), three
    under a country's second-level domain (``news.example.co.uk`` → ``example.co.uk``)."""
    labels = host.lower().rstrip(".").split(".")
    if host.count(":") or all(label.isdigit() for label in labels):
        return host.lower()  # an address is its own site: 10.0.0.1 is not 127.0.0.1's neighbour
    if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:]) if len(labels) >= 2 else host.lower()

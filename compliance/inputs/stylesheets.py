"""Reading a page's linked stylesheets, within limits: what ``<link rel=stylesheet>`` may make the checker read.

For a page read from a file, a relative ``href`` names a file beside it on disk: read when it exists,
is a ``.css`` file and is no larger than ``MAX_SHEET_BYTES``; nothing is fetched. For a page fetched
from a URL, a stylesheet on the same site (the page's host, or another host of the same domain such
as ``static.example.com`` for ``www.example.com``) is fetched under the page's own time, size and
redirect limits, and anything else is left alone. ``compliance.document.styles.collect`` asks for at
most ``MAX_LINKED`` per page. A sheet that cannot be read is simply absent: it never fails the page.

A page checked in a run by URL gets its sheets from the run's crawler instead (``compliance.inputs.sitesheets``):
robots.txt, ``--per-host``, ``--delay`` and ``--cache`` apply to them as to pages, and a sheet the pages of a
site share is fetched once per run. ``linked_hrefs`` reads which sheets a page links from its bytes, so they
can be asked for together. ``url_loader`` fetches them itself, one by one, for a page checked without the
run's fetch stage (the Python API, a Dask worker).
"""

from __future__ import annotations

import codecs
import html
import threading
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urljoin, urlsplit

import re2

from compliance.inputs.files import inside, read_bytes
from compliance.text.regex import lazy_re2
from compliance.text.urls import site_of, site_of_host

if TYPE_CHECKING:  # fetching code is imported where a sheet is fetched: a run over files never loads it
    from compliance.inputs.fetch import FetchLimits, Fetched, Session

MAX_SHEET_BYTES = 2 * 1024 * 1024
MAX_LINKED = 5  # linked stylesheets read per page
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
    site = site_of(page_url)
    limits = sheet_limits(limits)

    def load(href: str) -> tuple[str, bytes] | None:
        target = same_site_target(page_url, href, site)
        if target is None:
            return None
        key = (target, limits)
        if key in _FETCHED:
            _FETCHED.move_to_end(key)
            return _FETCHED[key]
        found = _fetch_sheet(target, limits, site)
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


_session: Session | None = None
_session_lock = threading.Lock()


def _shared_session() -> Session:
    """One client per process (a worker), its connections kept alive between pages: made for the first
    sheet fetched."""
    global _session
    with _session_lock:
        if _session is None:
            from compliance.inputs.fetch import Session

            _session = Session()
        return _session


def _fetch_sheet(target: str, limits: FetchLimits, site: str) -> tuple[str, bytes] | None:
    from compliance.inputs.fetch import FetchError

    try:
        fetched = _shared_session().fetch(target, limits, html=False)
    except (FetchError, OSError, ValueError):
        return None
    return answer_for(target, fetched, site)


def answer_for(target: str, fetched: Fetched, site: str) -> tuple[str, bytes] | None:
    """What the loader gives for a fetched sheet: its URL (for messages) and bytes, unless it left the site."""
    if site_of(fetched.final_url) != site:
        return None  # redirected off the site
    return target, fetched.data


def sheet_limits(limits: FetchLimits) -> FetchLimits:
    """A sheet's download limits: the page's, with the size capped at ``MAX_SHEET_BYTES``."""
    return replace(limits, max_bytes=min(limits.max_bytes, MAX_SHEET_BYTES))


def same_site_target(page_url: str, href: str, site: str) -> str | None:
    """The absolute http(s) URL ``href`` names when it is on the page's site (``site``), else None."""
    try:
        target = urljoin(page_url, href)
        parts = urlsplit(target)
        hostname = parts.hostname or ""
    except ValueError:  # a malformed bracketed host, as a hostile page may write
        return None
    if parts.scheme not in ("http", "https") or site_of_host(hostname) != site:
        return None
    return target


# Where a page's markup says which sheets it links, as libxml2 reads it: comments and the text of
# <script> and <style> are not markup, and a <link> inside <noscript> or <template> never applies.
_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False
_OPTIONS.max_mem = 8 << 20
_LINK = lazy_re2(rb"""<link\b(?:[^>"']|"[^"]*"|'[^']*')*>""", _OPTIONS)
_CONTEXT = lazy_re2(rb"<!---?>|<!--|-->|</?(?:script|style|noscript|template)\b", _OPTIONS)
_ATTRIBUTE = lazy_re2(rb"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""", _OPTIONS)
_WIDE = ("utf-16", "utf-32")


def linked_hrefs(data: bytes, http_charset: str | None = None) -> list[str]:
    """The ``href`` of each linked stylesheet ``compliance.document.styles.collect`` asks a loader for, in its
    order, read from the page's bytes without parsing them (at most ``MAX_LINKED``): ``rel`` names
    ``stylesheet`` and not ``alternate``, no ``disabled``, not inside ``<noscript>`` or ``<template>``.

    Two scans, both RE2: one for ``<link>`` tags, and one for what hides markup (comments, ``<script>``,
    ``<style>``, ``<noscript>``, ``<template>``), read only as far as the last stylesheet link it must place.
    """
    data = _ascii_compatible(data, http_charset)
    hrefs: list[str] = []
    context = _Context(_CONTEXT.finditer(data))
    for match in _LINK.finditer(data):
        tag = match.group(0)
        if b"stylesheet" not in tag.lower() or not context.live_at(match.start()):
            continue
        href = _stylesheet_href(tag)
        if href is not None:
            hrefs.append(href)
            if len(hrefs) == MAX_LINKED:
                break
    return hrefs


class _Context:
    """Whether a position of the page is live markup, the markers read in order up to it."""

    def __init__(self, markers: Any) -> None:
        self._markers = markers
        self._next = next(markers, None)
        self._closes: bytes | None = None  # inside a comment or a raw-text element: the marker that ends it
        self._hidden = 0  # depth of <noscript> and <template>

    def live_at(self, position: int) -> bool:
        while self._next is not None and self._next.start() < position:
            self._read(self._next.group(0).lower())
            self._next = next(self._markers, None)
        return self._closes is None and not self._hidden

    def _read(self, marker: bytes) -> None:
        if self._closes is not None:
            if marker.endswith(self._closes):  # "<!-->" ends a comment too: <!--[if IE]><!-->
                self._closes = None
        elif marker == b"<!--":
            self._closes = b"-->"
        elif marker in (b"<script", b"<style"):
            self._closes = b"</" + marker[1:]
        elif marker in (b"<noscript", b"<template"):
            self._hidden += 1
        elif marker in (b"</noscript", b"</template"):
            self._hidden = max(0, self._hidden - 1)


def _stylesheet_href(tag: bytes) -> str | None:
    attributes: dict[bytes, str] = {}
    for match in _ATTRIBUTE.finditer(tag, 5):  # after "<link"
        name = match.group(1).lower()
        if name not in attributes:  # the first of a repeated attribute counts, as in the parser
            raw = match.group(2) or match.group(3) or match.group(4) or b""
            attributes[name] = html.unescape(raw.decode("utf-8", "replace"))
    rel = attributes.get(b"rel", "").lower().split()
    if b"href" not in attributes or "stylesheet" not in rel or "alternate" in rel or b"disabled" in attributes:
        return None
    return attributes[b"href"].strip()


def _ascii_compatible(data: bytes, http_charset: str | None) -> bytes:
    """The page's bytes where markup is ASCII: UTF-16 and UTF-32 pages (by BOM or header) re-encoded as UTF-8."""
    declared = (http_charset or "").lower()
    wide = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)) or b"\x00" in data[:4]
    if wide or declared.startswith(_WIDE):
        from compliance.inputs.decode import decode_html

        return decode_html(data, http_charset).text.encode("utf-8", "replace")
    return data

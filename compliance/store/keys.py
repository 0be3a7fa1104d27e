"""What makes results of two runs about the same page, and which site (republisher) a page belongs to."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from compliance.text.urls import is_web_url, normalize_url

STDIN = "-"


def page_key(source: str) -> str:
    """The page across runs: its normalised URL (``http://www.x.org/a`` is ``https://x.org/a``), or a
    file's absolute path."""
    if is_web_url(source):
        return normalize_url(source)
    if source == STDIN:
        return STDIN
    return os.path.abspath(source)


def site_of(source: str) -> str:
    """The republisher: a URL's host (``www.`` dropped, a port kept), or the folder a file was found in."""
    if is_web_url(source):
        return urlsplit(normalize_url(source)).netloc.rpartition("@")[2]
    if source == STDIN:
        return "(standard input)"
    return os.path.dirname(source) or "."

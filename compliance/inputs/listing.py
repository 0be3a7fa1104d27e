"""What sitemaps and feeds have in common: the pages they list, their dates, and the limits on reading them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import IO, Callable

__all__ = ["ListingLimits", "Listed", "Opener", "Problem", "parse_when", "recent_enough", "since_date"]

_MB = 1024 * 1024


@dataclass(frozen=True)
class ListingLimits:
    """Bounds on reading sitemaps and feeds (the sitemap protocol's own are 50,000 URLs and 50 MB a file)."""

    max_depth: int = 3  # sitemap index -> index -> sitemap
    max_urls: int = 100_000  # pages taken from one --sitemap or --feed
    max_files: int = 1_000  # sitemap files read for one --sitemap
    max_bytes: int = 50 * _MB  # one sitemap or feed, after gunzip


@dataclass(frozen=True)
class Listed:
    """A page a sitemap or feed lists, with the date it gives (lastmod, publication date), if any."""

    url: str
    when: datetime | None = None


@dataclass(frozen=True)
class Problem:
    """Something about a listing the user must hear of: ``source`` names the sitemap or feed."""

    source: str
    message: str


# Gives a readable byte stream for a location (URL or path) within a byte limit; raises OSError or FetchError.
Opener = Callable[[str, int], IO[bytes]]


def parse_when(text: str | None) -> datetime | None:
    """A W3C datetime (``2024-05-01``, ``2024-05-01T10:00:00Z``) or an RFC 822 date, as aware UTC; else None."""
    if not text:
        return None
    text = text.strip()
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        from email.utils import parsedate_to_datetime  # the email package, only for RFC 822 dates

        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def since_date(value: str) -> datetime:
    """``--since``: a date or datetime; raise ValueError with a readable message otherwise."""
    when = parse_when(value)
    if when is None:
        raise ValueError(f"--since {value!r}: expected a date such as 2024-05-01 or 2024-05-01T12:00:00Z")
    return when


def recent_enough(when: datetime | None, since: datetime | None) -> bool:
    """Kept under ``--since``: dated on or after it, or undated (a listing that gives no date is checked)."""
    return since is None or when is None or when >= since



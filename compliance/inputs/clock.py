"""The time of this moment as results, the store and WARC records write it (a module of its own: every page
gets its read time, and most runs write no archive)."""

from __future__ import annotations

from datetime import datetime, timezone

__all__ = ["now"]


def now() -> str:
    """The WARC date of this moment: ISO 8601 in UTC, to the microsecond (WARC 1.1)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

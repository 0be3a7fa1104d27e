"""robots.txt, read the way RFC 9309 says a crawler must, with protego doing the matching.

One ``Robots`` answer per origin (scheme, host, port): a 2xx file is parsed;
a 4xx means "no rules" (everything allowed); a 5xx or a network failure means
"assume everything is disallowed" until the file can be read, as the RFC
requires, and the reason says so. At most 500 KiB is read (the RFC's minimum).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

__all__ = ["MAX_ROBOTS_BYTES", "Robots", "origin_of", "product_token", "robots_url"]

MAX_ROBOTS_BYTES = 500 * 1024


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def robots_url(url: str) -> str:
    return origin_of(url) + "/robots.txt"


def product_token(user_agent: str) -> str:
    """The name robots.txt groups are matched against: the User-Agent up to its first '/' or space."""
    token = user_agent.strip().split("/", 1)[0].split(None, 1)
    return token[0] if token else "*"


@dataclass(frozen=True)
class Robots:
    """What one origin's robots.txt allows; ``blocked`` is the reason when nothing may be fetched."""

    url: str
    parser: Any = None  # protego.Protego, or None when there are no rules
    blocked: str | None = None

    @classmethod
    def from_response(cls, url: str, status: int | None, text: str | None, problem: str | None = None) -> Robots:
        if status is not None and 200 <= status < 300 and text is not None:
            from protego import Protego

            return cls(url, Protego.parse(text))
        if status is not None and 400 <= status < 500:
            return cls(url)
        why = problem or (f"HTTP {status}" if status is not None else "no answer")
        return cls(url, blocked=f"{url} could not be read ({why})")

    def refusal(self, page_url: str, user_agent: str) -> str | None:
        """None when ``page_url`` may be fetched, else the sentence that says why not."""
        if self.blocked:
            return (f"not fetched: {self.blocked}, so every page of the site counts as disallowed (RFC 9309); "
                    "use --ignore-robots for your own sites")
        if self.parser is None:
            return None
        token = product_token(user_agent)
        if self.parser.can_fetch(page_url, token):
            return None
        return (f"not fetched: {self.url} disallows this page for user agent {token!r}; "
                "use --ignore-robots for your own sites")

    def delay(self, user_agent: str) -> float:
        """Seconds the file asks between requests (Crawl-delay or Request-rate), 0 if it says nothing."""
        if self.parser is None:
            return 0.0
        token = product_token(user_agent)
        delay = self.parser.crawl_delay(token) or 0.0
        rate = self.parser.request_rate(token)
        if rate is not None and rate.requests:
            delay = max(delay, rate.seconds / rate.requests)
        return float(delay)

    @property
    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []

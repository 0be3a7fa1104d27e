"""What every catalog format shares: its error, decoding, dates, and a story's text from HTML or plain text."""

from __future__ import annotations

import html as html_entities
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from lxml import etree

from compliance.document.article import paragraphs_from_text
from compliance.document.body import NEVER_CONTENT_TAGS, drop, read_blocks

__all__ = ["LOOKS_LIKE_HTML", "CatalogError", "body_from_html", "body_from_text", "decode", "iso_date", "plain_text"]

LOOKS_LIKE_HTML = re.compile(
    r"<(?:p|div|br|a|ul|ol|li|h[1-6]|blockquote|span|em|strong|b|i|section|article|html|body)\b",
    re.IGNORECASE,
)


class CatalogError(Exception):
    """A catalog that cannot be read; says which file, and where possible
    which line or item and which field."""

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        line: int | None = None,
        item: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        self.item = item
        self.field = field
        super().__init__(self._describe())

    def _describe(self) -> str:
        where = [self.path]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.item is not None:
            where.append(f"item {self.item}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.problem}"


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def body_from_html(html: str, base: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Paragraphs and links of an HTML fragment that is all body (a feed item's content, not a page)."""
    from lxml import html as lxml_html

    if not html or not html.strip():
        return (), ()
    # no network, and no silent loss of deeply nested content: the page parser's settings
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
                                  huge_tree=True)
    try:
        container = lxml_html.fragment_fromstring(html.encode("utf-8", errors="replace"), create_parent="div",
                                                  parser=parser)
    except (etree.ParserError, ValueError):
        return (), ()
    for junk in list(container.iter(*NEVER_CONTENT_TAGS)):
        drop(junk)
    return read_blocks(container, base)


def body_from_text(body: str, base: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if LOOKS_LIKE_HTML.search(body):
        return body_from_html(body, base)
    return paragraphs_from_text(body), ()


def plain_text(text: str | None) -> str | None:
    if not text:
        return None
    if "<" in text and LOOKS_LIKE_HTML.search(text):
        text = re.sub(r"<[^>]*>", " ", text)
    text = " ".join(html_entities.unescape(text).split())
    return text or None


def iso_date(value: str | None) -> str | None:
    """ISO 8601 as given, or an RFC 822 feed date rewritten as ISO 8601."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return value
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


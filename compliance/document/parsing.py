"""What libxml2 reports after parsing a page, read honestly: a page it cut short is never judged as if whole.

libxml2 stops building the tree at its resource limits (elements nested deeper than 2048 levels with
``huge_tree``; text nodes or names beyond their maximum size) and reports the cut only in its error log;
lxml returns the partial tree without raising. A credit below the cut would read as missing, so a page
that hit a limit is an error that says which limit, and allocation failures are ``MemoryError`` (the
worker pool reports those as the page's memory limit).
"""

from __future__ import annotations

from typing import Any

from compliance.text.regex import lazy

_DEPTH = lazy(r"Excessive depth in document: (\d+)")


class PageParseError(Exception):
    """The text could not be turned into a document (or not all of it)."""


class ParserLimitError(PageParseError):
    """libxml2 stopped at one of its limits: what it built is only part of the page."""


def check_parse_log(error_log: Any, what: str = "the page") -> None:
    """Raise if the parser's ``error_log`` (of the parse just done) shows a limit was hit."""
    for entry in error_log:
        kind = entry.type_name
        if kind == "ERR_NO_MEMORY":
            raise MemoryError("the HTML parser ran out of memory")
        if kind == "ERR_RESOURCE_LIMIT":
            found = _DEPTH.search(entry.message)
            limit = (f"elements nested more than {found.group(1)} levels deep" if found
                     else entry.message.split(",")[0].strip() or "a resource limit")
            raise ParserLimitError(f"{what} was not checked: the HTML parser stops at {limit}, so part of "
                                 f"{what} would be missing from what is checked")

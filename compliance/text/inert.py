"""Text made inert for every output: control characters and bidi overrides escaped, URL credentials redacted.

Page text and file names reach terminals, CI logs, JSON, HTML and Markdown. Written raw, a page's
``&#x1b;]0;…&#7;`` retitles the terminal, ``&#x1b;]52;…`` writes the clipboard, a file name holding a
newline starts a line ``::error::`` that a GitHub runner executes, and U+202E reverses what a reviewer
reads. So C0 and C1 control characters (tab excepted), DEL and the bidi embedding, override and isolate
characters are written as visible escapes, ``\\x1b`` or ``\\u202e`` (as ``git`` and ``ls`` do), and a URL's
``user:password@`` becomes ``***@``. ``inert`` is idempotent, so applying it twice changes nothing.

``inert_value`` applies it to every string inside a result (dataclasses, tuples, lists, dicts): the
runner does so for each page's results, so every reporter, the results store and the server see only
inert text.
"""

from __future__ import annotations

import dataclasses
import re
from enum import Enum
from typing import Any

from compliance.text.regex import lazy

__all__ = ["inert", "inert_value", "redact_credentials"]

_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CREDENTIALS = lazy(r"(?i)\b((?:https?|wss?|ftp)://)[^/\s@?#]*@")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def redact_credentials(text: str) -> str:
    """``https://user:secret@host/`` → ``https://***@host/``, wherever a URL sits in ``text``."""
    return _CREDENTIALS.sub(r"\1***@", text) if "@" in text else text


def inert(text: str) -> str:
    """``text`` with control and bidi characters escaped and URL credentials redacted."""
    return redact_credentials(_UNSAFE.sub(_escape, text))


def inert_value(value: Any) -> Any:
    """``value`` with ``inert`` applied to every string it holds (unchanged objects are returned as they are)."""
    if isinstance(value, Enum):
        return value  # statuses and severities: the tool's own words
    if isinstance(value, str):
        new = inert(value)
        return value if new == value else new
    if isinstance(value, tuple):
        items = tuple(inert_value(v) for v in value)
        return value if items == value else (type(value)(*items) if hasattr(value, "_fields") else items)
    if isinstance(value, list):
        return [inert_value(v) for v in value]
    if isinstance(value, dict):
        return {inert_value(k): inert_value(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            new = inert_value(old)
            if new is not old and new != old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value

"""XML from strangers, read incrementally and without DTDs, entities or network access.

Sitemaps, feeds and originals catalogs come from servers we do not control.
lxml is told never to load a DTD, resolve an entity or touch the network, and
keeps libxml2's limits on huge documents; a document that declares entities is
refused outright (expanding them is the "billion laughs" attack). ``iter_end``
yields elements as their end tags arrive and lets the caller clear them, so a
50 MB sitemap is read in constant memory. The stream is capped in bytes.
"""

from __future__ import annotations

import gzip
import io
from typing import IO, Any, Iterator

__all__ = ["XMLProblem", "capped", "iter_end", "local_name", "maybe_gunzip"]


class XMLProblem(ValueError):
    """The document is unsafe or not well-formed; ``line`` is where, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class _Capped(io.RawIOBase):
    """A read-only stream that fails once more than ``limit`` bytes have been read through it."""

    def __init__(self, raw: IO[bytes], limit: int, what: str) -> None:
        self._raw, self._left, self._limit, self._what = raw, limit, limit, what

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            raise XMLProblem(f"{self._what} is larger than the {self._limit / 1024 / 1024:g} MB limit")
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def capped(stream: IO[bytes], limit: int, what: str = "the document") -> IO[bytes]:
    return io.BufferedReader(_Capped(stream, limit, what))


def maybe_gunzip(stream: IO[bytes]) -> IO[bytes]:
    """The stream itself, or its gunzipped content when it starts with the gzip magic bytes."""
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[arg-type]
    if buffered.peek(2)[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
    return buffered


def local_name(element: Any) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def iter_end(stream: IO[bytes], tags: set[str]) -> Iterator[Any]:
    """Elements whose local name (lower-case) is in ``tags``, as each ends; cleared after the caller moves on.

    The first yielded element is preceded by a check of the document's DTD:
    any entity declaration refuses the document.
    """
    from lxml import etree

    events = etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True,
                             recover=False)
    checked = False
    try:
        for event, element in events:
            if not checked:
                checked = True
                dtd = element.getroottree().docinfo.internalDTD
                if dtd is not None and any(True for _ in dtd.iterentities()):
                    raise XMLProblem("declares XML entities (<!ENTITY>); refused, because expanding them is unsafe")
            if event != "end" or local_name(element) not in tags:
                continue
            yield element
            element.clear(keep_tail=False)
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:  # drop finished siblings
                del parent[0]
    except etree.XMLSyntaxError as error:
        raise XMLProblem(f"is not well-formed XML ({error.msg})", line=error.lineno) from None
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise XMLProblem(f"could not be read ({error})") from None

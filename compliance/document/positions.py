"""Where an element's start tag begins on its line: the column of ``path:line:col``.

libxml2 records an element's ``sourceline`` (the line on which its start tag ends) and no column.
Editors and terminals jump to ``path:line:col``, so the tag's ``<`` is found in the source: among the
start tags of that name that end on ``sourceline``, the k-th, where k counts the elements of that name
the parser placed on that line before this one. Comments and the raw text of ``<script>``,
``<style>`` and the like are skipped. The line stays ``sourceline`` (what every message says): a
start tag spread over several lines gets no column, and neither does an element the source cannot
place (one the parser added itself, such as an implied ``<tbody>``).

One scan per line asked about, on demand: most pages are asked about a handful of elements.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add
from typing import Any

_LOOKBACK = 4000  # characters before the line: where a start tag ending on it may begin
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp"})


class Positions:
    """Line starts of one page's source, and the start tags on each line asked about."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.count("\n") + 1
        self._starts: list[int] | None = None  # line n starts at _starts[n - 1], read once a line is asked for
        self._by_line: dict[int, dict[str, list[int]]] = {}

    def _start(self, line: int) -> int:
        """Where ``line`` (1-based, at most ``self.lines``) starts: the lines up to it are split once (in C), as
        far down as any line asked about (bylines and credits sit near the top of long pages)."""
        starts = self._starts
        if starts is None or line > len(starts):
            upto = min(self.lines, max(line * 2, 64))
            pieces = self.text.split("\n", upto - 1)[:-1]
            starts = self._starts = [0, *accumulate(map(add, map(len, pieces), repeat(1)))]
        return starts[line - 1]

    def column(self, el: Any) -> int | None:
        """1-based column of ``el``'s ``<`` on line ``el.sourceline``, or None when it cannot be placed there."""
        line = el.sourceline
        tag = el.tag if isinstance(el.tag, str) else None
        if not line or not tag or line > self.lines:
            return None
        candidates = self._tags_ending_on(line).get(tag.lower())
        if not candidates:
            return None
        k = 0
        for other in el.getroottree().getroot().iter(tag):
            if other is el:
                break
            if other.sourceline == line:
                k += 1
        start = self._start(line)
        if k >= len(candidates) or candidates[k] < start:
            return None  # not in the source, or it begins on an earlier line
        return candidates[k] - start + 1

    def _tags_ending_on(self, line: int) -> dict[str, list[int]]:
        """Offsets of the start tags whose ``>`` is on ``line``, by lower-case name."""
        cached = self._by_line.get(line)
        if cached is not None:
            return cached
        text = self.text
        line_start = self._start(line)
        lo = max(0, line_start - _LOOKBACK)
        hi = self._start(line + 1) if line < self.lines else len(text)
        out: dict[str, list[int]] = {}
        pos = lo
        find, match = text.find, _MARKUP.match
        while True:
            at = find("<", pos, hi)
            if at < 0:
                break
            m = match(text, at, hi)
            if m is None:
                if _STARTS_TAG.match(text, at, hi):
                    break  # a start tag that runs past the line: nothing after it is placed
                pos = at + 1  # a "<" of text ("a < b"), or an end tag left open
                continue
            pos = m.end()
            name = m.group(2)
            if name is None:
                continue  # a comment (or one left open: the rest of the line is inside it)
            if m.group(1):
                continue  # an end tag
            name = name.lower()
            if pos - 1 >= line_start:
                out.setdefault(name, []).append(at)
            if name in _RAW_TEXT:  # its text is not markup: on to its end tag
                close = _raw_end(name).search(text, pos, hi)
                if close is None:
                    break
                pos = close.end()
        self._by_line[line] = out
        return out


# one piece of markup: a comment, or a whole tag whose quoted attribute values may hold ">"
_MARKUP = re.compile(r"<!--(?:.*?-->|.*)|<(/?)([a-zA-Z][a-zA-Z0-9:_-]*)(?:[^>=]++|=\s*+\"[^\"]*+\"|=\s*+'[^']*+'|=)*+>",
                     re.S)
_STARTS_TAG = re.compile(r"<[a-zA-Z]")


@lru_cache(maxsize=None)
def _raw_end(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}(?![a-zA-Z0-9:_-])", re.I)


def positions(page: Any) -> Positions:
    """The page's positions, made once per page (``page.derive(positions)``)."""
    return Positions(page.text)

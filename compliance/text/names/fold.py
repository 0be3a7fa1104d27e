"""Folding: the comparison form of any text, with offsets back to the original.

Case, accents, punctuation variants and width are removed so that "JOSÉ" and "Jose" compare
equal; ``FoldedText`` keeps a map back to the original so a match can be shown as the page wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

from compliance.text.regex import lazy

# ---------------------------------------------------------------------------
# Folding
# ---------------------------------------------------------------------------

_APOSTROPHES = "'’‘‛ʼʻʽʾʿ`´′＇"
_DASHES = "‐‑‒–—―⁃−﹘﹣－"
_DOUBLE_QUOTES = "“”„‟«»″＂"
_NEWLINES = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"

# Letters that NFKD leaves whole, spelled the way an ASCII keyboard would.
_LETTERS = {
    "ø": "o", "ł": "l", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th",
    "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l", "ĸ": "k", "ŋ": "n", "ƒ": "f", "ſ": "s",
    "ɓ": "b", "ɗ": "d", "ƙ": "k", "ƴ": "y", "ɛ": "e", "ɔ": "o", "ə": "e", "ʒ": "z",
}
_DIRECT = {
    **{c: "'" for c in _APOSTROPHES},
    **{c: "-" for c in _DASHES},
    **{c: '"' for c in _DOUBLE_QUOTES},
    **_LETTERS,
}

# Scripts written without spaces between names; their marks carry meaning
# (Japanese dakuten), so they are only NFKC-normalised, never stripped.
_CJK_RANGES = (
    (0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3040, 0x30FF), (0x3100, 0x318F),
    (0x31A0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF), (0xFF65, 0xFFDC), (0x20000, 0x3134F),
)


# 2 ms to compile (Python builds a class this wide one character at a time): only once a text needs it
_CJK = lazy("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES) + "]")


def is_cjk(ch: str) -> bool:
    return ch >= "\u1100" and _CJK.match(ch) is not None


def has_cjk(text: str) -> bool:
    """Does ``text`` hold any CJK character? One C-level scan (bylines are checked thousands of times a page);
    none for ASCII text, which holds none."""
    return not text.isascii() and _CJK.search(text) is not None


def _fold_once(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if ch in _DIRECT:
            out.append(_DIRECT[ch])
            continue
        if ch in _NEWLINES:
            out.append("\n")
            continue
        if is_cjk(ch):
            out.append(unicodedata.normalize("NFKC", ch))
            continue
        for c in unicodedata.normalize("NFKD", ch.casefold()):
            if unicodedata.combining(c):
                continue
            if c in _DIRECT:
                out.append(_DIRECT[c])
                continue
            category = unicodedata.category(c)
            if c in _NEWLINES:
                out.append("\n")
            elif c.isspace() or category == "Cc":
                out.append(" ")
            elif category != "Cf":  # soft hyphen, zero-width and direction marks vanish
                out.append(c)
    return "".join(out)


def fold_char(ch: str) -> str:
    """One character's folded form, refolded until stable so that fold is idempotent."""
    text = ch
    for _ in range(5):
        again = _fold_once(text)
        if again == text:
            break
        text = again
    return text


class _FoldTable(dict):
    """``str.translate`` table that folds each character the first time it is seen.

    Characters whose folded form is not exactly one character long are
    remembered: only they shift offsets between original and folded text.
    """

    def __init__(self) -> None:
        super().__init__()
        self.irregular: set[str] = set()
        self._irregular_re: re.Pattern[str] | None = None
        self._irregular_size = -1

    def __missing__(self, code: int) -> str:
        value = fold_char(chr(code))
        self[code] = value
        if len(value) != 1:
            self.irregular.add(chr(code))
        return value

    def irregular_pattern(self) -> re.Pattern[str] | None:
        if self._irregular_size != len(self.irregular):
            chars = "".join(sorted(re.escape(c) for c in self.irregular))
            self._irregular_re = re.compile(f"[{chars}]") if chars else None
            self._irregular_size = len(self.irregular)
        return self._irregular_re


_TABLE = _FoldTable()
for _code in range(128):
    _TABLE[_code]  # ASCII up front: the common case never reaches __missing__
_WHITESPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case-fold, strip accents (NFKD + drop combining marks), transliterate letters NFKD leaves alone
    (ø→o, ł→l, đ→d, æ→ae, œ→oe, ß→ss, þ→th, ı→i …), unify apostrophes/hyphens/dashes, collapse whitespace.

    Double quotes are unified too, and invisible format characters (soft hyphens,
    zero-width spaces) dropped. Chinese, Japanese and Korean characters are only
    NFKC-normalised, because their marks distinguish names.
    """
    return _WHITESPACE.sub(" ", text.translate(_TABLE)).strip()


class FoldedText:
    """A text folded character by character, with a way back to original offsets.

    Whitespace is not collapsed here (newlines stay newlines), so most folded
    offsets equal original ones; the few characters that fold to zero or several
    characters are located lazily, only when a match needs mapping back.
    """

    __slots__ = ("original", "text", "_breaks", "_fold_starts")

    def __init__(self, original: str) -> None:
        self.original = original
        self.text = original.translate(_TABLE)
        self._breaks: list[tuple[int, int, int]] | None = None
        self._fold_starts: list[int] = []

    def _build(self) -> None:
        breaks: list[tuple[int, int, int]] = []
        pattern = _TABLE.irregular_pattern()
        if pattern is not None and not self.original.isascii():
            delta = 0
            for m in pattern.finditer(self.original):
                position = m.start()
                length = len(_TABLE[ord(m.group())])
                breaks.append((position, position + delta, length))
                delta += length - 1
        self._breaks = breaks
        self._fold_starts = [b[1] for b in breaks]

    def _original_index(self, folded_index: int) -> int:
        if self._breaks is None:
            self._build()
        k = bisect_right(self._fold_starts, folded_index) - 1
        if k < 0:
            return folded_index
        position, fold_start, length = self._breaks[k]  # type: ignore[index]
        if folded_index < fold_start + length:
            return position
        return position + 1 + (folded_index - fold_start - length)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the folded slice ``[start:end]``."""
        original_start = self._original_index(start)
        original_end = self._original_index(end - 1) + 1 if end > start else original_start
        text = self.original
        while original_end < len(text) and unicodedata.combining(text[original_end]):
            original_end += 1  # keep the accents that belong to the last letter
        return original_start, original_end


@lru_cache(maxsize=8)
def fold_long_text(text: str) -> FoldedText:
    return FoldedText(text)


def fold_text(text: str) -> FoldedText:
    """Fold once per text: a byline check searches the same page text for every author."""
    return fold_long_text(text) if len(text) > 2000 else FoldedText(text)


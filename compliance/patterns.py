"""Text patterns from policies: literal phrases or bounded regular expressions.

Policies come from outside, so their regexes run on RE2 (linear time, no
backreferences or lookaround): a pattern can never backtrack catastrophically.
Matching is done on normalised text (see ``normalize``) so that case,
accents-as-typed and runs of whitespace do not decide a verdict.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_WS = re.compile(r"\s+")
MAX_PATTERN_LENGTH = 2000


def normalize(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: the form every text check sees."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


class PatternError(ValueError):
    """A pattern that cannot be compiled; the message says why."""


@dataclass(frozen=True)
class Pattern:
    """A phrase (``regex=False``) or RE2 regex, matched case-insensitively on normalised text."""

    source: str
    regex: bool = False

    def search(self, normalized_text: str) -> tuple[int, int] | None:
        """Span of the first match in already-normalised text, or None."""
        if not self.regex:
            needle = _literal(self.source)
            i = _find_word(normalized_text, needle)
            return (i, i + len(needle)) if i >= 0 else None
        m = _compiled(self.source).search(normalized_text)
        return (m.start(), m.end()) if m else None

    def matches(self, normalized_text: str) -> bool:
        return self.search(normalized_text) is not None

    def describe(self) -> str:
        return f"/{self.source}/" if self.regex else f"“{self.source}”"


def compile_pattern(value: str, *, regex: bool = False) -> Pattern:
    """Validate and build a Pattern; raises PatternError with a readable reason."""
    if not isinstance(value, str) or not value.strip():
        raise PatternError("a pattern must be a non-empty string")
    if len(value) > MAX_PATTERN_LENGTH:
        raise PatternError(f"a pattern may be at most {MAX_PATTERN_LENGTH} characters long")
    if regex:
        _compiled(value)
    return Pattern(value, regex)


@lru_cache(maxsize=512)
def _literal(source: str) -> str:
    return normalize(source)


def _find_word(text: str, needle: str) -> int:
    """Find ``needle`` where it is not glued to letters or digits on either side.

    "DCNF" must not match inside "DCNFX"; a phrase ending in punctuation may
    be followed by anything.
    """
    start = 0
    while True:
        i = text.find(needle, start)
        if i < 0:
            return -1
        j = i + len(needle)
        before_ok = i == 0 or not (text[i - 1].isalnum() and needle[:1].isalnum())
        after_ok = j >= len(text) or not (text[j].isalnum() and needle[-1:].isalnum())
        if before_ok and after_ok:
            return i
        start = i + 1


@lru_cache(maxsize=512)
def _compiled(source: str):  # -> re2._Regexp
    import re2

    options = re2.Options()
    options.log_errors = False  # errors are reported to the user by us, once
    options.case_sensitive = False
    options.max_mem = 8 << 20
    try:
        return re2.compile(source, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(f"invalid regular expression {source!r}: {reason} "
                           "(patterns use RE2 syntax: no backreferences or lookaround)") from None

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
    """NFKC, case-folded, whitespace collapsed: the form every text check sees.

    Case folding can decompose a letter ("ΰ" folds to three code points) that a capital written
    the other way composes differently, so non-ASCII text is normalised again after folding.
    """
    folded = _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return folded if folded.isascii() else unicodedata.normalize("NFKC", folded)


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

    def required_words(self) -> list[str]:
        """Words every match must contain, for a cheap "cannot occur on this page" test; [] if unknown."""
        return _required_words(self.source, self.regex)


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1024)
def _required_words(source: str, regex: bool) -> list[str]:
    if not regex:
        return _WORD.findall(normalize(source))
    return regex_literals(source)


def regex_literals(source: str) -> list[str]:
    """Letter runs that any match of an RE2 pattern must contain (conservative; [] when unsure).

    Only runs at the top level count: outside groups and classes, not followed by a quantifier,
    and only when the pattern has no top-level alternation. ``daily[-_ ]?caller`` needs "daily"
    and "caller"; ``(^|/)dcnf([^a-z]|$)`` needs "dcnf"; ``a|b`` needs nothing.
    """
    if re.search(r"\\[xpPQuUC0-9]", source):
        return []  # escapes that spell letters or code points: not worth second-guessing
    runs: list[str] = []
    current = ""
    depth = 0
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            current = _flush(runs, current)
            i += 2
            continue
        if ch == "[":
            current = _flush(runs, current)
            j = i + 1
            if j < n and source[j] == "^":
                j += 1
            if j < n and source[j] == "]":
                j += 1
            while j < n and source[j] != "]":
                j += 2 if source[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "{":  # a bounded repeat {m,n}: its digits are not text; {0,…} makes the last letter optional
            current = _flush(runs, current[:-1] if depth == 0 else current)
            close = source.find("}", i)
            if close < 0:
                return []
            i = close + 1
            continue
        if ch == "(":
            current = _flush(runs, current)
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "|" and depth == 0:
            return []
        elif ch in "?*" and depth == 0:
            current = current[:-1]  # the quantifier makes the last letter optional
            current = _flush(runs, current)
        elif depth == 0 and ch.isalnum():
            current += ch.casefold()
        else:
            current = _flush(runs, current)
        i += 1
    _flush(runs, current)
    return [r for r in runs if len(r) >= 3]


def _flush(runs: list[str], current: str) -> str:
    if current:
        runs.append(current)
    return ""


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

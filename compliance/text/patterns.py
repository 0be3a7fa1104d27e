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
        """What the pattern looks for, in words: the phrase, or the text a regex matches when it reads as text.

        ``/daily[-_ ]?caller/`` reads “daily caller”; ``/propublica\\.org\\/article\\/./`` reads
        “propublica.org/article/…”. A regex that does not read as text is shown as written.
        """
        return " or ".join(f"“{w}”" for w in self.words()) if self.words() else self.exact()

    def exact(self) -> str:
        """The pattern exactly as the policy wrote it (for --verbose and the JSON evidence)."""
        return f"/{self.source}/" if self.regex else f"“{self.source}”"

    def words(self) -> tuple[str, ...]:
        """The text(s) the pattern stands for, or () when a regex does not read as text."""
        return (self.source,) if not self.regex else readable(self.source)

    def required_words(self) -> list[str]:
        """Words every match must contain, for a cheap "cannot occur on this page" test; [] if unknown."""
        return _required_words(self.source, self.regex)


_WORD = re.compile(r"\w+")

# regex pieces that stand for a separator, a word boundary, or "anything here" in text a person reads
_LEADING_BOUNDARY = re.compile(r"^\(\^\|\[\^a-z(?:0-9)?\]\)")
_TRAILING_BOUNDARY = re.compile(r"\(\[\^a-z(?:0-9)?\]\|\$\)$")
_SEPARATOR = re.compile(r"\[(?:[-_ ]|\\s|\\-){1,4}\][?*+]?|\\s[?*+]?|\\W[?*+]?")
_ANYTHING = re.compile(r"(?:\.|\\d|\\w|\[0-9\]|\[a-z0-9\]|\[a-z\]|\[[?&=#/.]+\])(?:[+*?]|\{\d+(?:,\d*)?\})?")
_ESCAPED = re.compile(r"\\([./:\-_#?&=@+])")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\.[a-z_]+\}")  # article-context placeholders are literal text here
_SPECIAL = re.compile(r"[\\()\[\]{}|?*+^$]")


def _top_level_choices(text: str) -> list[str]:
    """``a|b(c|d)`` → ``["a", "b(c|d)"]``: the alternatives outside any group or class."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    return parts + [text[start:]]


@lru_cache(maxsize=1024)
def readable(source: str) -> tuple[str, ...]:
    """The text(s) an RE2 pattern matches, written for a person; () when it does not read as text.

    Conservative: anchors and word-boundary groups go, optional separators become spaces, escaped
    punctuation is unescaped, "any character" runs become "…", and a top-level choice of such texts
    gives each; anything else left over means the regex is shown as written.
    """
    text = source
    if text.startswith("^"):
        text = text[1:]
    if text.endswith("$") and not text.endswith("\\$"):
        text = text[:-1]
    text = _TRAILING_BOUNDARY.sub("", _LEADING_BOUNDARY.sub("", text)).replace("\\b", "")
    top = _top_level_choices(text)
    if len(top) > 1:  # a|b: each reads on its own, or the whole is shown as written
        parts = [readable(part) for part in top]
        return tuple(w for part in parts for w in part) if all(parts) and len(parts) <= 6 else ()
    choice = re.fullmatch(r"\(([^()]*)\)", text)
    if choice and "|" in choice.group(1):
        parts = [readable(part) for part in choice.group(1).split("|")]
        return tuple(w for part in parts for w in part) if all(parts) else ()
    inner = re.search(r"\(((?:[^()\\]|\\.)*\|(?:[^()\\]|\\.)*)\)", text)
    if inner:  # pre(a|b)post reads as "preapost" and "prebpost"
        options = inner.group(1).split("|")
        if len(options) <= 4:
            parts = [readable(text[:inner.start()] + option + text[inner.end():]) for option in options]
            return tuple(w for part in parts for w in part) if all(parts) else ()
    # an optional separator reads as a space; a required one too, but not at either end of the text
    text = _SEPARATOR.sub(lambda m: " " if m.group().endswith(("?", "*")) else "\x02", text)
    if text.strip(" ").startswith("\x02") or text.strip(" ").endswith("\x02") or re.search("\x02 *\x02", text):
        return ()  # two required separators in a row want more spaces than normalised text ever has
    text = text.replace("\x02", " ")
    text = _ESCAPED.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)  # escaped punctuation, set aside
    text = _PLACEHOLDER.sub(lambda m: "".join(chr(0xE000 + ord(c)) for c in m.group()), text)  # {original.url}
    text = _ANYTHING.sub("…", text)
    if _SPECIAL.search(text):
        return ()
    text = "".join(chr(ord(ch) - 0xE000) if 0xE000 <= ord(ch) < 0xE100 else ch for ch in text)
    text = re.sub(r"…+", "…", " ".join(text.split()))
    return (text,) if text.strip("… ") else ()


@lru_cache(maxsize=1024)
def _required_words(source: str, regex: bool) -> list[str]:
    if not regex:
        return _WORD.findall(normalize(source))
    return regex_literals(source)


def regex_literals(source: str) -> list[str]:
    """Runs of letters, digits and escaped punctuation that any match of an RE2 pattern must contain
    (conservative; [] when unsure).

    Only runs at the top level count: outside groups and classes, not followed by a quantifier,
    and only when the pattern has no top-level alternation. ``daily[-_ ]?caller`` needs "daily"
    and "caller"; ``(^|/)dcnf([^a-z]|$)`` needs "dcnf"; ``\bcc[ -]?by[ -]4\.0\b`` needs "4.0";
    ``a|b`` needs nothing.
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
            escaped = source[i + 1:i + 2]
            if depth == 0 and escaped and escaped in LITERAL_PUNCTUATION:
                current += escaped  # "4\.0", "propublica\.org": the dot is text
            else:
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
    return [r for r in runs if len(r) >= 3 and sum(c.isalnum() for c in r) >= 2]


# escaped punctuation a regex writes as text ("\." in "4\.0"): part of a required word
LITERAL_PUNCTUATION = frozenset("./:-_#?=@+")


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

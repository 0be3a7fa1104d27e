"""``NameMatcher``: one wanted person name compiled once into a regular expression that knows its
given name, middle names, particles and family name, and searched for in many texts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from compliance.text.names.fold import FoldedText, fold, fold_char, fold_text, has_cjk
from compliance.text.regex import lazy
from compliance.text.names.lexicon import (
    HONORIFICS,
    LIST_WORDS,
    PARTICLES,
    PREFIX_WORDS,
    SUFFIXES,
    SUFFIXES_AFTER_COMMA,
    TIE_WORDS,
    VOWELS,
)

# ---------------------------------------------------------------------------
# The wanted name, parsed
# ---------------------------------------------------------------------------

_NAME_TOKEN = lazy(r"\w+(?:['-]\w+)*")
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ø": "oe", "å": "aa"}


@dataclass(frozen=True)
class _Unit:
    """One word of the wanted name; hyphenated compounds keep their parts together."""

    parts: tuple[str, ...]  # folded
    raw_parts: tuple[str, ...]  # as written (NFC), for spelling variants

    @property
    def folded(self) -> str:
        return "-".join(self.parts)

    @property
    def is_initial(self) -> bool:
        return len(self.parts) == 1 and len(self.parts[0]) == 1 and self.parts[0].isalpha()


def _units(name: str) -> list[_Unit]:
    folded = FoldedText(name)
    units = []
    for m in _NAME_TOKEN.finditer(folded.text):
        start, end = folded.span(m.start(), m.end())
        raw = name[start:end]
        parts = tuple(p for p in m.group().split("-") if p)
        raw_parts = tuple(p for p in re.split(r"[-‐‑‒–—―−]", raw) if p)
        if len(raw_parts) != len(parts):
            raw_parts = parts
        units.append(_Unit(parts, raw_parts))
    return units


def _reorder_last_first(name: str) -> str:
    """'Doe, Jane' → 'Jane Doe'; 'Jane Doe, MA' → 'Jane Doe' (a degree is not part of the name)."""
    if name.count(",") != 1:
        return name
    before, after = (s.strip() for s in name.split(","))
    words = [fold(w).strip(".") for w in after.split()]
    if not before or not words:
        return name
    if all(w in SUFFIXES_AFTER_COMMA for w in words):
        return before
    return f"{after} {before}"


# ---------------------------------------------------------------------------
# Regex building blocks (all over folded text: whitespace is " " or "\n")
# ---------------------------------------------------------------------------

_LETTER = r"[^\W\d_]"
_WINDOW = 400  # characters either side of a literal that any match containing it stays within
_GLUED_PREFIXES = ("by", "von", "par", "por", "door")
# A name starts a word, or follows a credit word with no space ("bySauli Giliard"; see _glued_ok).
_BOUNDARY_START = r"(?:(?<!\w)(?<!\w')(?<!\w-)|" + "|".join(
    rf"(?<=(?<![\w'-]){p})" for p in _GLUED_PREFIXES) + ")"
_BOUNDARY_END = r"(?!\w)(?!-\w)(?!'(?!s(?!\w))\w)"
_COMPOUND_SEP = r"(?:-|[ \n]+)"  # a spaced dash ("Doe – Reuters") separates, it never joins


def _unit_sep(allow_period: bool) -> str:
    period = r"|\.[ \n]*" if allow_period else ""
    return rf'(?:[ \n]+|-|(?<=\.){period})'


def _word_alternation(words: frozenset[str]) -> str:
    return "(?:" + "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True)) + ")"


_PARTICLE = _word_alternation(PARTICLES) + r"(?![\w'])"
_OPENING_WORDS = PREFIX_WORDS | LIST_WORDS | TIE_WORDS | PARTICLES  # "(de) Jong, Michiel"
_NOT_A_JOINING_WORD = "(?!" + _word_alternation(
    frozenset(w for w in LIST_WORDS | TIE_WORDS | PREFIX_WORDS if len(w) > 1) - PARTICLES
) + r"(?!\w))"
# A word the byline has between given and family name that the wanted name lacks.
_EXTRA_WORD = rf"{_NOT_A_JOINING_WORD}{_LETTER}+(?:'{_LETTER}+)*\.?(?!-)"
# ...alone, or one or two of them in brackets or quotes: "Bruno (Henrique Zecchin) Rodrigues".
_EXTRA = rf'(?:[ ]+{_EXTRA_WORD}|[ ]+[("]{_EXTRA_WORD}(?:[ ]+{_EXTRA_WORD})?[)"])'
_ITEM_END = (r"(?=[ ]*(?:$|\n|[,;|/&•·:()\[\]+]|-(?!\w)|"
             + _word_alternation(LIST_WORDS | TIE_WORDS) + r"(?!\w)))")


def _first_letters(units: list[_Unit]) -> str:
    """A lookahead for the letters a match can start with: a cheap test before the boundary checks."""
    letters = {u.parts[0][0] for u in units}
    return "(?=[" + "".join(sorted(re.escape(c) for c in letters)) + "])"


def _part_literal(raw: str, folded: str) -> tuple[str, list[str]]:
    """Regex for one name part, and the plain chunks it must contain (for a quick pre-check)."""
    chars = unicodedata.normalize("NFC", raw)
    pieces: list[str] = []
    chunks: list[str] = [""]
    source = [(c, fold_char(c)) for c in chars]
    if "".join(f for _, f in source) != folded:  # odd input: fall back to the folded spelling
        source = [(c, c) for c in folded]
    i = 0
    while i < len(source):
        original, value = source[i]
        lower = original.lower()
        if value == "'":
            pieces.append(r"(?:'[ ]?|[ ])?")
            chunks.append("")
        elif lower in _UMLAUTS and value:
            pieces.append(f"(?:{re.escape(_UMLAUTS[lower])}|{re.escape(value)})")
            chunks.append("")
        elif value in ("a", "o", "u") and _written_umlaut(source, i):
            pieces.append(f"{value}e?")
            chunks.append("")
            i += 1  # the "e" is consumed
        else:
            pieces.append(re.escape(value))
            chunks[-1] += value
        i += 1
    return "".join(pieces), [c for c in chunks if c]


def _written_umlaut(source: list[tuple[str, str]], i: int) -> bool:
    """True at the 'u' of 'Mueller': a vowel + 'e' spelling of an umlaut between consonants.

    Endings like '-ael', '-uel', '-oel' (Michael, Manuel, Joel) are names of their own.
    """
    text = "".join(f for _, f in source)
    if i + 1 >= len(text) or text[i + 1] != "e" or i == 0:
        return False
    before = text[i - 1]
    after = text[i + 2:i + 3]
    if not before.isalpha() or before in VOWELS or not after.isalpha() or after in VOWELS:
        return False
    return i + 3 < len(text)  # "-ael"/"-uel" at the end of the word stay as written


@dataclass(frozen=True)
class _UnitPatterns:
    full: str  # every part, written out
    loose: str  # full, an initial for it, or (for an initial) any word with that letter
    required: list[str]  # plain chunks the full spelling contains


def _unit_patterns(unit: _Unit, *, optional_leading_particles: bool = False) -> _UnitPatterns:
    literals = []
    required: list[str] = []
    for raw, part in zip(unit.raw_parts, unit.parts):
        regex, chunks = _part_literal(raw, part)
        literals.append(regex)
        required.extend(chunks)
    full = _COMPOUND_SEP.join(literals)
    if optional_leading_particles and len(unit.parts) > 1:
        lead = 0
        while lead < len(unit.parts) - 1 and unit.parts[lead] in PARTICLES:
            lead += 1
        if lead:
            optional = _COMPOUND_SEP.join(literals[:lead])
            full = f"(?:{optional}{_COMPOUND_SEP})?" + _COMPOUND_SEP.join(literals[lead:])
            required = required[-1:] if required else []
    letter = re.escape(unit.parts[0][0])
    if unit.is_initial:
        full = rf"{letter}\.?"
        loose = rf"{letter}{_LETTER}*\.?"
    else:
        initials = r"\.?[ ]?-?[ ]?".join(re.escape(p[0]) for p in unit.parts)
        loose = rf"(?:{full}|{letter}(?:\.|(?![\w']))"
        if len(unit.parts) > 1:
            loose += rf"|{initials}(?:\.|(?![\w']))"
        loose += ")"
    return _UnitPatterns(f"(?:{full})", loose, required)


# ---------------------------------------------------------------------------
# NameMatcher
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NameMatch:
    start: int  # offsets into the ORIGINAL text passed to search()
    end: int
    matched: str  # text[start:end]
    exact: bool  # every token of the wanted name matched in order (no initials/omissions tolerated)


class NameMatcher:
    """One wanted person name, compiled once and searched for in many texts."""

    def __init__(self, name: str):
        if not isinstance(name, str) or not any(c.isalpha() for c in name):
            raise ValueError(f"not a person's name (it has no letters): {name!r}")
        self.name = name
        self._needle = ""  # a folded string every match contains
        self._exact: re.Pattern[str] | None = None  # the name as wanted, to tell exact matches
        self._exact_alone: re.Pattern[str] | None = None  # the same, as a whole name in running text
        if has_cjk(name):
            self._regex = self._compile_cjk(name)
            return
        units = _units(_reorder_last_first(name))
        honorifics: list[_Unit] = []
        suffixes: list[_Unit] = []
        while len(units) > 2 and units[0].folded in HONORIFICS:
            honorifics.append(units.pop(0))
        if len(units) > 2 and units[-1].folded in SUFFIXES:
            suffixes.append(units.pop())
        if not units:
            raise ValueError(f"not a person's name (no name words): {name!r}")
        allow_period = bool(re.search(r"\w\.\w\w", fold(name)))
        family_index = next(
            (i for i in range(len(units) - 1, 0, -1)
             if not units[i].is_initial and units[i].folded not in PARTICLES),
            None,
        )
        self._honorifics = honorifics
        optional_before = "".join(f"(?:{_unit_patterns(u).full}\\.?[ ]*)?" for u in honorifics)
        optional_after = "".join(rf"(?:,?[ ]*{_unit_patterns(u).full}\.?)?" for u in suffixes)
        if family_index is None:
            self._regex = self._compile_phrase(units, allow_period, optional_before, optional_after)
        else:
            self._regex = self._compile_full(units, family_index, allow_period, optional_before, optional_after)

    # -- compiling ------------------------------------------------------------

    def _compile_cjk(self, name: str) -> re.Pattern[str]:
        chars = [f for f in (fold_char(c) for c in name) if f.strip()]
        self._needle = chars[0] if chars else ""
        return re.compile(r"\s*".join(re.escape(c) for c in chars))

    def _compile_phrase(self, units: list[_Unit], allow_period: bool, before: str, after: str) -> re.Pattern[str]:
        patterns = [_unit_patterns(u) for u in units]
        self._needle = max((c for p in patterns for c in p.required), key=len, default="")
        body = _unit_sep(allow_period).join(p.full for p in patterns)
        first = _first_letters(units[:1] + self._honorifics)
        return re.compile(f"{first}(?P<fwd>{_BOUNDARY_START}{before}{body}{after}{_BOUNDARY_END})")

    def _compile_full(self, units: list[_Unit], family_index: int, allow_period: bool,
                      before: str, after: str) -> re.Pattern[str]:
        sep = _unit_sep(allow_period)
        given = _unit_patterns(units[0])
        family = _unit_patterns(units[family_index], optional_leading_particles=True)
        between = units[1:family_index]
        middles = [_unit_patterns(u) for u in between if u.folded not in PARTICLES]
        trailing = [_unit_patterns(u) for u in units[family_index + 1:]]
        self._needle = max(family.required, key=len, default="")
        if len(self._needle) < 2:
            self._needle = ""  # too common to narrow anything down

        particles = f"(?:{sep}{_PARTICLE})*"
        extra = _EXTRA
        if middles:
            some_of_them = "".join(f"(?:{particles}{sep}{m.loose})?" for m in middles)
            all_plus_extras = extra + "?" + "".join(f"{particles}{sep}{m.loose}{extra}?" for m in middles)
            middle = f"(?:{some_of_them}|{all_plus_extras})"
        else:
            middle = f"{extra}{{0,2}}"
        tail = "".join(f"(?:{sep}{t.loose})?" for t in trailing)
        forward = (f"{_BOUNDARY_START}{before}{given.loose}{middle}{particles}{sep}"
                   f"{family.full}{tail}{after}{_BOUNDARY_END}")
        some_middles = "".join(f"(?:{particles}{sep}{m.loose})?" for m in middles)
        inverted = (f"{_BOUNDARY_START}{family.full}[ ]*,[ \n]*{given.loose}"
                    f"{some_middles}{particles}{tail}{_ITEM_END}")

        exact_words = [given.full] + [
            (_PARTICLE if u.folded in PARTICLES else _unit_patterns(u).full) for u in between
        ] + [_unit_patterns(units[family_index]).full] + [t.full for t in trailing]
        self._exact = re.compile(before + sep.join(exact_words) + after)
        first = _first_letters([units[0], units[family_index]] + self._honorifics)
        self._exact_alone = re.compile(first + _BOUNDARY_START + self._exact.pattern + _BOUNDARY_END)
        return re.compile(f"{first}(?:(?P<fwd>{forward})|(?P<rev>{inverted}))")

    # -- searching -------------------------------------------------------------

    def search(self, text: str) -> NameMatch | None:
        """The first place ``text`` names this person, or None."""
        folded = fold_text(text)
        m = self._next(folded, 0)
        return self._to_match(folded, m) if m else None

    def search_all(self, text: str) -> list[NameMatch]:
        """Every non-overlapping place ``text`` names this person, in order."""
        folded = fold_text(text)
        found = []
        position = 0
        while (m := self._next(folded, position)) is not None:
            found.append(self._to_match(folded, m))
            position = max(m.end(), m.start() + 1)
        return found

    def _next(self, folded: FoldedText, position: int) -> re.Match[str] | None:
        text = folded.text
        while (m := self._search_from(text, position)) is not None:
            if m.lastgroup is None:  # Chinese, Japanese, Korean: no word boundaries to check
                return m
            if ((m.lastgroup == "rev" and not _opens_list_item(text, m.start()))
                    or not _glued_ok(folded, m.start()) or _an_address(text, m)):
                position = m.start() + 1
                continue
            return self._tightest(folded, m)
        return None

    def _search_from(self, text: str, position: int) -> re.Match[str] | None:
        """``regex.search(text, position)``, but on long texts only near the literal every match contains.

        A name spans far less than ``_WINDOW`` characters, so a match holding the
        literal at ``i`` starts and ends inside ``i ± _WINDOW``; the full text is
        searched again only to rebuild the match object at the place found.
        """
        needle = self._needle
        if not needle:
            return self._regex.search(text, position)
        i = text.find(needle, position)
        if i < 0:
            return None
        # Short, or the literal is dense here: one plain scan costs no more. The count looks at a bounded
        # stretch only, so that search_all stays linear on a text naming the person thousands of times.
        if len(text) - position < 4 * _WINDOW or text.count(needle, i, i + 2 * _WINDOW) > 2:
            return self._regex.search(text, position)
        while i >= 0:
            low = max(position, i - _WINDOW)
            high = i + len(needle) + _WINDOW
            context = max(0, low - 4)
            m = self._regex.search(text[context:high + 64], low - context)
            if m is not None:
                start = context + m.start()
                again = self._regex.match(text, start)
                if again is not None and context + m.end() <= high:
                    return again
                return self._regex.search(text, start)
            i = text.find(needle, i + 1)
        return None

    def _tightest(self, folded: FoldedText, m: re.Match[str]) -> re.Match[str]:
        """Prefer an exact match that overlaps a tolerated one: "Jane Doe" in "Jane Jane Doe" or "Jane Doe Doe"."""
        if self._is_exact(m) or self._exact_alone is None:
            return m
        text = folded.text
        position = m.start()
        while (e := self._exact_alone.search(text, position, m.end() + 2 * _WINDOW)) is not None \
                and e.start() < m.end():
            again = self._exact_alone.match(text, e.start())  # without the window's artificial end
            if again is not None and _glued_ok(folded, again.start()):
                return again
            position = e.start() + 1
        return m

    def _is_exact(self, m: re.Match[str]) -> bool:
        if m.lastgroup == "rev":
            return False
        return self._exact is None or self._exact.fullmatch(m.group()) is not None

    def _to_match(self, folded: FoldedText, m: re.Match[str]) -> NameMatch:
        start, end = folded.span(m.start(), m.end())
        return NameMatch(start, end, folded.original[start:end], self._is_exact(m))

    def __repr__(self) -> str:
        return f"NameMatcher({self.name!r})"


def _glued_ok(folded: FoldedText, position: int) -> bool:
    """A name may follow "by"/"von"/... with no space ("bySauli Giliard", from ``by<a>Sauli</a>``) only
    when the original shows the seam: lower-case prefix, capital letter, so "Byron Smith" never names
    "Ron Smith"."""
    if position == 0 or not folded.text[position - 1].isalnum():
        return True
    start, _ = folded.span(position, position + 1)
    original = folded.original
    return original[start:start + 1].isupper() and any(
        original[max(0, start - len(p)):start] == p for p in _GLUED_PREFIXES)


def _an_address(text: str, m: re.Match[str]) -> bool:
    """'c.riedler@nachrichten.at' holds "C. Riedler" but is an e-mail address, not a credit."""
    return text[m.end():m.end() + 1] == "@" and not any(c.isspace() for c in m.group())


def _opens_list_item(text: str, position: int) -> bool:
    """True when ``position`` starts a byline item: text start, after a separator or a "by"-like word.

    This keeps the inverted form "Doe, Jane" from reading "Jane Smith, John Doe" as naming John Smith.
    """
    before = text[max(0, position - 40):position].rstrip(" ")
    if not before or before[-1] in "\n,;|/&•·:([-+\"'":
        return True
    if re.search(r"\w\w\.$", before):  # a sentence ended; after an initial ("J. Doe, Jane") it has not
        return True
    last = re.search(r"(\w+)\W*$", before)
    return bool(last) and last.group(1) in _OPENING_WORDS


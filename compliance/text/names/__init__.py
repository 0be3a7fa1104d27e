"""Person names in byline text: fold, match a wanted name, split and recognise names.

A syndication licence usually says "the byline must name the original reporter".
Bylines spell that reporter many ways ("By JANE Q. DOE", "Doe, Jane", "Jane Doe und
John Smith", "Aleš Vávra" typed as "Ales Vavra"), yet a byline naming someone else
with the same surname must not pass. So matching works on *folded* text (case,
accents and punctuation variants removed) and a name is compiled once into a
regular expression that knows which parts of it are given name, middle names,
particles and family name.

Map of the module:

- ``fold`` – the comparison form of any text (and ``_FoldedText``, which keeps
  offsets back to the original so a match can be shown as the page wrote it);
- ``NameMatcher`` – one wanted name, compiled; ``search``/``search_all`` over text;
- ``split_names`` – a byline string cut into the names it credits;
- ``looks_like_person_name`` – tells a person's name from an organisation or UI word.

Matching rules (``NameMatcher``):

- Given and family name must both be present, as whole words, in that order
  ("Jane Doe") or inverted with a comma ("Doe, Jane", only where the comma opens a
  list item, so "Jane Smith, John Doe" does not name John Smith).
- An initial stands for any name with that letter ("J. Doe" ~ "Jane Doe"), in
  either direction. Middle names or initials present on one side only are
  tolerated, but not two *different* middle names ("Jane A. Doe" is not
  "Jane B. Doe"). At most two extra words may sit between given and family name.
- Particles (van, von, de, da, del, di, la, le, bin, al-, ...) are optional.
- Hyphen and space are the same inside a name ("Okonjo-Iweala" ~ "Okonjo Iweala"),
  but a hyphenated compound is never cut: "Jean Dupont" does not match
  "Jean-Pierre Dupont", nor "Jane Doe" "Jane Doe-Smith".
- Umlauts may be spelled out, either way round: "Müller" ~ "Mueller", "Jørgen" ~
  "Joergen" (not for "-ael"/"-uel" endings, so "Michael" never matches "Michal").
- Nicknames are different names: "Dan" does not match "Daniel", "Ann" not "Anna".
  A byline that uses a short form needs that form passed as another wanted name.
- A one-word name ("Paddy") or a name made only of initials matches that exact
  word sequence; a Chinese, Japanese or Korean name matches as a folded substring,
  ignoring spaces.
- Markup leaves seams: "bySauli Giliard" (lower-case credit word glued to a capital)
  counts, "Byron Smith" does not name "Ron Smith"; "c.riedler@…" is an address.
- Where a tolerated match and an exact one overlap, the exact one is reported.
- ``exact`` is True when every wanted word was found, in order, written out as
  wanted (case, accents, hyphen/space and the umlaut spellings aside); titles
  ("Dr.") and suffixes ("Jr.") do not count. A checker that must not credit a
  namesake can treat ``exact=False`` ("J. Doe" for "Jane Doe") as needing review.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["NameMatch", "NameMatcher", "fold", "looks_like_person_name", "split_names"]


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


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def _fold_once(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if ch in _DIRECT:
            out.append(_DIRECT[ch])
            continue
        if ch in _NEWLINES:
            out.append("\n")
            continue
        if _is_cjk(ch):
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


def _fold_char(ch: str) -> str:
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
        value = _fold_char(chr(code))
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


class _FoldedText:
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
def _folded_long(text: str) -> _FoldedText:
    return _FoldedText(text)


def _folded(text: str) -> _FoldedText:
    """Fold once per text: a byline check searches the same page text for every author."""
    return _folded_long(text) if len(text) > 2000 else _FoldedText(text)


# ---------------------------------------------------------------------------
# Word lists (folded)
# ---------------------------------------------------------------------------

_PARTICLES = frozenset(
    "van von vom de da das dos do del della delle dei degli di du des la le lo les "
    "ter ten den der het zu zur zum bin binti bint ibn al el".split()
)
# Words that join two names in a list, or tie a name to an outlet.
_LIST_WORDS = frozenset("and und et y e i og och en ja sowie plus ou or oder".split())
_TIE_WORDS = frozenset("with mit avec con com met med for fur pour para per voor at of from via".split())
_PREFIX_WORDS = frozenset("by von par por di door av af de z od van written reported story words text texto".split())
_HONORIFICS = frozenset("dr prof mr mrs ms mx miss sir dame herr frau mme mlle dra sra rev".split())
_SUFFIXES = frozenset("jr sr ii iii iv phd md dds esq mba msc bsc rn mph".split())
_SUFFIXES_AFTER_COMMA = _SUFFIXES | {"ma", "ms", "mfa", "mpa", "llm", "do", "np", "pa"}

_ROLE_CORE = frozenset(
    "staff writer writers reporter reporters correspondent correspondents editor editors columnist "
    "contributor contributors journalist journalists photographer photographers producer intern "
    "redakteur redakteurin redakteure korrespondent korrespondentin korrespondenten autor autorin autoren "
    "author authors auteur auteurs autore autori corresponsal periodista periodistas reportero reportera "
    "redactor redactora journaliste journalistes redaktor redaktorka dziennikarz dziennikarka".split()
)
# Degrees after a name; "Ma" and "Md" written as names are names ("Jack Ma"), so see _is_degree.
_DEGREES = frozenset("phd ph.d md m.d ma m.a mba msc bsc mfa mph rn".split())
_ROLE_WORDS = _ROLE_CORE | frozenset(
    "senior chief special political politics sports sport science health business technology tech "
    "news desk team editorial managing deputy associate assistant executive contributing freelance "
    "guest investigative data national foreign local metro culture opinion features digital "
    "leitender leitende freier freie freelancer envoye envoyee speciale especial".split()
)

_ORG_WORDS = frozenset(
    "news nachrichten press presse pressestelle agency agentur agencia agence agenzia media medien "
    "foundation stiftung redaktion redaccion redazione redaction editors editorial staff team desk "
    "newsdesk newsroom online times post journal tribune herald gazette daily weekly magazine magazin "
    "zeitung zeitschrift radio tv television network group gruppe inc ltd llc gmbh corp corporation "
    "company verlag verband verein bund ministry ministerium university universitat universidad "
    "universite institute institut instituto association organization organisation council service "
    "services wire blog club international world today report review channel broadcasting "
    "reuters bloomberg welle webteam support admin administrator official nieuws noticias nouvelles "
    "notizie abteilung department office bureau buro rundfunk fernsehen portal verlagsgruppe "
    "diario periodico revista editora editions edition publishing publications".split()
)
# Heads of German compounds ("Sportredaktion", "PETA-Team").
_ORG_ENDINGS = ("redaktion", "team", "verlag", "verband", "agentur", "stiftung", "zeitung", "nachrichten",
                "presse", "newsdesk", "desk")
_LEGAL_FORMS = frozenset("se ag kg gmbh sa sas srl spa bv nv plc ltd inc llc co oy ab asa".split())
# Agencies and broadcasters; the short ones only count written in capitals or lower case ("SID",
# "dpa"), because "Sid" and "Ria" are also first names.
_AGENCIES = frozenset("reuters bloomberg xinhua kyodo jiji yonhap bernama antara belga lusa".split())
_AGENCY_ACRONYMS = frozenset(
    "ap afp dpa epd kna sid apa ansa efe epa upi tass ria bbc cnn npr pbs abc nbc cbs msnbc ard zdf ndr "
    "wdr mdr swr rbb orf srf dw pa aap anp ctk pap mti ians pti ani dha iha sda ats".split()
)
_ORG_PHRASES = frozenset({
    "associated press", "the associated press", "deutsche welle", "deutsche presse-agentur",
    "press association", "united press international", "agence france-presse", "agence france presse",
    "canadian press", "the canadian press", "no author", "follow author", "the editors",
})
# Whole values that are page furniture, not credits...
_UI_WORDS = frozenset(
    "follow following username user name author authors autor anonymous anon unknown admin "
    "administrator guest staff share shares comment comments login logout signin subscribe menu home "
    "search more read print email mail facebook twitter linkedin whatsapp instagram tweet close "
    "profile bio updated published posted advertisement sponsored contributors contributor "
    "redaktion newsdesk team editor editors none null undefined".split()
)
# ...and words that spoil any value they appear in ("Follow Author", "Share this"); "More" and
# "Close" are left out, being surnames too.
_UI_TOKENS = frozenset(
    "follow following username login logout signin subscribe share shares tweet facebook twitter "
    "linkedin whatsapp instagram comments advertisement sponsored anonymous admin administrator "
    "undefined null wordpressadmin unknown watch live latest posts post update updated updates "
    "aktualisierung aktualisiert letzte weitere mehr lesen newsletter podcast video videos foto fotos "
    "photo photos image images gallery galerie menu search suche home startseite".split()
)
# sentence words that, even capitalised, are not names ("More" and "Will" can be surnames, so they are not here)
_NEVER_IN_NAMES = frozenset(
    "not what which this that these those is are was were you your we our they their how why when where "
    "und oder ist sind nicht wie wir ich une est sont pas que qui".split()
)
# words that occur in sentences and headlines; written in lower case they are not part of a name
_FUNCTION_WORDS = frozenset(
    "a an the not no what which who whom this that these those with without for from into onto upon "
    "in on at to of and or but nor so yet is are was were be been being has have had do does did "
    "you your we our they their he his she her it its my me i all some any every each more most "
    "than then there here when where why how about after before over under while during "
    "den dem des ein eine einer eines einem und oder aber mit für auf aus bei im ins zum zur vom "
    "ist sind war waren wird werden hat haben nicht kein keine wie was wir ihr sie es ich auch noch "
    "une et ou pour avec sans dans sur est sont pas qui que quoi "
    "los las una unos unas con para sin sobre es son".split()
)
_ARTICLES = frozenset({"The", "THE", "Der", "DER", "Die", "DIE", "Das", "DAS", "Le", "LE", "La", "LA",
                       "Les", "LES", "El", "EL", "Il", "IL", "Het", "HET", "Los", "Las"})
_CJK_ORG_MARKS = ("新聞", "新闻", "日報", "日报", "通信", "電視", "电视", "放送", "テレビ", "デジタル",
                  "オンライン", "編集", "编辑", "記者", "记者", "기자", "社", "網", "网", "报", "報",
                  "局", "台", "신문", "뉴스", "편집", "个人", "個人")


# ---------------------------------------------------------------------------
# The wanted name, parsed
# ---------------------------------------------------------------------------

_NAME_TOKEN = re.compile(r"\w+(?:['-]\w+)*")
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ø": "oe", "å": "aa"}
_VOWELS = set("aeiouy")


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
    folded = _FoldedText(name)
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
    if all(w in _SUFFIXES_AFTER_COMMA for w in words):
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


_PARTICLE = _word_alternation(_PARTICLES) + r"(?![\w'])"
_OPENING_WORDS = _PREFIX_WORDS | _LIST_WORDS | _TIE_WORDS | _PARTICLES  # "(de) Jong, Michiel"
_NOT_A_JOINING_WORD = "(?!" + _word_alternation(
    frozenset(w for w in _LIST_WORDS | _TIE_WORDS | _PREFIX_WORDS if len(w) > 1) - _PARTICLES
) + r"(?!\w))"
# A word the byline has between given and family name that the wanted name lacks.
_EXTRA_WORD = rf"{_NOT_A_JOINING_WORD}{_LETTER}+(?:'{_LETTER}+)*\.?(?!-)"
# ...alone, or one or two of them in brackets or quotes: "Bruno (Henrique Zecchin) Rodrigues".
_EXTRA = rf'(?:[ ]+{_EXTRA_WORD}|[ ]+[("]{_EXTRA_WORD}(?:[ ]+{_EXTRA_WORD})?[)"])'
_ITEM_END = (r"(?=[ ]*(?:$|\n|[,;|/&•·:()\[\]+]|-(?!\w)|"
             + _word_alternation(_LIST_WORDS | _TIE_WORDS) + r"(?!\w)))")


def _first_letters(units: list[_Unit]) -> str:
    """A lookahead for the letters a match can start with: a cheap test before the boundary checks."""
    letters = {u.parts[0][0] for u in units}
    return "(?=[" + "".join(sorted(re.escape(c) for c in letters)) + "])"


def _part_literal(raw: str, folded: str) -> tuple[str, list[str]]:
    """Regex for one name part, and the plain chunks it must contain (for a quick pre-check)."""
    chars = unicodedata.normalize("NFC", raw)
    pieces: list[str] = []
    chunks: list[str] = [""]
    source = [(c, _fold_char(c)) for c in chars]
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
    if not before.isalpha() or before in _VOWELS or not after.isalpha() or after in _VOWELS:
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
        while lead < len(unit.parts) - 1 and unit.parts[lead] in _PARTICLES:
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
        if any(_is_cjk(c) for c in name):
            self._regex = self._compile_cjk(name)
            return
        units = _units(_reorder_last_first(name))
        honorifics: list[_Unit] = []
        suffixes: list[_Unit] = []
        while len(units) > 2 and units[0].folded in _HONORIFICS:
            honorifics.append(units.pop(0))
        if len(units) > 2 and units[-1].folded in _SUFFIXES:
            suffixes.append(units.pop())
        if not units:
            raise ValueError(f"not a person's name (no name words): {name!r}")
        allow_period = bool(re.search(r"\w\.\w\w", fold(name)))
        family_index = next(
            (i for i in range(len(units) - 1, 0, -1)
             if not units[i].is_initial and units[i].folded not in _PARTICLES),
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
        chars = [f for f in (_fold_char(c) for c in name) if f.strip()]
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
        middles = [_unit_patterns(u) for u in between if u.folded not in _PARTICLES]
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
            (_PARTICLE if u.folded in _PARTICLES else _unit_patterns(u).full) for u in between
        ] + [_unit_patterns(units[family_index]).full] + [t.full for t in trailing]
        self._exact = re.compile(before + sep.join(exact_words) + after)
        first = _first_letters([units[0], units[family_index]] + self._honorifics)
        self._exact_alone = re.compile(first + _BOUNDARY_START + self._exact.pattern + _BOUNDARY_END)
        return re.compile(f"{first}(?:(?P<fwd>{forward})|(?P<rev>{inverted}))")

    # -- searching -------------------------------------------------------------

    def search(self, text: str) -> NameMatch | None:
        """The first place ``text`` names this person, or None."""
        folded = _folded(text)
        m = self._next(folded, 0)
        return self._to_match(folded, m) if m else None

    def search_all(self, text: str) -> list[NameMatch]:
        """Every non-overlapping place ``text`` names this person, in order."""
        folded = _folded(text)
        found = []
        position = 0
        while (m := self._next(folded, position)) is not None:
            found.append(self._to_match(folded, m))
            position = max(m.end(), m.start() + 1)
        return found

    def _next(self, folded: _FoldedText, position: int) -> re.Match[str] | None:
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
        if len(text) - position < 4 * _WINDOW or text.count(needle, position) * 2 * _WINDOW > len(text) - position:
            return self._regex.search(text, position)  # short, or the literal is everywhere: one plain scan
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

    def _tightest(self, folded: _FoldedText, m: re.Match[str]) -> re.Match[str]:
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

    def _to_match(self, folded: _FoldedText, m: re.Match[str]) -> NameMatch:
        start, end = folded.span(m.start(), m.end())
        return NameMatch(start, end, folded.original[start:end], self._is_exact(m))

    def __repr__(self) -> str:
        return f"NameMatcher({self.name!r})"


def _glued_ok(folded: _FoldedText, position: int) -> bool:
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


# ---------------------------------------------------------------------------
# Recognising and splitting names
# ---------------------------------------------------------------------------

_MONTHS = (
    r"jan(?:uary|uar|vier)?|feb(?:ruary|ruar)?|f[eé]vrier|mar(?:ch|s|zo)?|m[aä]rz|apr(?:il)?|avril|abril|"
    r"may|mai|mayo|june?|juni|juin|junio|july?|juli|juillet|julio|aug(?:ust)?|ao[uû]t|agosto|"
    r"sep(?:t(?:ember)?)?|septembre|septiembre|oct(?:ober)?|okt(?:ober)?|octobre|octubre|nov(?:ember|embre|iembre)?|"
    r"dec(?:ember)?|dez(?:ember)?|d[eé]cembre|diciembre|enero|febrero"
)
_DATE_OR_TIME = re.compile(
    rf"(?<!\d)\d{{1,2}}(?:\.|st|nd|rd|th)?\s*(?:de\s+)?(?:{_MONTHS})\b\.?(?:,?\s*(?:de\s+)?\d{{4}})?"
    rf"|\b(?:{_MONTHS})\b\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    rf"|\b(?:{_MONTHS})\b\.?\s+\d{{4}}"
    r"|\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|(?<!\d)\d{1,2}[./]\d{1,2}[./]\d{2,4}"
    r"|(?<!\d)\d{1,2}[:h.]\d{2}(?:\s*(?:[ap]\.?\s?m\b\.?|uhr\b|h\b))?(?:\s*(?-i:[A-Z]{1,3}T|UTC|GMT|MESZ|MEZ)\b)?"
    r"|\b(?:last\s+)?(?:updated|modified|published|posted|aktualisiert|ver[öo]ffentlicht|stand|publi[ée]e?|"
    r"mis\s+[àa]\s+jour|actualizado|publicado)\b:?"
    r"|(?<![^\W\d_])\d+(?![^\W\d_])",
    re.IGNORECASE,
)
_CUTS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?:https?://|www\.)\S+"  # link
    r"|(?<!\w)@\w+"  # social handle
    r"|\s+[-–—]+\s+|[,;|/&•·:+\n\r\t\[\]{}<>«»“”\"]"
)
_ALWAYS_JOINING = ("and", "und", "with", "mit", "avec", "for", "fur", "für", "pour", "sowie")
_LOWERCASE_JOINING = ("y", "e", "i", "og", "och", "en", "ja", "con", "com", "met", "med", "per", "para",
                      "voor", "för", "at", "of", "from", "via", "et", "on", "am", "um")
_JOINING_WORD = re.compile(
    r"(?<![\w'-])(?:(?i:" + "|".join(_ALWAYS_JOINING) + ")|" + "|".join(_LOWERCASE_JOINING) + r")(?![\w'-])"
)
_LEADING_MARKER = re.compile(
    r"(?i:(?:written|reported|story|words|text|texto|photos?|fotos?|edited|compiled|posted|published|"
    r"contributed|interview|analysis|commentary|reporting)\s+(?:by|von|par|por)"
    r"|by|par|por|door|text|texto|texte|autor|autorin|author|authors|auteur|autore|byline)\b\s*[:\-–—]?\s*"
)
_AMBIGUOUS_MARKER = re.compile(r"(?i:von|van|di|de|z|od|av|af)\s+")
_PARENTHESES = re.compile(r"\(([^()]*)\)")


def split_names(value: str) -> list[str]:
    """Split a byline or author string into person names: "By Jane Doe and John Smith, Daily Caller News
    Foundation | Jan 3, 2024" → ["Jane Doe", "John Smith"]. Handles by/von/par/por/di/door/av/af/de/z/od/van/
    "written by"/"reported by" prefixes, separators , ; & / and und et y e i og och en ja, trailing roles
    ("Staff Writer", "Reporter", "Correspondent", "PhD", "Dr."), dates and times, "|" parts, emails, "@handles".

    Every name returned is a slice of ``value`` (stripped), so callers can find it
    again with ``value.find``. Pieces that are clearly not people (outlets, agencies,
    roles, UI words, dates) are left out; single words such as "Paddy" are kept,
    because ``looks_like_person_name`` is the stricter test. An inverted
    "Jong, Michiel de" is kept whole as one name.
    """
    if not isinstance(value, str) or not value.strip():
        return []
    inverted = _inverted_whole(value)
    if inverted:
        return [inverted]
    names: list[str] = []
    seen: set[str] = set()
    previous_refused = False
    previous_end = 0
    for start, end in _segments(value):
        # "Organization for Transformative Works": what follows "for"/"of" an outlet belongs to it
        joined_to_refused = previous_refused and fold(value[previous_end:start]).strip() in _TIE_WORDS
        previous_end = end
        start, end = _trim(value, start, end)
        candidate = value[start:end]
        previous_refused = start >= end or _verdict(candidate) == "not"
        if previous_refused or joined_to_refused:
            previous_refused = True
            continue
        key = fold(candidate)
        if key not in seen:
            seen.add(key)
            names.append(candidate)
    return names


def _inverted_whole(value: str) -> str | None:
    """'Doe, Jane' (one surname word, one comma, nothing else) is one name, not two."""
    text = value.strip()
    if text.count(",") != 1 or _CUTS.sub("", text.replace(",", "")) != text.replace(",", ""):
        return None
    before, after = (s.strip() for s in text.split(","))
    after_words = after.split()
    if (len(before.split()) != 1 or not 1 <= len(after_words) <= 3
            or fold(after).strip(".") in _SUFFIXES_AFTER_COMMA or _JOINING_WORD.search(text)
            or _DATE_OR_TIME.search(text)):
        return None
    if _verdict(before) == "not" or _verdict(after) == "not":
        return None
    if len([w for w in after_words if fold(w) not in _PARTICLES]) > 2:
        return None
    return text if _verdict(text) == "person" else None


def _segments(value: str) -> list[tuple[int, int]]:
    """Spans of ``value`` left between separators, dates, e-mails, handles and joining words."""
    cut = bytearray(len(value))
    for pattern in (_CUTS, _DATE_OR_TIME, _JOINING_WORD):
        for m in pattern.finditer(value):
            cut[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    # Brackets hold a separate credit ("Martin Untersinger (avec Damien Leloup)"), except between a
    # given and a family name: "Bruno (Henrique Zecchin) Rodrigues".
    for m in _PARENTHESES.finditer(value):
        if not _inside_a_name(value, cut, m):
            cut[m.start()] = cut[m.end() - 1] = 1
    spans: list[tuple[int, int]] = []
    start = None
    for i, flag in enumerate(cut):
        if not flag and start is None:
            start = i
        elif flag and start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(value)))
    return spans


def _inside_a_name(value: str, cut: bytearray, m: re.Match[str]) -> bool:
    start = m.start()
    while start > 0 and not cut[start - 1]:
        start -= 1
    end = m.end()
    while end < len(value) and not cut[end]:
        end += 1
    before = _LEADING_MARKER.sub("", value[start:m.start()].strip(), count=1).split()
    after = value[m.end():end].split()
    inside = m.group(1).split()
    return (len(before) == 1 and len(after) == 1 and 1 <= len(inside) <= 2
            and all(w[:1].isupper() for w in before + after + inside))


def _trim(value: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading credit markers, honorifics and roles, and trailing roles, from one segment."""
    strip_chars = " \t\r\n.,;:-–—|•·*\"'()[]!?=_#~"
    while start < end and value[start] in strip_chars:
        start += 1
    while start < end and value[end - 1] in strip_chars.replace(".", ""):
        end -= 1
    for _ in range(4):
        segment = value[start:end]
        m = _LEADING_MARKER.match(segment)
        if m and m.end() < len(segment):
            start += m.end()
            continue
        m = _AMBIGUOUS_MARKER.match(segment)
        if m and len(segment[m.end():].split()) >= 2:
            start += m.end()
            continue
        break
    words = list(re.finditer(r"\S+", value[start:end]))
    keys = [fold(w.group()).strip(".:,") for w in words]
    # leading honorifics and role phrases ("Dr.", "Staff Writer Jane Doe")
    drop = 0
    while drop < len(words) - 1 and keys[drop] in _HONORIFICS:
        drop += 1
    role_run = drop
    while role_run < len(words) - 1 and keys[role_run] in _ROLE_WORDS:
        role_run += 1
    if role_run > drop and any(k in _ROLE_CORE for k in keys[drop:role_run]):
        drop = role_run
    # trailing role phrases ("Jane Doe Staff Writer", "Jane Doe PhD"), but not a surname like "Guest"
    keep = len(words)
    role_run = keep
    while role_run > drop and (keys[role_run - 1] in _ROLE_WORDS or _is_degree(words[role_run - 1].group())):
        role_run -= 1
    trailing = range(role_run, keep)
    if any(keys[i] in _ROLE_CORE or _is_degree(words[i].group()) for i in trailing):
        if role_run - drop == 1 and not any(_is_degree(words[i].group()) for i in trailing):
            return start, start  # "Guardian staff reporter", "MND Staff": a desk, not a person
        keep = role_run
    if drop >= keep:
        return start, start
    new_start = start + words[drop].start()
    new_end = start + words[keep - 1].end()
    # a final period belongs to an initial or "Jr.", not to a full word
    if value[new_end - 1] == "." and not _ends_with_abbreviation(value[new_start:new_end]):
        new_end -= 1
    return new_start, new_end


def _is_degree(word: str) -> bool:
    """'PhD', 'MA', 'M.A.' after a name are degrees; 'Ma' as in 'Jack Ma' is a surname."""
    letters = word.strip(".,")
    is_name_cased = letters[:1].isupper() and letters[1:].islower() and "." not in letters
    return not is_name_cased and fold(letters).strip(".") in _DEGREES


def _ends_with_abbreviation(text: str) -> bool:
    last = re.search(r"(\w+)\.$", text)
    return bool(last) and (len(last.group(1)) == 1 or fold(last.group(1)) in _SUFFIXES | _HONORIFICS)


def looks_like_person_name(value: str) -> bool:
    """True for 'Jane Doe', 'José María García-López', 'A. B. Smith', 'Aleš Vávra', 'Ngozi Okonjo-Iweala', '王小明';
    False for organisations and UI words ('BBC News', 'Associated Press', 'dpa', 'Deutsche Welle', 'Staff',
    'Redaktion', 'The Editors', 'Daily Caller News Foundation', 'Follow', 'Username', 'No Author', 'Share this').

    A single word ("Paddy", "Greenpeace") is never enough: first names, handles and
    brands cannot be told apart, and a byline check must not credit a brand.
    """
    return isinstance(value, str) and _verdict(value) == "person"


_NOT_ALONE = (_PREFIX_WORDS | _PARTICLES | _LIST_WORDS | _TIE_WORDS | _ROLE_WORDS | _ORG_WORDS | _HONORIFICS
              | _UI_WORDS | _AGENCIES | _AGENCY_ACRONYMS)
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’ʼ.\-‐](?=[^\W\d_]))*\.?")


def _verdict(value: str) -> str:
    """'person', 'maybe' (one plausible word) or 'not'."""
    text = _PARENTHESES.sub(" ", value).strip(" \t\r\n,;:|-–—•·*\"'")
    if not text or not any(c.isalpha() for c in text):
        return "not"
    folded = fold(text)
    if folded in _ORG_PHRASES or folded in _UI_WORDS:
        return "not"
    if "@" in text or "://" in text or re.search(r"[a-z0-9]\.[a-z]{2,4}(?:\.[a-z]{2})?$|^www\.", folded):
        return "not"
    if any(_is_cjk(c) for c in text):
        return _cjk_verdict(text)
    if any(c.isdigit() for c in text) or re.search(r"[;|/&+=#!?<>{}\[\]_]", text):
        return "not"
    if text.count(",") == 1:
        before, after = text.split(",")
        if fold(after).strip(" .") in _SUFFIXES_AFTER_COMMA:
            text = before
        elif len([w for w in fold(before).split() if w not in _PARTICLES]) == 1 and 1 <= len(after.split()) <= 3:
            text = f"{after} {before}"  # "Doe, Jane"
        else:
            return "not"  # "Jane Doe, John Smith" is a list, not a name
    elif "," in text:
        return "not"
    words = text.split()
    if any(not _NAME_WORD.fullmatch(w) for w in words):
        return "not"
    while len(words) > 2 and fold(words[0]).strip(".") in _HONORIFICS:
        words.pop(0)
    while len(words) > 2 and fold(words[-1]).strip(".") in _SUFFIXES:
        words.pop()
    folded_words = [fold(w).strip(".") for w in words]
    if words[0] in _ARTICLES or "the" in folded_words:
        return "not"
    for word, key in zip(words, folded_words):
        if len(key) > 1 and key not in _PARTICLES and (
                (word.islower() and key in _FUNCTION_WORDS) or key in _NEVER_IN_NAMES):
            return "not"  # "nearly all tests were passing", "you have read", "Not What's Easy"
    if text == text.lower() and len(words) > 1:
        return "not"  # printed names are capitalised; an all-lower-case run of words is prose
    has_upper = any(c.isupper() for c in text)
    has_lower = any(c.islower() for c in text)
    mixed_case = has_upper and has_lower
    for word, key in zip(words, folded_words):
        pieces = key.split("-")
        if key in _UI_TOKENS or key in _ROLE_CORE or key in _AGENCIES:
            return "not"
        if key in _AGENCY_ACRONYMS and (word.isupper() or word.islower()):
            return "not"
        if any(p in _ORG_WORDS for p in pieces) or key.endswith(_ORG_ENDINGS):
            return "not"
        if key in _ALWAYS_JOINING or (word.islower() and key in (_LIST_WORDS | _TIE_WORDS) - _PARTICLES):
            return "not"
        if mixed_case and word.isupper() and "." not in word and 2 <= len(word) <= 4 and (
                key in _LEGAL_FORMS or not set(key) & _VOWELS):
            return "not"  # "MDR", "SE" beside ordinary words are acronyms, not names
    # the first word is a given name even when it looks like a particle ("Lê Phương", "Van Morrison")
    core = [(w, k) for i, (w, k) in enumerate(zip(words, folded_words)) if i == 0 or k not in _PARTICLES]
    if not core:
        return "not"
    if len(core) == 1:
        word, key = core[0]
        if key in _NOT_ALONE:
            return "not"
        if len(word) >= 3 and word[:1].isupper() and word[1:].islower() and word.isalpha():
            return "maybe"
        return "not"
    if len(core) > 5 or all(len(k) == 1 for _, k in core):
        return "not"
    if mixed_case:
        for position, (word, key) in enumerate(zip(words, folded_words)):
            if key in _PARTICLES and position > 0:
                continue
            first = next((c for c in word if c.isalpha()), "")
            if first.islower() and not re.match(r"(?:al|el|d|l)['’\-]", word):
                return "not"  # "Catch more fish", "Brand eins"
    return "person"


def _cjk_verdict(text: str) -> str:
    if any(mark in text for mark in _CJK_ORG_MARKS) or any(c.isdigit() for c in text):
        return "not"
    letters = [c for c in text if not c.isspace() and c not in "·・"]
    if not all(_is_cjk(c) for c in letters):
        return "not"
    if len(text.split()) > 2:
        return "not"
    return "person" if 2 <= len(letters) <= 5 else "not"

"""``split_names``: a byline string cut into the names it credits ("A, B und C", "Doe, Jane").
"""

from __future__ import annotations

import re

from compliance.text.names.classify import verdict
from compliance.text.names.fold import fold
from compliance.text.names.lexicon import (
    ALWAYS_JOINING,
    DEGREES,
    HONORIFICS,
    PARENTHESES,
    PARTICLES,
    ROLE_CORE,
    ROLE_WORDS,
    SUFFIXES,
    SUFFIXES_AFTER_COMMA,
    TIE_WORDS,
)

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
_LOWERCASE_JOINING = ("y", "e", "i", "og", "och", "en", "ja", "con", "com", "met", "med", "per", "para",
                      "voor", "för", "at", "of", "from", "via", "et", "on", "am", "um")
_JOINING_WORD = re.compile(
    r"(?<![\w'-])(?:(?i:" + "|".join(ALWAYS_JOINING) + ")|" + "|".join(_LOWERCASE_JOINING) + r")(?![\w'-])"
)
_LEADING_MARKER = re.compile(
    r"(?i:(?:written|reported|story|words|text|texto|photos?|fotos?|edited|compiled|posted|published|"
    r"contributed|interview|analysis|commentary|reporting)\s+(?:by|von|par|por)"
    r"|by|par|por|door|text|texto|texte|autor|autorin|author|authors|auteur|autore|byline)\b\s*[:\-–—]?\s*"
)
_AMBIGUOUS_MARKER = re.compile(r"(?i:von|van|di|de|z|od|av|af)\s+")


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
        joined_to_refused = previous_refused and fold(value[previous_end:start]).strip() in TIE_WORDS
        previous_end = end
        start, end = _trim(value, start, end)
        candidate = value[start:end]
        previous_refused = start >= end or verdict(candidate) == "not"
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
            or fold(after).strip(".") in SUFFIXES_AFTER_COMMA or _JOINING_WORD.search(text)
            or _DATE_OR_TIME.search(text)):
        return None
    if verdict(before) == "not" or verdict(after) == "not":
        return None
    if len([w for w in after_words if fold(w) not in PARTICLES]) > 2:
        return None
    return text if verdict(text) == "person" else None


def _segments(value: str) -> list[tuple[int, int]]:
    """Spans of ``value`` left between separators, dates, e-mails, handles and joining words."""
    cut = bytearray(len(value))
    for pattern in (_CUTS, _DATE_OR_TIME, _JOINING_WORD):
        for m in pattern.finditer(value):
            cut[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    # Brackets hold a separate credit ("Martin Untersinger (avec Damien Leloup)"), except between a
    # given and a family name: "Bruno (Henrique Zecchin) Rodrigues".
    for m in PARENTHESES.finditer(value):
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
    while drop < len(words) - 1 and keys[drop] in HONORIFICS:
        drop += 1
    role_run = drop
    while role_run < len(words) - 1 and keys[role_run] in ROLE_WORDS:
        role_run += 1
    if role_run > drop and any(k in ROLE_CORE for k in keys[drop:role_run]):
        drop = role_run
    # trailing role phrases ("Jane Doe Staff Writer", "Jane Doe PhD"), but not a surname like "Guest"
    keep = len(words)
    role_run = keep
    while role_run > drop and (keys[role_run - 1] in ROLE_WORDS or _is_degree(words[role_run - 1].group())):
        role_run -= 1
    trailing = range(role_run, keep)
    if any(keys[i] in ROLE_CORE or _is_degree(words[i].group()) for i in trailing):
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
    return not is_name_cased and fold(letters).strip(".") in DEGREES


def _ends_with_abbreviation(text: str) -> bool:
    last = re.search(r"(\w+)\.$", text)
    return bool(last) and (len(last.group(1)) == 1 or fold(last.group(1)) in SUFFIXES | HONORIFICS)



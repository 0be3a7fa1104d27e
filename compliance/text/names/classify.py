"""``looks_like_person_name``: tells a person's name from an organisation, a brand or a UI word.
"""

from __future__ import annotations

import re

from compliance.text.names.fold import fold, has_cjk, is_cjk
from compliance.text.names.lexicon import (
    AGENCIES,
    AGENCY_ACRONYMS,
    ALWAYS_JOINING,
    ARTICLES,
    CJK_ORG_MARKS,
    FUNCTION_WORDS,
    HONORIFICS,
    LEGAL_FORMS,
    LIST_WORDS,
    NEVER_IN_NAMES,
    ORG_ENDINGS,
    ORG_PHRASES,
    ORG_WORDS,
    PARENTHESES,
    PARTICLES,
    PREFIX_WORDS,
    ROLE_CORE,
    ROLE_WORDS,
    SUFFIXES,
    SUFFIXES_AFTER_COMMA,
    TIE_WORDS,
    UI_TOKENS,
    UI_WORDS,
    VOWELS,
)


def looks_like_person_name(value: str) -> bool:
    """True for 'Jane Doe', 'José María García-López', 'A. B. Smith', 'Aleš Vávra', 'Ngozi Okonjo-Iweala', '王小明';
    False for organisations and UI words ('BBC News', 'Associated Press', 'dpa', 'Deutsche Welle', 'Staff',
    'Redaktion', 'The Editors', 'Daily Caller News Foundation', 'Follow', 'Username', 'No Author', 'Share this').

    A single word ("Paddy", "Greenpeace") is never enough: first names, handles and
    brands cannot be told apart, and a byline check must not credit a brand.
    """
    return isinstance(value, str) and verdict(value) == "person"


_NOT_ALONE = (PREFIX_WORDS | PARTICLES | LIST_WORDS | TIE_WORDS | ROLE_WORDS | ORG_WORDS | HONORIFICS
              | UI_WORDS | AGENCIES | AGENCY_ACRONYMS)
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’ʼ.\-‐](?=[^\W\d_]))*\.?")


def verdict(value: str) -> str:
    """'person', 'maybe' (one plausible word) or 'not'."""
    text = PARENTHESES.sub(" ", value).strip(" \t\r\n,;:|-–—•·*\"'")
    if not text or not any(c.isalpha() for c in text):
        return "not"
    folded = fold(text)
    if folded in ORG_PHRASES or folded in UI_WORDS:
        return "not"
    if "@" in text or "://" in text or re.search(r"[a-z0-9]\.[a-z]{2,4}(?:\.[a-z]{2})?$|^www\.", folded):
        return "not"
    if has_cjk(text):
        return _cjk_verdict(text)
    if any(c.isdigit() for c in text) or re.search(r"[;|/&+=#!?<>{}\[\]_]", text):
        return "not"
    if text.count(",") == 1:
        before, after = text.split(",")
        if fold(after).strip(" .") in SUFFIXES_AFTER_COMMA:
            text = before
        elif len([w for w in fold(before).split() if w not in PARTICLES]) == 1 and 1 <= len(after.split()) <= 3:
            text = f"{after} {before}"  # "Doe, Jane"
        else:
            return "not"  # "Jane Doe, John Smith" is a list, not a name
    elif "," in text:
        return "not"
    words = text.split()
    if any(not _NAME_WORD.fullmatch(w) for w in words):
        return "not"
    while len(words) > 2 and fold(words[0]).strip(".") in HONORIFICS:
        words.pop(0)
    while len(words) > 2 and fold(words[-1]).strip(".") in SUFFIXES:
        words.pop()
    folded_words = [fold(w).strip(".") for w in words]
    if words[0] in ARTICLES or "the" in folded_words:
        return "not"
    for word, key in zip(words, folded_words):
        if len(key) > 1 and key not in PARTICLES and (
                (word.islower() and key in FUNCTION_WORDS) or key in NEVER_IN_NAMES):
            return "not"  # "nearly all tests were passing", "you have read", "Not What's Easy"
    if text == text.lower() and len(words) > 1:
        return "not"  # printed names are capitalised; an all-lower-case run of words is prose
    has_upper = any(c.isupper() for c in text)
    has_lower = any(c.islower() for c in text)
    mixed_case = has_upper and has_lower
    for word, key in zip(words, folded_words):
        pieces = key.split("-")
        if key in UI_TOKENS or key in ROLE_CORE or key in AGENCIES:
            return "not"
        if key in AGENCY_ACRONYMS and (word.isupper() or word.islower()):
            return "not"
        if any(p in ORG_WORDS for p in pieces) or key.endswith(ORG_ENDINGS):
            return "not"
        if key in ALWAYS_JOINING or (word.islower() and key in (LIST_WORDS | TIE_WORDS) - PARTICLES):
            return "not"
        if mixed_case and word.isupper() and "." not in word and 2 <= len(word) <= 4 and (
                key in LEGAL_FORMS or not set(key) & VOWELS):
            return "not"  # "MDR", "SE" beside ordinary words are acronyms, not names
    # the first word is a given name even when it looks like a particle ("Lê Phương", "Van Morrison")
    core = [(w, k) for i, (w, k) in enumerate(zip(words, folded_words)) if i == 0 or k not in PARTICLES]
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
            if key in PARTICLES and position > 0:
                continue
            first = next((c for c in word if c.isalpha()), "")
            if first.islower() and not re.match(r"(?:al|el|d|l)['’\-]", word):
                return "not"  # "Catch more fish", "Brand eins"
    return "person"


def _cjk_verdict(text: str) -> str:
    if any(mark in text for mark in CJK_ORG_MARKS) or any(c.isdigit() for c in text):
        return "not"
    letters = [c for c in text if not c.isspace() and c not in "·・"]
    if not all(is_cjk(c) for c in letters):
        return "not"
    if len(text.split()) > 2:
        return "not"
    return "person" if 2 <= len(letters) <= 5 else "not"

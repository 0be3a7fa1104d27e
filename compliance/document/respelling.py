"""How a page's source can write a word so that a plain byte search misses it.

Checks rule pages out by searching the raw source for the words a pattern needs (``Page.may_contain``):
a memmem over bytes, far cheaper than reading the page's text. A word survives that search only when
the source writes it as the text shows it; these tests say when it may not, so the search is made
again in the unescaped, normalised text: letters spelled with character references (``V&aacute;vra``,
``&#67;``), full-width letters and ligatures, decomposed accents, and for words with digits or
punctuation (``4.0``) references to those or their full-width forms. Each reads the lower-cased
UTF-8 source once.
"""

from __future__ import annotations

import re
from functools import lru_cache

from compliance.text.patterns import LITERAL_PUNCTUATION

_CHAR_REF = re.compile(rb"&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});")
_ASCII_LETTER_REF = re.compile(rb"&#(?:0*(?:6[5-9]|[78][0-9]|9[07-9]|1[01][0-9]|12[0-2])|x0*(?:4[1-9a-f]|5[0-9a]|6[1-9a-f]|7[0-9a]));")
_COMPAT_LETTERS = re.compile(rb"\xef(?:\xbc[\xa1-\xba]|\xbd[\x81-\x9a]|\xac[\x80-\x86])")  # full-width, ligatures
_DECOMPOSED = re.compile(rb"\xcc[\x80-\xbf]|\xcd[\x80-\xaf]")  # combining accents U+0300-U+036F


def spells_letters(src: bytes) -> bool:
    """Does the source spell any letter with a character reference (``&eacute;``, ``&#233;``)?"""
    from html.entities import html5

    for m in _CHAR_REF.finditer(src):
        ref = m.group(1)
        if ref.startswith(b"#"):
            try:
                code = int(ref[2:], 16) if ref[1:2] == b"x" else int(ref[1:])
                letter = 0 < code < 0x110000 and chr(code).isalpha()
            except ValueError:
                letter = False
        else:
            value = html5.get(m.group(0)[1:].decode("ascii"), "")
            letter = value[:1].isalpha()
        if letter:
            return True
    return False


def respells_ascii_letters(src: bytes) -> bool:
    """Could an ASCII letter hide from a byte search (``&#67;``, full-width letters, ligatures)?"""
    return bool((b"&#" in src and _ASCII_LETTER_REF.search(src)) or (b"\xef" in src and _COMPAT_LETTERS.search(src)))


def decomposes_accents(src: bytes) -> bool:
    """Does the source write accents as combining marks (``e`` + U+0301)?"""
    return (b"\xcc" in src or b"\xcd" in src) and bool(_DECOMPOSED.search(src))


def referenced_symbols(src: bytes) -> frozenset[str]:
    """The digits and ``LITERAL_PUNCTUATION`` marks the source writes as references (``&#46;``, ``&period;``).
    ``&amp;`` and the like are not looked for: a required word never holds ``&``."""
    if b"&" not in src:
        return frozenset()
    pattern, names = _symbol_references()
    return frozenset(_symbol_of(m.group(0), names) for m in pattern.finditer(src))


@lru_cache(maxsize=1)
def _symbol_references() -> tuple[re.Pattern[bytes], dict[bytes, str]]:
    from html.entities import html5

    symbols = set("0123456789") | LITERAL_PUNCTUATION
    codes = sorted(ord(c) for c in symbols)
    named = {("&" + n.rstrip(";")).lower().encode() + b";": v for n, v in html5.items() if v in symbols}
    alternatives = [rb"&#0*(?:%s);" % b"|".join(b"%d" % c for c in codes),
                    rb"&#x0*(?:%s);" % b"|".join(b"%x" % c for c in codes),
                    b"|".join(re.escape(n) for n in sorted(named, key=len, reverse=True))]
    return re.compile(b"|".join(alternatives)), named


def _symbol_of(reference: bytes, names: dict[bytes, str]) -> str:
    if reference.startswith(b"&#x"):
        return chr(int(reference[3:-1], 16))
    if reference.startswith(b"&#"):
        return chr(int(reference[2:-1]))
    return names[reference]

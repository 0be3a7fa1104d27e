"""Which words of a byline belong to which of its people: an affiliation binds to the name it is written next to.

In "By Ana Ruiz, Harbor Gazette, and Tom Lee, Daily Caller News Foundation" the Gazette is Ana Ruiz's
and the foundation Tom Lee's; in "By Ana Ruiz and Tom Lee, Daily Caller News Foundation" both are the
foundation's; in "Ana Ruiz (Harbor Gazette) and Tom Lee (DCNF)" each parenthesis is its name's. The
rule (``bind``): words after a name, up to the next name, belong to that name and to the names listed
before it with nothing but "and" or commas in between; words in parentheses right after a name belong
to that name alone; words before the first name ("DCNF reporter Jane Doe") belong to the first group.

A byline's words are read from a few places around it (``bound_to``): its own element (a ``<br>`` may
put the affiliation on a second line of the same ``<p>``), the author box it sits in, a short label
right after it, and a small container such as an author card. In each, the other people named there are
found too, so one person's card never lends its affiliation to the next.
"""

from __future__ import annotations

import re
from typing import Any

from compliance.document.page import Line, Page
from compliance.document.regions import author_markup, negative_region

_SEPARATORS = " \t\n,;:|•·/&+-–—"
_JOIN_ONLY = re.compile(r"^[\s,;:|•·/&+\-–—]*(?:(?:and|und|et|y|e|i|og|och|en|ja|sowie|&)[\s,;:|•·/&+\-–—]*)*$", re.I)
_TRAILING_JOIN = re.compile(r"[\s,;]*(?:and|und|et|y|&)\s*$", re.I)
_ITEM_CUT = re.compile(r"\s*(?:[,;|•·\n]|\s[-–—]\s)\s*")
_ANY_MARKER = re.compile(r"(?<!\w)(?:by|von|par|por|di|door|av|af|text|texto|autor(?:in)?|author|auteur|autore)"
                         r"(?!\w)\s*[:\-–—]?", re.I)
_NOT_AN_AFFILIATION = re.compile(
    r"\d|^(?:updated|published|posted|share|follow|read more|min read|minutes?|comments?|email|print|"
    r"am|um|on|in|at)$", re.I)
_MONTH = (r"(?:jan|feb|m[aä]r|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|de[cz]|janvier|f[ée]vrier|mars|avril|juin|"
          r"juillet|ao[uû]t|enero|febrero|marzo|abril|mayo|junio|julio|agosto)[a-zäéû]*\.?")
_DATE = re.compile(rf"\b{_MONTH}\s*\d{{1,2}}(?:st|nd|rd|th)?,?\s*\d{{2,4}}\b|\b\d{{1,2}}\.?\s*{_MONTH}\s*\d{{2,4}}\b"
                   r"|\b\d{1,4}[-./]\d{1,2}[-./]\d{1,4}\b|\b\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?"
                   r"|\b\d+\s*(?:min|mins|minutes?|minuten)\b(?:\s+(?:read|lesezeit))?", re.I)
MAX_UNIT = 500  # characters: a longer container is a section of the page, not an author's box


def bind(text: str, persons: list[tuple[int, int]]) -> dict[tuple[int, int], list[str]]:
    """The words of ``text`` bound to each person span (sorted, non-overlapping) in it."""
    out: dict[tuple[int, int], list[str]] = {p: [] for p in persons}
    if not persons:
        return out
    group: list[tuple[int, int]] = []
    closed = False
    lead = text[:persons[0][0]]
    lead = lead[_last_marker_end(lead):].strip(_SEPARATORS)
    for i, person in enumerate(persons):
        if closed:
            group, closed = [], False
        group.append(person)
        if lead:
            out[person].extend(_items(lead))
            lead = ""
        following = persons[i + 1][0] if i + 1 < len(persons) else len(text)
        between = text[person[1]:following]
        if _JOIN_ONLY.match(between):
            continue
        paren = re.match(r"\s*\(([^()]*)\)", between)
        if paren:  # "Ana Ruiz (Harbor Gazette)": hers alone
            out[person].extend(_items(paren.group(1)))
            between = between[paren.end():]
            if _JOIN_ONLY.match(between):
                continue
        label = _TRAILING_JOIN.sub("", between).strip(_SEPARATORS)
        if label:
            for member in group:
                out[member].extend(_items(label))
            closed = True
    return out


def _last_marker_end(lead: str) -> int:
    """Where the credit marker before the first name ends ("Am 13. November 2019 Von " → all of it), or 0."""
    end = 0
    for m in _ANY_MARKER.finditer(lead):
        end = m.end()
    return end


def _items(text: str) -> list[str]:
    """The separate things written next to a name, dates and reading times left out."""
    text = _DATE.sub(" ; ", text)
    return [item for item in (x.strip(_SEPARATORS + "()") for x in _ITEM_CUT.split(text))
            if item and not _NOT_AN_AFFILIATION.search(item) and any(c.isalpha() for c in item)]


def bound_to(page: Page, hit: Any, others: list[str] = ()) -> list[tuple[Any, list[str]]]:
    """(element, words bound to the hit's person) for each place around the byline that can hold its
    affiliation, tightest first. ``others`` are more names known to share the byline (co-authors)."""
    from compliance.text.names import looks_like_person_name, split_names

    out: list[tuple[Any, list[str]]] = []
    for el, lines in _units(page, hit):
        text = "\n".join(line.text for line in lines)
        at = _find(text, hit.name)
        if at is None:
            continue
        persons = {at}
        for name in [*split_names(text), *_pieces(lines), *others]:
            if name == hit.name or not looks_like_person_name(name):
                continue
            start = text.find(name)
            while start >= 0:
                span = (start, start + len(name))
                if not _overlaps(span, persons):
                    persons.add(span)
                start = text.find(name, start + 1)
        bound = bind(text, sorted(persons))[at]
        out.append((el, bound))
    return out


def _units(page: Page, hit: Any) -> list[tuple[Any, list[Line]]]:
    block = hit.line.block
    own = [ln for ln in page.lines_in([block]) if ln.block is block] or [hit.line]
    units: list[tuple[Any, list[Line]]] = []
    label = _label_after(page, block)
    units.append((block, own + ([label] if label is not None else [])))
    markup = author_markup(hit.element)
    containers = [block.getparent()]
    if markup is not None and markup[0] is not block:
        box = markup[0]
        lines = _without_chrome(page.lines_in([box]), hit.line)
        if sum(len(ln.text) for ln in lines) <= MAX_UNIT:
            after = _label_after(page, box)
            units.append((box, lines + ([after] if after is not None else [])))
        containers.insert(0, box.getparent())
    for parent in containers:
        if parent is None or not isinstance(parent.tag, str) or parent.tag in _NOT_A_BOX:
            continue
        if parent.find(".//h1") is not None or parent.find(".//h2") is not None:
            continue
        lines = _without_chrome(page.lines_in([parent]), hit.line)
        if sum(len(ln.text) for ln in lines) <= 300:
            units.append((parent, lines))
    return units


def _without_chrome(lines: list[Line], own: Line) -> list[Line]:
    """The lines of a box around a byline, less those in chrome beside it: a "Join the conversation"
    comments button next to the author's name is no affiliation with The Conversation."""
    return [ln for ln in lines if ln is own or ln.block is own.block
            or not (negative_region(ln.block) or any(negative_region(el) for _, el in ln.owners[:1]))]


def _label_after(page: Page, block: Any) -> Line | None:
    """The short label right after a byline ("By Jane Doe" / "Daily Caller News Foundation"), if any."""
    following = block.getnext()
    if following is None or not isinstance(following.tag, str) or negative_region(following):
        return None
    lines = page.lines_in([following])
    if len(lines) != 1:
        return None
    text = lines[0].text
    if text and len(text) <= 60 and len(text.split()) <= 6 and not text.rstrip().endswith((".", "!", "?")):
        return lines[0]
    return None


def _pieces(lines: list[Line]) -> list[str]:
    """The text of each element piece of the lines: an author card puts each name in its own element."""
    out = []
    for line in lines:
        bounds = [o for o, _ in line.owners] + [len(line.text)]
        for a, b in zip(bounds, bounds[1:]):
            piece = line.text[a:b].strip(_SEPARATORS)
            if piece and len(piece) <= 60:
                out.append(piece)
    return out


def _find(text: str, name: str) -> tuple[int, int] | None:
    at = text.find(name)
    if at < 0:
        at = text.casefold().find(name.casefold())
    return (at, at + len(name)) if at >= 0 else None


def _overlaps(span: tuple[int, int], spans: set[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


_NOT_A_BOX = frozenset({"article", "main", "section", "body", "html", "table", "tbody", "ul", "ol"})

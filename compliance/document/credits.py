"""Where a page says that *this* article comes from someone else: credit lines and licensing notices.

A republished story says so in a sentence about itself: "This story was originally published by
ProPublica.", "This article is republished from The Conversation under a Creative Commons
license.", "Republished with permission from The Texas Tribune." A newsroom's own story that
merely *cites* another outlet does not: "according to a ProPublica investigation", "as CalMatters
reported", "The investigation, originally published by ProPublica in May, found …", a link from the
text, a "Related" teaser, a sidebar or a footer list of partners.

So a credit line here is a visible sentence that

- holds a *derivation* phrase (originally/first published, appeared or ran; republished, reprinted
  or reposted from/with/by/under …; content-sharing agreement; distributed or syndicated by;
  published with permission; "This story is courtesy of …"),
- names the source (one of the given names, or a link to one of the given sites) after that phrase,
  within the same clause ("originally published by the Gazette and includes reporting from X" does
  not credit X),
- is about this article: it opens with "This …"/"These …"/"It …" or with the phrase itself
  ("Originally published by …"), speaks of "this story" ("A version of this story …"), or has the
  source itself as its short subject ("ProPublica's story was republished …"),
- and does not sit in page chrome (related stories, teasers, navigation, comments; the same test
  bylines use).

A licensor's own notice (DCNF's closing "All content created by the Daily Caller News Foundation …")
is matched by the patterns a policy gives for it, under the same chrome rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from compliance.document.locate import lines_about
from compliance.document.regions import negative_region
from compliance.document.page import Line, Page
from compliance.text.patterns import normalize
from compliance.text.regex import lazy

_GAP = 80            # characters between the derivation phrase and the source's name
_LONG_LINE = 1500    # a credit is a sentence of a paragraph, not a page of text
_EXPLAINED = 3       # rejected mentions explained in full (the rest keep the cheaper reason)
_SUBJECT_WORDS = 6   # "ProPublica's story on hospitals" may precede the phrase; a longer lead is another subject

_DERIVATION = re.compile(
    r"\b(?:"
    r"(?:originally|first|previously|initially)\s+(?:published|appeared|ran|posted|printed|aired)"
    r"|(?:was|is|were|are|been)\s+(?:originally\s+|first\s+)?(?:published|posted)\s+(?:on|in|at|by)\s"
    r"|(?:republished|re-published|reprinted|re-printed|reposted|re-posted|cross-?posted|syndicated|distributed)"
    r"\s+(?:here\s+)?(?:in\s+full\s+)?(?:from|with|by|under|courtesy|through|via|on|in|thanks)"
    r"|appears?\s+(?:here\s+)?(?:courtesy|by\s+permission|with\s+(?:the\s+)?permission|through|via|thanks)"
    r"|(?:is|was)\s+(?:courtesy\s+of|provided\s+by|shared\s+by)"
    r"|content[- ]sharing\s+(?:agreement|partnership|arrangement)"
    r"|published\s+(?:here\s+)?(?:with|by)\s+(?:the\s+)?permission"
    r")", re.I)
_ABOUT_THIS = lazy(r"^\W*(?:this|these|it)\b", re.I)
_ARTICLE = (r"(?:story|stories|article|articles|piece|report|column|commentary|essay|post|feature|investigation|"
            r"op-ed|analysis|interview)")
_THIS_ARTICLE = lazy(rf"\b(?:this|these)\s+(?:\w+\s+)?{_ARTICLE}\b", re.I)
_AN_ARTICLE = lazy(rf"\b{_ARTICLE}\b", re.I)
# the phrase's clause ends where another source or more material is added
_CLAUSE_END = lazy(r"\s(?:and\s+(?:includes?|contains?|features?|adds?|was|is)|with\s+(?:additional\s+)?"
                   r"(?:reporting|material)|including|plus|but)\s|[;:]", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Credit:
    """A visible sentence attributing the article to a source: where it is and how it names the source."""

    line: Line
    element: Any
    sentence: str
    how: str  # "names the source", "links to the source's site", "is the source's own notice"


@dataclass(frozen=True)
class NotACredit:
    """A visible mention of the source that does not credit this article to it, with the reason."""

    line: Line
    element: Any
    why: str


def find_credits(page: Page, names: Iterable[Any], sites: Iterable[Any] = (),
                 notices: Iterable[Any] = ()) -> tuple[list[Credit], list[NotACredit]]:
    """Credit lines and notices for a source named by ``names`` or linked by ``sites`` (compiled patterns),
    and the mentions that are not credits (for explaining a failure), in page order; once per page."""
    return page.derive(_find_credits, tuple(names), tuple(sites), tuple(notices))


def _find_credits(page: Page, names: tuple[Any, ...], sites: tuple[Any, ...], notices: tuple[Any, ...]
                  ) -> tuple[list[Credit], list[NotACredit]]:
    names, sites, notices = list(names), list(sites), list(notices)
    wanted = [p for p in names + notices if page.may_match(p)]
    linked = [p for p in sites if page.may_match(p)]
    if not wanted and not linked:
        return [], []
    credits: list[Credit] = []
    rejected: list[NotACredit] = []
    near = lines_about(page, wanted, linked)  # only the lines naming or linking the source need reading
    for line in page.lines if near is None else near:
        norm = line.norm
        named = any(p.search(norm) for p in wanted)
        if not named and not (linked and _links_to(line, linked)):
            continue
        credit, why = _judge(line, names, linked, notices)
        if credit is not None or (named and len(rejected) < _EXPLAINED):
            chrome = negative_region(line.block)  # costly: only where it changes the verdict or explains one
            if chrome:
                credit, why = None, chrome
        if credit is not None:
            credits.append(credit)
        elif named:
            rejected.append(NotACredit(line, line.owner_at(0), why))
    return credits, rejected


def _links_to(line: Line, sites: list[Any]) -> bool:
    for _, owner in line.owners:
        anchor = _anchor_of(owner, line.block)
        if anchor is not None and any(p.search(normalize(anchor.get("href") or "")) for p in sites):
            return True
    return False


def _judge(line: Line, names: list[Any], sites: list[Any], notices: list[Any]) -> tuple[Credit | None, str]:
    """Whether the line's text credits the source (page chrome is the caller's test)."""
    norm = line.norm
    for p in notices:
        if p.search(norm):
            return Credit(line, line.owner_at(0), line.text, "is the source's own notice"), ""
    if len(line.text) > _LONG_LINE:
        return None, "it is in a long passage of text, not a credit line"
    why = "no sentence around it says this article comes from it (a citation, not a credit)"
    for start, sentence in _sentences(line.text):
        for m in _DERIVATION.finditer(sentence):
            how = _names_source(line, start, sentence, m.end(), names, sites)
            if how is None and _source_is_subject(sentence[:m.start()], names):
                how = "names the source"
            if how is None:
                continue
            if _about_this_article(sentence, m.start(), names):
                return Credit(line, line.owner_at(start + m.start()), sentence.strip(), how), ""
            why = "the sentence crediting it is about something else, not this article"
    return None, why


def _names_source(line: Line, start: int, sentence: str, after: int, names: list[Any],
                  sites: list[Any]) -> str | None:
    tail = sentence[after:after + _GAP]
    cut = _CLAUSE_END.search(tail)
    if cut:
        tail = tail[:cut.start()]
    folded = normalize(tail)
    if any(p.search(folded) for p in names):
        return "names the source"
    if sites:
        # a link anywhere from the sentence's start to the end of the clause ("<a>originally appeared</a>")
        lo, hi = start, start + after + len(tail)
        for offset, owner in line.owners:
            anchor = _anchor_of(owner, line.block)
            if anchor is not None and lo <= offset <= hi:
                href = normalize(anchor.get("href") or "")
                if any(p.search(href) for p in sites):
                    return "links to the source's site"
    return None


def _anchor_of(el: Any, block: Any) -> Any:
    """The <a href> holding a piece of text (the piece may sit in an <em> inside it), or None."""
    node = el
    while node is not None and node is not block:
        if node.tag == "a" and node.get("href"):
            return node
        node = node.getparent()
    return None


def _about_this_article(sentence: str, phrase_at: int, names: list[Any]) -> bool:
    """The credit is about this article: "This story …", "It …", the phrase first ("Originally published
    by …"), "A version of this story …", or the source itself as subject ("ProPublica's story was …")."""
    lead = sentence[:phrase_at]
    if _ABOUT_THIS.match(sentence) or not lead.strip(" \"“‘(*—–-"):
        return True
    return bool(_THIS_ARTICLE.search(lead)) or _source_is_subject(lead, names)


def _source_is_subject(lead: str, names: list[Any]) -> bool:
    """A short subject naming the source and a story, without an aside: "ProPublica's story on the chain is …"
    ("ProPublica's data was republished by the state" is about something else)."""
    return (len(lead.split()) <= _SUBJECT_WORDS and not re.search(r"[,(—–]", lead) and bool(_AN_ARTICLE.search(lead))
            and any(p.search(normalize(lead)) for p in names))


def _sentences(text: str) -> Iterable[tuple[int, str]]:
    pos = 0
    for m in _SENTENCE.finditer(text):
        yield pos, text[pos:m.start() + 1]
        pos = m.end()
    yield pos, text[pos:]

"""Find which licensor original a republished page is a copy of.

Evidence is tried from strongest to weakest:

1. **Links the page declares**: ``rel=canonical``, ``syndication-source`` or
   JSON-LD ``isBasedOn`` equal to an original's URL after normalisation.
   A plain link in the body or credit line is weaker (a copy of story A may
   link to the licensor's story B), so it wins only when the page's text
   agrees with it or the text matches nothing.
2. **Headline**: token-based fuzzy similarity; candidates come from an
   inverted index of rare title words, so a page is compared with a handful of
   titles, not all of them.
3. **Body**: the share of the page's 5-word phrases (shingles) that also
   occur in the original ("containment"). Candidates come from an inverted
   index over a 1-in-16 sample of shingle hashes; the few best are then
   scored exactly.
"""

from __future__ import annotations

import math
import re
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from compliance.originals.textdiff import normalize_text
from compliance.text.urls import normalize_url

if TYPE_CHECKING:
    from compliance.document.article import Article

__all__ = [
    "BODY_CONTAINMENT_THRESHOLD",
    "HEADLINE_THRESHOLD",
    "Match",
    "OriginalIndex",
]

#: Headline similarity (0..1) at or above which a headline alone identifies
#: the original. 0.88 lets through case, punctuation and one or two changed
#: words in a typical 8-12 word headline ("raised" → "raises", a dropped
#: article) while two different stories on the same topic, which share a few
#: key words only, stay below it.
HEADLINE_THRESHOLD = 0.88
#: Share of the page's shingles found in the original at or above which the
#: page is a copy of it. Across 349 real pages of the shared corpus the best
#: containment in a *different* story was 0.14 at most (median 0.0006), so
#: 0.4 keeps a wide margin over chance and over boilerplate shared between
#: a licensor's stories, while a copy with a trimmed end, added paragraphs
#: and leftover page chrome stays well above it.
BODY_CONTAINMENT_THRESHOLD = 0.4
#: A page body sharing less than this with the original contradicts a
#: headline match, unless the headline is (nearly) identical character for
#: character (no token reordering or subset allowances).
_CONTRADICTING_CONTAINMENT = 0.05
_HEADLINE_DESPITE_BODY = 0.97
#: Below this the page's text does not support a match found by other means.
_SUPPORT_HEADLINE = 0.6
_SUPPORT_CONTAINMENT = 0.2

_SHINGLE_WORDS = 5
_SAMPLE_MASK = 15  # keep shingle hashes with h & 15 == 0: one in 16
_MIN_BODY_SHINGLES = 20  # shorter bodies are too short to identify a story
_BODY_CANDIDATES = 5
_HEADLINE_CANDIDATES = 40
_SHINGLE_CACHE_SIZE = 2048
# Words; in scripts written without spaces (Chinese, Japanese, Thai) each
# character counts as a word, so that shingles and title words still work.
_UNSPACED = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_UNSPACED}]|[^\\W{_UNSPACED}]+")
_STRONG_LINK_KINDS = ("canonical", "syndication-source", "isBasedOn")
_LINK_KIND_WORDING = {
    "canonical": "rel=canonical",
    "syndication-source": "the syndication-source meta tag",
    "isBasedOn": "JSON-LD isBasedOn",
    "link": "a link on the page to",
}
_LINK_KIND_SCORE = {"canonical": 1.0, "syndication-source": 1.0, "isBasedOn": 0.95, "link": 0.9}


@dataclass(frozen=True)
class Match:
    """The original a page was matched to, how, and why."""

    original: Article
    method: str  # "link" | "headline" | "body"
    score: float  # 0..1
    detail: str  # one sentence saying what matched


class OriginalIndex:
    """Originals indexed by URL, headline words and sampled body shingles."""

    def __init__(self, originals: Sequence[Article]) -> None:
        self.originals: tuple[Article, ...] = tuple(originals)
        self._by_url: dict[str, list[int]] = {}
        self._title_keys: list[str] = []
        self._title_postings: dict[str, list[int]] = {}
        self._shingle_postings: dict[int, int | list[int]] = {}
        self._shingle_cache: OrderedDict[int, frozenset[int]] = OrderedDict()
        for number, original in enumerate(self.originals):
            self._index_urls(number, original)
            self._index_title(number, original)
            self._index_body(number, original)
        # Words in more titles than this are too common to find candidates by.
        self._common_title_word = max(50, len(self.originals) // 50)

    def __len__(self) -> int:
        return len(self.originals)

    # -- building --------------------------------------------------------

    def _index_urls(self, number: int, original: Article) -> None:
        for url in dict.fromkeys(u for u in (original.url, original.canonical) if u):
            self._by_url.setdefault(normalize_url(url), []).append(number)

    def _index_title(self, number: int, original: Article) -> None:
        key = _title_key(original.title)
        self._title_keys.append(key)
        for word in set(_WORD.findall(key)):
            self._title_postings.setdefault(word, []).append(number)

    def _index_body(self, number: int, original: Article) -> None:
        postings = self._shingle_postings
        for shingle in _sampled(_shingles(original.paragraphs)):
            held = postings.get(shingle)
            if held is None:
                postings[shingle] = number  # most shingles belong to one story
            elif isinstance(held, int):
                if held != number:
                    postings[shingle] = [held, number]
            elif held[-1] != number:
                held.append(number)

    # -- matching --------------------------------------------------------

    def match(self, page: Article, explicit_links: Sequence[tuple[str, str]] = ()) -> Match | None:
        """The original ``page`` copies, or None when no evidence is strong enough.

        ``explicit_links`` are ``(kind, url)`` pairs found on the page, kind
        being "canonical", "syndication-source", "isBasedOn" or "link";
        the page's own ``canonical`` counts as one more "canonical" pair.
        """
        links = list(explicit_links)
        if page.canonical and ("canonical", page.canonical) not in links:
            links.append(("canonical", page.canonical))

        for kind in _STRONG_LINK_KINDS:
            for link_kind, url in links:
                if link_kind == kind:
                    found = self._lookup_url(url)
                    if found is not None:
                        return self._link_match(kind, url, found)

        # what the text comparisons need, computed once for this page
        page_key = _title_key(page.title)
        page_shingles = set(_shingles(page.paragraphs))
        linked = [
            (url, number)
            for kind, url in links
            if kind not in _STRONG_LINK_KINDS
            for number in [self._lookup_url(url)]
            if number is not None
        ]
        for url, number in linked:
            support = self._text_support(page_key, page_shingles, number)
            if support:
                match = self._link_match("link", url, number)
                return Match(match.original, "link", match.score, f"{match.detail[:-1]}, and {support}.")

        text_match = self._match_text(page, page_key, page_shingles)
        if text_match is not None or not linked:
            return text_match
        url, number = linked[0]
        return self._link_match("link", url, number)

    def _lookup_url(self, url: str) -> int | None:
        numbers = self._by_url.get(normalize_url(url))
        return numbers[0] if numbers else None

    def _link_match(self, kind: str, url: str, number: int) -> Match:
        original = self.originals[number]
        wording = _LINK_KIND_WORDING.get(kind, f"{kind} link")
        if kind == "link":
            detail = f"{wording} {url} matches the original URL {original.url}."
        else:
            detail = f"{wording} {url} equals the original URL {original.url or original.canonical}."
        return Match(original, "link", _LINK_KIND_SCORE.get(kind, 0.9), detail)

    def _text_support(self, page_key: str, page_shingles: set[int], number: int) -> str | None:
        """Why the page's text agrees with original ``number``, if it does."""
        headline = _headline_similarity(page_key, self._title_keys[number])
        if headline >= _SUPPORT_HEADLINE:
            return f"the headline is {headline:.0%} similar"
        if len(page_shingles) >= _MIN_BODY_SHINGLES:
            containment = self._containment(page_shingles, number)
            if containment >= _SUPPORT_CONTAINMENT:
                return f"{containment:.0%} of the body's 5-word phrases are in it"
        return None

    def _match_text(self, page: Article, page_key: str, page_shingles: set[int]) -> Match | None:
        found = self._match_headline(page, page_key, page_shingles)
        if found is None:
            return self._match_body(page_shingles)
        headline, number = found
        if len(page_shingles) < _MIN_BODY_SHINGLES:
            return headline
        containment = self._containment(page_shingles, number)
        if containment < _SUPPORT_CONTAINMENT:
            # Similar headline, different text: a generic headline ("Live
            # updates") is weaker evidence than a copied body.
            body = self._match_body(page_shingles)
            if body is not None:
                return body
        literal = fuzz.ratio(page_key, self._title_keys[number]) / 100.0
        if containment < _CONTRADICTING_CONTAINMENT and literal < _HEADLINE_DESPITE_BODY:
            # The bodies share (next to) nothing: only a headline kept word
            # for word still says "copy" (a rewrite the edit checks must see).
            return None
        return headline

    def _match_headline(self, page: Article, key: str, page_shingles: set[int]) -> tuple[Match, int] | None:
        candidates = self._headline_candidates(key)
        if not candidates:
            return None
        scored = process.extract(
            key,
            {number: self._title_keys[number] for number in candidates},
            scorer=fuzz.token_sort_ratio,
            limit=_BODY_CANDIDATES,
        )
        best: tuple[float, float, int] | None = None
        for _, _, number in scored:
            similarity = _headline_similarity(key, self._title_keys[number])
            if similarity < HEADLINE_THRESHOLD:
                continue
            # Equal headlines (a recurring column title): the body decides.
            tie_break = self._containment(page_shingles, number) if page_shingles else 0.0
            ranking = (similarity, tie_break, -number)
            if best is None or ranking > (best[0], best[1], -best[2]):
                best = (similarity, tie_break, number)
        if best is None:
            return None
        similarity, _, number = best
        original = self.originals[number]
        match = Match(
            original,
            "headline",
            round(similarity, 4),
            f"the headline {page.title!r} is {similarity:.0%} similar to the original's {original.title!r}.",
        )
        return match, number

    def _headline_candidates(self, key: str) -> list[int]:
        words = [w for w in set(_WORD.findall(key)) if w in self._title_postings]
        if not words:
            return []
        rare = [w for w in words if len(self._title_postings[w]) <= self._common_title_word]
        if not rare:  # a headline of common words only: use its three rarest
            rare = sorted(words, key=lambda w: len(self._title_postings[w]))[:3]
        counts: Counter[int] = Counter()
        for word in rare:
            counts.update(self._title_postings[word])
        needed = max(1, math.ceil(len(rare) / 2))
        return [number for number, shared in counts.most_common(_HEADLINE_CANDIDATES) if shared >= needed]

    def _match_body(self, page_shingles: set[int]) -> Match | None:
        if len(page_shingles) < _MIN_BODY_SHINGLES:
            return None
        counts: Counter[int] = Counter()
        for shingle in _sampled(page_shingles):
            held = self._shingle_postings.get(shingle)
            if held is None:
                continue
            if isinstance(held, int):
                counts[held] += 1
            else:
                counts.update(held)
        best: tuple[float, int] | None = None
        for number, _ in counts.most_common(_BODY_CANDIDATES):
            containment = self._containment(page_shingles, number)
            if containment >= BODY_CONTAINMENT_THRESHOLD and (best is None or containment > best[0]):
                best = (containment, number)
        if best is None:
            return None
        containment, number = best
        original = self.originals[number]
        return Match(
            original,
            "body",
            round(containment, 4),
            f"{containment:.0%} of the page's 5-word phrases occur in the original"
            f" {original.url or repr(original.title)}.",
        )

    def _containment(self, page_shingles: set[int], number: int) -> float:
        """Share of the page's shingles that occur in original ``number``."""
        if not page_shingles:
            return 0.0
        original_shingles = self._shingle_cache.get(number)
        if original_shingles is None:
            original_shingles = frozenset(_shingles(self.originals[number].paragraphs))
            self._shingle_cache[number] = original_shingles
            if len(self._shingle_cache) > _SHINGLE_CACHE_SIZE:
                self._shingle_cache.popitem(last=False)
        else:
            self._shingle_cache.move_to_end(number)
        return len(page_shingles & original_shingles) / len(page_shingles)


def _title_key(title: str | None) -> str:
    return normalize_text(title) if title else ""


def _headline_similarity(a: str, b: str) -> float:
    """Token-sort similarity; token-set similarity too when one long headline
    is the other plus at most a few words, so that an added kicker
    ("EXCLUSIVE:") or site suffix does not hide a copied headline. (Without
    those limits a short headline of common words would "match" any longer
    one that happens to contain them.)"""
    if not a or not b:
        return 0.0
    similarity = fuzz.token_sort_ratio(a, b)
    a_words, b_words = len(_WORD.findall(a)), len(_WORD.findall(b))
    shorter, longer = min(a_words, b_words), max(a_words, b_words)
    if shorter >= 6 and longer - shorter <= 3:
        similarity = max(similarity, fuzz.token_set_ratio(a, b))
    return similarity / 100.0


def _shingles(paragraphs: Sequence[str]) -> list[int]:
    """Hashes of every run of five consecutive words (case and punctuation
    ignored, so style edits do not change them)."""
    words = _WORD.findall(" ".join(paragraphs).casefold())
    if len(words) < _SHINGLE_WORDS:
        return [hash(tuple(words))] if words else []
    return list(map(hash, zip(*(words[i:] for i in range(_SHINGLE_WORDS)))))


def _sampled(shingles: Sequence[int] | set[int]) -> set[int]:
    return {shingle for shingle in shingles if not shingle & _SAMPLE_MASK}

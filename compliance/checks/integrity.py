"""Checks of the republished text against the original: ``headline`` and ``integrity``.

Both compare text after ``textdiff.normalize_text``, which folds what house
style may change (quotes, dashes, spacing, case), so a style edit never
fails a clause. ``integrity`` aligns the two bodies paragraph by paragraph
(``textdiff.diff_bodies``) and sorts every other difference into a kind a
license may tolerate: a trimmed end, cuts, a few changed words, rewrites,
additions (with or without a disclosure such as "Additional reporting by").
Credit lines the license itself asks for are left out of the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from compliance.checks.base import FAIL, PASS, REVIEW, Context, Outcome, register
from compliance.checks.options import PATTERNS_SCHEMA, PatternList, pattern_list
from compliance.checks.original import needs_original, plural
from compliance.results.model import Evidence
from compliance.text.patterns import Pattern, PatternError, compile_pattern, normalize
from compliance.text.shorten import clip

if TYPE_CHECKING:  # textdiff pulls in rapidfuzz: imported only when a page is compared with its original
    from compliance.originals.textdiff import BodyDiff, ParagraphChange

# -- headline ---------------------------------------------------------------------------------------

HEADLINE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "may_change": {"type": "boolean", "default": False,
                       "description": "The license allows a new headline: the clause passes and records the "
                                      "difference."},
        "min_similarity": {"type": "number", "minimum": 0, "maximum": 1, "default": 1.0,
                           "description": "Least similarity (0–1, after folding style) that counts as the same "
                                          "headline; 1.0 means equal apart from quotes, dashes, spacing and case."},
    },
}


@dataclass(frozen=True)
class HeadlineCheck:
    may_change: bool
    min_similarity: float

    def evaluate(self, ctx: Context) -> Outcome:
        if ctx.original is None:
            return needs_original("Whether the headline was kept")
        wanted = ctx.original.title
        if not wanted:
            return Outcome(REVIEW, "The original article's headline is not known (its catalog entry gives none), "
                                   "so the page's headline cannot be compared with it.")
        page = ctx.page
        candidates = _headline_candidates(page)
        if not candidates:
            if self.may_change:
                return Outcome(PASS, "No headline was found on the page; the license allows a new one anyway.")
            return Outcome(REVIEW, f"No headline was found on the page (no <h1>, og:title or JSON-LD headline) "
                                   f"to compare with the original's “{wanted}”.")
        from rapidfuzz import fuzz

        from compliance.originals.textdiff import normalize_text

        key = normalize_text(wanted)
        scored = [(1.0 if normalize_text(text) == key else fuzz.ratio(normalize_text(text), key) / 100.0, text, el)
                  for text, el in candidates]
        similarity, shown, el = max(scored, key=lambda item: item[0])
        evidence = (page.evidence(el, "The page's headline.", shown),) if el is not None else (
            Evidence(note="The page's headline (from its metadata).", text=shown),)
        evidence += (Evidence(note="The original's headline.", text=wanted),)
        if similarity == 1.0:
            style = "" if shown.split() == wanted.split() else " (apart from style: quotes, dashes, spacing or case)"
            return Outcome(PASS, f"The headline “{shown}” is the original's{style}.", evidence)
        if similarity >= self.min_similarity:
            return Outcome(PASS, f"The headline “{shown}” is {similarity:.0%} similar to the original's “{wanted}”, "
                                 f"within the {self.min_similarity:.0%} the policy accepts.", evidence)
        if self.may_change:
            return Outcome(PASS, f"The headline was changed, which the license allows: the original's “{wanted}” "
                                 f"reads “{shown}” here ({similarity:.0%} similar).", evidence)
        return Outcome(FAIL, f"The headline was changed: the original's “{wanted}” reads “{shown}” here "
                             f"({similarity:.0%} similar), and the license allows changes of style only.", evidence)

    def describe(self) -> str:
        if self.may_change:
            return "the headline may differ from the original's (the difference is recorded)"
        if self.min_similarity < 1:
            return f"the headline is at least {self.min_similarity:.0%} similar to the original's"
        return "the headline is the original's, apart from style"


def _headline_candidates(page: Any) -> list[tuple[str, Any]]:
    """What may be the page's headline: its visible <h1>s, then the headline it declares (og:title, JSON-LD)."""
    from compliance.originals.context import page_article
    from compliance.originals.textdiff import normalize_text

    found: list[tuple[str, Any]] = []
    for h1 in page.root.iter("h1"):
        if page.is_visible(h1):
            text = page.visible_text_within(h1, 400)
            if text:
                found.append((text, h1))
        if len(found) >= 5:
            break
    declared = page_article(page).title
    if declared and all(normalize_text(declared) != normalize_text(t) for t, _ in found):
        source = None
        for meta in page.root.iter("meta"):
            if (meta.get("property") or meta.get("name") or "").lower() == "og:title" and \
                    normalize_text(meta.get("content") or "") == normalize_text(declared):
                source = meta
                break
        found.append((declared, source))
    return found


@register("headline", HEADLINE_SCHEMA)
def build_headline(options: dict[str, Any], where: Any) -> HeadlineCheck:
    """The page's headline equals the original's after folding style (or may change, recording the change)."""
    return HeadlineCheck(bool(options.get("may_change", False)), float(options.get("min_similarity", 1.0)))


# -- integrity --------------------------------------------------------------------------------------

ALLOWANCES = ("style", "trim_end", "cuts", "minor_edits", "edits", "additions", "additions_with_disclosure")
#: Credit lines that republication terms themselves ask for; they are never counted as additions.
CREDIT_LINES = ("originally published", "originally appeared", "first published", "first appeared",
                "republished from", "republished with permission", "republished under", "republished here",
                "read the original", "this article is republished", "this story is republished")
#: A paragraph longer than this is content, even if it mentions where the story first ran.
_CREDIT_LINE_MAX_WORDS = 60
#: Below this share of the page's paragraphs coming from the original, the comparison itself is doubtful.
_MIN_SHARED_SHARE = 0.3
_EVIDENCE_LIMIT = 12

INTEGRITY_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "allow": {"type": "array", "uniqueItems": True, "items": {"enum": list(ALLOWANCES)}, "default": [],
                  "description": "Changes the license tolerates besides style (always allowed; listing style changes "
                                 "nothing): trim_end (paragraphs "
                                 "cut from the end), cuts (paragraphs left out anywhere), minor_edits (a few words per "
                                 "paragraph: at most 3, or 10% of its words), edits (any rewording of a paragraph), "
                                 "additions (new paragraphs), additions_with_disclosure (new paragraphs when the page "
                                 "says so, see disclosure)."},
        "disclosure": {**PATTERNS_SCHEMA, "default": "Additional reporting by",
                       "description": "Visible text that discloses added material, for additions_with_disclosure."},
        "notice": {**PATTERNS_SCHEMA,
                   "description": "When given, any change beyond style (even an allowed one) needs one of these "
                                  "visible on the page, e.g. a modification notice (\"adapted from\")."},
        "ignore": {**PATTERNS_SCHEMA,
                   "description": "Paragraphs to leave out of the comparison on both sides (a licensor's tagline); "
                                  "common credit lines such as “originally published” are always left out."},
        "min_similarity": {"type": "number", "minimum": 0, "maximum": 1, "default": 0,
                           "description": "Least whole-body similarity (0–1, style folded) on top of the allowances; "
                                          "0 (default) sets no minimum. Trimming lowers it."},
    },
}


@dataclass(frozen=True)
class _Change:
    change: ParagraphChange
    kind: str  # trim_end | cuts | minor_edits | edits | additions
    allowed: bool


@dataclass(frozen=True)
class IntegrityCheck:
    allow: frozenset[str]
    disclosure: PatternList
    notice: PatternList | None
    ignore: PatternList | None
    min_similarity: float

    def evaluate(self, ctx: Context) -> Outcome:
        from compliance.originals.context import page_article
        from compliance.originals.textdiff import diff_bodies

        if ctx.original is None:
            return needs_original("Whether the text was changed")
        page = ctx.page
        skip = _credit_patterns() + (self.ignore.resolve(ctx) if self.ignore else []) + self.disclosure.resolve(ctx)
        original = [p for p in ctx.original.paragraphs if not _is_credit_line(p, skip)]
        if not original:
            return Outcome(REVIEW, "The original article's text is not known (its catalog entry has no body), so "
                                   "the page's text cannot be compared with it.")
        copy = [p for p in page_article(page).paragraphs if not _is_credit_line(p, skip)]
        if not copy:
            return Outcome(REVIEW, "No story text was found on the page to compare with the original.")
        diff = diff_bodies(original, copy)
        added = len(diff.added)
        if (len(copy) - added) / len(copy) < _MIN_SHARED_SHARE:
            return Outcome(REVIEW, f"Only {len(copy) - added} of the page's {len(copy)} paragraphs come from the "
                                   f"original (similarity {diff.similarity:.2f}): either the story text was not found "
                                   "on the page or it was rewritten. A person must compare the two.",
                           _diff_evidence(page, [], diff))
        disclosed = _found(page, self.disclosure.resolve(ctx))
        changes = self._classify(diff, original, disclosed is not None)
        bad = [c for c in changes if not c.allowed]
        restyled = sum(1 for c in diff.changes if c.style_only)
        numbers = f"similarity {diff.similarity:.2f}"
        evidence = _diff_evidence(page, changes, diff)
        style_note = (f" {plural(restyled, 'paragraph')} {'differs' if restyled == 1 else 'differ'} only in style "
                      "(quotes, dashes, spacing or case), which is always allowed.") if restyled else ""
        if bad:
            why = ""
            if any(c.kind == "additions" for c in bad) and "additions_with_disclosure" in self.allow:
                why = f" The added paragraphs are not disclosed (no {self.disclosure.describe()} on the page)."
            return Outcome(FAIL, f"The text differs from the original beyond what the license allows: "
                                 f"{_summary(bad)} ({numbers}). Allowed here: {self._allowed_words()}.{why}",
                           evidence)
        if diff.similarity < self.min_similarity:
            return Outcome(FAIL, f"The text is only {diff.similarity:.0%} similar to the original, below the "
                                 f"{self.min_similarity:.0%} the policy requires: {_summary(changes)}.", evidence)
        if changes and self.notice is not None:
            notice = _found(page, self.notice.resolve(ctx))
            if notice is None:
                return Outcome(FAIL, f"The text was changed ({_summary(changes)}; {numbers}) and the page does not "
                                     f"say so: no notice such as {self.notice.describe()} was found.", evidence)
            line, el = notice
            evidence = (page.evidence(el, "The modification notice.", line.text),) + evidence
            return Outcome(PASS, f"The text was changed ({_summary(changes)}; {numbers}) and the page says so "
                                 f"(line {el.sourceline}): “{clip(line.text, 100)}”.", evidence)
        if changes:
            extra = ""
            if disclosed is not None and any(c.kind == "additions" for c in changes):
                extra = f" The additions are disclosed (line {disclosed[1].sourceline}: “{clip(disclosed[0].text, 80)}”)."
            return Outcome(PASS, f"The text differs from the original only in ways the license allows: "
                                 f"{_summary(changes)} ({numbers}).{extra}{style_note}", evidence)
        return Outcome(PASS, f"The text is the original's, paragraph for paragraph ({numbers}).{style_note}",
                       evidence)

    def _classify(self, diff: BodyDiff, original: list[str], disclosed: bool) -> list[_Change]:
        trailing = _trailing_removed(diff, original)
        out = []
        for change in diff.substantive:
            if change.kind == "removed":
                at_end = id(change) in trailing
                kind = "trim_end" if at_end else "cuts"
                ok = "cuts" in self.allow or (at_end and "trim_end" in self.allow)
            elif change.kind == "added":
                kind = "additions"
                ok = "additions" in self.allow or ("additions_with_disclosure" in self.allow and disclosed)
            else:
                kind = "minor_edits" if _is_minor(change) else "edits"
                ok = "edits" in self.allow or (kind == "minor_edits" and "minor_edits" in self.allow)
            out.append(_Change(change, kind, ok))
        return out

    def _allowed_words(self) -> str:
        words = {"trim_end": "cutting paragraphs from the end", "cuts": "leaving out paragraphs",
                 "minor_edits": "changing a few words in a paragraph", "edits": "rewording paragraphs",
                 "additions": "adding paragraphs",
                 "additions_with_disclosure": f"adding paragraphs with a disclosure ({self.disclosure.describe()})"}
        named = [words[a] for a in ALLOWANCES if a in self.allow and a in words]
        return "style edits, " + ", ".join(named) if named else "style edits only"

    def describe(self) -> str:
        text = f"the text is the original's apart from {self._allowed_words()}"
        if self.notice is not None:
            text += f", and any change is stated on the page ({self.notice.describe()})"
        if self.min_similarity:
            text += f", at least {self.min_similarity:.0%} similar"
        return text


def _trailing_removed(diff: BodyDiff, original: list[str]) -> set[int]:
    """ids of the removed changes that are the original's last paragraphs (the copy stops early)."""
    removed = [c for c in diff.changes if c.kind == "removed"]
    by_text: dict[str, list[ParagraphChange]] = {}
    for c in removed:
        by_text.setdefault(c.original or "", []).append(c)
    trailing: set[int] = set()
    for paragraph in reversed(original):
        bucket = by_text.get(paragraph)
        if not bucket:
            break
        trailing.add(id(bucket.pop()))
    return trailing


def _is_minor(change: ParagraphChange) -> bool:
    """A few words changed: at most 3, or 10% of the paragraph's words (time and place references)."""
    from compliance.originals.textdiff import normalize_text

    old = normalize_text(change.original or "").split()
    new = normalize_text(change.republished or "").split()
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return changed <= max(3, len(old) // 10)


_CREDIT_PATTERNS: list[Pattern] = []


def _credit_patterns() -> list[Pattern]:
    if not _CREDIT_PATTERNS:
        _CREDIT_PATTERNS.extend(compile_pattern(p) for p in CREDIT_LINES)
    return list(_CREDIT_PATTERNS)


def _is_credit_line(paragraph: str, patterns: list[Pattern]) -> bool:
    if len(paragraph.split()) > _CREDIT_LINE_MAX_WORDS:
        return False
    text = normalize(paragraph)
    return any(p.matches(text) for p in patterns)


def _found(page: Any, patterns: list[Pattern]) -> tuple[Any, Any] | None:
    """(line, element) of the first visible text matching any pattern."""
    for pattern in patterns:
        for line, start, _end in page.find_text(pattern):
            return line, line.owner_at(start)
    return None


def _locate(page: Any, paragraph: str) -> Any:
    """The element on the page that holds a paragraph, found by the phrase it starts with."""
    words = normalize(paragraph).split()
    for phrase in dict.fromkeys(" ".join(words[:n]) for n in (8, 4) if words):
        try:
            pattern = compile_pattern(phrase)
        except PatternError:
            return None
        for line, start, _end in page.find_text(pattern):
            return line.owner_at(start)
    return None


_NOTES = {
    "trim_end": "A paragraph cut from the end of the original",
    "cuts": "A paragraph of the original left out",
    "minor_edits": "A paragraph with a few words changed",
    "edits": "A paragraph reworded",
    "additions": "A paragraph that is not in the original",
}


def _diff_evidence(page: Any, changes: list[_Change], diff: BodyDiff) -> tuple[Evidence, ...]:
    from compliance.originals.textdiff import render_change, render_diff

    out: list[Evidence] = []
    ordered = sorted(changes, key=lambda c: c.allowed)  # what fails first
    for item in ordered[:_EVIDENCE_LIMIT]:
        change = item.change
        verdict = "allowed" if item.allowed else "not allowed"
        text = render_change(change)
        el = _locate(page, change.republished) if change.republished else None
        if el is not None:
            out.append(page.evidence(el, f"{_NOTES[item.kind]} ({verdict}).", text))
        else:  # nothing on the page to point at: the note carries the text
            out.append(Evidence(note=f"{_NOTES[item.kind]} ({verdict}): “{clip(change.original or '', 140)}”",
                                text=text))
    if not changes:  # nothing classified (e.g. the comparison is doubtful): show the raw diff
        out.extend(Evidence(note="A difference from the original.", text=line) for line in render_diff(diff, 8))
    style = [c for c in diff.changes if c.style_only][:3]
    for change in style:
        text = render_change(change)
        el = _locate(page, change.republished) if change.republished else None
        note = "A paragraph restyled (always allowed)."
        out.append(page.evidence(el, note, text) if el is not None else Evidence(note=note, text=text))
    return tuple(out)


def _summary(changes: list[_Change]) -> str:
    counts: dict[str, int] = {}
    for c in changes:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    words = {"additions": "added", "trim_end": "cut from the end", "cuts": "left out",
             "minor_edits": "with a few words changed", "edits": "reworded"}
    parts = [f"{plural(n, 'paragraph')} {words[k]}" for k, n in counts.items()]
    return ", ".join(parts) if parts else "no changes beyond style"


@register("integrity", INTEGRITY_SCHEMA)
def build_integrity(options: dict[str, Any], where: Any) -> IntegrityCheck:
    """The body is the original's apart from style and the changes the license allows (diffed by paragraph)."""
    disclosure = pattern_list(options.get("disclosure", "Additional reporting by"), where, "disclosure")
    notice = pattern_list(options["notice"], where, "notice") if "notice" in options else None
    ignore = pattern_list(options["ignore"], where, "ignore") if "ignore" in options else None
    return IntegrityCheck(frozenset(options.get("allow", ())), disclosure, notice, ignore,
                          float(options.get("min_similarity", 0)))

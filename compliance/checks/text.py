"""``text``: a phrase or regex in the text a reader sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compliance.checks.base import FAIL, PASS, REVIEW, Context, Outcome, register
from compliance.checks.options import PATTERNS_SCHEMA, PatternList, pattern_list
from compliance.checks.scope import SCOPE_PROPERTIES, Scope
from compliance.document.locate import lines_with, script_hint_for
from compliance.text.patterns import Pattern

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["patterns"],
    "properties": {
        "patterns": PATTERNS_SCHEMA,
        "match": {"enum": ["any", "all"], "default": "any",
                  "description": "Whether any (default) or all patterns must be found."},
        **SCOPE_PROPERTIES,
    },
}
@dataclass(frozen=True)
class TextCheck:
    patterns: PatternList
    match: str
    scope: Scope

    def evaluate(self, ctx: Context) -> Outcome:
        page = ctx.page
        patterns = self.patterns.resolve(ctx)
        found, missing = [], []
        lines = None
        roots = None  # the scope's elements, looked up once a pattern needs them
        for pattern in patterns:
            if not page.may_match(pattern):
                missing.append(pattern)
                continue
            # only the lines holding the pattern's rarest word can match, wherever the scope is
            near = lines_with(page, pattern)
            anywhere = _first_hit(pattern, near) if near is not None else None
            if near is not None and anywhere is None:
                hit = None  # nowhere on the page, so not in any part of it
            elif near is not None and not self.scope.restricts_position():
                if not self.scope.selectors:
                    hit = anywhere
                else:  # the scope's lines among those near lines
                    if roots is None:
                        roots = self.scope.roots(page)
                    hit = _first_hit(pattern, self.scope.narrow(roots, near))
            else:  # a position (top, bottom) is one of the scope's whole lines, or nothing rules lines out
                if lines is None:
                    lines = self.scope.lines(page)
                hit = _first_hit(pattern, lines)
            if hit is None:
                missing.append(pattern)
            else:
                found.append((pattern, hit))
        ok = bool(found) and (self.match == "any" or not missing)
        where = self.scope.describe()
        if ok:
            pattern, (line, start, end) = found[0]
            owner = line.owner_at(start)
            ev = tuple(page.evidence(line.owner_at(s), f"Visible text matching {p.describe()}.", ln.text)
                       for p, (ln, s, _e) in found)
            return Outcome(PASS, f"Found {pattern.describe()} in the visible text{where} "
                                 f"(line {owner.sourceline}): “{_excerpt(line.text, start, end)}”.", ev)
        names = " or ".join(p.describe() for p in (missing or patterns)) or self.patterns.describe()
        if not patterns:
            return Outcome(REVIEW, "No original article is known for this page (give --original or --originals), "
                                   "so the text this clause names cannot be looked for.")
        note = script_hint_for(page, missing)
        if not note and any(_in_source(page, p) for p in missing):
            note = (" The words do occur in the page source, but only where a reader cannot see them "
                    "(hidden elements, scripts, attributes or comments).")
        verb = "all of" if self.match == "all" and found else ""
        return Outcome(FAIL, f"Did not find {verb + ' ' if verb else ''}{names} in the visible text{where}.{note}")

    def describe(self) -> str:
        return f"the visible text{self.scope.describe()} contains {self.patterns.describe()}"


def _first_hit(pattern: Pattern, lines):
    for line in lines:
        span = pattern.search(line.norm)
        if span:
            return line, span[0], span[1]
    return None


def _in_source(page, pattern: Pattern) -> bool:
    """The pattern's words do occur in the page source (unknown for a regex without literal words)."""
    return bool(pattern.required_words()) and page.may_match(pattern)


def _excerpt(text: str, start: int, end: int, pad: int = 60) -> str:
    lo, hi = max(0, start - pad), min(len(text), end + pad)
    return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")


@register("text", SCHEMA)
def build_text(options: dict[str, Any], where: Any) -> TextCheck:
    """A phrase or /regex/ occurs in the visible text (case- and whitespace-insensitive)."""
    return TextCheck(pattern_list(options["patterns"], where, "patterns"), options.get("match", "any"),
                     Scope(options, where))

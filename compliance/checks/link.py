"""``link``: a visible hyperlink whose target and/or text match."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compliance.checks.base import FAIL, PASS, REVIEW, Context, Outcome, register
from compliance.checks.options import PATTERNS_SCHEMA, PatternList, pattern_list
from compliance.checks.scope import SCOPE_PROPERTIES, Scope
from compliance.document.page import IMG_TAGS, inside_any
from compliance.text.patterns import normalize

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "anyOf": [{"required": ["href"]}, {"required": ["text"]}],
    "properties": {
        "href": {**PATTERNS_SCHEMA, "description": "Patterns for the link target (as written in href)."},
        "text": {**PATTERNS_SCHEMA, "description": "Patterns for the link's visible text or image alt text."},
        "rel": {"type": "string", "description": "A rel token the link must carry, e.g. license."},
        "forbid_rel": {"type": "array", "items": {"type": "string"},
                       "description": "rel tokens the link must not carry, e.g. [nofollow]."},
        **SCOPE_PROPERTIES,
    },
}


def link_text(el: Any) -> str:
    """What a reader sees as the link: its text, else the alt text of an image inside it."""
    text = " ".join("".join(el.itertext()).split())
    if text:
        return text
    for img in el.iter(*IMG_TAGS):  # AMP's images count as images
        alt = img.get("alt")
        if alt:
            return alt.strip()
    return el.get("aria-label") or el.get("title") or ""


@dataclass(frozen=True)
class LinkCheck:
    href: PatternList | None
    text: PatternList | None
    rel: str | None
    forbid_rel: tuple[str, ...]
    scope: Scope

    def evaluate(self, ctx: Context) -> Outcome:
        page = ctx.page
        hrefs = self.href.resolve(ctx) if self.href else None
        texts = self.text.resolve(ctx) if self.text else None
        if (self.href and not hrefs) or (self.text and not texts):
            return Outcome(REVIEW, "No original article is known for this page (give --original or --originals), "
                                   "so the link this clause names cannot be looked for.")
        if hrefs and not any(page.may_match(p) for p in hrefs):
            return Outcome(FAIL, f"No visible link {self._what()}{self.scope.describe()} was found.")
        roots = self.scope.roots(page)
        anchors = page.root.xpath("//a[@href]") if roots is None else [a for r in roots for a in r.iter("a")]
        allowed = None
        if self.scope.restricts_position():
            allowed = {ln.block for ln in self.scope.lines(page)}
        near: list[Any] = []
        for a in anchors:
            href = a.get("href")
            if href is None:
                continue
            if hrefs is not None and not any(p.matches(href.strip().casefold()) for p in hrefs):
                continue
            if texts is not None and not any(p.matches(normalize(link_text(a))) for p in texts):
                near.append((a, "its text does not match"))
                continue
            rels = set((a.get("rel") or "").lower().split())
            if self.rel and self.rel.lower() not in rels:
                near.append((a, f"it lacks rel=\"{self.rel}\""))
                continue
            bad = [r for r in self.forbid_rel if r.lower() in rels]
            if bad:
                near.append((a, f"it carries rel=\"{' '.join(bad)}\""))
                continue
            if not page.is_visible(a):
                near.append((a, f"it is hidden: {page.hidden_reason(a)}"))
                continue
            if allowed is not None and not inside_any(a, allowed):
                near.append((a, f"it is not in the {self.scope.position} of the text"))
                continue
            return Outcome(PASS, f"Found a visible link {self._what()} (line {a.sourceline}): "
                                 f"“{link_text(a)[:80]}” → {href[:120]}.",
                           (page.evidence(a, "The matching link.", link_text(a)),))
        evidence = tuple(page.evidence(a, f"A candidate link was not accepted: {why}.") for a, why in near[:5])
        extra = f" {len(near)} candidate link(s) came close but were rejected." if near else ""
        return Outcome(FAIL, f"No visible link {self._what()}{self.scope.describe()} was found.{extra}", evidence)

    def _what(self) -> str:
        parts = []
        if self.href:
            parts.append(f"to {self.href.describe()}")
        if self.text:
            parts.append(f"with text {self.text.describe()}")
        if self.rel:
            parts.append(f"with rel=\"{self.rel}\"")
        return " ".join(parts)

    def describe(self) -> str:
        return f"a visible link {self._what()}{self.scope.describe()}"


@register("link", SCHEMA)
def build_link(options: dict[str, Any], where: Any) -> LinkCheck:
    """A visible <a href> whose target and/or text match the patterns."""
    return LinkCheck(
        pattern_list(options["href"], where, "href") if "href" in options else None,
        pattern_list(options["text"], where, "text") if "text" in options else None,
        options.get("rel"),
        tuple(options.get("forbid_rel", ())),
        Scope(options, where),
    )

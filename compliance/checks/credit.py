"""``credit``: the page attributes this article to the licensor (the evidence that it is a republication).

Counts: a credit line or licensing notice about this article (``compliance.document.credits``), and a
byline that carries the licensor as the author's affiliation or links the author to the licensor's
site. Does not count: the licensor named or linked in a sentence of the story, in a related-stories
teaser, a sidebar or a footer list of partners. Policies use it in ``applies_to`` (is this page a
republication of the licensor's work at all?) and as a clause ("credit the licensor").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from compliance.checks.base import FAIL, PASS, Context, Outcome, register
from compliance.checks.options import PATTERNS_SCHEMA, PatternList, pattern_list
from compliance.document.affiliations import bound_to
from compliance.document.locate import script_hint_for
from compliance.document.bylines import BylineHit, discover, find_named
from compliance.document.credits import find_credits
from compliance.text.patterns import normalize
from compliance.text.shorten import clip

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["names"],
    "properties": {
        "names": {**PATTERNS_SCHEMA, "description": "How a credit names the licensor: its name and aliases."},
        "site": {**PATTERNS_SCHEMA,
                 "description": "The licensor's web address(es): a credit line may link to it instead of naming it, "
                                "and a byline may link the author to a profile there."},
        "notice": {**PATTERNS_SCHEMA,
                   "description": "Wordings of the licensor's own licensing notice, which credit it wherever they "
                                  "stand in the story (e.g. DCNF's closing paragraph)."},
        "byline": {"type": "boolean", "default": True,
                   "description": "Whether a byline carrying the licensor as the author's affiliation counts "
                                  "(default true)."},
    },
}


@dataclass(frozen=True)
class CreditCheck:
    names: PatternList
    site: PatternList | None
    notice: PatternList | None
    byline: bool

    def evaluate(self, ctx: Context) -> Outcome:
        page = ctx.page
        names = self.names.resolve(ctx)
        sites = self.site.resolve(ctx) if self.site else []
        notices = self.notice.resolve(ctx) if self.notice else []
        credits, rejected = find_credits(page, names, sites, notices)
        if credits:
            c = credits[0]
            return Outcome(PASS, f"The page credits the article to {self.names.describe()}: “{clip(c.sentence, 160)}” "
                                 f"(line {c.element.sourceline}; it {c.how}).",
                           tuple(page.evidence(x.element, f"A credit that {x.how}.", x.sentence) for x in credits[:3]))
        if self.byline:
            found = self._byline_credit(ctx, names, sites)
            if found is not None:
                hit, el, text = found
                return Outcome(PASS, f"The byline “{clip(hit.text, 140)}” (line {hit.element.sourceline}) credits "
                                     f"{hit.name} to {self.names.describe()}: “{clip(text, 140)}”.",
                               (page.evidence(el, "A byline crediting the licensor.", text),))
        places = "no credit line, licensing notice" + (" or byline" if self.byline else "")
        message = f"Nothing on the page credits this article to {self.names.describe()}: {places} attributes it."
        message += script_hint_for(page, names)
        if rejected:
            shown = "; ".join(f"line {r.element.sourceline} (“{clip(r.line.text, 70)}”): {r.why}" for r in rejected[:3])
            more = f" and {len(rejected) - 3} more" if len(rejected) > 3 else ""
            message += f" Mentions that are not credits: {shown}{more}."
        return Outcome(FAIL, message, tuple(page.evidence(r.element, f"A mention, not a credit: {r.why}.", r.line.text)
                                            for r in rejected[:3]))

    def _byline_credit(self, ctx: Context, names, sites) -> tuple[BylineHit, Any, str] | None:
        page = ctx.page
        if not any(page.may_match(p) for p in [*names, *sites]):
            return None  # the licensor is named and linked nowhere in the source: no byline can credit it
        for hits in self._bylines(page, ctx.reporters):
            found = self._crediting(page, hits, names, sites)
            if found is not None:
                return found
        return None

    @staticmethod
    def _bylines(page: Any, reporters: tuple[str, ...]) -> Iterator[list[BylineHit]]:
        """The bylines naming the article's reporters (cheap: found where the source spells them), then every
        other byline the page shows (byline discovery reads every author-like element)."""
        for author in reporters:
            yield find_named(page, author)[0]
        yield discover(page)

    @staticmethod
    def _crediting(page: Any, hits: list[BylineHit], names, sites) -> tuple[BylineHit, Any, str] | None:
        for hit in (person for h in hits for person in h.people()):
            for el, items in bound_to(page, hit, list(hit.names)):
                text = ", ".join(items)
                if items and any(p.matches(normalize(text)) for p in names):
                    return hit, el, text
            if sites:
                for a in hit.line.block.iter("a"):
                    if any(p.search(normalize(a.get("href") or "")) for p in sites) and page.is_visible(a):
                        return hit, a, hit.text
        return None

    def describe(self) -> str:
        return (f"a credit line, licensing notice or byline on the page attributes the article to "
                f"{self.names.describe()}")


@register("credit", SCHEMA)
def build_credit(options: dict[str, Any], where: Any) -> CreditCheck:
    """A credit line, licensing notice or byline attributes this article to the licensor (not a mere mention)."""
    return CreditCheck(
        pattern_list(options["names"], where, "names"),
        pattern_list(options["site"], where, "site") if "site" in options else None,
        pattern_list(options["notice"], where, "notice") if "notice" in options else None,
        bool(options.get("byline", True)),
    )

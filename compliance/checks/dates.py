"""``published_within``: the page was republished within N days of the original (Undark's 90-day window).

The republished page's date comes from what it declares (JSON-LD
``datePublished``, ``article:published_time`` and similar meta tags, a
``<time datetime>``); the original's from the matched original article. When
either is unknown the verdict is ``review``: a missing date is not evidence
of a late republication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from compliance.checks.base import FAIL, PASS, REVIEW, Context, Outcome, register

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["days"],
    "properties": {
        "days": {"type": "integer", "minimum": 0, "maximum": 36500,
                 "description": "Most days allowed between the original's publication and the republication."},
        "undated": {"enum": ["review", "fail"], "default": "review",
                    "description": "Verdict when the page declares no publication date (default review)."},
    },
}

_META_KEYS = ("article:published_time", "og:article:published_time", "datepublished", "date", "pubdate",
              "publish-date", "publish_date", "parsely-pub-date", "sailthru.date", "dc.date", "dc.date.issued",
              "dcterms.created", "dcterms.issued")
_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "webpage")
_TEXT_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d")


def parse_date(value: Any) -> date | None:
    """A calendar date from ISO 8601 (with or without time and zone) or a written-out English date."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text:
        return None
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        return datetime.fromisoformat(iso).date()
    except ValueError:
        pass
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    cleaned = re.sub(r"^(published|updated|posted)\s*(on)?\s*:?\s*", "", cleaned, flags=re.I)
    for fmt in _TEXT_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def page_date(page: Any) -> tuple[date, str, Any] | None:
    """The republication date the page declares: (date, where it came from, element or None)."""
    for item in page.json_ld:  # @graph already flattened
        if not isinstance(item, dict):
            continue
        kind = item.get("@type")
        kinds = [k.lower() for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]
        if any(k in _ARTICLE_TYPES for k in kinds):
            d = parse_date(item.get("datePublished"))
            if d:
                return d, "JSON-LD datePublished", None
    for key in _META_KEYS:
        for el in page.root.iter("meta"):
            name = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
            if name == key:
                d = parse_date(el.get("content"))
                if d:
                    return d, f'<meta {"property" if el.get("property") else "name"}="{name}">', el
    for el in page.root.iter("time"):
        if not page.is_visible(el):
            continue
        d = parse_date(el.get("datetime")) or parse_date("".join(el.itertext()))
        if d:
            return d, "the first <time> element", el
    return None


@dataclass(frozen=True)
class PublishedWithin:
    days: int
    undated: str

    def evaluate(self, ctx: Context) -> Outcome:
        if ctx.original is None:
            from compliance.checks.original import needs_original

            return needs_original(f"The {self.days}-day window after the original's publication")
        original = parse_date(ctx.field("published"))
        if original is None:
            return Outcome(REVIEW, "The original article states no publication date, so the "
                                   f"{self.days}-day window cannot be checked.")
        found = page_date(ctx.page)
        if found is None:
            status = FAIL if self.undated == "fail" else REVIEW
            return Outcome(status, f"The page declares no publication date (no datePublished, "
                                   f"article:published_time or <time>), so the {self.days}-day window after the "
                                   f"original's {original.isoformat()} cannot be checked.")
        when, where, el = found
        evidence = (ctx.page.evidence(el, f"The page's publication date ({where})."),) if el is not None else ()
        gap = (when - original).days
        span = f"the original appeared on {original.isoformat()} and this page is dated {when.isoformat()} ({where})"
        if gap < 0:
            return Outcome(REVIEW, f"The page is dated before its original: {span}. One of the dates is wrong.",
                           evidence)
        if gap > self.days:
            return Outcome(FAIL, f"Republished {gap} days after the original, later than the {self.days} days "
                                 f"allowed: {span}.", evidence)
        return Outcome(PASS, f"Republished {gap} day(s) after the original, within the {self.days} days allowed: "
                             f"{span}.", evidence)

    def describe(self) -> str:
        return f"the page is republished within {self.days} days of the original's publication"


@register("published_within", SCHEMA)
def build_published_within(options: dict[str, Any], where: Any) -> PublishedWithin:
    """The page's publication date is at most N days after the original's (review when a date is unknown)."""
    return PublishedWithin(int(options["days"]), options.get("undated", "review"))

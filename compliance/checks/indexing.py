"""What a page tells search engines about itself: ``canonical`` and ``indexing``.

Licensors ask for one of two things: that search engines credit the original
(``<link rel=canonical>`` pointing at it, or ``noindex`` on the copy), or
that the copy does not claim to be someone else's page. Both are read from
the page's markup; only ``canonical: {to: original}`` needs the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compliance.checks.base import FAIL, PASS, REVIEW, Context, Outcome, register
from compliance.checks.original import elsewhere, needs_original, original_urls
from compliance.text.urls import host, normalize_url

CANONICAL_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "to": {"enum": ["original", "self", "not_other_site"], "default": "original",
               "description": "original: `<link rel=canonical>` points at the original article (review without one); "
                              "self: absent or this page's own URL; not_other_site: absent or on this page's own "
                              "site."},
    },
}


def canonical_links(page: Any) -> list[tuple[Any, str]]:
    """(element, normalised href) of every ``<link rel=canonical>``, resolved against the page's URL."""
    out = []
    for el in page.root.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and (el.get("href") or "").strip():
            out.append((el, normalize_url(el.get("href").strip(), page.url)))
    return out


@dataclass(frozen=True)
class CanonicalCheck:
    to: str

    def evaluate(self, ctx: Context) -> Outcome:
        page = ctx.page
        found = canonical_links(page)
        evidence = tuple(page.evidence(el, "The page's canonical link.", url) for el, url in found[:3])
        targets = original_urls(ctx.original) if ctx.original is not None else set()
        licensor = {host(u) for u in targets} - {""}
        if self.to == "original":
            if not found:
                return Outcome(FAIL, "The page has no <link rel=\"canonical\">; it should point at the original "
                                     "article.")
            if ctx.original is None:
                shown = ", ".join(url for _, url in found)
                outcome = needs_original(f"Whether the canonical link ({shown}) points at the original")
                return Outcome(outcome.status, outcome.message, evidence)
            if not targets:
                return Outcome(REVIEW, "The original article's URL is not known (its catalog entry gives none), so "
                                       "the canonical link cannot be compared with it.", evidence)
            wrong = [(el, url) for el, url in found if url not in targets]
            if not wrong:
                return Outcome(PASS, f"The canonical link points at the original article ({found[0][1]}).", evidence)
            el, url = wrong[0]
            if page.url and url == normalize_url(page.url):
                where = "this page itself"
            else:
                where = elsewhere(url, licensor)
            return Outcome(FAIL, f"The canonical link points at {where}, not at the original article "
                                 f"({ctx.original.url or ctx.original.canonical}).", evidence)
        if not found:
            return Outcome(PASS, "The page has no <link rel=\"canonical\">, so it claims no other address.")
        for _el, url in found:
            if url in targets or host(url) in licensor:
                return Outcome(FAIL, f"The canonical link points at the licensor's site ({url}); the license asks "
                                     "that the page not claim another address.", evidence)
        own = normalize_url(page.url) if page.url else None
        if own is None:
            relative = [url for _, url in found if not host(url)]
            if len(relative) == len(found):
                return Outcome(PASS, "The canonical link is a relative address, on this page's own site.", evidence)
            return Outcome(REVIEW, f"The page's own address is not known (it was read from a file), so whether the "
                                   f"canonical link ({found[0][1]}) is this page cannot be told; check the page by "
                                   "URL.", evidence)
        for _el, url in found:
            if self.to == "self" and url != own:
                return Outcome(FAIL, f"The canonical link points at {url}, not at this page ({own}).", evidence)
            if self.to == "not_other_site" and host(url) != host(own):
                return Outcome(FAIL, f"The canonical link points at another site ({url}), not at {host(own)}.",
                               evidence)
        what = "this page itself" if self.to == "self" else f"this page's own site ({host(own)})"
        return Outcome(PASS, f"The canonical link points at {what}.", evidence)

    def describe(self) -> str:
        return {
            "original": "the page's <link rel=\"canonical\"> points at the original article",
            "self": "the page has no <link rel=\"canonical\">, or one pointing at the page itself",
            "not_other_site": "the page has no <link rel=\"canonical\">, or one on the page's own site",
        }[self.to]


@register("canonical", CANONICAL_SCHEMA)
def build_canonical(options: dict[str, Any], where: Any) -> CanonicalCheck:
    """`<link rel=canonical>` points at the original article, or (self / not_other_site) not at another site."""
    return CanonicalCheck(options.get("to", "original"))


ROBOTS_NAMES = ("robots", "googlebot", "googlebot-news")
INDEXING_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["noindex"],
    "properties": {
        "noindex": {"enum": ["required", "forbidden"],
                    "description": "Whether the page must carry a noindex directive (in `<meta name=robots>`, "
                                   "googlebot or googlebot-news) or must not."},
    },
}


@dataclass(frozen=True)
class IndexingCheck:
    noindex: str

    def evaluate(self, ctx: Context) -> Outcome:
        page = ctx.page
        tags = []
        for el in page.root.iter("meta"):
            name = (el.get("name") or "").strip().lower()
            if name in ROBOTS_NAMES:
                tokens = {t.strip().lower() for t in (el.get("content") or "").replace(";", ",").split(",")}
                tags.append((el, name, (el.get("content") or "").strip(), bool(tokens & {"noindex", "none"})))
        blocking = [(el, name, content) for el, name, content, no in tags if no]
        if blocking:
            el, name, content = blocking[0]
            evidence = tuple(page.evidence(e, "A noindex directive.", c) for e, _, c in blocking[:3])
            said = f"<meta name=\"{name}\" content=\"{content}\"> (line {el.sourceline})"
            if self.noindex == "required":
                return Outcome(PASS, f"The page asks search engines not to index it: {said}.", evidence)
            return Outcome(FAIL, f"The page asks search engines not to index it ({said}), which the license does "
                                 "not allow.", evidence)
        others = tuple(page.evidence(el, "A robots directive without noindex.", c) for el, _, c, _ in tags[:3])
        said = (" Its robots directives (" + ", ".join(f"“{c}”" for _, _, c, _ in tags[:3]) + ") do not include "
                "noindex.") if tags else ""
        if self.noindex == "required":
            return Outcome(FAIL, f"The page does not ask search engines to leave it out: no <meta name=\"robots\" "
                                 f"content=\"noindex\"> (or googlebot / googlebot-news).{said}", others)
        return Outcome(PASS, f"The page carries no noindex directive.{said}", others)

    def describe(self) -> str:
        if self.noindex == "required":
            return "the page carries <meta name=\"robots\" content=\"noindex\"> (or a googlebot variant)"
        return "the page carries no noindex directive"


@register("indexing", INDEXING_SCHEMA)
def build_indexing(options: dict[str, Any], where: Any) -> IndexingCheck:
    """A noindex robots directive is required on the page, or forbidden."""
    return IndexingCheck(options["noindex"])

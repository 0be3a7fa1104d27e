"""Checks against the original article: ``original_link``, ``links_kept`` and ``if_original``.

These read ``ctx.original``, the licensor's story the page was matched to
(``compliance.originals.context``). Without one the honest verdict is ``review``: a
missing original is not evidence of a violation. ``if_original`` lets a
policy say what to check instead when no original is known (a looser
pattern, for instance), so that a run without originals keeps its old
meaning.

URLs are compared after ``normalize_url``: ``http``/``https``, ``www.``,
trailing slashes and tracking parameters do not make two links different.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from compliance.checks.base import FAIL, PASS, REVIEW, Check, Context, Outcome, register
from compliance.checks.link import link_text
from compliance.checks.options import PATTERNS_SCHEMA, PatternList, pattern_list
from compliance.checks.scope import SCOPE_PROPERTIES, Scope
from compliance.document.page import Page, inside_any
from compliance.results.model import Evidence
from compliance.text.patterns import normalize
from compliance.text.shorten import clip, listing
from compliance.text.urls import host, normalize_url

ORIGINAL_FIELDS = ("url", "title", "authors", "published", "article_id", "canonical")


def needs_original(what: str) -> Outcome:
    """The verdict of a clause that compares with the original when none is known for the page."""
    return Outcome(REVIEW, f"{what} can only be checked against the original article, and none is known for "
                           "this page: give it with --original (one story) or --originals (a feed or manifest).")


def original_urls(original: Any) -> set[str]:
    """The original's address and canonical address, normalised for comparison."""
    return {normalize_url(u) for u in (getattr(original, "url", None), getattr(original, "canonical", None)) if u}


def page_links(page: Page) -> dict[str, list[Any]]:
    """Every ``<a href>`` on the page by normalised target (relative hrefs resolved against the page's URL)."""
    return page.derive(_links_by_url)


def _links_by_url(page: Page) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for a in page.root.iter("a"):
        href = a.get("href")
        if href and href.strip() and not href.strip().startswith("#"):
            found.setdefault(normalize_url(href, page.url), []).append(a)
    return found


def elsewhere(url: str, licensor_hosts: set[str]) -> str:
    """Where a link that is not the original goes, as a phrase ('the home page of x.org')."""
    where = host(url)
    if where in licensor_hosts:
        path = urlsplit(url).path
        if path in ("", "/"):
            return f"the home page of {where}, not the story"
        return f"another page on {where} ({clip(url, 100)}), not this story"
    if not where:
        return f"a relative address ({clip(url, 100)}) on the republisher's own site"
    return f"{where} ({clip(url, 100)})"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _line(el: Any) -> str:
    return f"line {el.sourceline}" if el.sourceline else "an unknown line"


# -- original_link ---------------------------------------------------------------------------------

ORIGINAL_LINK_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "text": {**PATTERNS_SCHEMA, "description": "Patterns the link's visible text (or image alt text) must match."},
        **SCOPE_PROPERTIES,
    },
}


@dataclass(frozen=True)
class OriginalLink:
    text: PatternList | None
    scope: Scope

    def evaluate(self, ctx: Context) -> Outcome:
        original = ctx.original
        if original is None:
            return needs_original("A link to the original article")
        targets = original_urls(original)
        if not targets:
            return Outcome(REVIEW, "The original article's URL is not known (its catalog entry gives none), so a "
                                   "link to it cannot be looked for.")
        page = ctx.page
        shown = original.url or original.canonical
        licensor_hosts = {host(u) for u in targets} - {""}
        texts = self.text.resolve(ctx) if self.text else None
        roots = self.scope.roots(page)
        in_scope = None if roots is None else set(roots)
        blocks = {ln.block for ln in self.scope.lines(page)} if self.scope.restricts_position() else None
        near: list[tuple[Any, str]] = []
        for url, anchors in page_links(page).items():
            for a in anchors:
                if url not in targets:
                    if host(url) in licensor_hosts and page.is_visible(a):
                        near.append((a, f"it goes to {elsewhere(url, licensor_hosts)}"))
                    continue
                why = self._reject(a, page, texts, in_scope, blocks)
                if why:
                    near.append((a, why))
                    continue
                return Outcome(PASS, f"Found a visible link to the original article ({_line(a)}): "
                                     f"“{clip(link_text(a), 80)}” → {clip(a.get('href').strip(), 120)}.",
                               (page.evidence(a, "The link to the original article.", link_text(a)),))
        near.sort(key=lambda item: (item[1].startswith("it goes to"), item[0].sourceline or 0))  # the original's URL first
        message = f"No visible link to the original article ({shown}){self.scope.describe()} was found."
        if near:
            shown_near = "; ".join(f"the link on {_line(a)} was not accepted because {why}" for a, why in near[:3])
            more = f" ({len(near) - 3} more like it)" if len(near) > 3 else ""
            message += f" Closest: {shown_near}{more}."
        evidence = tuple(page.evidence(a, f"Not accepted: {why}.", link_text(a)) for a, why in near[:5])
        return Outcome(FAIL, message, evidence)

    def _reject(self, a: Any, page: Any, texts: list[Any] | None, in_scope: set[Any] | None,
                blocks: set[Any] | None) -> str | None:
        if not page.is_visible(a):
            return f"it is hidden ({page.hidden_reason(a)})"
        if in_scope is not None and not inside_any(a, in_scope):
            return f"it is outside {self.scope.within_text}"
        if blocks is not None and not inside_any(a, blocks):
            return f"it is not{self.scope.describe()}"
        if texts is not None and not any(p.matches(normalize(link_text(a))) for p in texts):
            return f"its text “{clip(link_text(a), 60)}” does not match {self.text.describe()}"
        return None

    def describe(self) -> str:
        text = f" with text {self.text.describe()}" if self.text else ""
        return f"a visible link to the original article's URL{text}{self.scope.describe()}"


@register("original_link", ORIGINAL_LINK_SCHEMA)
def build_original_link(options: dict[str, Any], where: Any) -> OriginalLink:
    """A visible link whose target is the original article's URL (after normalisation); review without one."""
    text = pattern_list(options["text"], where, "text") if "text" in options else None
    return OriginalLink(text, Scope(options, where))


# -- links_kept -------------------------------------------------------------------------------------

LINKS_KEPT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "min_ratio": {"type": "number", "minimum": 0, "maximum": 1, "default": 1.0,
                      "description": "Share of the original's body links that must be on the page (default 1.0: "
                                     "all of them)."},
        "ignore": {**PATTERNS_SCHEMA, "description": "Links of the original to leave out, matched against the "
                                                     "normalised URL (e.g. the licensor's newsletter sign-up)."},
    },
}


@dataclass(frozen=True)
class LinksKept:
    min_ratio: float
    ignore: PatternList | None

    def evaluate(self, ctx: Context) -> Outcome:
        original = ctx.original
        if original is None:
            return needs_original("Whether the story's links were kept")
        page = ctx.page
        wanted = self._wanted(original, self.ignore.resolve(ctx) if self.ignore else [])
        if not wanted:
            return Outcome(PASS, "The original's body has no links (apart from ignored ones), so there are none "
                                 "to keep.")
        on_page = page_links(page)
        kept, hidden, missing = [], [], []
        for url in wanted:
            anchors = on_page.get(url, [])
            visible = [a for a in anchors if page.is_visible(a)]
            if visible:
                kept.append((url, visible[0]))
            elif anchors:
                hidden.append((url, anchors[0]))
            else:
                missing.append(url)
        ratio = len(kept) / len(wanted)
        lost = [u for u, _ in hidden] + missing
        evidence: list[Evidence] = [page.evidence(a, f"A link of the original is on the page but hidden "
                                                     f"({page.hidden_reason(a)}).", url) for url, a in hidden[:5]]
        evidence += [Evidence(note=f"A link in the original's body that is not on the page: {clip(url, 140)}",
                              text=url) for url in missing[:10]]
        evidence += [page.evidence(a, "A link of the original, kept.", url) for url, a in kept[:3]]
        lost_text = listing([clip(u, 100) for u in lost])
        hidden_text = f" ({len(hidden)} of them only in hidden elements)" if hidden else ""
        if ratio >= self.min_ratio:
            if not lost:
                said = "The one link" if len(wanted) == 1 else f"All {len(wanted)} links"
                return Outcome(PASS, f"{said} in the original's body {'is' if len(wanted) == 1 else 'are'} on the "
                                     "page.", tuple(evidence))
            return Outcome(PASS, f"{len(kept)} of {len(wanted)} links in the original's body are on the page "
                                 f"({ratio:.0%}; the policy accepts {self.min_ratio:.0%}). Missing{hidden_text}: "
                                 f"{lost_text}.", tuple(evidence))
        need = "all of them" if self.min_ratio >= 1 else f"at least {self.min_ratio:.0%}"
        return Outcome(FAIL, f"Only {len(kept)} of {len(wanted)} links in the original's body are on the page "
                             f"({ratio:.0%}; the policy requires {need}). Missing{hidden_text}: {lost_text}.",
                       tuple(evidence))

    @staticmethod
    def _wanted(original: Any, ignore: list[Any]) -> list[str]:
        own = original_urls(original)
        wanted = []
        for link in dict.fromkeys(normalize_url(u) for u in original.links):
            if link in own or any(p.matches(normalize(link)) for p in ignore):
                continue
            wanted.append(link)
        return wanted

    def describe(self) -> str:
        share = "every link" if self.min_ratio >= 1 else f"at least {self.min_ratio:.0%} of the links"
        ignored = f" (except links matching {self.ignore.describe()})" if self.ignore else ""
        return f"{share} in the original article's body{ignored} are on the page"


@register("links_kept", LINKS_KEPT_SCHEMA)
def build_links_kept(options: dict[str, Any], where: Any) -> LinksKept:
    """Every link of the original's body is a visible link on the page (normalised); review without an original."""
    ignore = pattern_list(options["ignore"], where, "ignore") if "ignore" in options else None
    return LinksKept(float(options.get("min_ratio", 1.0)), ignore)


# -- if_original ------------------------------------------------------------------------------------

IF_ORIGINAL_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["then"],
    "properties": {
        "then": {"$ref": "#/$defs/check", "description": "The check to run when the original article is known."},
        "else": {"$ref": "#/$defs/check",
                 "description": "The check to run otherwise; without it the verdict is review."},
        "fields": {"type": "array", "items": {"enum": list(ORIGINAL_FIELDS)}, "uniqueItems": True,
                   "description": "Fields of the original the `then` check needs (e.g. [article_id]); when one "
                                  "is unknown, `else` runs."},
    },
}


@dataclass(frozen=True)
class IfOriginal:
    then: Check
    otherwise: Check | None
    fields: tuple[str, ...]

    def evaluate(self, ctx: Context) -> Outcome:
        original = ctx.original
        unknown = [f for f in self.fields if original is not None and getattr(original, f, None) in (None, "", ())]
        if original is not None and not unknown:
            return self.then.evaluate(ctx)
        if original is None:
            why = "No original article is known for this page"
        else:
            why = f"The original article's {', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not known"
        if self.otherwise is None:
            return Outcome(REVIEW, f"{why}, and this clause needs it: give the original with --original or "
                                   "--originals.")
        outcome = self.otherwise.evaluate(ctx)
        return Outcome(outcome.status, f"{outcome.message} ({why}, so the check without it was used.)",
                       outcome.evidence)

    def describe(self) -> str:
        needs = f" with its {', '.join(self.fields)}" if self.fields else ""
        text = f"when the original article is known{needs}: {self.then.describe()}"
        if self.otherwise is not None:
            text += f"; otherwise: {self.otherwise.describe()}"
        return text


@register("if_original", IF_ORIGINAL_SCHEMA)
def build_if_original(options: dict[str, Any], where: Any) -> IfOriginal:
    """Runs `then` when the page's original article is known, else `else` (or asks for review)."""
    then = where.child("then").build(options["then"])
    otherwise = where.child("else").build(options["else"]) if "else" in options else None
    return IfOriginal(then, otherwise, tuple(options.get("fields", ())))


MATCHED_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "site": {**PATTERNS_SCHEMA,
                 "description": "Patterns for the original's address (its URL or canonical URL): only an original "
                                "on these sites counts (e.g. the licensor's own)."},
    },
}


@dataclass(frozen=True)
class MatchedOriginal:
    site: PatternList | None

    def evaluate(self, ctx: Context) -> Outcome:
        original = ctx.original
        if original is None:
            return Outcome(FAIL, "No original article is known for this page (none was given with --original, or "
                                 "none in --originals matches it).")
        where = original.url or original.canonical or original.source or "the given original"
        if self.site is None:
            return Outcome(PASS, f"The page was matched to the original article {where}.")
        addresses = [normalize(a) for a in (original.url, original.canonical) if a]
        if any(p.search(a) for p in self.site.resolve(ctx) for a in addresses):
            return Outcome(PASS, f"The page was matched to the original article {where}, on {self.site.describe()}.")
        return Outcome(FAIL, f"The page's original article ({where}) is not on {self.site.describe()}.")

    def describe(self) -> str:
        on = f" on {self.site.describe()}" if self.site else ""
        return f"the page matches an original article{on}"


@register("matched_original", MATCHED_SCHEMA)
def build_matched_original(options: dict[str, Any], where: Any) -> MatchedOriginal:
    """The page was matched to an original article (--original/--originals), optionally one on these sites."""
    return MatchedOriginal(pattern_list(options["site"], where, "site") if "site" in options else None)

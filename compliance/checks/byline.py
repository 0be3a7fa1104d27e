"""``byline``: a visible byline naming the author, optionally with an affiliation attached to it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from compliance.checks.base import FAIL, PASS, REVIEW, Context, Outcome, register
from compliance.checks.options import PATTERNS_SCHEMA, PatternList, pattern_list
from compliance.document.affiliations import bound_to
from compliance.document.bylines import (
    BylineHit,
    Mention,
    discover,
    find_named,
    hidden_mention,
    impersonal_bylines,
    name_matcher,
)
from compliance.text.names import fold
from compliance.document.locate import script_hint
from compliance.text.patterns import normalize
from compliance.text.shorten import clip

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "authors": {
            "default": "context",
            "description": "Who the byline must name. 'context' (default): the article's reporters, from "
                           "--author or the matched original; without any, any person counts. Or a list of "
                           "names, which may use {original.authors}.",
            "oneOf": [{"const": "context"}, {"type": "array", "items": {"type": "string", "minLength": 1}}],
        },
        "require": {"enum": ["all", "any"], "default": "all",
                    "description": "Whether every named author (default) or one suffices."},
        "affiliation": {**PATTERNS_SCHEMA,
                        "description": "Patterns for an affiliation that must be attached to the author in the "
                                       "byline: written next to that person's name (not a co-author's), on the "
                                       "byline's line, in its own element or author box."},
        "unmatched_affiliation": {
            "enum": ["fail", "review"], "default": "fail",
            "description": "When something is written next to the author that matches none of the affiliation "
                           "patterns (an institution's short name, a role): fail (default), or review, for "
                           "affiliations no pattern list can spell out in full."},
    },
}


@dataclass(frozen=True)
class BylineCheck:
    authors: Any  # "context" or PatternList-like list of names (strings, placeholders allowed)
    require: str
    affiliation: PatternList | None
    unmatched: str = "fail"

    def _wanted(self, ctx: Context) -> list[str]:
        if self.authors == "context":
            return list(ctx.reporters)
        names: list[str] = []
        for raw in self.authors:
            if raw.strip() in ("{original.authors}", "{context.authors}"):
                names.extend(ctx.reporters)
            else:
                names.append(raw)
        return names

    def evaluate(self, ctx: Context) -> Outcome:
        wanted = self._wanted(ctx)
        if not wanted:
            return self._any_person(ctx)
        return self._named(ctx, wanted)

    # -- a given reporter ---------------------------------------------------

    def _named(self, ctx: Context, wanted: list[str]) -> Outcome:
        page = ctx.page
        results: dict[str, tuple[list[BylineHit], list[Mention]]] = {name: find_named(page, name) for name in wanted}
        named = [n for n in wanted if results.get(n, ([], []))[0]]
        missing = [n for n in wanted if n not in named]
        ok = bool(named) and (self.require == "any" or not missing)
        if not ok:
            given_only = _given_name_only(page, missing)
            if given_only is not None and (self.require == "all" or not named):
                name, hit = given_only
                return Outcome(REVIEW, f"The byline “{clip(hit.text, 140)}” (line {hit.element.sourceline}) names only "
                                       f"“{hit.name}”, a first name, which may be {name}: check that it is the same "
                                       f"person{' and that the affiliation is there' if self.affiliation else ''}.",
                               (page.evidence(hit.element, f"A byline that may name {name}.", hit.text),))
            outcome = self._explain_missing(ctx, missing, results)
            cause = f"no byline naming {_join(missing)}"
            if self.affiliation is not None:
                return Outcome(FAIL, f"{_NO_BYLINE}. {outcome.message}", outcome.evidence, cause=cause,
                               instead=f"{_NO_BYLINE}: none names {_join(missing)}")
            return replace(outcome, cause=cause)
        hits = [results[n][0][0] for n in named]
        unsure = [(n, h) for n, h in zip(named, hits) if _initial_only(n, h.name)]
        if unsure and self.affiliation is None:
            name, hit = unsure[0]
            return Outcome(REVIEW, f"The byline “{clip(hit.text, 140)}” (line {hit.element.sourceline}) names “{hit.name}”, "
                                   f"which may be {name}: only the initial of the given name matches. Check that it "
                                   f"is the same person.",
                           (page.evidence(hit.element, f"A byline that may name {name}.", hit.text),))
        if self.affiliation is None:
            ev = tuple(page.evidence(h.element, f"Byline naming {n}: {h.reason}.", h.text) for n, h in zip(named, hits))
            first = hits[0]
            who = _join(named)
            return Outcome(PASS, f"The byline “{clip(first.text, 140)}” (line {first.element.sourceline}) names {who}; "
                                 f"it reads as a byline because {first.reason}.", ev)
        return self._affiliation(ctx, [(n, results[n][0]) for n in named])

    def _explain_missing(self, ctx: Context, missing: list[str], results) -> Outcome:
        page = ctx.page
        parts, evidence = [], []
        for name in missing:
            hits, mentions = results.get(name, ([], []))
            if mentions:
                m = mentions[0]
                parts.append(f"{name} is not named in a byline: the name appears at line {m.element.sourceline}, "
                             f"but {m.why_not}.")
                evidence.extend(page.evidence(x.element, f"A mention of {name} that is not a byline: {x.why_not}.",
                                              x.line.text) for x in mentions[:3])
            elif _in_metadata(page, name):
                parts.append(f"{name} is not named in a visible byline; the name appears only in the page's "
                             f"metadata (<meta> or JSON-LD), which readers do not see.")
            elif (hidden := hidden_mention(page, name)) is not None:
                el, why = hidden
                parts.append(f"No visible byline names {name}: the name is written at line {el.sourceline}, but a "
                             f"reader cannot see it: {why}.")
                evidence.append(page.evidence(el, f"{name}, out of a reader's sight: {why}."))
            else:
                parts.append(f"No visible byline names {name}; the name does not appear in the page's visible text."
                             + script_hint(page, name.split()[-1:]))
        others = discover(page)
        if others:
            o = others[0]
            parts.append(f"The page's byline names {o.name} instead (line {o.element.sourceline}).")
            evidence.append(page.evidence(o.element, f"The page's byline ({o.reason}).", o.text))
        return Outcome(FAIL, " ".join(parts), tuple(evidence))

    # -- any person -----------------------------------------------------------

    def _any_person(self, ctx: Context) -> Outcome:
        page = ctx.page
        hits = discover(page)
        if not hits:
            lead = f"{_NO_BYLINE}. " if self.affiliation else ""
            dependent = dict(cause="no byline naming a person",
                             instead=f"{_NO_BYLINE}: none names a person" if self.affiliation else "")
            impersonal = impersonal_bylines(page)
            if impersonal:
                line = impersonal[0]
                el = line.owner_at(0)
                return Outcome(FAIL, lead + f"The page's byline “{clip(line.text, 140)}” (line {el.sourceline}) names no "
                                            "person, only an organisation or a generic credit.",
                               (page.evidence(el, "A byline without a person's name.", line.text),), **dependent)
            return Outcome(FAIL, lead + "No visible byline naming a person was found (looked for lines starting with "
                                        "“By” and similar markers, and for author/byline markup).", **dependent)
        best = hits[0]
        if self.affiliation is not None:  # any of the byline's people may be the licensor's reporter
            people = [(h.name, [h]) for h in best.people()]
            return self._affiliation(ctx, people, any_person=True)
        return Outcome(PASS, f"Found a byline naming {best.name}: “{clip(best.text, 140)}” (line "
                             f"{best.element.sourceline}); it reads as a byline because {best.reason}.",
                       (page.evidence(best.element, f"The article's byline: {best.reason}.", best.text),))

    # -- affiliation ------------------------------------------------------------

    def _affiliation(self, ctx: Context, named: list[tuple[str, list[BylineHit]]], any_person: bool = False
                     ) -> Outcome:
        """Each named person's byline must carry the affiliation *next to that person* (``bound_to``)."""
        page = ctx.page
        patterns = self.affiliation.resolve(ctx) if self.affiliation else []
        others = [n for n, _ in named]
        attached, lacking = [], []
        beside: dict[str, tuple[BylineHit, Any, list[str]]] = {}  # what stands next to a person who lacks it
        for name, hits in named:
            found = None
            for hit in hits:
                for el, items in bound_to(page, hit, [o for o in others + list(hit.names) if o != name]):
                    text = ", ".join(items)
                    p = next((p for p in patterns if items and p.matches(normalize(text))), None)
                    if p is not None:
                        found = (hit, el, text, p)
                        break
                    if items and name not in beside:
                        beside[name] = (hit, el, items)
                if found:
                    break
            (attached if found else lacking).append((name, found or hits[0]))
        if attached and (not lacking or any_person):
            ev = tuple(page.evidence(el, f"{name}'s byline with the affiliation {p.describe()}.", text)
                       for name, (hit, el, text, p) in attached)
            name, (hit, el, text, p) = attached[0]
            return Outcome(PASS, f"The byline of {_join([n for n, _ in attached])} carries the affiliation "
                                 f"{p.describe()} next to the name: “{clip(text, 140)}” (line {el.sourceline}).", ev)
        name, hit = lacking[0]
        ev = [page.evidence(hit.element, f"{name}'s byline, without the affiliation.", hit.text)]
        near = self.affiliation.near_miss(hit.text) if self.affiliation else None
        if near is not None:  # "By Jane Doe | Daily Caller" for the Daily Caller News Foundation
            part, whole = near
            elsewhere = _elsewhere(page, patterns, hit, ev)
            return Outcome(FAIL, f"The byline “{clip(hit.text, 140)}” (line {hit.element.sourceline}) names {name} with "
                                 f"“{part}”, not “{whole}”: part of a name can be another organisation's, so it does "
                                 f"not count as the affiliation.{elsewhere}", tuple(ev))
        if name in beside and self.unmatched == "review":
            hit, el, items = beside[name]
            shown = "”, “".join(clip(i, 60) for i in items[:3])
            return Outcome(REVIEW, f"The byline “{clip(hit.text, 140)}” (line {hit.element.sourceline}) names {name} "
                                   f"with “{shown}” next to the name, which does not read as "
                                   f"{self.affiliation.describe()}: check whether it is one.",
                           (page.evidence(el, f"What stands next to {name} in the byline.", ", ".join(items)),))
        elsewhere = _elsewhere(page, patterns, hit, ev)
        return Outcome(FAIL, f"The byline “{clip(hit.text, 140)}” (line {hit.element.sourceline}) names {name} but not the "
                             f"affiliation {self.affiliation.describe()} next to the name.{elsewhere}", tuple(ev))

    def describe(self) -> str:
        who = "the article's reporter(s)" if self.authors == "context" else _join(list(self.authors))
        text = f"a visible byline naming {who}"
        if self.affiliation is not None:
            text += f", with the affiliation {self.affiliation.describe()} attached to it"
        return text


_NO_BYLINE = "There is no byline to carry the affiliation"


def _elsewhere(page, patterns, hit: BylineHit, ev: list) -> str:
    """" X does appear on the page at line N, but not next to the name ...": where the affiliation is, when it is
    somewhere else (the fix is often to move it); its place is added to ``ev``."""
    for p in patterns:
        if not page.may_match(p):
            continue
        other = next(page.find_text(p), None)
        if other:
            line, start, _ = other
            el = line.owner_at(start)
            where = "next to another person in the byline" if line.block is hit.line.block else "not next to the name"
            ev.append(page.evidence(el, "The affiliation, away from the author's name.", line.text))
            return f" {p.describe()} does appear on the page at line {el.sourceline}, but {where}, so it does not count."
    return ""


def _in_metadata(page, name: str) -> bool:
    from compliance.document.jsonld import json_ld_values

    try:
        matcher = name_matcher(name)
    except ValueError:
        return False
    values = list(json_ld_values(page.json_ld, ["author"])) + list(json_ld_values(page.json_ld, ["creator"]))
    for meta in page.root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").lower()
        if "author" in key or "creator" in key or key in ("byl", "dc.creator"):
            values.append(meta.get("content") or "")
    return any(matcher.search(v) for v in values)


def _given_name_only(page, missing: list[str]) -> tuple[str, BylineHit] | None:
    """A byline naming only a first name that is the wanted person's given name ("Von Henry" for Henry
    Steinhau): it may be them, or another Henry, so a person decides."""
    for name in missing:
        words = re.findall(r"[^\W\d_]+", name.split(",", 1)[1] if "," in name else name)
        if len(words) < 2:
            continue
        given = fold(words[0])
        for hit in discover(page):
            for person in hit.people():
                if len(person.name.split()) == 1 and fold(person.name) == given:
                    return name, person
    return None


def _initial_only(wanted: str, matched: str) -> bool:
    """True when the page gives only an initial where the wanted name has a full given name ("J. Doe")."""
    want = re.findall(r"\w+", wanted)
    got = re.findall(r"\w+", matched)
    return bool(want and got) and len(got[0]) == 1 and len(want[0]) > 1 and "," not in matched


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@register("byline", SCHEMA)
def build_byline(options: dict[str, Any], where: Any) -> BylineCheck:
    """A visible byline naming the author (or any person), optionally with an attached affiliation."""
    authors = options.get("authors", "context")
    return BylineCheck(authors, options.get("require", "all"),
                       pattern_list(options["affiliation"], where, "affiliation") if "affiliation" in options else None,
                       options.get("unmatched_affiliation", "fail"))

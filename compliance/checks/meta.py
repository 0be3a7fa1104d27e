"""``meta``: page metadata a reader does not see: meta tags, <link rel>, JSON-LD fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from compliance.checks.base import FAIL, PASS, Context, Outcome, register
from compliance.checks.options import PATTERNS_SCHEMA, PatternList, pattern_list
from compliance.document.jsonld import json_ld_values
from compliance.text.patterns import normalize

_KINDS = ("name", "property", "http_equiv", "itemprop", "rel", "json_ld")
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "oneOf": [{"required": [k]} for k in _KINDS],
    "properties": {
        "name": {"type": "string", "description": "<meta name=…> (case-insensitive)."},
        "property": {"type": "string", "description": "<meta property=…>, e.g. og:site_name."},
        "http_equiv": {"type": "string", "description": "<meta http-equiv=…>."},
        "itemprop": {"type": "string", "description": "<meta itemprop=…> (microdata)."},
        "rel": {"type": "string", "description": "<link rel=…> token, e.g. canonical; its href is the value."},
        "json_ld": {"type": "string", "pattern": r"^[A-Za-z@][\w@:-]*(\.[A-Za-z@][\w@:-]*)*$",
                    "description": "Dotted path into JSON-LD objects, e.g. author.affiliation.name."},
        "value": {**PATTERNS_SCHEMA, "description": "Patterns the value must match; omit to require presence."},
    },
}


@dataclass(frozen=True)
class MetaCheck:
    kind: str
    key: str
    value: PatternList | None

    def evaluate(self, ctx: Context) -> Outcome:
        page = ctx.page
        found = list(self._values(page))
        what = self._what()
        if not found:
            return Outcome(FAIL, f"The page has no {what}.")
        if self.value is None:
            el, val = found[0]
            ev = (page.evidence(el, f"The {what}.", val),) if el is not None else ()
            return Outcome(PASS, f"The page has {what}: “{val[:120]}”.", ev)
        patterns = self.value.resolve(ctx)
        for el, val in found:
            if any(p.matches(normalize(val)) for p in patterns):
                ev = (page.evidence(el, f"The {what}.", val),) if el is not None else ()
                return Outcome(PASS, f"The {what} is “{val[:120]}”, which matches {self.value.describe()}.", ev)
        shown = ", ".join(f"“{v[:80]}”" for _, v in found[:3])
        ev = tuple(page.evidence(el, f"A {what} that does not match.", v) for el, v in found[:3] if el is not None)
        return Outcome(FAIL, f"The {what} ({shown}) does not match {self.value.describe()}.", ev)

    def _values(self, page) -> Iterator[tuple[Any, str]]:
        key = self.key.lower()
        if self.kind == "json_ld":
            for v in json_ld_values(page.json_ld, self.key.split(".")):
                yield None, v
            return
        if self.kind == "rel":
            for el in page.root.iter("link", "a"):
                if key in (el.get("rel") or "").lower().split() and el.get("href") and not page.inert_reason(el):
                    yield el, el.get("href").strip()
            return
        attr = {"http_equiv": "http-equiv"}.get(self.kind, self.kind)
        for el in page.root.iter("meta"):
            if (el.get(attr) or "").strip().lower() == key and el.get("content") is not None \
                    and not page.inert_reason(el):  # a <meta> inside <template> never takes effect
                yield el, el.get("content").strip()

    def _what(self) -> str:
        if self.kind == "json_ld":
            return f"JSON-LD field {self.key}"
        if self.kind == "rel":
            return f'<link rel="{self.key}">'
        return f'<meta {self.kind.replace("_", "-")}="{self.key}">'

    def describe(self) -> str:
        if self.value is None:
            return f"the page has {self._what()}"
        return f"the page's {self._what()} matches {self.value.describe()}"


@register("meta", SCHEMA)
def build_meta(options: dict[str, Any], where: Any) -> MetaCheck:
    """A meta tag, <link rel> or JSON-LD field exists and optionally matches patterns."""
    kind = next(k for k in _KINDS if k in options)
    value = pattern_list(options["value"], where, "value") if "value" in options else None
    return MetaCheck(kind, options[kind], value)

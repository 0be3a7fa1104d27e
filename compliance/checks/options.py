"""Option types shared by check primitives: pattern lists, selectors, placeholders.

Patterns: a plain string is a phrase (matched on normalised text, at word
boundaries); a string written ``/like this/`` is an RE2 regular expression.
Either may contain article-context placeholders such as ``{original.url}``
or ``{original.authors}``; they are filled in per page with the literal
(regex-escaped) value, never evaluated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from compliance.errors import PolicyError
from compliance.text.patterns import Pattern, PatternError, compile_pattern

PLACEHOLDER = re.compile(r"\{(original|context)\.([a-z_]+)\}")
CONTEXT_FIELDS = frozenset({"url", "title", "authors", "article_id", "published", "canonical"})

PATTERN_SCHEMA: dict[str, Any] = {
    "description": "A phrase, or an RE2 regular expression written /like this/.",
    "type": "string",
    "minLength": 1,
}
PATTERNS_SCHEMA: dict[str, Any] = {
    "description": "One pattern or a list of patterns; any of them may match.",
    "oneOf": [PATTERN_SCHEMA, {"type": "array", "items": PATTERN_SCHEMA, "minItems": 1}],
}
SELECTOR_SCHEMA: dict[str, Any] = {
    "description": "A CSS selector, or an XPath expression when it starts with '/' or '('.",
    "type": "string",
    "minLength": 1,
}


@dataclass(frozen=True)
class PatternList:
    """Patterns as written in a policy, compiled once; placeholders resolved per page."""

    static: tuple[Pattern, ...]
    templates: tuple[tuple[str, bool], ...] = ()  # (source with placeholders, is_regex)

    def resolve(self, ctx: Any = None) -> list[Pattern]:
        if not self.templates:
            return list(self.static)
        out = list(self.static)
        for source, is_regex in self.templates:
            out.extend(_expand(source, is_regex, ctx))
        return out

    def describe(self) -> str:
        items = [p.describe() for p in self.static] + [
            (f"/{s}/" if r else f"“{s}”") for s, r in self.templates
        ]
        return " or ".join(items)

def pattern_list(value: Any, where: Any, key: str) -> PatternList:
    """Compile a policy's pattern option; one PolicyError (via ``where``) naming every bad pattern."""
    values = value if isinstance(value, list) else [value]
    static: list[Pattern] = []
    templates: list[tuple[str, bool]] = []
    bad: list[Any] = []
    for i, raw in enumerate(values):
        at_where = where.child(key)
        at = i if isinstance(value, list) else None
        is_regex = len(raw) >= 2 and raw.startswith("/") and raw.endswith("/")
        source = raw[1:-1] if is_regex else raw
        fields = PLACEHOLDER.findall(source)
        if fields:
            unknown = [name for _, name in fields if name not in CONTEXT_FIELDS]
            if unknown:
                bad.append(at_where.error(at, f"unknown placeholder {{original.{unknown[0]}}}; "
                                              f"known: {', '.join(sorted(CONTEXT_FIELDS))}"))
                continue
            if is_regex:  # check the regex compiles with a harmless stand-in value
                try:
                    compile_pattern(PLACEHOLDER.sub("x", source), regex=True)
                except PatternError as exc:
                    bad.append(at_where.error(at, str(exc)))
                    continue
            templates.append((source, is_regex))
            continue
        try:
            static.append(compile_pattern(source, regex=is_regex))
        except PatternError as exc:
            bad.append(at_where.error(at, str(exc)))
    if bad:
        raise PolicyError.of(p for e in bad for p in e.problems)
    return PatternList(tuple(static), tuple(templates))


def _expand(source: str, is_regex: bool, ctx: Any) -> list[Pattern]:
    """Fill placeholders; a list-valued field (authors) yields one pattern per value."""
    import re2

    fields = PLACEHOLDER.findall(source)
    values: dict[str, list[str]] = {}
    for _, name in fields:
        raw = ctx.field(name) if ctx is not None else None
        if raw is None or raw == [] or raw == "":
            return []  # no value in this context: the pattern cannot match anything
        values[name] = [str(v) for v in raw] if isinstance(raw, (list, tuple)) else [str(raw)]
    results = [source]
    for name, options in values.items():
        token_re = re.compile(r"\{(?:original|context)\." + name + r"\}")
        expanded = []
        for text in results:
            for option in options:
                filler = re2.escape(option) if is_regex else option
                expanded.append(token_re.sub(lambda _m, f=filler: f, text))
        results = expanded
    out = []
    for text in results:
        try:
            out.append(compile_pattern(text, regex=is_regex))
        except PatternError:
            continue
    return out


def compile_selector(value: str, where: Any, key: str):  # -> etree.XPath
    """CSS (via cssselect) or XPath, compiled once. XPath extension functions are off."""
    from lxml import etree

    text = value.strip()
    if text.startswith(("/", "(")):
        try:
            return etree.XPath(text, regexp=False, smart_strings=False)
        except etree.XPathSyntaxError as exc:
            raise where.error(key, f"invalid XPath {value!r}: {exc}") from None
    from cssselect import SelectorError

    try:
        xpath = _policy_translator().css_to_xpath(text)
    except SelectorError as exc:
        raise where.error(key, f"invalid CSS selector {value!r}: {exc}") from None
    return etree.XPath(xpath, regexp=False, smart_strings=False)



def _policy_translator():
    """cssselect's HTML translator, except that ``img`` also selects AMP's ``<amp-img>`` and ``<amp-anim>``:
    on an AMP page those are the images, wherever a policy counts images."""
    from cssselect import HTMLTranslator

    class PolicyTranslator(HTMLTranslator):
        def xpath_element(self, selector):  # type: ignore[override]
            xpath = super().xpath_element(selector)
            if xpath.element == "img":
                xpath.element = "*"
                xpath.add_condition("(name() = 'img' or name() = 'amp-img' or name() = 'amp-anim')")
            return xpath

    return PolicyTranslator()

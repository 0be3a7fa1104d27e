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
from functools import lru_cache
from typing import Any

from compliance.errors import PolicyError
from compliance.text.patterns import Pattern, PatternError, compile_pattern
from compliance.text.regex import lazy

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
        """What the patterns look for, in words, each text once (“Daily Caller News Foundation” or “DCNF”).

        A phrase and a regex that read as the same letters (``dailycallernewsfoundation``,
        ``/daily[-_ ]?caller[-_ ]?news[-_ ]?foundation/``) are one text; the exact patterns are
        ``exact()``, for --verbose and the JSON evidence.
        """
        unread = {p.exact() for p in self.static if p.regex and not p.words()}
        return " or ".join(w if w in unread else f"“{w}”" for w in self.words()) or self.exact()

    def words(self) -> list[str]:
        """Each text the patterns stand for, once; a regex that does not read as text appears as written."""
        items = list(self.static) + [Pattern(s, r) for s, r in self.templates]
        texts = [(text, p.regex) for p in items for text in (p.words() or (p.exact(),))]
        seen: dict[str, str] = {}
        for text, _ in sorted(texts, key=lambda tr: (" " not in tr[0], tr[1])):  # spaced phrases read best
            seen.setdefault(_letters(text), text)
        order = {key: i for i, key in enumerate(dict.fromkeys(_letters(text) for text, _ in texts))}
        return [seen[key] for key in sorted(seen, key=order.__getitem__)]  # in the policy's order

    def names(self) -> set[str]:
        """The texts looked for, as letters only: two options name the same thing when these are equal."""
        return {_letters(w) for w in self.words()}

    def near_miss(self, text: str) -> tuple[str, str] | None:
        """(part, whole) when ``text`` holds two or more words of a looked-for name in a row, not the whole name.

        "daily-caller-logo.png" holds “Daily Caller” of “Daily Caller News Foundation”: a part of a
        name can be another organisation's whole name, so it never counts, but it is worth saying.
        """
        tokens = _TOKENS.findall(text.casefold())
        present = set(tokens)
        for name in self.words():
            words = _TOKENS.findall(name)
            folded = [w.casefold() for w in words]
            if len(folded) < 3:
                continue  # one word of a two-word name is too common to point out
            if not any(a in present and b in present for a, b in zip(folded, folded[1:])):
                continue  # no two words of the name in a row can be there
            if any(tokens[i:i + len(folded)] == folded for i in range(len(tokens) - len(folded) + 1)):
                return None  # the whole name is there
            for size in range(len(folded) - 1, 1, -1):
                for start in range(len(folded) - size + 1):
                    run = folded[start:start + size]
                    if any(tokens[i:i + size] == run for i in range(len(tokens) - size + 1)):
                        return " ".join(words[start:start + size]), name
        return None

    def exact(self) -> str:
        """The patterns exactly as the policy wrote them."""
        items = [p.exact() for p in self.static] + [(f"/{s}/" if r else f"“{s}”") for s, r in self.templates]
        return " or ".join(items)


_TOKENS = lazy(r"[^\W_]+")


def combined(*lists: PatternList | None) -> PatternList:
    """One list of the patterns of several options, for naming what they look for together."""
    present = [p for p in lists if p is not None]
    return PatternList(tuple(x for p in present for x in p.static), tuple(x for p in present for x in p.templates))


def _letters(text: str) -> str:
    """The letters and digits of ``text``, case-folded: the same name however it is spaced or punctuated."""
    return "".join(ch for ch in text.casefold() if ch.isalnum()) or text

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



@lru_cache(maxsize=1)
def _policy_translator():
    """cssselect's HTML translator, except that ``img`` also selects AMP's ``<amp-img>`` and ``<amp-anim>``:
    on an AMP page those are the images, wherever a policy counts images."""
    from cssselect import HTMLTranslator

    from compliance.document.page import IMG_TAGS

    class PolicyTranslator(HTMLTranslator):
        def xpath_element(self, selector):  # type: ignore[override]
            xpath = super().xpath_element(selector)
            if xpath.element == "img":
                xpath.element = "*"
                xpath.add_condition("(" + " or ".join(f"name() = '{tag}'" for tag in IMG_TAGS) + ")")
            return xpath

    return PolicyTranslator()

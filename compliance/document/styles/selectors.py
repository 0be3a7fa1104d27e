"""CSS selectors as XPath tests of one element, and the cheap key that says which elements to test at all.

cssselect parses selectors and translates them to XPath, but its XPath searches from the root
(``descendant-or-self::a//b``), so "does this element match?" would walk the whole document each
time. ``SubjectTranslator`` writes the selector from its subject outwards instead: combinators become
conditions on the element's ancestors and earlier siblings, and one test costs what the selector's own
steps cost (about a microsecond).

Before any parsing, ``cheap_keys`` reads each selector's subject key (an id, else a class, else a tag)
with regexes, so a rule is parsed only once an element carrying its key is asked about.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from lxml import etree

from compliance.text.regex import lazy  # a page without CSS compiles none of these

if TYPE_CHECKING:
    from cssselect.xpath import XPathExpr

Key = tuple[str, str]  # ("id", x) | ("class", x) | ("tag", x) | ("*", "")
ANY: Key = ("*", "")

_DASHED = lazy(r"([.#])--")  # ".--hide-me" is a valid class selector that cssselect's tokenizer refuses
_JS_CLASS = lazy(r"\.(no-)?js(?![\w-])")


@dataclass(frozen=True, eq=False)
class Selector:
    """One compiled selector of a rule's selector list."""

    text: str
    specificity: tuple[int, int, int]
    key: Key
    test: etree.XPath  # ``boolean(self::…)``: does the context element match?

    def matches(self, el: etree._Element) -> bool:
        try:
            return bool(self.test(el))
        except etree.XPathError:
            return False


def _translator():
    from cssselect import HTMLTranslator

    class SubjectTranslator(HTMLTranslator):
        """Translates a selector into an XPath that tests the context element itself (``self::…[…]``)."""

        @staticmethod
        def _step(expr: XPathExpr) -> str:
            return f"{expr.element}[{expr.condition}]" if expr.condition else expr.element

        def xpath_descendant_combinator(self, left: XPathExpr, right: XPathExpr) -> XPathExpr:
            return right.add_condition(f"ancestor::{self._step(left)}")

        def xpath_child_combinator(self, left: XPathExpr, right: XPathExpr) -> XPathExpr:
            return right.add_condition(f"parent::{self._step(left)}")

        def xpath_direct_adjacent_combinator(self, left: XPathExpr, right: XPathExpr) -> XPathExpr:
            return right.add_condition(f"preceding-sibling::*[1][self::{self._step(left)}]")

        def xpath_indirect_adjacent_combinator(self, left: XPathExpr, right: XPathExpr) -> XPathExpr:
            return right.add_condition(f"preceding-sibling::{self._step(left)}")

    return SubjectTranslator()


_TRANSLATOR = None


# An entry holds a rule's compiled XPath programs, about 8 KB on the corpus. 512 entries keep a site's working
# set (over the corpus's many sites, 16,384 found 612 hits and 512 find 521) and cap the cache near 4 MB; at
# 16,384 it grew by 22 MB over one pass of the corpus, so a run's first pass peaked lower than its later ones.
@lru_cache(maxsize=512)
def compile_selectors(prelude: str, scripted: bool = False) -> tuple[Selector, ...]:
    """The selectors of a rule's prelude that can match an element; empty when none can be evaluated.

    Pseudo-elements (``::before``) style generated content, not the element; user-action pseudo-classes
    (``:hover``, ``:focus``) never match, so such rules never hide anything; selectors cssselect cannot
    evaluate are left out. ``scripted``: the page's root carries ``no-js``, which its scripts swap for
    ``js`` as it loads (the Modernizr convention), so the selectors are read as a reader's browser
    would apply them.
    """
    global _TRANSLATOR
    from cssselect import SelectorError, parse
    from cssselect.xpath import ExpressionError

    if _TRANSLATOR is None:
        _TRANSLATOR = _translator()
    text = _DASHED.sub(r"\1\\-\\-", prelude)
    if scripted:
        text = _JS_CLASS.sub(lambda m: ".js" if m.group(1) else ".no-js", text)
    try:
        parsed = parse(text)
    except (SelectorError, ValueError, IndexError, TypeError):
        return ()
    out = []
    for sel in parsed:
        if sel.pseudo_element is not None or _combinators(sel.parsed_tree) > MAX_COMBINATORS:
            continue  # a page's selector of thousands of parts would take cssselect past the recursion limit
        try:
            path = _TRANSLATOR.selector_to_xpath(sel, prefix="self::")
            test = etree.XPath(f"boolean({path})", regexp=False, smart_strings=False)
        except (ExpressionError, SelectorError, etree.XPathSyntaxError, ValueError, TypeError, RecursionError):
            continue
        out.append(Selector(sel.canonical(), sel.specificity(), _subject_key(sel.parsed_tree), test))
    return tuple(out)


MAX_COMBINATORS = 64  # far beyond any selector a site writes; more are left out as unevaluable


def _combinators(tree) -> int:
    """How many combinators a parsed selector chains (counted without recursion)."""
    count, node = 0, tree
    while type(node).__name__ == "CombinedSelector":
        count += 1
        node = node.selector
    return count


def _subject_key(tree) -> Key:
    """The most selective simple selector the matched element itself must satisfy."""
    node = tree
    while type(node).__name__ == "CombinedSelector":
        node = node.subselector
    found: dict[str, str | None] = {"id": None, "class": None, "tag": None}
    while node is not None:
        kind = type(node).__name__
        if kind == "Hash":
            found["id"] = node.id
        elif kind == "Class" and found["class"] is None:
            found["class"] = node.class_name
        elif kind == "Element":
            if node.element and node.element != "*":
                found["tag"] = node.element.lower()
            break
        node = getattr(node, "selector", None)
    for kind in ("id", "class", "tag"):
        value = found[kind]
        if value:
            return kind, value
    return ANY


# -- cheap subject keys -------------------------------------------------------------------------------

_PARENS = lazy(rb"\([^()]*\)")
_COMBINATOR = lazy(rb"\s*[>+~]\s*|\s+")
_IDENT = rb"(?:[\w-]|\\[0-9a-fA-F]{1,6}\s?|\\[^0-9a-fA-F\n])+"
_ID = lazy(rb"#(" + _IDENT + rb")")
_CLASS = lazy(rb"\.(" + _IDENT + rb")")
_TAG = lazy(rb"^([a-zA-Z][\w-]*)")
_ESCAPE = lazy(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)")
_SIMPLE = lazy(rb"^\s*([.#]?)([a-zA-Z_][\w-]*)\s*$")


def _unescape(ident: bytes) -> str:
    text = ident.decode("utf-8", "replace")
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), text)


def cheap_keys(prelude: bytes) -> tuple[Key, ...]:
    """The subject key of each selector in a selector list, read with regexes, not a parser.

    Only a pre-filter (it never parses the selector): the rule is compiled properly once an element
    carrying one of these keys is asked about, and what a key misses is a rule that never applies.
    Remembered for the run (the pages of a site share their sheets), short selector lists only.
    """
    return _remembered_keys(prelude) if len(prelude) <= _REMEMBERED else _cheap_keys(prelude)


_REMEMBERED = 512  # bytes of a selector list whose keys are kept for the run: a bounded cache stays small


def _cheap_keys(prelude: bytes) -> tuple[Key, ...]:
    simple = _SIMPLE.match(prelude)
    if simple:  # ".x", "#y", "div": most rules
        kind = {b".": "class", b"#": "id", b"": "tag"}[simple.group(1)]
        value = simple.group(2).decode()
        return ((kind, value.lower() if kind == "tag" else value),)
    out: list[Key] = []
    for part in _split_list(prelude):
        text = part
        while b"(" in text:
            stripped = _PARENS.sub(b"", text)
            if stripped == text:
                break
            text = stripped
        pieces = [p for p in _COMBINATOR.split(text.strip()) if p]
        compound = pieces[-1] if pieces else b""
        found = _ID.search(compound)
        if found:
            out.append(("id", _unescape(found.group(1))))
            continue
        found = _CLASS.search(compound)
        if found:
            out.append(("class", _unescape(found.group(1))))
            continue
        found = _TAG.match(compound)
        out.append(("tag", found.group(1).decode().lower()) if found else ANY)
    return tuple(out)


_remembered_keys = lru_cache(maxsize=32768)(_cheap_keys)


_NESTED_PARTS = lazy(rb"\([^()]*\)|\[[^\[\]]*\]")


def _split_list(prelude: bytes) -> list[bytes]:
    """The selectors of a list; brackets and parentheses (whose commas do not separate) are dropped first."""
    while b"(" in prelude or b"[" in prelude:
        stripped = _NESTED_PARTS.sub(b"", prelude)
        if stripped == prelude:
            break
        prelude = stripped
    return prelude.split(b",")


def keys_of(el: etree._Element) -> set[Key]:
    """The keys an element carries: any, its tag, its id and each of its classes."""
    keys = {ANY}
    tag = el.tag
    if isinstance(tag, str):
        keys.add(("tag", tag.lower()))
    ident = el.get("id")
    if ident:
        keys.add(("id", ident))
    cls = el.get("class")
    if cls:
        keys.update(("class", c) for c in cls.split())
    return keys


def carries_any(el: etree._Element, keys) -> bool:
    """Does ``el`` carry one of ``keys`` (its tag, id or a class, as ``keys_of`` reads them)? Without building the set."""
    tag = el.tag
    if isinstance(tag, str) and ("tag", tag.lower()) in keys:
        return True
    ident = el.get("id")
    if ident and ("id", ident) in keys:
        return True
    cls = el.get("class")
    return bool(cls) and any(("class", c) in keys for c in cls.split())

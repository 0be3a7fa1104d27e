"""A page's stylesheets, read only as far as they could hide something.

Real pages ship megabytes of CSS, and tinycss2 (pure Python) reads it a hundred times slower than
libxml2 reads the HTML (a 1.5 MB sheet: 0.5 s, its page: 5 ms). Almost none of it can hide anything,
so a sheet is never parsed whole: one RE2 scan over its bytes finds the declarations that could hide
an element (``display: none``, ``visibility: hidden``, ``opacity: 0``, a clip to nothing, a 0-1 px
box, far off-screen offsets, a large ``text-indent``, ``font-size: 0``), and each rule holding one is
indexed by the subject key of its selectors (``selectors.cheap_keys``). A rule is parsed (tinycss2 on
its relevant declarations, cssselect on its selectors) only when an element carrying its key is asked
about. Rules that could *undo* a hiding declaration (``.hidden.open { display: block }``) are found
the same way, per property, only once a hiding rule has matched.

Where a rule sits is read from the text's brace structure; ``@media`` is evaluated for the desktop
screen (``media``), ``@supports`` taken as supported, ``@layer`` ranked, CSS nesting expanded, and
rules inside other at-rules (``@container``, ``@scope``, ``@keyframes`` …) never apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from bisect import bisect_left
from functools import cached_property, lru_cache
from typing import Any, Iterator

import re2

from compliance.document.styles.media import media_applies
from compliance.document.styles.selectors import Key, Selector, cheap_keys, compile_selectors
from compliance.text.regex import lazy, lazy_re2  # patterns a page without CSS never uses

# Properties that take part in deciding visibility, with the shorthands that also set them.
PROPERTIES = {
    "display": ("display",),
    "visibility": ("visibility",),
    "opacity": ("opacity",),
    "content-visibility": ("content-visibility",),
    "clip": ("clip",),
    "clip-path": ("clip-path",),
    "position": ("position",),
    "left": ("left", "inset"), "top": ("top", "inset"), "right": ("right", "inset"),
    "width": ("width",), "height": ("height",), "max-width": ("max-width",), "max-height": ("max-height",),
    "overflow-x": ("overflow-x", "overflow"), "overflow-y": ("overflow-y", "overflow"),
    "text-indent": ("text-indent",),
    "font-size": ("font-size", "font"),
    "padding-top": ("padding-top", "padding"), "padding-bottom": ("padding-bottom", "padding"),
    "padding-left": ("padding-left", "padding"), "padding-right": ("padding-right", "padding"),
    "animation-name": ("animation-name", "animation"),
}
DECLARED_NAMES = frozenset(n for names in PROPERTIES.values() for n in names)

_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False
_OPTIONS.max_mem = 32 << 20
# declarations that could hide an element: a superset, decided exactly once tinycss2 has read the rule
_HIDING = lazy_re2(
    rb"(?:^|[{;\s])(?:"
    rb"display\s*:\s*none"
    rb"|visibility\s*:\s*(?:hidden|collapse)"
    rb"|opacity\s*:\s*(?:0*\.?0+%?)\s*(?:[;}!]|$)"
    rb"|content-visibility\s*:\s*hidden"
    rb"|clip\s*:\s*rect"
    rb"|clip-path\s*:\s*(?:inset|circle|ellipse|polygon)"
    rb"|text-indent\s*:\s*(?:-|\d{3,}|100%)"
    rb"|font(?:-size)?\s*:\s*0(?:\.0+)?[a-z%]*\s*(?:[;}!/]|$)"
    rb"|(?:max-)?(?:width|height)\s*:\s*(?:0*\.?[01]|0*\.\d+)(?:px|em|rem|%)?\s*(?:[;}!]|$)"
    rb"|(?:left|top|right|inset)\s*:\s*-\s*(?:\d{3,}|\d+\.?\d*(?:vw|vh|em|rem))"
    rb")", _OPTIONS)
_DECLARING = {prop: lazy_re2(rb"(?:^|[{;\s])(?:" + b"|".join(re.escape(n.encode()) for n in names) + rb")\s*:",
                              _OPTIONS)
              for prop, names in PROPERTIES.items()}
_RELEVANT = lazy(rb"(?:^|[;{\s])(?:" + b"|".join(re.escape(n.encode()) for n in sorted(DECLARED_NAMES, key=len,
                                                                                        reverse=True))
                 + rb")\s*:[^;]*", re.I)
# a quote escaped with a backslash belongs to an identifier (Tailwind's ".content-\[\'\'\]"), not a string
_STRING = lazy(rb"""(?<!\\)(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""")
# where a string may hold a brace: a quoted brace, generated content, a data URI
_BRACE_IN_STRING = lazy_re2(rb"""content\s*:\s*(?:"[^"\n]*[{}][^"\n]*"|'[^'\n]*[{}][^'\n]*')|data:[^)"']*[{}]""",
                            _OPTIONS)
_NESTED = lazy(rb"\{[^{}]*\{")  # a block opened inside another (an at-rule, or CSS nesting)
_SPACES = bytes(10 if b == 10 else 32 for b in range(256))
_UNDERSCORES = bytes(10 if b == 10 else 95 for b in range(256))


class Sheet:
    """One stylesheet's text, where it came from, and the media it applies to."""

    def __init__(self, css: bytes, origin: str, first_line: int = 1, media: str | None = None, order: int = 0):
        if css.lstrip().startswith(b"<![CDATA["):
            css = b""  # CSS reads "<![" as a [] block that swallows the whole sheet: browsers apply none of it
        self.css = _blank_comments(css) if b"/*" in css else css  # same length: offsets and lines stay right
        self.origin = origin          # "<style>" or the linked file's name, for messages
        self.first_line = first_line  # the page (or file) line the text starts on
        self.media = media
        self.order = order            # position among the page's sheets

    @cached_property
    def shape(self) -> bytes:
        """``css`` with string contents blanked too: where braces and declarations really are.

        Braces inside strings are rare (``content: '{'`` in icon fonts, CSS inside an SVG data URI):
        a C-speed search for those places decides whether the strings must be blanked, which keeps
        offsets but costs a Python call per string.
        """
        css = self.css
        if not _BRACE_IN_STRING.search(css):
            return css
        blanked = _STRING.sub(lambda m: m.group(0)[:1] + m.group(0)[1:-1].translate(_UNDERSCORES) + m.group(0)[-1:],
                              css)
        return blanked if blanked.count(b"{") == blanked.count(b"}") else css

    def line_at(self, pos: int) -> int:
        return self.first_line + self.css.count(b"\n", 0, pos)


def _blank_comments(css: bytes) -> bytes:
    """Comments turned into spaces (newlines kept), found with C-speed ``find``."""
    out, pos = [], 0
    while True:
        start = css.find(b"/*", pos)
        if start < 0:
            break
        end = css.find(b"*/", start + 2)
        end = len(css) if end < 0 else end + 2
        out.append(css[pos:start])
        out.append(css[start:end].translate(_SPACES))
        pos = end
    out.append(css[pos:])
    return b"".join(out)


@dataclass(frozen=True)
class Decl:
    prop: str        # the longhand it sets (``font`` sets ``font-size``)
    value: str       # lower-cased, whitespace-normalised value text
    important: bool
    written: str     # the declaration as written, for messages: "font: 0/0 a"


@dataclass(frozen=True, eq=False)
class Rule:
    """A style rule that declares at least one visibility property."""

    sheet: Sheet
    selectors: tuple[Selector, ...]
    decls: dict[str, Decl]
    start: int             # offset of the selector text in the sheet
    layer: int             # cascade layer rank; unlayered rules rank above every layer
    order: tuple[int, int]

    @property
    def line(self) -> int:
        return self.sheet.line_at(self.start)

    def where(self) -> str:
        return f"in {self.sheet.origin} at line {self.line}"


def parse_declarations(block: str) -> dict[str, Decl]:
    """The visibility-relevant declarations of a block: the last one of each property wins, !important first."""
    import tinycss2

    out: dict[str, Decl] = {}
    for item in tinycss2.parse_blocks_contents(block, skip_comments=True, skip_whitespace=True):
        if item.type != "declaration" or item.lower_name not in DECLARED_NAMES:
            continue
        value = " ".join(tinycss2.serialize(item.value).lower().split())
        written = f"{item.lower_name}: {value}{' !important' if item.important else ''}"
        for prop, decl_value in _longhands(item.lower_name, value):
            if prop not in PROPERTIES:
                continue  # "inset" also sets bottom, which never hides (the page grows downwards)
            old = out.get(prop)
            if old is not None and old.important and not item.important:
                continue
            out[prop] = Decl(prop, decl_value, item.important, written)
    return out


def _sides(value: str) -> tuple[str, str, str, str] | None:
    parts = value.split()
    if not parts:
        return None
    top = parts[0]
    right = parts[1] if len(parts) > 1 else top
    bottom = parts[2] if len(parts) > 2 else top
    left = parts[3] if len(parts) > 3 else right
    return top, right, bottom, left


def _longhands(name: str, value: str) -> Iterator[tuple[str, str]]:
    if name == "font":
        size = _font_size_of_shorthand(value)
        if size is not None:
            yield "font-size", size
    elif name == "overflow":
        parts = value.split()
        if parts:
            yield "overflow-x", parts[0]
            yield "overflow-y", parts[1] if len(parts) > 1 else parts[0]
    elif name in ("inset", "padding"):
        sides = _sides(value)
        if sides:
            prefix = "" if name == "inset" else "padding-"
            yield from zip((f"{prefix}top", f"{prefix}right", f"{prefix}bottom", f"{prefix}left"), sides)
    elif name == "animation":
        yield "animation-name", "none" if value in ("none", "") else value
    else:
        yield name, value


_FONT_SIZE = lazy(r"^(?:\d*\.?\d+(?:px|em|rem|%|pt|pc|vw|vh|ex|ch|cm|mm|in)?|xx-small|x-small|small|medium|"
                  r"large|x-large|xx-large|xxx-large|smaller|larger)$")


def _font_size_of_shorthand(value: str) -> str | None:
    """The size a ``font`` shorthand sets (``font: 0/0 a`` sets 0); None for system fonts (``font: inherit``)."""
    for token in value.replace("/", " / ").split():
        if token == "/":
            break
        if _FONT_SIZE.match(token):
            return token
    return None


@lru_cache(maxsize=16384)
def _block_declarations(block: bytes) -> dict[str, Decl]:
    """``parse_declarations`` of a rule's block, once per run for each distinct (short) block: the pages of
    a site share their sheets. The dict is shared, never changed."""
    return parse_declarations(relevant_part(block))


def relevant_part(block: bytes) -> str:
    """Only the declarations that matter, for tinycss2 to read: a rule may hold dozens of others."""
    return ";".join(m.group(0).lstrip(b";{ \t\r\n").decode("utf-8", "replace") for m in _RELEVANT.finditer(block))


# -- the page's sheets, read on demand ----------------------------------------------------------------

@dataclass(frozen=True)
class _Context:
    applies: bool
    layer: str | None = None
    parents: tuple[str, ...] = ()  # enclosing style rules' selectors (CSS nesting)


_TOP = _Context(True)
_UNPARSED: Any = object()


class _Stub:
    """A rule found by scanning: where it is, parsed only when an element carrying its key is asked about."""

    __slots__ = ("sheet", "start", "open", "end", "parsed")

    def __init__(self, sheet: Sheet, start: int, open_: int, end: int):
        self.sheet, self.start, self.open, self.end = sheet, start, open_, end
        self.parsed: Rule | None = _UNPARSED


Index = dict[Key, list[_Stub]]


class StyleSheets:
    """The rules of a page's sheets that could hide or un-hide something, found and parsed on demand."""

    def __init__(self, sheets: list[Sheet], scripted: bool = False):
        self.sheets = [s for s in sheets if s.css.strip() and media_applies(s.media)]
        self.scripted = scripted  # the page's root carries "no-js", which its scripts swap for "js"
        self._hiding: Index | None = None
        self._declaring: dict[tuple[str, Key], list[_Stub]] = {}
        self._by_key: dict[Key, list[_Stub]] = {}
        self._kinds: dict[str, set[Key]] = {}
        self._stubs: dict[tuple[int, int], _Stub] = {}
        self._nesting: dict[int, _Nesting] = {}
        self._contexts: dict[tuple[int, tuple[int, ...]], _Context] = {}
        self._layers: dict[str, int] = {}
        self.unreadable = 0   # rules that could hide but whose selectors cssselect cannot evaluate

    def hiding(self) -> Index:
        """Rules holding a declaration that could hide an element, by the subject keys of their selectors."""
        if self._hiding is None:
            self._hiding = self._scan(_HIDING) if self.sheets else {}
        return self._hiding

    # declarations that complete a hiding pattern or undo one, by kind: their subject keys tell cheaply
    # whether any such rule could apply to an element
    KINDS = {
        "visible": lazy_re2(rb"(?:^|[{;\s])visibility\s*:\s*visible", _OPTIONS),
        "animation": lazy_re2(rb"(?:^|[{;\s])animation(?:-name)?\s*:", _OPTIONS),
    }

    def keys_with(self, kind: str) -> set[Key]:
        """The subject keys of every rule holding a ``kind`` declaration (``KINDS``), found once per page."""
        found = self._kinds.get(kind)
        if found is None:
            found = set()
            for keys in self._scan(self.KINDS[kind]):
                found.add(keys)
            self._kinds[kind] = found
        return found

    def declaring(self, prop: str, keys: set[Key]) -> Iterator[tuple[Rule, Selector]]:
        """The rules declaring ``prop`` (or a shorthand) whose selectors' subject key is among ``keys``: the
        rules that may override a hiding one.

        Looked up per key, by searching the sheets for the key itself (``.class``, ``#id``, a tag in a
        selector), never by reading every declaration of a property as common as ``display``.
        """
        index: Index = {}
        for key in keys:
            stubs = self._declaring.get((prop, key))
            if stubs is None:
                stubs = self._declaring[(prop, key)] = self._find_key(prop, key)
            if stubs:
                index[key] = stubs
        return self.rules(index, keys)

    def _find_key(self, prop: str, key: Key) -> list[_Stub]:
        declares = _DECLARING[prop]
        return [stub for stub in self._keyed(key) if declares.search(stub.sheet.shape, stub.open, stub.end)]

    def _keyed(self, key: Key) -> list[_Stub]:
        """Every rule whose selector list has ``key`` as a subject key, whatever it declares: one search of the
        sheets per key, shared by all the properties asked about."""
        found = self._by_key.get(key)
        if found is not None:
            return found
        found = []
        seen: set[int] = set()
        for sheet in self.sheets:
            shape = sheet.shape
            for at in _key_positions(shape, key[0], key[1]):
                open_ = shape.find(b"{", at)
                if open_ < 0:
                    continue
                stub = self._stub(sheet, open_)
                if id(stub) in seen:
                    continue
                seen.add(id(stub))
                prelude = shape[stub.start:stub.open]
                if prelude.lstrip()[:1] != b"@" and key in cheap_keys(prelude):
                    found.append(stub)
        self._by_key[key] = found
        return found

    def _stub(self, sheet: Sheet, open_: int) -> _Stub:
        stub = self._stubs.get((sheet.order, open_))
        if stub is None:
            shape = sheet.shape
            start = max(shape.rfind(b"}", 0, open_), shape.rfind(b"{", 0, open_), shape.rfind(b";", 0, open_)) + 1
            end = shape.find(b"}", open_)
            stub = self._stubs[(sheet.order, open_)] = _Stub(sheet, start, open_, len(shape) if end < 0 else end)
        return stub

    def rules(self, index: Index, keys: set[Key]) -> Iterator[tuple[Rule, Selector]]:
        """The rules of ``index`` filed under any of ``keys``, each with its selectors whose key is among them."""
        seen: set[int] = set()
        for key in keys:
            for stub in index.get(key, ()):
                if id(stub) in seen:
                    continue
                seen.add(id(stub))
                rule = stub.parsed
                if rule is _UNPARSED:
                    rule = stub.parsed = self._parse(stub)
                if rule is None:
                    continue
                for sel in rule.selectors:
                    if sel.key in keys:
                        yield rule, sel

    # scanning ---------------------------------------------------------------------------------------

    def _scan(self, pattern: Any) -> Index:
        index: Index = {}
        for sheet in self.sheets:
            shape = sheet.shape
            last_open = -1
            for m in pattern.finditer(shape):
                pos = m.start()
                open_ = shape.rfind(b"{", 0, pos + 1)
                if open_ <= last_open:
                    continue  # another declaration of a block already seen
                if open_ < 0 or shape.rfind(b"}", open_, pos + 1) >= 0:
                    continue  # not inside a declaration block (an attribute selector naming a style)
                last_open = open_
                stub = self._stub(sheet, open_)
                prelude = shape[stub.start:open_]
                if not prelude.strip() or prelude.lstrip()[:1] == b"@":
                    continue  # @font-face, @page …: declarations that style no element
                for key in cheap_keys(prelude):
                    index.setdefault(key, []).append(stub)
        return index

    # parsing one rule ---------------------------------------------------------------------------------

    def _parse(self, stub: _Stub) -> Rule | None:
        sheet = stub.sheet
        context = self._context(sheet, stub.open)
        if not context.applies:
            return None
        block = sheet.css[stub.open + 1:stub.end]
        decls = _block_declarations(block) if len(block) <= 2048 else parse_declarations(relevant_part(block))
        if not decls:
            return None
        written = sheet.css[stub.start:stub.open]
        prelude = written.decode("utf-8", "replace").strip()
        if context.parents:
            prelude = _nest(context.parents, prelude)
        selectors = compile_selectors(prelude, self.scripted)
        if not selectors:
            self.unreadable += 1
            return None
        lead = len(written) - len(written.lstrip())
        return Rule(sheet, selectors, decls, stub.start + lead, self._layer_rank(context.layer),
                    (sheet.order, stub.open))

    def _layer_rank(self, name: str | None) -> int:
        if name is None:
            return 1 << 20  # unlayered: above every layer for normal declarations
        return self._layers.setdefault(name, len(self._layers))

    def _context(self, sheet: Sheet, open_: int) -> _Context:
        """The enclosing at-rules (and style rules, for nesting) of a block; a top-level block has none."""
        nesting = self._nesting.get(sheet.order)
        if nesting is None:
            nesting = self._nesting[sheet.order] = _walk(sheet.shape)
        stack = nesting.get(open_)
        if stack is None:
            return _TOP
        found = self._contexts.get((sheet.order, stack))
        if found is None:
            found = self._contexts[(sheet.order, stack)] = self._context_of(sheet, stack)
        return found

    def _context_of(self, sheet: Sheet, stack: tuple[int, ...]) -> _Context:
        applies, layer, parents = True, None, []
        css, shape = sheet.css, sheet.shape
        for open_ in stack:
            start = max(shape.rfind(b"}", 0, open_), shape.rfind(b"{", 0, open_), shape.rfind(b";", 0, open_)) + 1
            prelude = " ".join(css[start:open_].decode("utf-8", "replace").split())
            lower = prelude.lower()
            if lower.startswith("@media"):
                applies = applies and media_applies(prelude[6:])
            elif lower.startswith("@supports"):
                applies = applies and _supports(prelude[9:])
            elif lower.startswith("@layer"):
                name = prelude[6:].strip() or f"<anonymous {open_}>"
                layer = f"{layer}.{name}" if layer else name
            elif lower.startswith("@"):
                applies = False  # @container, @scope, @document, @keyframes …: not placed on this screen
            else:
                parents.append(prelude)
        return _Context(applies, layer, tuple(parents))


_IDENT_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
_SELECTOR_START = rb"(?:^|[\s,>+~(){};])"
_SELECTOR_END = rb"(?:[\s,.#:\[>+~(){]|$)"  # consumed (RE2 has no look-ahead): only match starts are used


def _css_ident(value: str) -> bytes:
    """An identifier as a stylesheet writes it: characters other than letters, digits, - and _ escaped."""
    out = []
    for i, ch in enumerate(value.encode("utf-8")):
        if i == 0 and 48 <= ch <= 57:
            out.append(b"\\3%d " % (ch - 48))  # a leading digit is written as a hex escape
        elif ch in _IDENT_BYTES or ch >= 128:
            out.append(bytes([ch]))
        else:
            out.append(b"\\" + bytes([ch]))
    return b"".join(out)


# the rest of a selector's subject compound, to the end of the selector, then the rule's block: the key must be
# in the subject (``cheap_keys`` decides exactly; this only spares it most of the places a key is written)
_REST = rb"[^\s,>+~{}]*\s*(?:,[^{}]*)?\{"


def _key_positions(shape: bytes, kind: str, value: str) -> Iterator[int]:
    """Where a rule may have this subject key (a superset; ``cheap_keys`` decides).

    A class or id is found with a plain search for its literal (pages have thousands of distinct
    classes: compiling a regex for each cost more than the search) and the rest of the rule is matched
    from there with a regex compiled once.
    """
    if kind in ("class", "id"):
        needle = (b"." if kind == "class" else b"#") + _css_ident(value)
        size = len(needle)
        pos = shape.find(needle)
        while pos >= 0:
            if _AFTER_IDENT.match(shape, pos + size):
                yield pos
            pos = shape.find(needle, pos + size)
        return
    for m in _key_pattern(kind, value).finditer(shape):
        yield m.start()


_AFTER_IDENT = lazy(rb"(?![\w-]|\\)" + _REST)


@lru_cache(maxsize=1024)
def _key_pattern(kind: str, value: str) -> Any:
    """A tag's, or no key's, rules (few distinct ones per run: compiled once each)."""
    if kind == "tag":
        # the tag ends at "{", a space, a comma or another simple selector ("div{", "div, p {", "div:hover {")
        return re2.compile(rb"(?:^|[\s,>+~}{;])" + re.escape(value.encode())
                           + rb"(?:[.#:\[][^\s,>+~{}]*)?\s*(?:,[^{}]*)?\{", _OPTIONS)
    # selectors whose subject names no tag, class or id: *, [attr], :root, :not(...)
    return re2.compile(rb"(?:^|[\s,>+~}{;])[*\[:]" + _REST, _OPTIONS)


class _Nesting:
    """The blocks of a sheet that hold other blocks (``@media``, ``@layer``, nesting parents): where each
    opens and closes and which one holds it, in the order they open."""

    def __init__(self) -> None:
        self.opens: list[int] = []
        self.closes: list[int] = []
        self.parents: list[int] = []

    def get(self, open_: int) -> tuple[int, ...] | None:
        """The opening braces of the blocks enclosing the block opened at ``open_``, outermost first."""
        j = bisect_left(self.opens, open_) - 1
        # the last block opened before this one either holds it or closed first, and then only a block
        # holding that one can hold this one (blocks nest): climb until one is still open here
        while j >= 0 and self.closes[j] < open_:
            j = self.parents[j]
        stack = []
        while j >= 0:
            stack.append(self.opens[j])
            j = self.parents[j]
        return tuple(reversed(stack)) or None


# the next brace of a block that holds others, or closes one: blocks holding none (most of a sheet) are
# skipped inside the regex engine (possessive, so a sheet without another brace fails in linear time)
_NEXT_OUTER_BRACE = lazy(rb"(?:[^{}]++|\{[^{}]*+\})*+([{}])")


def _walk(shape: bytes) -> _Nesting:
    """One pass over a sheet's braces, in C wherever blocks hold no others: the blocks that enclose others
    (Python sees only their braces; a block's own enclosing blocks are looked up when it is asked about)."""
    nesting = _Nesting()
    if not _NESTED.search(shape):
        return nesting
    stack: list[int] = []  # indexes of the blocks open here
    match = _NEXT_OUTER_BRACE.match
    m = match(shape)
    while m is not None:  # each match starts where the last one ended (never inside a skipped block)
        p = m.start(1)
        m = match(shape, p + 1)
        if shape[p] == 123:  # "{"
            nesting.opens.append(p)
            nesting.closes.append(len(shape))  # until it closes: a block never closed holds the rest
            nesting.parents.append(stack[-1] if stack else -1)
            stack.append(len(nesting.opens) - 1)
        elif stack:
            nesting.closes[stack.pop()] = p
    return nesting


def _supports(condition: str) -> bool:
    """A modern browser supports what pages test for; ``not (…)`` tests for old browsers."""
    return not condition.strip().lower().startswith("not")


def _nest(parents: tuple[str, ...], prelude: str) -> str:
    """CSS nesting: ``.a { .b { … } }`` is ``:is(.a) .b``, ``&.c`` is ``:is(.a).c``."""
    outer = ""
    for parent in parents:
        outer = _nest_one(outer, parent) if outer else parent
    return _nest_one(outer, prelude)


def _nest_one(outer: str, inner: str) -> str:
    wrapped = f":is({outer})"
    return ", ".join(p.replace("&", wrapped) if "&" in p else f"{wrapped} {p}" for p in (q.strip() for q in
                                                                                         inner.split(",")))

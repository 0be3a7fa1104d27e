"""What a reader of the rendered page can see: the one definition of "hidden" every part of the checker uses.

An element is hidden when it is inside ``<head>``, ``<script>``, ``<style>``, ``<template>``,
``<noscript>`` (readers run scripts), an SVG's ``<desc>``/``<metadata>``, a hidden ``<input>`` or a
closed ``<dialog>``; when it carries the ``hidden`` attribute and no author rule displays it anyway;
and when the cascade (the page's own ``style`` attributes and stylesheets, ``compliance.document.styles``)
gives it or an ancestor:

- ``display: none``, ``opacity: 0`` or ``content-visibility: hidden`` (nothing inside can undo them);
- ``visibility: hidden`` or ``collapse`` (inherited; a descendant may set ``visibility: visible``);
- a screen-reader-only pattern: ``clip`` (when absolutely positioned) or ``clip-path`` to nothing, a
  box of 0-1 px (padding included) that hides its overflow, a position far off-screen (999 px or more
  to the left or top of the page);

and its *text* (not its images) is unreadable under a computed ``font-size`` of 0 or a
``text-indent`` that pushes it out of sight (999 px or more to the left, or 100 % with hidden overflow).

Two things a static reading gets wrong are corrected as a reader's browser would: rules hiding
``<html>`` or ``<body>`` themselves are load-time curtains (AMP's boilerplate, fade-ins, anti-flicker
snippets) that the page's scripts lift at once, so they never hide the page; an element fading in
with a CSS animation is not invisible. ``aria-hidden`` hides nothing from a sighted reader, so it
hides nothing here.

``Visibility`` answers per element and remembers every answer along the ancestor chain; the cascade
is consulted only for elements that a rule able to hide could match.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from lxml import etree

from compliance.document.styles.cascade import Cascade, Won
from compliance.document.styles.sheets import Decl, StyleSheets, parse_declarations
from compliance.text.regex import lazy
from compliance.text.shorten import clip

INVISIBLE_TAGS = frozenset({"head", "script", "style", "template", "noscript", "title", "meta", "link", "desc",
                            "metadata"})
REPLACED = frozenset({"img", "svg", "picture", "video", "canvas", "iframe", "object", "embed", "input", "amp-img",
                      "amp-anim"})
OFFSCREEN_PX = 999.0
# inline declarations worth reading with tinycss2: only these can hide on their own
_INLINE_HINT = lazy(r"display|visibility|opacity|clip|indent|font|(?:width|height)\s*:\s*[0.]|left|top|right|"
                    r"inset", re.I)
_LENGTH = lazy(r"^(-?\d*\.?\d+)(px|em|rem|pt|pc|vw|vh|%|in|cm|mm)?$")
_UNIT_PX = {None: 1.0, "px": 1.0, "em": 16.0, "rem": 16.0, "pt": 4 / 3, "pc": 16.0, "vw": 12.8, "vh": 7.2,
            "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
# properties whose value decides whether another one hides: a clip needs a position, a tiny box needs
# its overflow hidden and no padding, a transparent or invisible element may be animated in
_COMPANIONS = {
    "clip": ("position",), "left": ("position",), "top": ("position",), "right": ("position",),
    "width": ("overflow-x", "padding-left", "padding-right"),
    "max-width": ("overflow-x", "padding-left", "padding-right"),
    "height": ("overflow-y", "padding-top", "padding-bottom"),
    "max-height": ("overflow-y", "padding-top", "padding-bottom"),
    "text-indent": ("overflow-x",),
    "opacity": ("animation-name",), "visibility": ("animation-name",),
}
_COMPANION_ONLY = frozenset(c for cs in _COMPANIONS.values() for c in cs) - {"position"}


class State(NamedTuple):
    """What applies to an element: why it is not rendered, its inherited visibility, what hides its text."""

    removed: str | None                 # display:none and the like: no descendant can undo it
    visibility: tuple[str, str] | None  # (value, why), inherited; a descendant may set it back to visible
    indent: str | None = None           # inherited: the text is pushed out of sight by text-indent
    zero_font: str | None = None        # inherited: the font size is 0
    unlaid: bool = False                # removed without a layout box (display: none …): a lazy image never loads

    @property
    def text(self) -> str | None:
        return self.zero_font or self.indent


_SHOWN = State(None, None)


def text_readable(state: State) -> bool:
    """Can a reader read the text of an element in this state (shown, and not unreadable)?"""
    return (state.removed is None and (state.visibility is None or state.visibility[0] == "visible")
            and state.zero_font is None and state.indent is None)


class Visibility:
    """Visibility of the elements of one parsed page, memoised along the ancestor chain."""

    def __init__(self, sheets: StyleSheets | None = None) -> None:
        self._memo: dict[etree._Element, State] = {}
        self.cascade = Cascade(sheets)

    def hidden_reason(self, el: etree._Element) -> str | None:
        """One phrase saying why a reader cannot see ``el``, or None when they can."""
        state = self.state(el)
        removed, visibility = state.removed, state.visibility
        if removed is not None:
            return removed
        if visibility is not None and visibility[0] != "visible":
            return visibility[1]
        return None

    def is_visible(self, el: etree._Element) -> bool:
        state = self.state(el)
        removed, visibility = state.removed, state.visibility
        return removed is None and (visibility is None or visibility[0] == "visible")

    def text_hidden_reason(self, el: etree._Element) -> str | None:
        """Why a reader cannot read the text ``el`` holds (hidden, or unreadable), or None."""
        return self.hidden_reason(el) or self.state(el).text

    def text_visible(self, el: etree._Element) -> bool:
        return text_readable(self.state(el))

    def descend(self, el: etree._Element, parent: etree._Element) -> State:
        """``state(el)`` for a child of ``parent`` whose state is already known: the step of a walk down the tree."""
        known = self._memo.get(el)
        if known is None:
            above = self._memo[parent]
            known = self._memo[el] = above if above.removed is not None else self._own(el, above)
        return known

    def state(self, el: etree._Element) -> State:
        memo = self._memo
        chain: list[etree._Element] = []
        node: etree._Element | None = el
        state = _SHOWN
        while node is not None:
            known = memo.get(node)
            if known is not None:
                state = known
                break
            chain.append(node)
            node = node.getparent()
        for node in reversed(chain):
            if state.removed is None:
                state = self._own(node, state)
            memo[node] = state
        return state

    # -- one element ---------------------------------------------------------------------------------

    def _own(self, node: etree._Element, parent: State) -> State:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in INVISIBLE_TAGS:
            return State(f"it is inside <{tag}>", None, unlaid=True)
        if tag in ("html", "body"):
            return parent  # a rule hiding the whole page is a load-time curtain its scripts lift
        if tag == "input" and (node.get("type") or "").lower() == "hidden":
            return State(f"{describe(node)} is a hidden input", None, unlaid=True)
        if tag.startswith("amp-") and (node.get("layout") or "").lower() == "nodisplay":
            return State(f"{describe(node)} has AMP's layout=nodisplay", None, unlaid=True)
        matched = self.cascade.hiding(node)
        style = node.get("style")
        inline = _inline(style) if style and (matched or _INLINE_HINT.search(style)) else {}
        ua_hidden = node.get("hidden") is not None or (tag == "dialog" and node.get("open") is None)
        undo = parent.visibility is not None and parent.visibility[0] != "visible"
        if not inline and not matched and not ua_hidden and not undo and parent.text is None:
            return parent
        cascade = self.cascade
        # 1. what the rules known to match (and the style attribute) say, without looking further
        won: dict[str, Won] = {}
        for prop in set(inline) | set(matched):
            w = cascade.winner(node, prop, inline.get(prop), matched.get(prop, []), False)
            if w is not None:
                won[prop] = w
        # 2. where that hides, or something above is undone here, every rule declaring the property
        #    competes: only then are the sheets searched for this element's keys
        contested = {p for p, w in won.items() if p not in _COMPANION_ONLY and _may_hide(p, w.decl.value)}
        if ua_hidden:
            contested.add("display")  # any author display rule shows a hidden element
        if undo and cascade.may_declare("visible", node):
            contested.add("visibility")  # a descendant may turn visibility back on
        if parent.zero_font:
            contested.add("font-size")  # or set a size again (the inline-block whitespace trick)
        if parent.indent:
            contested.add("text-indent")
        for prop in contested:
            _contest(cascade, node, prop, inline, matched, won)
        # 3. the companions of a property that still hides: a clip's position, a tiny box's overflow and
        #    padding, a transparent element's animation
        for prop, w in list(won.items()):
            if not _may_hide(prop, w.decl.value):
                continue
            for companion in _COMPANIONS.get(prop, ()):
                current = won.get(companion)
                # a hiding value already winning may be overridden by any declaration; otherwise only a
                # rule with a value that completes the pattern matters, and the page may have none
                kind = _COMPLETING.get(companion)
                if kind is None or (current is not None and _completes(companion, current.decl.value)) or \
                        cascade.may_declare(kind, node):
                    _contest(cascade, node, companion, inline, matched, won)
        return _decide(node, tag, won, parent)


RENDERED_HIDDEN = "data-compliance-hidden"  # written by compliance.inputs.render into a rendered DOM
RENDERED_TEXT_HIDDEN = "data-compliance-text-hidden"


class RenderedVisibility(Visibility):
    """Visibility of a page the browser rendered (``--render``): its own verdicts, marked on the elements.

    The browser has applied every stylesheet and run the scripts, so nothing is evaluated here: an
    element it did not draw carries the reason it measured (``display: none``, clipped out of view …).
    """

    def __init__(self) -> None:
        super().__init__(None)

    def _own(self, node: etree._Element, parent: State) -> State:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in INVISIBLE_TAGS:
            return State(f"it is inside <{tag}>", None)
        why = node.get(RENDERED_HIDDEN)
        if why:
            return State(f"{describe(node)} is not drawn in the rendered page (Chromium: {why})", None)
        why = node.get(RENDERED_TEXT_HIDDEN)
        if why:
            return State(None, parent.visibility, f"{describe(node)} is drawn, but {why} (Chromium)", None)
        if parent.indent:  # a mark on the text's own element only: its children are judged by their own marks
            return State(None, parent.visibility, None, None)
        return parent


def inert_reason(el: etree._Element, visibility: Visibility | None = None) -> str | None:
    """Why ``el`` never takes effect at all, or None: the content of a ``<template>`` is parsed but never
    instantiated, so an image or script there never loads and a link there never exists for a reader.
    Hidden content (``display:none``) is different: an image there still loads, unless it waits to be
    laid out (``loading=lazy``) and never is, having no layout box (or being off-screen)."""
    for node in el.iterancestors("template"):
        return f"it is inside <{node.tag}>, whose content a browser never loads"
    if visibility is not None and (el.get("loading") or "").strip().lower() == "lazy":
        state = visibility.state(el)
        if state.unlaid:
            return f"it loads lazily and is never laid out ({state.removed})"
    return None


def _contest(cascade: Cascade, node: etree._Element, prop: str, inline: dict[str, Decl],
             matched: dict[str, list], won: dict[str, Won]) -> None:
    w = cascade.winner(node, prop, inline.get(prop), matched.get(prop, []), True)
    if w is not None:
        won[prop] = w
    else:
        won.pop(prop, None)


# which declarations complete a hiding pattern, by companion property (see ``StyleSheets.may_declare``)
# (only for rare ones: a scan for "overflow: hidden" reads more than it saves)
_COMPLETING = {"animation-name": "animation"}


def _completes(companion: str, value: str) -> bool:
    if companion == "position":
        return value in ("absolute", "fixed")
    if companion.startswith("overflow"):
        return value in ("hidden", "clip")
    if companion.startswith("padding"):
        return True  # any padding may open up a 0-height box
    return value not in ("none", "")


def _decide(node: etree._Element, tag: str, won: dict[str, Won], parent: State) -> State:
    who = describe(node)
    display = won.get("display")
    if display is not None and display.decl.value.split()[:1] == ["none"]:
        return State(_by(who, display, "none"), None, unlaid=True)
    if display is None and node.get("hidden") is not None:
        return State(f"{who} has the hidden attribute", None, unlaid=True)
    if display is None and tag == "dialog" and node.get("open") is None:
        return State(f"{who} is a closed <dialog>", None, unlaid=True)
    animation = won.get("animation-name")
    animated = animation is not None and animation.decl.value not in ("none", "")
    opacity = won.get("opacity")
    if opacity is not None and _is_zero(opacity.decl.value) and not animated:
        return State(f"{who} is fully transparent ({opacity.source})", None)
    content = won.get("content-visibility")
    if content is not None and content.decl.value == "hidden":
        return State(f"{who} does not render its contents ({content.source})", None, unlaid=True)
    position = won.get("position")
    positioned = position is not None and position.decl.value in ("absolute", "fixed")
    clip_rule = won.get("clip")
    if clip_rule is not None and positioned and _clip_to_nothing(clip_rule.decl.value):
        return State(f"{who} is clipped to nothing by {clip_rule.source} (a screen-reader-only pattern)", None)
    clip_path = won.get("clip-path")
    if clip_path is not None and _clip_path_to_nothing(clip_path.decl.value):
        return State(f"{who} is clipped to nothing by {clip_path.source}", None)
    tiny = _tiny_box(won, tag)
    if tiny:
        return State(f"{who} is {tiny}", None)
    if positioned:
        for side in ("left", "top", "right"):
            w = won.get(side)
            px = _px(w.decl.value) if w is not None else None
            if px is not None and px <= -OFFSCREEN_PX:
                return State(f"{who} is placed off-screen by {w.source}", None, unlaid=True)
    visibility = parent.visibility
    vis = won.get("visibility")
    if vis is not None:
        value = vis.decl.value.split()[0] if vis.decl.value else "visible"
        if value in ("hidden", "collapse") and not animated:
            visibility = (value, _by(who, vis, value))
        elif value == "visible":
            visibility = ("visible", "")
    zero_font = parent.zero_font
    size = won.get("font-size")
    if size is not None:
        kind = _font_size_kind(size.decl.value)
        if kind == "zero":
            zero_font = f"{who} sets its font size to 0 ({size.source})"
        elif kind == "absolute":
            zero_font = None
    pushed = parent.indent  # text-indent inherits
    indent = won.get("text-indent")
    if indent is not None:
        px = _px(indent.decl.value)
        overflow = won.get("overflow-x")
        pushed = None
        if px is not None and px <= -OFFSCREEN_PX:
            pushed = f"{who} pushes its text off-screen with {indent.source}"
        elif indent.decl.value.startswith("100%") and overflow is not None and \
                overflow.decl.value in ("hidden", "clip"):
            pushed = f"{who} pushes its text out of its box with {indent.source}"
    return State(None, visibility, pushed, zero_font)


def _tiny_box(won: dict[str, Won], tag: str) -> str | None:
    for dim in ("width", "height", "max-width", "max-height"):
        w = won.get(dim)
        px = _px(w.decl.value) if w is not None else None
        if px is None or px > 1:
            continue
        if tag in REPLACED:
            return f"{px:g} px in {dim.replace('max-', '')} ({w.source}), too small to see"
        pads = ("padding-left", "padding-right") if "width" in dim else ("padding-top", "padding-bottom")
        padding = 0.0
        for pad in pads:
            pw = won.get(pad)
            if pw is not None:
                value = _px(pw.decl.value)
                padding += value if value is not None else (0.0 if _is_zero(pw.decl.value) else 1e9)
        if px + padding > 1:
            continue  # the padding hack: a 0-height box whose padding shows an image
        overflow = won.get("overflow-x" if "width" in dim else "overflow-y")
        if overflow is not None and overflow.decl.value in ("hidden", "clip"):
            return (f"a {px:g} px box that hides its overflow ({w.source}; {overflow.source}), "
                    "a screen-reader-only pattern")
    return None


@lru_cache(maxsize=4096)
def _inline(style: str) -> dict[str, Decl]:
    """An inline style's declarations; the same style string recurs on many elements and pages."""
    return parse_declarations(style)


def _by(who: str, won: Won, value: str) -> str:
    """Why ``won`` hides the element; inline styles keep their short wording ("has inline display:none")."""
    if won.rule is None:
        return f"{who} has inline {won.decl.prop}:{value}"
    return f"{who} is hidden by {won.source}"


def _may_hide(prop: str, value: str) -> bool:
    """Could this declaration, on its own, be part of hiding the element?"""
    if prop == "display":
        return value.startswith("none")
    if prop == "visibility":
        return value.startswith(("hidden", "collapse"))
    if prop == "opacity":
        return _is_zero(value)
    if prop in ("width", "height", "max-width", "max-height"):
        px = _px(value)
        return px is not None and px <= 1
    if prop in ("left", "top", "right"):
        px = _px(value)
        return px is not None and px <= -OFFSCREEN_PX
    if prop == "clip":
        return _clip_to_nothing(value)
    if prop == "clip-path":
        return _clip_path_to_nothing(value)
    if prop == "content-visibility":
        return value == "hidden"
    if prop == "text-indent":
        px = _px(value)
        return (px is not None and px <= -OFFSCREEN_PX) or value.startswith("100%")
    if prop == "font-size":
        return _font_size_kind(value) == "zero"
    return False


def _is_zero(value: str) -> bool:
    try:
        return float(value.strip().rstrip("%").split()[0]) == 0.0
    except (ValueError, IndexError):
        return False


def _px(value: str) -> float | None:
    """A length in CSS px (em and rem taken at 16 px, vw/vh on the 1280x720 screen); None for % and others."""
    m = _LENGTH.match(value.split()[0]) if value else None
    if not m or m.group(2) == "%":
        return None
    return float(m.group(1)) * _UNIT_PX[m.group(2)]


_RECT = lazy(r"rect\(([^)]*)\)")


def _clip_to_nothing(value: str) -> bool:
    m = _RECT.search(value)
    if not m:
        return False
    parts = [p for p in re.split(r"[\s,]+", m.group(1).strip()) if p]
    if len(parts) != 4 or "auto" in parts:
        return False
    top, right, bottom, left = (_px(p) for p in parts)
    if top is None or right is None or bottom is None or left is None:
        return False
    return (right - left) <= 1 or (bottom - top) <= 1


def _clip_path_to_nothing(value: str) -> bool:
    v = value.replace(" ", "")
    if v.startswith("inset(") and ")" in value:
        args = [a for a in value[value.index("(") + 1:value.rindex(")")].split() if a != "round"][:4]
        if not args or not all(a.endswith("%") for a in args):
            return False
        try:
            pct = [float(a[:-1]) for a in args]
        except ValueError:
            return False
        top = pct[0]
        right = pct[1] if len(pct) > 1 else top
        bottom = pct[2] if len(pct) > 2 else top
        left = pct[3] if len(pct) > 3 else right
        return top + bottom >= 100 or left + right >= 100
    if v.startswith(("circle(", "ellipse(")):
        return bool(re.match(r"(circle|ellipse)\(0(px|%)?(\)|at|0)", v))
    if v.startswith("polygon("):
        coords = re.findall(r"-?\d*\.?\d+", value)
        return bool(coords) and all(float(c) == 0 for c in coords)
    return False


def _font_size_kind(value: str) -> str:
    v = value.split()[0] if value else ""
    m = _LENGTH.match(v)
    if m:
        if float(m.group(1)) == 0:
            return "zero"
        return "relative" if m.group(2) in ("em", "%") else "absolute"
    if v in ("smaller", "larger", "inherit", "unset", "revert") or v.startswith(("calc", "var", "clamp", "min(",
                                                                                   "max(")):
        return "relative"
    return "absolute"


def inline_visibility(style: str) -> tuple[str | None, str | None]:
    """(display, visibility) values declared in an inline style attribute, last one winning."""
    decls = parse_declarations(style)
    display = decls.get("display")
    visibility = decls.get("visibility")
    return (display.value.split()[0] if display and display.value else None,
            visibility.value.split()[0] if visibility and visibility.value else None)


def describe(el: etree._Element) -> str:
    """A short human name for an element: ``<div class="byline">``."""
    tag = el.tag if isinstance(el.tag, str) else "node"
    attrs = []
    for name in ("id", "class"):
        value = el.get(name)
        if value:
            attrs.append(f'{name}="{clip(" ".join(value.split()), 40)}"')
    return f"<{tag}{' ' + ' '.join(attrs) if attrs else ''}>"

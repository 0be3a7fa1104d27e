"""What a reader of the rendered page can see: the one definition of "hidden" every part of the checker uses.

An element is hidden when it is inside ``<head>``, ``<script>``, ``<style>``, ``<template>``,
``<noscript>`` (readers run scripts), an SVG's ``<desc>``/``<metadata>``, a hidden ``<input>``; when it
or an ancestor carries the ``hidden`` attribute or ``display: none``; or where ``visibility: hidden``
applies (inherited, and a descendant may turn it back on with ``visibility: visible``, as CSS allows).
``aria-hidden`` hides nothing from a sighted reader, so it hides nothing here.

``Visibility`` answers per element and remembers every answer along the ancestor chain, so asking about
all the text of a page costs one visit per element.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree

from compliance.text.shorten import clip

INVISIBLE_TAGS = frozenset({"head", "script", "style", "template", "noscript", "title", "meta", "link", "desc",
                            "metadata"})
_STYLE_HINT = re.compile(r"display|visibility", re.I)


class State(NamedTuple):
    """What applies to an element: why it is removed from rendering, and its (inherited) visibility."""

    removed: str | None                 # display:none and the like: no descendant can undo it
    visibility: tuple[str, str] | None  # (value, why), inherited; a descendant may set it back to visible


_SHOWN = State(None, None)


class Visibility:
    """Visibility of the elements of one parsed page, memoised along the ancestor chain."""

    def __init__(self) -> None:
        self._memo: dict[etree._Element, State] = {}

    def hidden_reason(self, el: etree._Element) -> str | None:
        """One phrase saying why a reader cannot see ``el``, or None when they can."""
        removed, visibility = self.state(el)
        if removed is not None:
            return removed
        if visibility is not None and visibility[0] != "visible":
            return visibility[1]
        return None

    def is_visible(self, el: etree._Element) -> bool:
        removed, visibility = self.state(el)
        return removed is None and (visibility is None or visibility[0] == "visible")

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
                removed, own_visibility = _own_state(node)
                state = State(removed, own_visibility if own_visibility is not None else state.visibility)
            memo[node] = state
        return state


def inert_reason(el: etree._Element) -> str | None:
    """Why ``el`` never takes effect at all, or None: the content of a ``<template>`` is parsed but never
    instantiated, so an image or script there never loads and a link there never exists for a reader.
    Hidden content (``display:none``) is different: an image there still loads."""
    for node in el.iterancestors("template"):
        return f"it is inside <{node.tag}>, whose content a browser never loads"
    return None


def _own_state(node: etree._Element) -> tuple[str | None, tuple[str, str] | None]:
    """What this element itself declares about its rendering."""
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in INVISIBLE_TAGS:
        return f"it is inside <{tag}>", None
    if node.get("hidden") is not None:
        return f"{describe(node)} has the hidden attribute", None
    if tag == "input" and (node.get("type") or "").lower() == "hidden":
        return f"{describe(node)} is a hidden input", None
    style = node.get("style")
    if style and _STYLE_HINT.search(style):
        display, visibility = inline_visibility(style)
        if display == "none":
            return f"{describe(node)} has inline display:none", None
        if visibility:
            return None, (visibility, f"{describe(node)} has inline visibility:{visibility}")
    return None, None


def inline_visibility(style: str) -> tuple[str | None, str | None]:
    """(display, visibility) values declared in an inline style attribute, last one winning."""
    import tinycss2

    display = visibility = None
    for decl in tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True):
        if decl.type != "declaration":
            continue
        name = decl.lower_name
        if name not in ("display", "visibility"):
            continue
        value = tinycss2.serialize(decl.value).strip().lower()
        if name == "display":
            display = value.split()[0] if value else None
        else:
            visibility = value.split()[0] if value else None
    return display, visibility


def describe(el: etree._Element) -> str:
    """A short human name for an element: ``<div class="byline">``."""
    tag = el.tag if isinstance(el.tag, str) else "node"
    attrs = []
    for name in ("id", "class"):
        value = el.get(name)
        if value:
            attrs.append(f'{name}="{clip(" ".join(value.split()), 40)}"')
    return f"<{tag}{' ' + ' '.join(attrs) if attrs else ''}>"

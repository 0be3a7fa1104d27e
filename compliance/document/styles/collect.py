"""Gathering a page's stylesheets, in document order: ``<style>`` elements and linked sheets.

``<style>`` inside ``<noscript>`` or ``<template>`` never applies for a reader with scripts, and
AMP's ``<style amp-boilerplate>`` only hides the page until the AMP runtime starts. Linked sheets
(``<link rel=stylesheet>``, not ``alternate`` or ``disabled``) come from a loader the caller supplies,
which decides what may be read (files next to the page, the site's own URLs, within limits); at most
``MAX_LINKED`` per page. Nothing here reads a file or the network itself, and neither tinycss2 nor
cssselect ever fetches anything (``@import`` is not followed).
"""

from __future__ import annotations

from typing import Callable

from lxml import etree

from compliance.document.styles.sheets import Sheet, StyleSheets
from compliance.inputs.stylesheets import MAX_LINKED  # the fetch stage reads as many ahead
# loader(href) -> (name for messages, bytes) or None
Loader = Callable[[str], "tuple[str, bytes] | None"]
_SHEETS = etree.XPath("//style | //link[@href][contains(translate(@rel, 'STYLEHS', 'stylehs'), 'stylesheet')]")


def collect(root: etree._Element, load: Loader | None = None, elements: list[etree._Element] | None = None) -> StyleSheets:
    """The page's sheets; ``elements`` are its ``<style>`` and ``<link>`` elements in document order when the
    caller already has them (``Page.elements``), which saves a walk of the tree."""
    sheets: list[Sheet] = []
    linked = 0
    found = _SHEETS(root) if elements is None else elements
    for order, el in enumerate(found):
        if el.tag == "style":
            if el.get("amp-boilerplate") is not None or _inside(el, ("noscript", "template")):
                continue
            css = etree.tostring(el, method="text", encoding="utf-8", with_tail=False)
            sheets.append(Sheet(css, "<style>", el.sourceline or 1, el.get("media"), order))
            continue
        if el.get("href") is None:
            continue
        rel = (el.get("rel") or "").lower().split()
        if load is None or "stylesheet" not in rel or "alternate" in rel or el.get("disabled") is not None:
            continue
        if linked >= MAX_LINKED or _inside(el, ("noscript", "template")):
            continue
        linked += 1
        got = load(el.get("href", "").strip())
        if got is not None:
            name, css = got
            sheets.append(Sheet(css, name, 1, el.get("media"), order))
    root_class = (root.get("class") or "").split()
    return StyleSheets(sheets, scripted="no-js" in root_class)


def _inside(el: etree._Element, tags: tuple[str, ...]) -> bool:
    return any(a.tag in tags for a in el.iterancestors())

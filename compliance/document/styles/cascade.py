"""Which declaration wins on an element, for the few properties that decide visibility.

The order is CSS Cascade 5's: ``!important`` first, then the element's own ``style`` attribute, then
cascade layers (reversed for ``!important``), then selector specificity, then order of appearance.
User-agent defaults (the ``hidden`` attribute) lose to any author declaration, so they are decided
by the caller when no declaration wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from compliance.document.styles.selectors import ANY, Selector, carries_any, keys_of
from compliance.document.styles.sheets import Decl, Rule, StyleSheets

Matches = dict[str, list[tuple[Rule, Selector]]]


@dataclass(frozen=True)
class Won:
    """The winning declaration of one property on one element, and where it was written."""

    decl: Decl
    rule: Rule | None = None       # None: the element's own style attribute
    selector: Selector | None = None

    @property
    def source(self) -> str:
        """Where it was written: "`.sr-only { clip: rect(0 0 0 0) }` in <style> at line 3", or "its inline style (…)"."""
        if self.rule is None or self.selector is None:
            return f"its inline style ({self.decl.written})"
        return f"`{_short(self.selector.text)} {{ {self.decl.written} }}` {self.rule.where()}"


class Cascade:
    def __init__(self, sheets: StyleSheets | None):
        self.sheets = sheets if sheets is not None and sheets.sheets else None

    def hiding(self, el: etree._Element) -> Matches:
        """Rules that could hide and whose selector matches ``el``, by the properties they declare."""
        if self.sheets is None:
            return {}
        index = self.sheets.hiding()
        if not index or (ANY not in index and not carries_any(el, index)):
            return {}
        keys = keys_of(el)
        out: Matches = {}
        for rule, sel in self.sheets.rules(index, keys):
            if sel.matches(el):
                for prop in rule.decls:
                    out.setdefault(prop, []).append((rule, sel))
        return out

    def may_declare(self, kind: str, el: etree._Element) -> bool:
        """Could a rule with a ``kind`` declaration (``StyleSheets.KINDS``) apply to ``el``, by its keys?"""
        if self.sheets is None:
            return False
        keys = self.sheets.keys_with(kind)
        return bool(keys) and not keys.isdisjoint(keys_of(el))

    def winner(self, el: etree._Element, prop: str, inline: Decl | None, matched: list[tuple[Rule, Selector]],
               contested: bool) -> Won | None:
        """The declaration of ``prop`` that applies to ``el``.

        ``matched`` are the hiding rules already known to match; ``contested``: something may hide
        through this property, so every rule declaring it competes (looked up only then).
        """
        candidates = list(matched)
        if contested and self.sheets is not None:
            seen = {(id(r), s.text) for r, s in candidates}
            for rule, sel in self.sheets.declaring(prop, keys_of(el)):
                if (id(rule), sel.text) not in seen and sel.matches(el):
                    seen.add((id(rule), sel.text))
                    candidates.append((rule, sel))
        best_key, best = None, None
        for rule, sel in candidates:
            decl = rule.decls.get(prop)
            if decl is None:
                continue
            key = _precedence(decl.important, False, rule.layer, sel.specificity, rule.order)
            if best_key is None or key > best_key:
                best_key = key
                best = Won(decl, rule, sel)
        if inline is not None:
            key = _precedence(inline.important, True, 0, (0, 0, 0), (0, 0))
            if best_key is None or key > best_key:
                best = Won(inline)
        return best


def _precedence(important: bool, inline: bool, layer: int, specificity: tuple[int, int, int],
                order: tuple[int, int]) -> tuple:
    return (important, inline, -layer if important else layer, specificity, order)


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"

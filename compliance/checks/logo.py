"""``logo``: a licensor's logo shown as an image or inline SVG.

An image is identified by any of its source attributes — ``src``,
``srcset`` and the lazy-loading variants (``data-src``, ``data-lazy-src``,
``data-srcset``, ``data-original`` …), the ``<source>`` elements of an
enclosing ``<picture>``, an inline ``background-image`` — or by its text
alternatives (``alt``, ``title``, ``aria-label``, an SVG's ``<title>``, or the ``aria-label``/``title``
of the link the image sits in, which is what a screen reader announces for an image-only link).
It counts only if a reader sees it and it is bigger than a tracking pixel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from lxml import etree

from compliance.checks.base import FAIL, PASS, REVIEW, Context, Outcome, register
from compliance.checks.options import PATTERNS_SCHEMA, PatternList, combined, pattern_list
from compliance.checks.scope import SCOPE_PROPERTIES, Scope
from compliance.document.locate import script_hint_for
from compliance.document.page import IMG_TAGS, describe
from compliance.text.patterns import normalize
from compliance.text.regex import lazy
from compliance.text.shorten import clip

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "anyOf": [{"required": ["src"]}, {"required": ["alt"]}],
    "properties": {
        "src": {**PATTERNS_SCHEMA, "description": "Patterns for the image URL (any source attribute)."},
        "alt": {**PATTERNS_SCHEMA, "description": "Patterns for alt, title, aria-label or an SVG <title> (of the "
                                                 "image, or the aria-label/title of a link around it)."},
        "link": {**PATTERNS_SCHEMA,
                 "description": "An unidentified image linking to a URL matching these is sent to review."},
        "min_size": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 3,
                     "description": "Smallest width or height in px that counts as a logo (default 3)."},
        "within": SCOPE_PROPERTIES["within"],
    },
}
CANDIDATE_QUERIES = tuple((kind, etree.XPath(path)) for kind, path in (
    ("img", " | ".join(f"//{tag}" for tag in IMG_TAGS)), ("svg", "//svg"), ("picture", "//picture"), ("input", "//input[@type='image']"),
    ("url", "//*[contains(@style,'url(')]")))
_SRC_ATTR = lazy(r"(^|[-_])(src|srcset|original|url|lazy|image|img)([-_]|$)", re.I)
_IMAGE_TAGS = frozenset({*IMG_TAGS, "svg", "picture", "input", "source", "image", "object", "embed"})
_CSS_URL = lazy(r"url\(\s*['\"]?([^'\")]+)", re.I)
_PX = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$", re.I)
_STYLE_SIZE = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*(\d+(?:\.\d+)?)px", re.I)


def image_sources(el: Any) -> list[str]:
    """Every URL an image-like element may display, lazy-loading attributes included."""
    out: list[str] = []
    tag = el.tag
    if tag not in _IMAGE_TAGS:  # any element: only a CSS background or a data-bg style attribute
        for name, value in el.attrib.items():
            lname = name.lower() if isinstance(name, str) else ""
            if lname == "style":
                out.extend(_CSS_URL.findall(value))
            elif lname.startswith("data-bg") or lname.startswith("data-background"):
                out.append(value.strip())
        return [u for u in out if u]
    for name, value in el.attrib.items():
        if not value or not isinstance(name, str):
            continue
        lname = name.lower()
        if lname in ("src", "srcset", "href", "data", "poster") or (lname.startswith("data-") and _SRC_ATTR.search(lname[5:])) \
                or lname.endswith("}href"):
            out.extend(_split_srcset(value) if "srcset" in lname else [value.strip()])
        elif lname == "style":
            out.extend(_CSS_URL.findall(value))
    if tag == "svg":
        for use in el.iter("use", "image"):
            for name, value in use.attrib.items():
                if name.endswith("href") and value:
                    out.append(value.strip())
    if tag in ("img", "picture"):
        # libxml2 does not know <source> is empty, so an <img> after it ends up inside it: look two levels up
        picture = el if tag == "picture" else next(
            (a for a, _ in zip(el.iterancestors(), range(3)) if a.tag == "picture"), None)
        if picture is not None:
            for source in picture.iter("source", "img"):
                if source is el:
                    continue
                for name, value in source.attrib.items():
                    if "srcset" in name.lower() or name.lower() in ("src", "data-src"):
                        out.extend(_split_srcset(value))
    return [u for u in out if u]


def image_labels(el: Any) -> list[str]:
    """The text alternatives a reader (or screen reader) gets for an image-like element."""
    labels = [el.get(a) for a in ("alt", "title", "aria-label") if el.get(a)]
    if el.tag == "svg":
        for child in el.iter("title", "desc"):
            text = " ".join("".join(child.itertext()).split())
            if text:
                labels.append(text)
    if el.tag == "picture":
        for img in el.iter(*IMG_TAGS):
            labels.extend(img.get(a) for a in ("alt", "title") if img.get(a))
    return [" ".join(s.split()) for s in labels if s and s.strip()]


def enclosing_link(el: Any, depth: int = 3) -> Any:
    """The <a href> an image sits in (within a few levels), or None."""
    node = el.getparent()
    for _ in range(depth):
        if node is None:
            return None
        if node.tag == "a" and node.get("href") is not None:
            return node
        node = node.getparent()
    return None


def link_labels(el: Any) -> list[str]:
    """The aria-label and title of the link around an image: an image-only link's accessible name, which
    names the image for a screen reader when the image itself has no text alternative."""
    link = enclosing_link(el)
    if link is None:
        return []
    return [" ".join(v.split()) for v in (link.get("aria-label"), link.get("title")) if v and v.strip()]


def pixel_size(el: Any) -> tuple[float | None, float | None]:
    """Declared width and height in px (attributes, then inline style); None when not declared."""
    width = _px(el.get("width"))
    height = _px(el.get("height"))
    style = el.get("style") or ""
    for name, value in _STYLE_SIZE.findall(style):
        if name.lower() == "width":
            width = float(value)
        else:
            height = float(value)
    return width, height


def _px(value: str | None) -> float | None:
    if not value:
        return None
    m = _PX.match(value)
    return float(m.group(1)) if m else None


def _split_srcset(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


@dataclass(frozen=True)
class LogoCheck:
    src: PatternList | None
    alt: PatternList | None
    link: PatternList | None
    min_size: int
    scope: Scope

    def evaluate(self, ctx: Context) -> Outcome:
        page = ctx.page
        roots = self.scope.roots(page)
        # patterns whose words never occur in the page source cannot identify any image: drop them first
        src_patterns = [p for p in (self.src.resolve(ctx) if self.src else []) if page.may_match(p)]
        alt_patterns = [p for p in (self.alt.resolve(ctx) if self.alt else []) if page.may_match(p)]
        link_patterns = [p for p in (self.link.resolve(ctx) if self.link else []) if page.may_match(p)]
        if not (src_patterns or alt_patterns or link_patterns):
            return Outcome(FAIL, f"No visible logo was found: no image{self._inside()} has {self._what()}.")
        rejected: list[tuple[Any, str]] = []
        unlabeled_links: list[Any] = []
        unidentified: list[Any] = []  # read for a near miss only once no logo is found
        seen = 0
        for el in self._candidates(page, roots):
            seen += 1
            why = self._identify(el, src_patterns, alt_patterns)
            if why is None:
                if link_patterns and self._links_to(el, link_patterns):
                    unlabeled_links.append(el)
                unidentified.append(el)
                continue
            hidden = page.hidden_reason(el)
            if hidden:
                rejected.append((el, f"it is hidden: {hidden}"))
                continue
            width, height = pixel_size(el)
            small = [v for v in (width, height) if v is not None and v < self.min_size]
            if small:
                w = "?" if width is None else f"{width:g}"
                h = "?" if height is None else f"{height:g}"
                rejected.append((el, f"it is {w}×{h} px, the size of a tracking pixel, not a logo"))
                continue
            return Outcome(PASS, f"Found the logo: {describe(el)} at line {el.sourceline}, identified by {why}.",
                           (page.evidence(el, f"The logo ({why})."),))
        evidence = tuple(page.evidence(el, f"A matching image was not accepted: {why}.") for el, why in rejected[:5])
        if rejected:
            el, why = rejected[0]
            more = f" ({len(rejected) - 1} more like it)" if len(rejected) > 1 else ""
            return Outcome(FAIL, f"An image identified as the logo exists at line {el.sourceline}, but {why}{more}.",
                           evidence)
        if unlabeled_links:
            el = unlabeled_links[0]
            return Outcome(REVIEW, f"No image is identified as the logo by its source or text, but {describe(el)} at "
                                   f"line {el.sourceline} links to the licensor; check whether it shows the logo.",
                           (page.evidence(el, "An image linking to the licensor."),))
        if seen == 0:
            looked = f"there is no image{self._inside()}; the logo is an image with {self._what()}"
        elif seen == 1:
            looked = f"the only image{self._inside()} does not have {self._what()}"
        else:
            looked = f"none of the {seen} images{self._inside()} has {self._what()}"
        hint = script_hint_for(page, [*src_patterns, *alt_patterns])
        # element, its text, the part of the name, the name
        names = combined(self.alt, self.src)  # each name in its best-written form (the alt text's, usually)
        near = next((found for el in unidentified if (found := self._near_miss(el, names)) is not None), None)
        if near is not None:
            el, value, part, whole = near
            shown = "" if normalize(value) == normalize(part) else f" (“{value}”)"
            return Outcome(FAIL, f"No visible logo was found: {looked}. The {describe(el)} at line {el.sourceline} "
                                 f"names “{part}”{shown}, not “{whole}”: part of a name can be another "
                                 f"organisation's, so it does not count.{hint}",
                           (page.evidence(el, f"An image naming “{part}”, not “{whole}”."),))
        return Outcome(FAIL, f"No visible logo was found: {looked}.{hint}")

    def _inside(self) -> str:
        return f" inside {self.scope.within_text}" if self.scope.within_text else " on the page"

    def _near_miss(self, el: Any, names: PatternList) -> tuple[Any, str, str, str] | None:
        """An image whose source or text alternative holds part of a looked-for name (see PatternList.near_miss)."""
        for value in [*(image_labels(el) if self.alt else ()), *(image_sources(el) if self.src else ())]:
            found = names.near_miss(value)
            if found:
                return el, clip(value, 100), found[0], found[1]
        return None

    def _candidates(self, page, roots) -> Iterator[Any]:
        """Images first (the usual logo), then inline SVG and <picture>, then CSS backgrounds.

        Each kind is queried only when the page source contains its tag, and lazily: the search
        stops at the first visible logo.
        """
        for kind, query in CANDIDATE_QUERIES:
            if not page.may_contain([kind]):
                continue
            tags = IMG_TAGS if kind == "img" else (kind,)
            if roots is None and kind in ("img", "svg", "picture"):
                yield from page.elements(*tags)  # the page's one walk over its elements
                continue
            for root in (page.root,) if roots is None else roots:
                if kind in ("img", "svg", "picture"):
                    yield from root.iter(*tags)  # lazy, in C: stops as soon as the logo is found
                else:
                    yield from root.xpath("." + query.path)

    def _identify(self, el: Any, src_patterns, alt_patterns) -> str | None:
        for url in image_sources(el) if src_patterns else ():
            value = normalize(url)
            for p in src_patterns:
                if p.matches(value):
                    return f"its source {url[:100]!r} matching {p.describe()}"
        for label in image_labels(el) if alt_patterns else ():
            value = normalize(label)
            for p in alt_patterns:
                if p.matches(value):
                    return f"its text alternative “{label[:80]}” matching {p.describe()}"
        for label in link_labels(el) if alt_patterns else ():
            value = normalize(label)
            for p in alt_patterns:
                if p.matches(value):
                    return f"the label “{label[:80]}” of the link around it, matching {p.describe()}"
        return None

    def _links_to(self, el: Any, patterns) -> bool:
        link = enclosing_link(el)
        return link is not None and any(p.matches(normalize(link.get("href") or "")) for p in patterns)

    def _what(self) -> str:
        """What identifies the logo, in words: "a file name or text alternative naming “X” or “Y”"."""
        if self.src and self.alt and self.src.names() <= self.alt.names():
            return f"a file name or text alternative naming {self.alt.describe()}"
        parts = []
        if self.src:
            parts.append(f"a file name or address naming {self.src.describe()}")
        if self.alt:
            parts.append(f"a text alternative (alt, title or aria-label) naming {self.alt.describe()}")
        return " or ".join(parts)

    def describe(self) -> str:
        return f"a visible logo image (not a tracking pixel) with {self._what()}{self.scope.describe()}"


@register("logo", SCHEMA)
def build_logo(options: dict[str, Any], where: Any) -> LogoCheck:
    """A visible logo image or inline SVG (not a 1–2 px pixel), identified by source or text alternative."""
    return LogoCheck(
        pattern_list(options["src"], where, "src") if "src" in options else None,
        pattern_list(options["alt"], where, "alt") if "alt" in options else None,
        pattern_list(options["link"], where, "link") if "link" in options else None,
        int(options.get("min_size", 3)),
        Scope(options, where),
    )

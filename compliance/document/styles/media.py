"""Does a media query apply on the screen the checker pretends to be?

The checker reads pages as a desktop reader sees them: a screen 1280 CSS px
wide and 720 tall (the default window of headless Chromium, so ``--render``
and the static reading agree), one device pixel per CSS pixel, light colour
scheme, a mouse (``hover: hover``, ``pointer: fine``), no reduced motion.
Print and speech rules never apply. A feature the checker does not know makes
its query false: a rule it cannot place never hides anything.
"""

from __future__ import annotations

import re
from functools import lru_cache

from compliance.text.regex import lazy  # a page without CSS compiles none of these

WIDTH, HEIGHT = 1280.0, 720.0
EM = 16.0  # the initial font size: what em and rem mean inside a media query

_TYPES_THAT_APPLY = frozenset({"all", "screen"})
_KNOWN_TYPES = frozenset({"all", "screen", "print", "speech", "tty", "tv", "projection", "handheld", "braille",
                          "embossed", "aural"})
_DISCRETE = {
    "orientation": {"landscape"},
    "hover": {"hover"}, "any-hover": {"hover"},
    "pointer": {"fine"}, "any-pointer": {"fine"},
    "prefers-color-scheme": {"light"},
    "prefers-reduced-motion": {"no-preference"},
    "prefers-reduced-transparency": {"no-preference"},
    "prefers-contrast": {"no-preference"},
    "forced-colors": {"none"},
    "inverted-colors": {"none"},
    "scripting": {"enabled"},
    "update": {"fast"},
    "display-mode": {"browser"},
    "color-gamut": {"srgb"},
    "dynamic-range": {"standard"},
    "overflow-block": {"scroll"},
    "overflow-inline": {"scroll"},
    "grid": {"0"},
}
_RANGE = {  # feature -> its value on this screen
    "width": WIDTH, "height": HEIGHT, "device-width": WIDTH, "device-height": HEIGHT,
    "aspect-ratio": WIDTH / HEIGHT, "device-aspect-ratio": WIDTH / HEIGHT,
    "resolution": 1.0, "-webkit-device-pixel-ratio": 1.0, "device-pixel-ratio": 1.0,
    "color": 8.0, "color-index": 0.0, "monochrome": 0.0,
}
_LENGTH = lazy(r"^(-?\d*\.?\d+)\s*([a-z%]*)$")
_RATIO = lazy(r"^(\d*\.?\d+)\s*/\s*(\d*\.?\d+)$")
_FEATURE = lazy(r"^\(\s*([a-z-]+)\s*(?::\s*([^)]*?))?\s*\)$")
_RANGE_FORM = lazy(r"^\(\s*(?:([^<>=]+?)\s*(<=|>=|<|>|=)\s*)?([a-z-]+)\s*(?:(<=|>=|<|>|=)\s*([^<>=]+?))?\s*\)$")


def _number(value: str, feature: str) -> float | None:
    value = value.strip().lower()
    ratio = _RATIO.match(value)
    if ratio:
        return float(ratio.group(1)) / float(ratio.group(2)) if float(ratio.group(2)) else None
    m = _LENGTH.match(value)
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2)
    if feature.endswith(("resolution", "pixel-ratio")):
        return {"": number, "x": number, "dppx": number, "dpi": number / 96.0, "dpcm": number * 2.54 / 96.0}.get(unit)
    factor = {"": 1.0, "px": 1.0, "em": EM, "rem": EM, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54,
              "mm": 96 / 25.4, "q": 96 / 101.6, "vw": WIDTH / 100, "vh": HEIGHT / 100}.get(unit)
    return number * factor if factor is not None else None


def _compare(actual: float, op: str, wanted: float) -> bool:
    return {"<": actual < wanted, "<=": actual <= wanted + 1e-9, ">": actual > wanted,
            ">=": actual >= wanted - 1e-9, "=": abs(actual - wanted) < 1e-9}[op]


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}


def _feature(text: str) -> bool:
    """One parenthesised media feature, e.g. ``(min-width: 768px)`` or ``(600px <= width < 900px)``."""
    text = " ".join(text.split()).lower()
    m = _FEATURE.match(text)
    if m:
        name, value = m.group(1), m.group(2)
        prefix = ""
        for p in ("min-", "max-", "-webkit-min-", "-webkit-max-", "min--moz-", "max--moz-"):
            if name.startswith(p):
                prefix, name = p, name[len(p):]
                break
        if name in _DISCRETE and not prefix:
            if value is None:  # boolean context: true unless the value is none / 0 / no-preference
                return next(iter(_DISCRETE[name])) not in ("none", "no-preference", "0")
            return value.strip() in _DISCRETE[name]
        if name in _RANGE:
            if value is None:
                return _RANGE[name] != 0
            wanted = _number(value, name)
            if wanted is None:
                return False
            op = ">=" if "min-" in prefix else "<=" if "max-" in prefix else "="
            return _compare(_RANGE[name], op, wanted)
        return False
    m = _RANGE_FORM.match(text)
    if m and m.group(3) in _RANGE:
        actual = _RANGE[m.group(3)]
        ok = True
        if m.group(1):
            left = _number(m.group(1), m.group(3))
            ok = ok and left is not None and _compare(actual, _FLIP[m.group(2)], left)
        if m.group(4):
            right = _number(m.group(5), m.group(3))
            ok = ok and right is not None and _compare(actual, m.group(4), right)
        return ok and bool(m.group(1) or m.group(4))
    return False


def _condition(text: str) -> bool:
    """A media condition: features joined by ``and`` / ``or``, possibly negated or nested."""
    text = text.strip()
    if not text:
        return True
    if text.lower().startswith("not ") or text.lower().startswith("not("):
        return not _condition(text[3:])
    parts, ops = _split_top(text)
    if len(parts) > 1:
        values = [_condition(p) for p in parts]
        if all(op == "and" for op in ops):
            return all(values)
        if all(op == "or" for op in ops):
            return any(values)
        return False  # mixing and/or without brackets is invalid CSS
    part = parts[0].strip()
    if part.startswith("(") and part.endswith(")"):
        inner = part[1:-1].strip()
        if inner.startswith("(") or inner.lower().startswith("not"):
            return _condition(inner)
        return _feature(part)
    return False


_JOINER = lazy(r"\s+(and|or)\s+|(?<=\))\s*(and|or)\s*(?=\()", re.I)


def _split_top(text: str) -> tuple[list[str], list[str]]:
    """Split a condition on top-level ``and``/``or`` (outside brackets)."""
    depth_at = []
    depth = 0
    for ch in text:
        depth_at.append(depth)
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
    parts, ops, start = [], [], 0
    for m in _JOINER.finditer(text):
        if depth_at[m.start()] == 0:
            parts.append(text[start:m.start()])
            ops.append((m.group(1) or m.group(2)).lower())
            start = m.end()
    parts.append(text[start:])
    return [p for p in parts if p.strip()], ops


@lru_cache(maxsize=4096)
def media_applies(query: str | None) -> bool:
    """True when a media query list (``screen and (min-width: 768px), print``) applies on this screen."""
    if query is None:
        return True
    text = " ".join(query.split())
    if not text:
        return True
    return any(_one_query(q) for q in _split_commas(text))


def _split_commas(text: str) -> list[str]:
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [q.strip() for q in out]


def _one_query(query: str) -> bool:
    if not query:
        return False
    lower = query.lower()
    negate = False
    if lower.startswith("only "):
        query, lower = query[5:].strip(), lower[5:].strip()
    elif lower.startswith("not ") and not lower.startswith("not ("):
        negate, query, lower = True, query[4:].strip(), lower[4:].strip()
    if query.startswith("("):
        result = _condition(query)
        return not result if negate else result
    media_type, _, rest = lower.partition(" ")
    if media_type not in _KNOWN_TYPES:
        return False
    rest = rest.strip()
    if rest:
        if not rest.startswith("and "):
            return False
        condition = query[len(media_type):].strip()[4:]
        result = media_type in _TYPES_THAT_APPLY and _condition(condition)
    else:
        result = media_type in _TYPES_THAT_APPLY
    return not result if negate else result

"""JSON-LD in a page: the structured data publishers declare for search engines (authors, dates, isBasedOn)."""

from __future__ import annotations

import json
from typing import Any, Iterator

from lxml import etree

from compliance.text.regex import lazy

_SCRIPTS = etree.XPath("//script[contains(translate(@type,'LDJSON','ldjson'),'ld+json')]")
_WRAPPER = lazy(r"^\s*(<!--|<!\[CDATA\[)|(-->|\]\]>)\s*$")
# where publishers nest the records that describe the story itself
_NESTING_KEYS = ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement")


def parse_json_ld(root: Any) -> list[object]:
    """Parsed JSON-LD objects (``@graph`` flattened); unparsable blocks are skipped.

    Read leniently, as search engines do: an HTML comment or CDATA wrapper, raw control characters
    in strings and a trailing semicolon do not make a block unreadable.
    """
    out: list[object] = []
    for script in _SCRIPTS(root):
        data = load_leniently(script.text or "")
        if data is None:
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                out.extend(item["@graph"])
            out.append(item)
    return out


def load_leniently(text: str) -> Any:
    """One JSON-LD block's data, or None when it cannot be read."""
    text = _WRAPPER.sub("", text.strip()).strip().rstrip(";")
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except ValueError:
        return None


def json_ld_records(items: list[Any]) -> list[dict[str, Any]]:
    """Every object in the page's JSON-LD, nested ones included (``mainEntity``, ``hasPart`` …), each once."""
    out: list[dict[str, Any]] = []
    seen: set[int] = set()

    def walk(data: Any, depth: int) -> None:
        if depth > 6:
            return
        if isinstance(data, list):
            for item in data:
                walk(item, depth + 1)
        elif isinstance(data, dict):
            if id(data) not in seen:
                seen.add(id(data))
                out.append(data)
            for key in _NESTING_KEYS:
                if key in data:
                    walk(data[key], depth + 1)

    for item in items:
        walk(item, 0)
    return out


def json_ld_values(items: list[Any], path: list[str]) -> Iterator[str]:
    """Every scalar reached by ``path`` through objects and lists of JSON-LD data."""
    def walk(node: Any, rest: list[str]) -> Iterator[str]:
        if isinstance(node, list):
            for item in node:
                yield from walk(item, rest)
            return
        if not rest:
            if isinstance(node, (str, int, float)) and not isinstance(node, bool):
                yield str(node)
            elif isinstance(node, dict) and isinstance(node.get("name"), str):
                yield node["name"]
            return
        if isinstance(node, dict) and rest[0] in node:
            yield from walk(node[rest[0]], rest[1:])

    for item in items:
        yield from walk(item, path)

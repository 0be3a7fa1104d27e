"""JSON-LD in a page: the structured data publishers declare for search engines (authors, dates, isBasedOn)."""

from __future__ import annotations

import json
from typing import Any, Iterator


def parse_json_ld(root: Any) -> list[object]:
    """Parsed JSON-LD objects (``@graph`` flattened); unparsable blocks are skipped."""
    out: list[object] = []
    for script in root.xpath("//script[contains(translate(@type,'LDJSON','ldjson'),'ld+json')]"):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                out.extend(item["@graph"])
            out.append(item)
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

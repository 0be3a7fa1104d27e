"""Shortening text for messages and reports: one way to cut a string, one way to cut a list."""

from __future__ import annotations

from typing import Any


def clip(value: Any, limit: int) -> str:
    """``value`` as text cut to ``limit`` characters, an ellipsis marking the cut."""
    text = str(value if value is not None else "")
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def listing(items: list[str], limit: int = 5, sep: str = ", ") -> str:
    """The first ``limit`` items joined by ``sep``, then how many more there are ("a, b and 3 more")."""
    shown = sep.join(items[:limit])
    if len(items) <= limit:
        return shown
    joiner = f"{sep.rstrip()} and" if sep.strip() != "," else " and"
    return f"{shown}{joiner} {len(items) - limit} more"

"""Paragraph-level comparison of an original story with its republished copy.

Licenses allow "edits for style" (curly quotes, dashes, spacing, capitals,
paragraph breaks) but not cuts or additions. ``diff_bodies`` aligns the two
bodies paragraph by paragraph over normalised text, so style edits show up as
``style_only`` changes that do not lower ``similarity``, while added, removed
and rewritten paragraphs are reported one by one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz.distance import Indel

__all__ = ["BodyDiff", "ParagraphChange", "diff_bodies", "normalize_text", "render_diff"]

#: Two paragraphs at least this similar (0..1 over normalised text) are one
#: paragraph that was edited; below it they are a removal plus an addition.
CHANGED_PARAGRAPH_SIMILARITY = 0.6
# Above this many cells (paragraphs x paragraphs, after trimming the common
# start and end) the exact alignment is too slow; difflib's heuristic is used.
_MAX_ALIGNMENT_CELLS = 250_000

_CHARACTER_FOLDS = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u00b4\u0060\u02bc", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u2039\u203a", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
        "\u2026": "...",
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
    }
)
_WHITESPACE = re.compile(r"\s+")
# Spacing around dashes is house style ("word - word", "word—word").
_SPACED_DASH = re.compile(r"\s*(-{2,3}|(?<=\s)-(?=\s))\s*")
_TOKEN = re.compile(r"\w+|[^\w\s]")


def normalize_text(text: str) -> str:
    """Fold what house style may change: Unicode forms, quotes, dashes,
    ellipses, invisible characters, spacing and case."""
    text = unicodedata.normalize("NFKC", text).translate(_CHARACTER_FOLDS)
    text = _WHITESPACE.sub(" ", text).strip()
    text = _SPACED_DASH.sub("-", text)
    return text.casefold()


@dataclass(frozen=True)
class ParagraphChange:
    """One paragraph added, removed or changed between original and copy."""

    kind: str  # "added" | "removed" | "changed"
    original: str | None
    republished: str | None
    style_only: bool = False


@dataclass(frozen=True)
class BodyDiff:
    """How a republished body differs from the original body."""

    similarity: float
    changes: tuple[ParagraphChange, ...]
    trimmed_end: bool

    @property
    def added(self) -> list[str]:
        return [c.republished for c in self.changes if c.kind == "added" and c.republished is not None]

    @property
    def removed(self) -> list[str]:
        return [c.original for c in self.changes if c.kind == "removed" and c.original is not None]

    @property
    def changed(self) -> list[ParagraphChange]:
        return [c for c in self.changes if c.kind == "changed"]

    @property
    def substantive(self) -> list[ParagraphChange]:
        """Changes that survive normalisation, i.e. edits beyond style."""
        return [c for c in self.changes if not c.style_only]


def diff_bodies(original: Sequence[str], republished: Sequence[str]) -> BodyDiff:
    """Align two bodies (lists of paragraphs) and list what changed."""
    original_paragraphs, original_keys = _keyed(original)
    republished_paragraphs, republished_keys = _keyed(republished)

    changes: list[ParagraphChange] = []
    for tag, i1, i2, j1, j2 in _align(original_keys, republished_keys):
        if tag == "equal":
            for old, new in zip(original_paragraphs[i1:i2], republished_paragraphs[j1:j2]):
                if old.split() != new.split():  # spacing alone is not worth a line
                    changes.append(ParagraphChange("changed", old, new, style_only=True))
        elif tag == "delete":
            changes.extend(ParagraphChange("removed", p, None) for p in original_paragraphs[i1:i2])
        elif tag == "insert":
            changes.extend(ParagraphChange("added", None, p) for p in republished_paragraphs[j1:j2])
        else:
            changes.extend(
                _pair_replaced(
                    original_paragraphs[i1:i2],
                    original_keys[i1:i2],
                    republished_paragraphs[j1:j2],
                    republished_keys[j1:j2],
                )
            )

    similarity = Indel.normalized_similarity(_tokens(original_keys), _tokens(republished_keys))
    if not original_keys and not republished_keys:
        similarity = 1.0
    return BodyDiff(
        similarity=round(similarity, 6),
        changes=tuple(changes),
        trimmed_end=_is_trimmed_end(original_keys, republished_keys),
    )


def render_change(change: ParagraphChange) -> str:
    """One readable line for one paragraph change: "- removed: …", "+ added: …", "~ changed: a → b"."""
    if change.kind == "removed":
        return f"- removed: {_shorten(change.original or '')}"
    if change.kind == "added":
        return f"+ added: {_shorten(change.republished or '')}"
    if change.style_only:
        return f"= style only: {_shorten(change.republished or '')}"
    old, new = _differing_parts(change.original or "", change.republished or "")
    return f"~ changed: {old} \u2192 {new}"


def render_diff(diff: BodyDiff, limit: int = 20) -> list[str]:
    """Readable lines for a report, substantive changes first, each short."""
    ordered = diff.substantive + [c for c in diff.changes if c.style_only]
    lines = [render_change(change) for change in ordered[:limit]]
    if len(ordered) > limit:
        lines.append(f"\u2026 and {len(ordered) - limit} more change(s)")
    return lines


def _keyed(paragraphs: Sequence[str]) -> tuple[list[str], list[str]]:
    """Non-empty paragraphs and their normalised forms."""
    kept: list[str] = []
    keys: list[str] = []
    for paragraph in paragraphs:
        key = normalize_text(paragraph)
        if key:
            kept.append(paragraph)
            keys.append(key)
    return kept, keys


def _align(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes like ``SequenceMatcher.get_opcodes`` but from a longest common
    subsequence, so one inserted paragraph is always exactly one insertion
    (``SequenceMatcher`` can misalign runs of repeated paragraphs)."""
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    middle_a, middle_b = a[prefix: len(a) - suffix], b[prefix: len(b) - suffix]
    if len(middle_a) * len(middle_b) > _MAX_ALIGNMENT_CELLS:
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        return matcher.get_opcodes()

    steps = ["equal"] * prefix + _lcs_steps(middle_a, middle_b) + ["equal"] * suffix
    opcodes: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    k = 0
    while k < len(steps):
        i1, j1 = i, j
        if steps[k] == "equal":
            while k < len(steps) and steps[k] == "equal":
                i, j, k = i + 1, j + 1, k + 1
            opcodes.append(("equal", i1, i, j1, j))
            continue
        while k < len(steps) and steps[k] != "equal":
            if steps[k] == "delete":
                i += 1
            else:
                j += 1
            k += 1
        tag = "replace" if i > i1 and j > j1 else "delete" if i > i1 else "insert"
        opcodes.append((tag, i1, i, j1, j))
    return opcodes


def _lcs_steps(a: list[str], b: list[str]) -> list[str]:
    n, m = len(a), len(b)
    # longest[i][j]: length of the longest common subsequence of a[i:] and b[j:].
    longest = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = longest[i], longest[i + 1]
        for j in range(m - 1, -1, -1):
            row[j] = below[j + 1] + 1 if a[i] == b[j] else max(below[j], row[j + 1])
    steps: list[str] = []
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j] and longest[i][j] == longest[i + 1][j + 1] + 1:
            steps.append("equal")
            i, j = i + 1, j + 1
        elif longest[i + 1][j] >= longest[i][j + 1]:
            steps.append("delete")
            i += 1
        else:
            steps.append("insert")
            j += 1
    return steps + ["delete"] * (n - i) + ["insert"] * (m - j)


def _pair_replaced(
    old_texts: list[str], old_keys: list[str], new_texts: list[str], new_keys: list[str]
) -> list[ParagraphChange]:
    """Turn a replaced block into changed / removed / added paragraphs.

    Re-broken paragraphs (same words, different breaks) are one style-only
    change; otherwise similar paragraphs are paired in order (an alignment
    that maximises total similarity) and the rest are removals and additions.
    """
    if " ".join(old_keys) == " ".join(new_keys):
        return [ParagraphChange("changed", "\n\n".join(old_texts), "\n\n".join(new_texts), style_only=True)]
    pairs = _best_ordered_pairs(old_keys, new_keys)
    changes: list[ParagraphChange] = []
    i = j = 0
    for pi, pj in pairs + [(len(old_keys), len(new_keys))]:
        changes.extend(ParagraphChange("removed", t, None) for t in old_texts[i:pi])
        changes.extend(ParagraphChange("added", None, t) for t in new_texts[j:pj])
        if pi < len(old_keys):
            changes.append(ParagraphChange("changed", old_texts[pi], new_texts[pj]))
        i, j = pi + 1, pj + 1
    return changes


def _best_ordered_pairs(old_keys: list[str], new_keys: list[str]) -> list[tuple[int, int]]:
    n, m = len(old_keys), len(new_keys)
    if n * m > 40_000:  # pathological block: pair in order, no search
        return [
            (k, k)
            for k in range(min(n, m))
            if Indel.normalized_similarity(old_keys[k], new_keys[k]) >= CHANGED_PARAGRAPH_SIMILARITY
        ]
    similar = [
        [Indel.normalized_similarity(old, new, score_cutoff=CHANGED_PARAGRAPH_SIMILARITY) for new in new_keys]
        for old in old_keys
    ]
    # best[i][j]: highest total similarity aligning old[i:] with new[j:].
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = best[i + 1][j + 1] + similar[i][j] if similar[i][j] else 0.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if similar[i][j] and best[i][j] == best[i + 1][j + 1] + similar[i][j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _is_trimmed_end(original_keys: list[str], republished_keys: list[str]) -> bool:
    """The copy is a proper, non-empty prefix of the original (style folded)."""
    kept = len(republished_keys)
    return 0 < kept < len(original_keys) and original_keys[:kept] == republished_keys


def _tokens(keys: list[str]) -> list[str]:
    return _TOKEN.findall(" ".join(keys))


def _shorten(text: str, width: int = 120) -> str:
    text = _WHITESPACE.sub(" ", text).strip()
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _differing_parts(old: str, new: str, context: int = 30, width: int = 80) -> tuple[str, str]:
    """The part of two paragraphs that differs, with a little context."""
    old = _WHITESPACE.sub(" ", old).strip()
    new = _WHITESPACE.sub(" ", new).strip()
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(old), len(new)) - prefix
        and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]
    ):
        suffix += 1
    start = max(0, prefix - context)
    return (
        _window(old, start, len(old) - suffix + context, width),
        _window(new, start, len(new) - suffix + context, width),
    )


def _window(text: str, start: int, end: int, width: int) -> str:
    end = min(len(text), end)
    piece = text[start:end]
    if len(piece) > width:
        piece = piece[: width - 1] + "\u2026"
    return ("\u2026" if start > 0 else "") + piece + ("\u2026" if end < len(text) else "")

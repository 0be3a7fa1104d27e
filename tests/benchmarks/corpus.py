"""Shared access to the real-world corpus for benchmarks (never copied into the repository)."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("COMPLIANCE_SHARED", REPO.parent / "shared")) / "corpus" / "realworld"


def require_corpus() -> Path:
    if not CORPUS.is_dir():
        sys.exit(f"skipped: {CORPUS} is absent (the benchmarks need the shared real-world corpus)")
    return CORPUS


def pages() -> list[Path]:
    return sorted(p for p in require_corpus().glob("*/*.html"))


def manifest(folder: str) -> list[dict]:
    path = require_corpus() / folder / "manifest.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# DCNF republications made from corpus pages, so the policy applies (applicability needs a credit or notice
# on the page; --author alone does not make a page a republication):
# - credited: DCNF's logo and "By Jane Doe, Daily Caller News Foundation" under the headline; checked with
#   --author "Jane Doe" every clause runs and passes (the licensor's audit of a compliant republisher);
# - noticed: only DCNF's closing licensing notice at the end; every clause runs and fails with its evidence
#   (a republisher that dropped logo and byline: the heaviest results).
CREDIT = (b'<div class="dcnf-credit"><img src="/partners/dcnf-logo.png" alt="Daily Caller News Foundation" '
          b'width="160" height="48"><p class="byline">By Jane Doe, Daily Caller News Foundation</p></div>')
NOTICE = (b'<p class="dcnf-notice">Content created by The Daily Caller News Foundation is available without charge '
          b'to any eligible news publisher that can provide a large audience.</p>')
_H1_END = re.compile(rb"</h1\s*>", re.I)
_BODY = re.compile(rb"(<body[^>]*>)", re.I)
_BODY_END = re.compile(rb"</body\s*>", re.I)


def credited(data: bytes) -> bytes:
    """The DCNF credit block right after the page's headline (after <body> when it has no <h1>)."""
    m = _H1_END.search(data)
    if m:
        return data[:m.end()] + CREDIT + data[m.end():]
    return _BODY.sub(lambda b: b.group(1) + CREDIT, data, count=1)


def noticed(data: bytes) -> bytes:
    """DCNF's closing licensing notice just before </body> (at the end when there is none)."""
    ends = list(_BODY_END.finditer(data))
    if ends:
        return data[:ends[-1].start()] + NOTICE + data[ends[-1].start():]
    return data + NOTICE

"""Shared access to the real-world corpus for benchmarks (never copied into the repository)."""

from __future__ import annotations

import json
import os
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

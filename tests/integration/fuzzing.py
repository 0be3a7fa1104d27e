"""Mutations of real pages, and the fuzz task that checks one mutated page the way the command line does.

A mutation is a short list of operations (cut, insert a hostile snippet, duplicate a stretch, truncate, flip
a byte, nest deeply, repeat a credit line) applied to a real page's bytes; ``mutate`` applies them with a
seeded ``random.Random`` (a campaign of thousands of pages is reproducible from its seed) and
``mutations()`` is the same vocabulary as a hypothesis strategy. ``check_mutant`` is a worker task for
``compliance.pool``: it runs ``runner.check_input``, what every worker of ``compliance check`` runs for every
page, under the same per-page budget, and reports what a campaign counts.
"""

from __future__ import annotations

import random
import resource
import time
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

SNIPPETS = [
    b"<div>", b"</div>", b"<p>", b"</p>", b"<span style='display:none'>", b"</span>", b"<script>", b"</script>",
    b"<!--", b"-->", b"<img src='/dcnf-logo.png' alt='DCNF'>", b"By Jane Doe", b"<aside>", b"<table><tr><td>",
    b"<![CDATA[", b"\x00", b"\xef\xbb\xbf", b"&amp;", b"&#0;", b"&#3;", b"&#x1b;]0;x&#7;", b"&#x202e;",
    b"<svg><title>DCNF</title>", b"<a href='javascript:x'>", b"<<>>", b"<p hidden>", b"<template>", b"<noscript>",
    b"<meta charset='shift_jis'>", b"<meta charset='utf-16'>", b"<?xml version='1.0' encoding='latin-1'?>",
    b"<style>.byline{display:none}</style>", b"<p class=byline>By Jane Doe, Daily Caller News Foundation</p>",
    b"<link rel=canonical href='https://example.org/a'>", b"<base href='javascript:'>", b"\xff\xfe", b"\x80\x81",
    b"<div " + b" ".join(b"a%d=x" % i for i in range(300)) + b">", b"&#xD800;", b"&nbsp;&shy;&zwj;",
]
OPERATIONS = ("cut", "insert", "dup", "truncate", "byte", "nest", "repeat")


def apply(data: bytes, ops: list[tuple[str, int, int]]) -> bytes:
    """Apply ``(operation, position, argument)`` triples; positions wrap to the page's current length."""
    out = bytearray(data)
    for op, where, arg in ops:
        i = where % (len(out) + 1)
        if op == "cut":
            del out[i:i + 1 + arg % 2000]
        elif op == "insert":
            out[i:i] = SNIPPETS[arg % len(SNIPPETS)]
        elif op == "dup":
            out[i:i] = out[i:i + 1 + arg % 4000]
        elif op == "truncate":
            del out[i:]
        elif op == "byte" and out:
            out[min(i, len(out) - 1)] = arg % 256
        elif op == "nest":  # deep nesting around a stretch, up to past libxml2's limit
            depth = 1 + arg % 3000
            out[i:i] = b"<div class=sidebar>" * depth + b"x" + b"</div>" * depth
        elif op == "repeat":  # a credit line many times over (quadratic paths live here)
            out[i:i] = b"Daily Caller News Foundation By Jane Doe " * (1 + arg % 5000)
    return bytes(out)


def mutate(data: bytes, rnd: random.Random) -> tuple[bytes, list[tuple[str, int, int]]]:
    ops = [(rnd.choice(OPERATIONS), rnd.randrange(1 << 30), rnd.randrange(1 << 30)) for _ in range(rnd.randint(1, 6))]
    return apply(data, ops), ops


def mutations() -> st.SearchStrategy[list[tuple[str, int, int]]]:
    op = st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 1 << 30), st.integers(0, 1 << 30))
    return st.lists(op, min_size=1, max_size=6)


@dataclass(frozen=True)
class Outcome:
    """What one fuzzed page did: seconds, the worker's peak memory so far (MB), and any unexpected errors."""

    seconds: float
    peak_mb: float
    unexpected: tuple[str, ...]
    statuses: tuple[str, ...]


def fuzz_setup(arg: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]):
    from compliance.runner import Settings, load_policies, make_matcher

    policies, originals, authors = arg
    settings = Settings(policies=policies, originals=originals, authors=authors)
    return load_policies(policies), make_matcher(settings), settings


def check_mutant(state, item: tuple[str, bytes]) -> Outcome:
    """``runner.check_input`` on the mutated bytes, as a ``compliance check`` worker checks a page."""
    from compliance.inputs.sources import PageInput, RawPage
    from compliance.runner import check_input

    policies, matcher, settings = state
    name, data = item
    start = time.perf_counter()
    results = check_input(PageInput(name, "file"), policies, settings, RawPage(name, data), matcher)
    seconds = time.perf_counter() - start
    return Outcome(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                   tuple(unexpected_errors(results)), tuple(r.status.value for r in results))


def unexpected_errors(results) -> list[str]:
    """Errors that mean the checker broke, not that the page is hostile: an exception a check or the
    page's reading did not expect. A page cut off at a parser limit or refused for a stated reason is fine."""
    found = []
    for result in results:
        if "could not be checked (" in (result.message or ""):
            found.append(f"{result.source}: {result.message}")
        for clause in result.clauses:
            if clause.status.value == "error" and "could not run" in clause.message:
                found.append(f"{result.source} {clause.id}: {clause.message}")
    return found


def seed_pages(corpus: Path | None, fallback: Path) -> list[Path]:
    if corpus is not None and corpus.is_dir():
        pages = sorted(corpus.glob("*/*.html"))
        if pages:
            return pages
    return sorted(fallback.glob("*.html"))

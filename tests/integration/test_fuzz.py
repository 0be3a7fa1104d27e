"""Fuzzing: real corpus pages, mutated, checked the way ``compliance check`` checks them, with and without originals.

Two parts (issue 10):

- a hypothesis property in the default run: a mutated real page, checked against built-in policies with
  and without an original, never makes a check fail unexpectedly (a few dozen examples; the ``fuzz``
  hypothesis profile, ``HYPOTHESIS_PROFILE=fuzz``, runs thousands);
- a campaign, opt-in (``pytest -m fuzz``): ``FUZZ_PAGES`` mutated pages (20,000
  by default) in supervised workers through ``runner.check_input``, each under the per-page budget, half of
  them matched against a catalog of originals. It prints pages, unexpected errors, pages over budget, the
  slowest page and the peak memory of a worker, and fails on any unexpected error or worker death.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, REPO
from fuzzing import apply, check_mutant, fuzz_setup, mutate, mutations, seed_pages, unexpected_errors
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.runner import Settings, check_raw, load_policies

SEEDS = seed_pages(CORPUS, REPO / "examples")
POLICIES = ("dcnf", "propublica", "cc-by-4.0")
LOADED = load_policies(list(POLICIES))


def _matcher_for(page: Path):
    from compliance.originals.context import matcher_for, original_from_bytes

    return matcher_for((original_from_bytes(str(page), page.read_bytes()),))


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 25)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.integers(0, len(SEEDS) - 1), mutations(), st.booleans(), st.booleans())
def test_mutated_real_pages_never_break_a_check(index: int, ops, with_original: bool, with_author: bool) -> None:
    page = SEEDS[index]
    data = apply(page.read_bytes(), ops)
    run = Settings(policies=POLICIES, authors=("Jane Doe",) if with_author else ())
    matcher = _matcher_for(page) if with_original else None  # the page republishes its own original
    results = check_raw(str(page), data, LOADED, run, matcher=matcher)
    assert len(results) == len(POLICIES)
    assert unexpected_errors(results) == []


def _catalog(folder: Path, pages: list[Path]) -> Path:
    """A JSON Lines catalog of originals whose bodies are copies of ``pages``, beside it."""
    lines = []
    for n, page in enumerate(pages):
        shutil.copy(page, folder / f"original-{n}.html")
        lines.append(json.dumps({"url": f"https://originals.example/{n}", "body_file": f"original-{n}.html",
                                 "title": page.stem}))
    path = folder / "catalog.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.fuzz
def test_fuzz_campaign(tmp_path: Path) -> None:
    from compliance.pool import Budget, Failure, WorkerPool
    from compliance.runner import DEFAULT_PAGE_MEMORY, DEFAULT_PAGE_TIMEOUT

    total = int(os.environ.get("FUZZ_PAGES", 20_000))
    seed = int(os.environ.get("FUZZ_SEED", 10))
    jobs = int(os.environ.get("FUZZ_JOBS", 2))
    rnd = random.Random(seed)
    originals = rnd.sample(SEEDS, min(40, len(SEEDS)))
    catalog = _catalog(tmp_path, originals)
    figures = {"pages": 0, "unexpected": [], "over_budget": [], "slowest": (0.0, ""), "peak_mb": 0.0}
    budget = Budget(DEFAULT_PAGE_TIMEOUT, DEFAULT_PAGE_MEMORY)
    runs = [((POLICIES, (), ()), SEEDS, total - total // 2),  # no original, no author
            ((POLICIES, (f"catalog:{catalog}",), ("Jane Doe",)), originals, total // 2)]  # matched to originals
    for setup_arg, seeds, count in runs:
        def items(seeds=seeds, count=count):
            for n in range(count):
                page = rnd.choice(seeds)
                data, ops = mutate(page.read_bytes(), rnd)
                yield f"{page.name}#{n}:{ops}", data

        with WorkerPool(check_mutant, jobs=jobs, setup=fuzz_setup, setup_arg=setup_arg, budget=budget) as pool:
            for (name, _), outcome in pool.imap(items()):
                figures["pages"] += 1
                if isinstance(outcome, Failure):
                    (figures["unexpected"] if outcome.kind in ("died", "error") else figures["over_budget"]).append(
                        f"{name}: {outcome.kind}: {outcome.message}")
                    continue
                figures["unexpected"].extend(outcome.unexpected)
                if outcome.seconds > figures["slowest"][0]:
                    figures["slowest"] = (outcome.seconds, name)
                figures["peak_mb"] = max(figures["peak_mb"], outcome.peak_mb)
    print(f"\nfuzz campaign (seed {seed}): {figures['pages']} pages, {len(figures['unexpected'])} unexpected "
          f"errors, {len(figures['over_budget'])} over budget, slowest page {figures['slowest'][0]:.2f} s "
          f"({figures['slowest'][1][:160]}), peak worker memory {figures['peak_mb']:.0f} MB")
    for line in (figures["unexpected"] + figures["over_budget"])[:20]:
        print("  ", line[:300])
    assert figures["pages"] == total
    assert figures["unexpected"] == []

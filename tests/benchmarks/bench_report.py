"""The HTML report for 10,000 results: its size and how long headless Chromium takes to load and lay it out.

Rendered from a synthetic audit (``tests/reporters/large_run.py``: 25 sites, one page in eight failing)
and, as the same-process baseline, from a 100-result run of the same shape; Chromium is Debian's,
driven by Playwright (``executable_path``), best of N loads each. Targets: under about 2 MB, under 3 s.

    python tests/benchmarks/bench_report.py [--passes 3] [--results 10000] [--fail-every 8]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "reporters"))

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--results", type=int, default=10_000)
    parser.add_argument("--fail-every", type=int, default=8)
    args = parser.parse_args()

    from large_run import large_run  # noqa: E402 (tests/reporters)
    from playwright.sync_api import sync_playwright
    from report_samples import FIXED

    from compliance.reporters import render

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(str(Path(tmp) / "profile"),
                                                       executable_path="/usr/bin/chromium", args=ARGS, headless=True)
        page = context.new_page()

        def load(path: Path) -> float:
            best = float("inf")
            for _ in range(args.passes):
                t = time.perf_counter()
                page.goto(path.as_uri(), wait_until="load", timeout=120_000)
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                best = min(best, time.perf_counter() - t)
            return best

        times = {}
        for n in (100, args.results):
            t = time.perf_counter()
            text = render("html", large_run(results=n, fail_every=args.fail_every), FIXED)
            made = time.perf_counter() - t
            path = Path(tmp) / f"report-{n}.html"
            path.write_text(text, encoding="utf-8")
            times[n] = load(path)
            print(f"{n:6} results: {len(text.encode()) / 1e6:5.2f} MB, rendered by compliance in {made:5.2f} s, "
                  f"Chromium load + layout {times[n]:5.2f} s")
        context.close()
    print(f"{args.results} vs 100 results: Chromium time ratio {times[args.results] / times[100]:4.1f}x")


if __name__ == "__main__":
    main()

"""Checking speed on the real corpus, as a ratio to bare lxml parsing of the same pages.

Both are measured in this process, alternating, best of N passes (the machines are noisy:
compare the ratio, not the absolute numbers). Three checker modes:

- ``dcnf``: the DCNF policy as a publisher would run it on arbitrary pages (most are not
  DCNF republications, so `applies_to` decides quickly);
- ``dcnf`` on DCNF republications: every page gets a DCNF credit block (logo, byline with
  affiliation) after its <body> tag and is checked with that reporter as --author, so every clause
  runs and finds what it looks for (the licensor's audit case);
- ``dcnf --author`` with a reporter absent from every page: every clause runs and fails, and each
  failure is explained (the worst case: the slowest path);
- ``--jobs 2``: the first mode across two worker processes (results must be identical).

    python tests/benchmarks/bench_throughput.py [--passes 3]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.corpus import pages  # noqa: E402


def best(fn, passes: int) -> float:
    times = []
    for _ in range(passes):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()

    import lxml.html

    from compliance.inputs.sources import PageInput
    from compliance.policy.load import load_policy
    from compliance.runner import Settings, check_raw, run

    files = pages()
    blobs = [(str(p), p.read_bytes()) for p in files]
    size = sum(len(b) for _, b in blobs) / 1e6
    policy = load_policy("dcnf")
    plain = Settings(policies=("dcnf",))
    with_author = Settings(policies=("dcnf",), authors=("Jane Doe",))

    def parse_only():
        for _, data in blobs:
            lxml.html.document_fromstring(data)

    def check(settings):
        def go():
            for source, data in blobs:
                check_raw(source, data, [policy], settings)
        return go

    parse_only()  # warm caches and imports
    check(plain)()
    t_parse = best(parse_only, args.passes)
    t_plain = best(check(plain), args.passes)
    t_author = best(check(with_author), args.passes)
    credit = (b'<div class="dcnf-credit"><img src="/partners/dcnf-logo.png" alt="Daily Caller News Foundation" '
              b'width="160" height="48"><p class="byline">By Jane Doe, Daily Caller News Foundation</p></div>')
    injected = [(s, re.sub(rb"(<body[^>]*>)", lambda m: m.group(1) + credit, d, count=1, flags=re.I))
                for s, d in blobs]

    def check_injected():
        for source, data in injected:
            check_raw(source, data, [policy], with_author)

    def parse_injected():
        for _, data in injected:
            lxml.html.document_fromstring(data)

    t_parse_injected = best(parse_injected, args.passes)
    t_injected = best(check_injected, args.passes)
    n = len(blobs)
    print(f"corpus: {n} pages, {size:.1f} MB")
    print(f"lxml.html.document_fromstring (baseline): {t_parse:.2f} s, {n / t_parse:.0f} pages/s")
    print(f"compliance check --policy dcnf:           {t_plain:.2f} s, {n / t_plain:.0f} pages/s, "
          f"ratio {t_plain / t_parse:.2f}")
    print(f"DCNF republications, --author matches:   {t_injected:.2f} s, {n / t_injected:.0f} pages/s, "
          f"ratio {t_injected / t_parse_injected:.2f} (baseline {t_parse_injected:.2f} s)")
    print(f"--author absent from every page (worst): {t_author:.2f} s, {n / t_author:.0f} pages/s, "
          f"ratio {t_author / t_parse:.2f}")

    inputs = [PageInput(str(p), "file") for p in files]
    t = time.perf_counter()
    serial = run(inputs, with_author, jobs=1)
    t_serial = time.perf_counter() - t
    t = time.perf_counter()
    parallel = run(inputs, with_author, jobs=2)
    t_parallel = time.perf_counter() - t
    same = [p.to_dict() for p in serial.pages] == [p.to_dict() for p in parallel.pages]
    print(f"run() --author, jobs=1: {t_serial:.2f} s; jobs=2: {t_parallel:.2f} s "
          f"(speed-up {t_serial / t_parallel:.2f}x); identical results: {same}")


if __name__ == "__main__":
    main()

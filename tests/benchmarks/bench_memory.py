"""Peak memory of a streamed run: 10× the corpus against the corpus alone, as a ratio (target ≤ 1.2×).

Each run is a fresh ``compliance check`` process over the real-world corpus (1×) or over ten
copies of it (10×, hard links in a temporary folder: distinct pages, since a run checks each real
path once and so would check symbolic links to one file only once); its
peak resident set comes from the operating system (``wait4``). Formats: ``jsonl`` and ``text``
(written as each page is checked), ``json`` (pages spooled to disk) and ``html`` (rendered at the
end from compactly kept results).

The pages are made DCNF republications, so the policy applies (``--author`` alone no longer makes
it apply: applicability needs a credit or notice on the page). By default each page carries only
DCNF's closing licensing notice and is checked with ``--author "Jane Doe"``: every clause runs and
fails with its evidence, the heaviest results a run keeps. ``--pages credited`` gives each page the
full credit instead (every clause passes). The verdicts of the 1× run are printed, so a change in
what applies shows.

    python tests/benchmarks/bench_memory.py [--copies 10] [--formats jsonl,text,json,html] [--pages noticed]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.corpus import credited, noticed, pages, require_corpus  # noqa: E402

MAKERS = {"noticed": noticed, "credited": credited}


def peak_rss_mb(args: list[str]) -> float:
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "compliance", *args], stdout=sink, stderr=sink)
        _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024  # kilobytes on Linux


def verdicts(common: list[str], folder: Path, out: Path) -> Counter:
    """Statuses of a jsonl run over ``folder`` (read from the report file, line by line)."""
    subprocess.run([sys.executable, "-m", "compliance", *common, "-f", "jsonl", "-o", str(out), str(folder)],
                   capture_output=True, check=False)
    with out.open(encoding="utf-8") as lines:
        return Counter(entry["status"] for entry in map(json.loads, lines) if entry.get("type") != "summary")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--formats", default="jsonl,text,json,html")
    parser.add_argument("--pages", choices=sorted(MAKERS), default="noticed")
    args = parser.parse_args()
    root = require_corpus()
    files = pages()
    make = MAKERS[args.pages]
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "corpus"
        for page in files:
            target = one / page.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(make(page.read_bytes()))
        many = Path(tmp) / "copies"
        for i in range(args.copies):
            for page in sorted(one.glob("*/*.html")):
                link = many / f"c{i}" / page.relative_to(one)
                link.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(page, link)
                except OSError:  # another file system, or no hard links there
                    link.write_bytes(page.read_bytes())
        out = Path(tmp) / "report"
        common = ["check", "-p", "dcnf", "--author", "Jane Doe", "--no-progress"]
        counted = ", ".join(f"{n} {s}" for s, n in sorted(verdicts(common, one, out).items()))
        print(f"{len(files)} pages ({args.pages}: {counted}) vs {len(files) * args.copies} ({args.copies} copies); "
              f"peak RSS per process")
        for fmt in args.formats.split(","):
            run = [*common, "-f", fmt, "-o", str(out)]
            small = peak_rss_mb([*run, str(one)])
            large = peak_rss_mb([*run, str(many)])
            checked = ""
            if fmt == "jsonl":  # proof that the large run checked every copy
                with out.open(encoding="utf-8") as lines:
                    checked = f"   ({sum(1 for _ in lines) - 1} results)"
            print(f"{fmt:6} 1x {small:7.1f} MB   {args.copies}x {large:7.1f} MB   ratio {large / small:4.2f}x{checked}",
                  flush=True)


if __name__ == "__main__":
    main()

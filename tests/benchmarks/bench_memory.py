"""Peak memory of a streamed run: 10× the corpus against the corpus alone, as a ratio (target ≤ 1.2×).

Each run is a fresh ``compliance check`` process over the real-world corpus (1×) or over ten
copies of it (10×, symbolic links in a temporary folder, so the inputs are distinct pages); its
peak resident set comes from the operating system (``wait4``). Formats: ``jsonl`` and ``text``
(written as each page is checked) and ``html`` (rendered at the end from compactly kept results).
DCNF with an author, so every clause runs and every page fails with evidence (the heaviest results).

    python tests/benchmarks/bench_memory.py [--copies 10] [--formats jsonl,text,html]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.corpus import pages, require_corpus  # noqa: E402


def peak_rss_mb(args: list[str]) -> float:
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "compliance", *args], stdout=sink, stderr=sink)
        _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--formats", default="jsonl,text,html")
    args = parser.parse_args()
    root = require_corpus()
    files = pages()
    with tempfile.TemporaryDirectory() as tmp:
        many = Path(tmp) / "copies"
        for i in range(args.copies):
            for page in files:
                link = many / f"c{i}" / page.relative_to(root)
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(page)
        out = Path(tmp) / "report"
        print(f"{len(files)} pages vs {len(files) * args.copies} ({args.copies} copies); peak RSS per process")
        for fmt in args.formats.split(","):
            common = ["check", "-p", "dcnf", "--author", "Jane Doe", "-f", fmt, "-o", str(out)]
            one = peak_rss_mb([*common, str(root)])
            ten = peak_rss_mb([*common, str(many)])
            print(f"{fmt:6} 1x {one:7.1f} MB   {args.copies}x {ten:7.1f} MB   ratio {ten / one:4.2f}x")


if __name__ == "__main__":
    main()

"""``--scheduler local:2`` against ``--jobs 1`` on the real corpus, and what one Dask task costs.

All in this process, best of N passes (the machines are noisy: compare the ratios):

- the baseline: ``runner.stream`` with one job, every corpus page against DCNF with an author absent
  from every page (every clause runs and explains its failure: the slowest path, as in
  bench_throughput's ``--jobs`` figure);
- the same pages on a LocalCluster of 2 single-threaded workers, started once and kept for the passes
  (its start-up is reported on its own); the results must be identical to the baseline's;
- the per-task overhead: tasks that check nothing, one page reference each, through the same ordered,
  windowed submission the run uses, per task and as a fraction of one page's check.

    python tests/benchmarks/bench_cluster.py [--passes 3] [--pages N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import deque
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.corpus import pages  # noqa: E402


def nothing(plugin: str, refs: list) -> list:
    """A task that checks nothing: what remains is the cluster's own cost per task."""
    return [[] for _ in refs]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--pages", type=int, default=0, help="only the first N corpus pages (0: all)")
    parser.add_argument("--tasks", type=int, default=2000, help="empty tasks for the overhead figure")
    args = parser.parse_args()

    from compliance.cluster import PAGES_PER_TASK, TASKS_PER_WORKER, Cluster, stream
    from compliance.inputs.sources import PageInput
    from compliance.runner import Settings, load_policies
    from compliance.runner import stream as serial_stream

    files = pages()[: args.pages or None]
    settings = Settings(policies=("dcnf",), authors=("Nobody Absent-Everywhere",))
    policies = load_policies(settings.policies)
    items = [(PageInput(str(p), "file"), None) for p in files]

    def baseline():
        return [r for batch in serial_stream(iter(items), settings, policies, 1) for r in batch]

    started = time.perf_counter()
    cluster = Cluster("local:2")
    startup = time.perf_counter() - started
    try:
        def clustered():
            return [r for batch in stream(iter(items), settings, policies, cluster) for r in batch]

        expected = [r.to_dict() for r in baseline()]
        assert [r.to_dict() for r in clustered()] == expected, "local:2 gave other results than --jobs 1"
        serial_t, cluster_t = [], []
        for _ in range(args.passes):  # alternating, so that both see the same machine
            t = time.perf_counter()
            baseline()
            serial_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            clustered()
            cluster_t.append(time.perf_counter() - t)
        plugin = "none"  # the empty task reads no run state
        window = cluster.workers * TASKS_PER_WORKER
        refs = [PageInput(f"p{i}", "file") for i in range(args.tasks)]
        overhead = []
        for _ in range(args.passes):
            t = time.perf_counter()
            pending: deque = deque()
            for ref in refs:
                pending.append(cluster.client.submit(nothing, plugin, [ref], pure=False))
                while len(pending) >= window:
                    pending.popleft().result()
            while pending:
                pending.popleft().result()
            overhead.append((time.perf_counter() - t) / len(refs))
    finally:
        cluster.close()
    per_page = min(serial_t) / len(files)
    print(f"{len(files)} corpus pages, dcnf with an absent author (the slowest path), best of {args.passes}")
    print(f"  --jobs 1           {min(serial_t):7.2f} s  {len(files) / min(serial_t):7.1f} pages/s  "
          f"({per_page * 1000:.1f} ms a page)")
    print(f"  --scheduler local:2 {min(cluster_t):6.2f} s  {len(files) / min(cluster_t):7.1f} pages/s  "
          f"speed-up {min(serial_t) / min(cluster_t):.2f}x, identical results")
    print(f"  LocalCluster(2) start-up {startup:.2f} s (once per run)")
    task = min(overhead)
    print(f"  per-task overhead {task * 1000:.2f} ms ({args.tasks} empty tasks, one page reference each), "
          f"{task / per_page:.2f} of one page's check; a task carries {PAGES_PER_TASK} pages")


if __name__ == "__main__":
    main()

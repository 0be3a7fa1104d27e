"""Load on `compliance serve`: many editors checking real pages at once, on loopback only.

Starts the real server (its own process, a free 127.0.0.1 port), then CLIENTS concurrent
clients post real corpus pages to POST /v1/check for SECONDS (bounded in time and in count),
and prints requests/s, p50/p99 latency, errors (must be 0) and the server's memory (the
server process and its workers) after start and after each round (three by default). Throughput is also given as a ratio to a
serial in-process check of the same pages measured first in this process, because these
machines are noisy: compare the ratio, not the absolute numbers.

    python tests/benchmarks/bench_serve.py [--clients 50] [--seconds 30] [--workers 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.corpus import pages  # noqa: E402

MAX_REQUESTS = 200_000  # a hard bound besides the time
SAMPLE = 200
AUTHOR = "Jane Doe"  # absent from the corpus; as --author it names the reporter, it does not make DCNF apply


def tree(pid: int) -> list[int]:
    """A process and all its descendants (children of every thread: the pool starts workers from threads)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def tree_usage(pid: int) -> tuple[float, float, int]:
    """(resident MB, CPU seconds so far, processes) of a process tree, from /proc."""
    rss = cpu = 0.0
    procs = tree(pid)
    tick = os.sysconf("SC_CLK_TCK")
    for p in procs:
        try:
            status = Path(f"/proc/{p}/status").read_text()
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        rss += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
        cpu += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return rss, cpu, len(procs)


def start_server(workers: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "compliance", "serve", "--port", "0", "--workers", str(workers)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    for line in proc.stdout:
        match = re.search(r"listening on (http://\S+?)/? ", line)
        if match:
            return proc, match.group(1)
        if time.monotonic() > deadline:
            break
    proc.kill()
    sys.exit("the server did not start")


def serial_baseline(sample: list[Path]) -> tuple[float, float]:
    """(pages per second, CPU seconds per page) checked in this process one after another: the same work, no HTTP."""
    from compliance.policy.load import load_policy
    from compliance.runner import Settings, check_raw

    policies = [load_policy("dcnf")]
    settings = Settings(policies=("dcnf",), authors=(AUTHOR,))
    data = [p.read_bytes() for p in sample]
    start, cpu = time.perf_counter(), time.process_time()
    for i, d in enumerate(data):
        check_raw(str(i), d, policies, settings)
    return len(data) / (time.perf_counter() - start), (time.process_time() - cpu) / len(data)


async def load(base: str, bodies: list[bytes], clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + seconds

    async def client(i: int) -> None:
        rnd = random.Random(i)
        async with httpx.AsyncClient(base_url=base, timeout=120, trust_env=False) as c:
            while time.monotonic() < stop and len(latencies) < MAX_REQUESTS:
                body = rnd.choice(bodies)
                t = time.perf_counter()
                try:
                    r = await c.post("/v1/check", content=body, headers={"content-type": "application/json"})
                    if r.status_code != 200:
                        errors.append(f"HTTP {r.status_code}: {r.text[:200]}")
                except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
                    errors.append(f"{type(exc).__name__}: {exc}")
                latencies.append(time.perf_counter() - t)

    start = time.monotonic()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return latencies, errors, time.monotonic() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--rounds", type=int, default=3, help="rounds of load, to see whether memory stays flat")
    args = ap.parse_args()

    sample = random.Random(16).sample(pages(), SAMPLE)
    bodies = [json.dumps({"html": p.read_bytes().decode("utf-8", "replace"), "policies": ["dcnf"],
                          "authors": [AUTHOR]}).encode() for p in sample]
    before_rate, before_cpu = serial_baseline(sample)
    proc, base = start_server(args.workers)
    rounds = []
    try:
        asyncio.run(load(base, bodies[:8], 2, 2.0))  # warm the workers up
        memory, cpu, procs = tree_usage(proc.pid)
        print(f"server memory after start ({procs} processes: server, workers, resource tracker): {memory:.0f} MB")
        for _ in range(args.rounds):
            latencies, errors, took = asyncio.run(load(base, bodies, args.clients, args.seconds))
            memory_after, cpu_after, _ = tree_usage(proc.pid)
            rounds.append((sorted(latencies), errors, took, (cpu_after - cpu) / max(1, len(latencies)), memory_after))
            cpu = cpu_after
    finally:
        proc.terminate()
        proc.wait(30)
    after_rate, after_cpu = serial_baseline(sample)
    serial_rate, serial_cpu = (before_rate + after_rate) / 2, min(before_cpu, after_cpu)
    print(f"corpus sample: {SAMPLE} real pages, request bodies median "
          f"{statistics.median(map(len, bodies)) / 1024:.0f} KB, policy dcnf, --author {AUTHOR!r}")
    print(f"serial in-process baseline: {before_rate:.1f} pages/s before the load, {after_rate:.1f} after; "
          f"{serial_cpu * 1000:.1f} ms CPU per page")
    print(f"{args.clients} clients, {args.workers} workers, {args.seconds:g} s per round:")
    for n, (lat, errors, took, server_cpu, memory_after) in enumerate(rounds, 1):
        rate = len(lat) / took
        print(f"  round {n}: {len(lat)} requests, {rate:.1f} req/s (ratio to serial in-process {rate / serial_rate:.2f}); "
              f"p50 {lat[len(lat) // 2] * 1000:.0f} ms, p99 {lat[int(len(lat) * 0.99)] * 1000:.0f} ms, "
              f"max {lat[-1] * 1000:.0f} ms; errors {len(errors)}; server CPU {server_cpu * 1000:.1f} ms per request "
              f"(ratio to the in-process check {server_cpu / serial_cpu:.2f}); server memory after {memory_after:.0f} MB")
    failures = [e for r in rounds for e in r[1]]
    if failures:
        print(f"first error: {failures[0]}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

"""Checking pages by URL against checking the same pages from disk: the cost of fetching, as a ratio.

A local server (its own process, 127.0.0.1 only) serves the real-world corpus; the same pages are
checked through the same pipeline (``inputs.sites.fetch_ahead`` → ``runner.stream``) once from the
files and once by URL through the polite crawler (robots.txt obeyed, no delay: it is our own
server). Passes alternate and the best of N is kept (the machines are noisy: read the ratio, not the
seconds). Each mode also prints the CPU both runs used (this process and its workers, not the server):
by URL the fetching runs in this process while a worker checks, so on two free cores the wall ratio is
below the CPU ratio, and on a machine whose other load takes a core it rises toward it. Every page's
verdict and clause verdicts must be the same both ways.

Two checker modes: DCNF as a publisher runs it on arbitrary pages (``applies_to`` rules most out
quickly, so fetching weighs most), and the licensor's audit: every page gets a DCNF credit block under
its headline (``corpus.credited``, as in ``bench_throughput.py``) and is checked with that reporter as
``--author``, so the policy applies and every clause runs. The target is ≤ 1.3×.

    python tests/benchmarks/bench_sites.py [--passes 3] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.corpus import credited, pages, require_corpus  # noqa: E402

# The standard library's file server, set up as production servers are: TCP_NODELAY (nginx's default), or
# it writes headers and body in two segments and every answer on a kept-alive connection waits ~40 ms for
# the client's delayed ACK (681 pages took 21 s with curl, 0.2 s with it); a 404 that keeps the connection
# (the standard library closes it after every error, so each of the linked stylesheets the corpus pages name,
# none of which it has, costs a new connection); and a listen backlog larger than 5, or a burst of new
# connections loses a SYN and waits a second to resend it. Bodies go out with sendfile, as nginx and Apache
# send static files, so the server takes little of the machine's CPU from the checker (copying every body
# through Python took a third of what the checker's fetching took).
SERVER = """
import functools, http.server, sys
class Quiet(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def log_message(self, *a): pass
    def copyfile(self, source, outputfile):
        outputfile.flush()
        self.connection.sendfile(source)
    def send_error(self, code, message=None, explain=None):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "9")
        self.end_headers()
        self.wfile.write(b"not found")
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128
    def handle_error(self, request, client_address): pass  # a client that hung up is not news
srv = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=sys.argv[1]))
srv.daemon_threads = True
print(srv.server_address[1], flush=True)
srv.serve_forever()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    import psutil

    from compliance.inputs.addresses import AddressPolicy
    from compliance.inputs.crawl import Crawler, Politeness
    from compliance.inputs.fetch import FetchLimits
    from compliance.inputs.sites import fetch_ahead
    from compliance.inputs.sources import PageInput
    from compliance.runner import Settings, load_policies, prepare, stream

    corpus = require_corpus()
    tmp = tempfile.TemporaryDirectory()
    root = Path(tmp.name)
    for kind in ("plain", "audit"):
        for page in pages():
            target = root / kind / page.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = page.read_bytes()
            if kind == "audit":
                data = credited(data)
            target.write_bytes(data)
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(root)], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        files = sorted((root / "plain").glob("*/*.html"))
        urls = [f"http://127.0.0.1:{port}/{p.relative_to(root).as_posix()}" for p in files]
        polite = Politeness(concurrency=args.concurrency, per_host=args.concurrency, delay=0.0)
        # as the command line sets it: the kinds of address the user's URLs lead to, resolved once per run
        limits = FetchLimits(addresses=AddressPolicy().widened_for(urls[:1]))
        size = sum(p.stat().st_size for p in files) / 1e6

        def cpu() -> float:
            """CPU seconds of this process and of its descendants now running, the file server excepted."""
            me = psutil.Process()
            total = sum(me.cpu_times()[:2])
            for child in me.children(recursive=True):
                if child.pid != server.pid:
                    try:
                        total += sum(child.cpu_times()[:2])
                    except psutil.NoSuchProcess:
                        pass
            return total

        print(f"{len(files)} pages, {size:.0f} MB; server on 127.0.0.1:{port}; best of {args.passes}")
        def fetch_only() -> int:
            inputs = [PageInput(u, "url") for u in urls]
            with Crawler(limits, polite) as crawler:
                items = fetch_ahead(prepare(inputs, Settings(policies=())), crawler, polite.concurrency * 2,
                                    sheets=False)  # fetching only: no sheet service
                return sum(len(raw.data or b"") for _, raw in items)

        fetch_times = []
        for _ in range(args.passes):
            t = time.perf_counter()
            fetch_only()
            fetch_times.append(time.perf_counter() - t)
        print(f"{'fetching alone':24} {'':14} url {min(fetch_times):6.2f} s   (the floor for a run by URL)")
        for label, authors, kind in (("dcnf (publisher)", (), "plain"), ("dcnf audit (credited)", ("Jane Doe",),
                                                                          "audit")):
            settings = Settings(policies=("dcnf",), authors=authors)
            policies = load_policies(settings.policies)
            mode_files = [root / kind / p.relative_to(root / "plain") for p in files]
            mode_urls = [u.replace("/plain/", f"/{kind}/", 1) for u in urls]

            def from_disk() -> tuple[list, float]:
                inputs = [PageInput(str(p), "file") for p in mode_files]
                return verdicts(stream(fetch_ahead(prepare(inputs, settings), None), settings, policies))

            def by_url() -> tuple[list, float]:
                inputs = [PageInput(u, "url") for u in mode_urls]
                with Crawler(limits, polite) as crawler:
                    items = fetch_ahead(prepare(inputs, settings), crawler, polite.concurrency * 2)
                    return verdicts(stream(items, settings, policies))

            def verdicts(batches) -> tuple[list, float]:
                """Each page's verdict and clause verdicts, and the CPU seconds this process and its workers
                used (sampled before the last worker exits: the server, a separate process, is not counted)."""
                start, out = cpu(), []
                for batch in batches:
                    out += [(r.status.value, tuple(c.status.value for c in r.clauses)) for r in batch]
                    if len(out) == len(files):
                        used = cpu() - start
                return out, used

            disk_times, url_times, disk_cpu, url_cpu = [], [], [], []
            for _ in range(args.passes):
                t = time.perf_counter()
                disk, used = from_disk()
                disk_times.append(time.perf_counter() - t)
                disk_cpu.append(used)
                t = time.perf_counter()
                web, used = by_url()
                url_times.append(time.perf_counter() - t)
                url_cpu.append(used)
            differ = [f.name for f, a, b in zip(mode_files, disk, web) if a != b]
            assert not differ, f"checking by URL gave other verdicts than checking the files: {differ}"
            d, u = min(disk_times), min(url_times)
            print(f"{label:24} disk {d:6.2f} s   url {u:6.2f} s   url/disk {u / d:4.2f}x"
                  f"   (CPU {min(disk_cpu):5.2f} s / {min(url_cpu):5.2f} s = {min(url_cpu) / min(disk_cpu):4.2f}x)")
            statuses = {s: [v for v, _ in disk].count(s) for s in sorted({v for v, _ in disk})}
            print(f"{'':24} verdicts (every clause the same by URL): {statuses}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        tmp.cleanup()


if __name__ == "__main__":
    main()

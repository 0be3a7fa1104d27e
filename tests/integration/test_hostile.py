"""Hostile pages never stall, blow up or silently skew a run: one test per attack found on the way (issue 10).

Each test runs the real command in a new process with a hard time limit (a regression here would hang,
not fail), with servers on 127.0.0.1 only. The attacker's page gets an ``error`` result that names what
stopped it, and every other page in the same run keeps its verdict.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

EXAMPLES = REPO / "examples"
GOOD = EXAMPLES / "compliant.html"
HARD_LIMIT = 120  # seconds: far above what any of these runs needs, far below "forever"


def compliance(*args: str, cwd: Path | None = None, timeout: float = HARD_LIMIT, **popen) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COMPLIANCE_CONFIG")}
    return subprocess.run([sys.executable, "-m", "compliance", *args], capture_output=True, env=env,
                          cwd=cwd or REPO, timeout=timeout, **popen)


def pages_of(run: subprocess.CompletedProcess) -> dict[str, dict]:
    assert b"Traceback" not in run.stderr, run.stderr.decode()
    return {p["source"]: p for p in json.loads(run.stdout)["pages"]}


def nested(depth: int, word: str = "sidebar") -> str:
    prose = "<p>" + "Daily Caller News Foundation report by Jane Doe with enough words to be a paragraph. " * 2 + "</p>"
    return ("<!doctype html><html><head><title>Story</title></head><body><article>" + prose * 3
            + f'<div class="{word}">' * depth + prose * 4 + "</div>" * depth + "</article></body></html>")


# -- 1. a page that deadlocked every later page --------------------------------------------------------


@pytest.mark.parametrize("depth", [975, 985, 1500])
def test_deeply_nested_page_checked_against_an_original_costs_nothing_to_the_pages_after_it(tmp_path, depth):
    hostile = tmp_path / "nested.html"
    hostile.write_text(nested(depth))
    run = compliance("check", str(hostile), str(GOOD), "-p", "dcnf", "--original", str(GOOD), "-f", "json")
    pages = pages_of(run)
    assert pages[str(GOOD)]["status"] == "pass"
    assert pages[str(hostile)]["status"] != "error", pages[str(hostile)]["message"]  # read without recursion


# -- 2. a worker killed with SIGKILL -------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    kids = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as file:
            kids += [int(c) for c in file.read().split()]
    return kids


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_worker_killed_with_sigkill_costs_only_its_page(tmp_path):
    policy = tmp_path / "cubic.yaml"
    policy.write_text(CUBIC_POLICY)
    slow = []
    for n in (1, 2):  # minutes of XPath each: both workers are busy on these when they are killed
        slow.append(tmp_path / f"slow{n}.html")
        slow[-1].write_text("<html><body>" + "<div><p>x</p></div>" * 3000 + "</body></html>")
    small = []
    for n in range(4):
        small.append(tmp_path / f"small{n}.html")
        small[-1].write_text("<html><body><p>x</p></body></html>")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.Popen([sys.executable, "-m", "compliance", "check", *map(str, slow + small), "-p", str(policy),
                             "-j", "2", "-f", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=REPO)
    try:
        for _ in range(6000):
            workers = _children(proc.pid)
            if len(workers) == 2 and all(_cpu_seconds(w) > 0.3 for w in workers):  # deep in the XPath
                break
            time.sleep(0.01)
        for worker in workers:
            os.kill(worker, signal.SIGKILL)  # what the OOM killer does
        out, err = proc.communicate(timeout=HARD_LIMIT)
    finally:
        if proc.poll() is None:
            proc.kill()
    pages = pages_of(subprocess.CompletedProcess([], proc.returncode, out, err))
    for page in slow:
        assert pages[str(page)]["status"] == "error"
        assert "worker process died" in pages[str(page)]["message"] and "SIGKILL" in pages[str(page)]["message"]
    assert [pages[str(p)]["status"] for p in small] == ["pass"] * 4


# -- 6. no per-page budget -----------------------------------------------------------------------------

CUBIC_POLICY = """\
id: cubic
title: A policy whose XPath takes minutes on a page with a few thousand elements
licensor: Nobody
terms_url: https://example.org/
clauses:
  everything:
    title: Everything
    check:
      element: {selector: "//*[count(//*[count(//*) > 1]) > 1]", visible: any}
"""


def test_a_page_over_its_time_budget_gets_an_error_naming_the_limit_and_the_run_goes_on(tmp_path):
    policy = tmp_path / "cubic.yaml"
    policy.write_text(CUBIC_POLICY)
    big = tmp_path / "big.html"
    big.write_text("<html><body>" + "<div><p>x</p></div>" * 3000 + "</body></html>")
    small = tmp_path / "small.html"
    small.write_text("<html><body><p>x</p></body></html>")
    run = compliance("check", str(big), str(small), "-p", str(policy), "--page-timeout", "1", "-f", "json")
    pages = pages_of(run)
    assert pages[str(big)]["status"] == "error"
    assert "1 s time limit per page (--page-timeout)" in pages[str(big)]["message"]
    assert pages[str(small)]["status"] == "pass"


def test_a_page_over_its_memory_budget_gets_an_error_naming_the_limit_and_the_run_goes_on(tmp_path):
    big = tmp_path / "big.html"
    big.write_text("<html><body><article><p>Daily Caller News Foundation</p>"
                   + '<p class="byline">By Jane Doe</p>\n' * 250_000 + "</article></body></html>")
    run = compliance("check", str(big), str(GOOD), "-p", "dcnf", "--page-memory", "16", "-f", "json")
    pages = pages_of(run)
    assert pages[str(big)]["status"] == "error"
    assert "16 MB memory limit per page (--page-memory)" in pages[str(big)]["message"]
    assert pages[str(GOOD)]["status"] == "pass"


# -- 3, 4, 10, 13: hostile servers ----------------------------------------------------------------------


@functools.cache
def _bomb() -> bytes:
    """A few KB of gzip inside gzip that expand to 64 MB of zeros."""
    import gzip

    return gzip.compress(gzip.compress(b"\0" * (64 * 1024 * 1024), 9), 9)


class _Hostile:
    """A server on 127.0.0.1 where each path is one attack; stopped at the end of the test."""

    def __init__(self) -> None:
        import gzip
        import http.server
        import threading

        twice = _bomb()
        page = GOOD.read_bytes()
        self.stop = threading.Event()
        stop = self.stop

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def reply(self, body: bytes, *headers: tuple[str, str], status: int = 200) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/page":
                    self.reply(page)
                elif self.path == "/gzip-gzip":
                    self.reply(twice, ("Content-Encoding", "gzip, gzip"))
                elif self.path == "/three-layers":
                    self.reply(gzip.compress(twice), ("Content-Encoding", "gzip, gzip, gzip"))
                elif self.path == "/truncated-gzip":
                    whole = gzip.compress(page)
                    self.reply(whole[: len(whole) // 2], ("Content-Encoding", "gzip"))
                elif self.path == "/slow-headers":  # one header line every 0.3 s, for up to a minute
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    for n in range(200):
                        if stop.wait(0.3):
                            break
                        self.wfile.write(f"X-Slow-{n}: x\r\n".encode())
                        self.wfile.flush()
                    self.close_connection = True
                elif self.path.startswith("/to/"):  # a redirect to wherever the rest of the path says
                    self.reply(b"", ("Location", "http://" + self.path[len("/to/"):]), status=302)
                else:
                    self.reply(b"not found", status=404)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hostile():
    server = _Hostile()
    yield server
    server.close()


def test_a_stacked_gzip_bomb_is_refused_without_expanding(hostile):
    run = compliance("check", f"{hostile.base}/gzip-gzip", f"{hostile.base}/three-layers", f"{hostile.base}/page",
                     "-p", "dcnf", "-f", "json", "--max-bytes", "1000000", "--page-memory", "0")
    pages = pages_of(run)
    assert "larger than the 0.953674 MB limit" in pages[f"{hostile.base}/gzip-gzip"]["message"]
    assert "stacked 3 content encodings" in pages[f"{hostile.base}/three-layers"]["message"]
    assert pages[f"{hostile.base}/page"]["status"] == "pass"


def test_header_lines_trickled_one_by_one_hit_the_timeout(hostile):
    run = compliance("check", f"{hostile.base}/slow-headers", f"{hostile.base}/page", "-p", "dcnf", "-f", "json",
                     "--timeout", "2")
    pages = pages_of(run)
    assert "timed out after 2 s" in pages[f"{hostile.base}/slow-headers"]["message"]
    assert pages[f"{hostile.base}/page"]["status"] == "pass"


def test_a_truncated_gzip_body_is_an_error_not_a_shorter_page(hostile):
    pages = pages_of(compliance("check", f"{hostile.base}/truncated-gzip", "-p", "dcnf", "-f", "json"))
    page = pages[f"{hostile.base}/truncated-gzip"]
    assert page["status"] == "error" and "damaged compressed body" in page["message"]


@pytest.mark.parametrize("target", ["169.254.169.254/latest/meta-data/", "[fe80::1]:9/latest/meta-data/"])
def test_a_redirect_to_a_link_local_address_is_refused_before_connecting(hostile, target):
    url = f"{hostile.base}/to/{target}"
    pages = pages_of(compliance("check", url, "-p", "dcnf", "-f", "json"))
    assert pages[url]["status"] == "error"
    assert "refused to fetch" in pages[url]["message"] and "a link-local address" in pages[url]["message"]


def test_urls_found_in_a_sitemap_may_not_lead_to_loopback_unless_the_run_named_such_a_url(hostile, tmp_path):
    # the sitemap file is the user's, the URLs in it are not: they may not lead into the machine's own services
    sitemap = tmp_path / "sitemap.xml"
    url = f"{hostile.base}/to/127.0.0.1:{hostile.server.server_address[1]}/page"
    sitemap.write_text('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                       f"<url><loc>{url}</loc></url></urlset>")
    refused = pages_of(compliance("check", "--sitemap", str(sitemap), "-p", "dcnf", "-f", "json"))
    allowed = pages_of(compliance("check", "--sitemap", str(sitemap), "-p", "dcnf", "-f", "json", "--allow-private"))
    assert "a loopback address" in refused[url]["message"]
    assert allowed[url]["status"] == "pass"

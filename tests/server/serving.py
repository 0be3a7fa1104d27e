"""Helpers for the server's tests: a real `compliance serve` on a free loopback port, and the CLI to compare with.

The server is started the way a user starts it (the console command, in its
own process, ``--port 0`` so the kernel picks a free port) and its address is
read from the line it prints. Every request in these tests goes to 127.0.0.1.
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "rules" / "examples"
TOKEN = "test-token-0123456789abcdef"
START_TIMEOUT = 60.0
# reports carry the time they were made; both sides of a comparison are pinned to the same instant
FIXED_TIME = {"SOURCE_DATE_EPOCH": "1700000000"}
_LISTENING = re.compile(r"listening on (http://\S+?)/? ")


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    token: str | None = None
    output: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    def client(self, token: str | None = "default", **kwargs) -> httpx.Client:
        token = self.token if token == "default" else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120, trust_env=False, **kwargs)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.reader is not None:
            self.reader.join(5)
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_server(*args: str) -> Server:
    cmd = [sys.executable, "-m", "compliance", "serve", "--port", "0", "--workers", "1", *args]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO,
                               env={**os.environ, **FIXED_TIME, "PYTHONUNBUFFERED": "1"})
    server = Server("", process, args[args.index("--token") + 1] if "--token" in args else None)
    started = threading.Event()

    def read() -> None:
        for line in process.stdout:  # keeps draining, so the server never blocks on a full pipe
            server.output.append(line)
            match = _LISTENING.search(line)
            if match and not started.is_set():
                server.url = match.group(1)
                started.set()
        started.set()

    server.reader = threading.Thread(target=read, daemon=True)
    server.reader.start()
    started.wait(START_TIMEOUT)
    if not server.url:
        server.stop()
        raise AssertionError("the server did not start:\n" + "".join(server.output))
    return server


def cli_output(*args: str, stdin: bytes | None = None) -> str:
    """What `compliance check ...` prints (the reference the API must equal)."""
    r = subprocess.run([sys.executable, "-m", "compliance", "check", *args, "--no-config"], input=stdin,
                       capture_output=True, cwd=REPO, timeout=120, env={**os.environ, **FIXED_TIME})
    assert r.returncode in (0, 1), r.stderr.decode()
    return r.stdout.decode("utf-8")


def assert_problem(response: httpx.Response, status: int, kind: str) -> dict:
    """The answer is an RFC 9457 problem document of this status and type, with a readable detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    doc = response.json()
    assert doc["status"] == status and doc["type"].endswith("/" + kind), doc
    assert doc["title"] and doc["detail"] and "Traceback" not in doc["detail"]
    return doc


def report_checks():
    """tests/reporters/report_checks.py: how every HTML report is proved inert."""
    spec = importlib.util.spec_from_file_location("report_checks", REPO / "tests" / "reporters" / "report_checks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

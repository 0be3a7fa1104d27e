"""--scheduler: the same checks on a real Dask LocalCluster give exactly the results of --jobs 1, in order."""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path
from typing import Iterator

import pytest
from cli_runner import run_cli

pytest.importorskip("distributed", reason="Dask is not installed: pip install -e '.[test]' (or '.[dask]')")

from warc_kit import response_record, write_warc  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


@pytest.fixture
def site() -> Iterator[str]:
    pages = {f"/{p.name}": p.read_bytes() for p in EXAMPLES.glob("*.html")}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = pages.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_a_local_cluster_gives_the_results_of_one_job_in_input_order(site: str, tmp_path: Path, monkeypatch) -> None:
    import distributed

    archive = write_warc(tmp_path / "crawl.warc.gz", [
        response_record("https://republisher.test/story", (EXAMPLES / "hidden-logo.html").read_bytes()),
        response_record("https://republisher.test/other", (EXAMPLES / "compliant.html").read_bytes())])
    pages = [str(p) for p in sorted(EXAMPLES.glob("*.html"))] + [
        str(archive), f"{site}/missing-affiliation.html", f"{site}/nowhere.html", str(tmp_path / "absent.html"), "-"]
    common = ["check", *pages, "-p", "dcnf", "-p", "propublica", "--author", "Jane Doe", "-f", "json",
              "--delay", "0", "--ignore-robots"]
    stdin = (EXAMPLES / "staff-byline.html").read_bytes()
    serial = run_cli(*common, "--jobs", "1", stdin=stdin)
    sent: list[object] = []
    submit = distributed.Client.submit

    def recording_submit(self, fn, *args, **kwargs):
        sent.extend(args[1])  # the task's page references
        return submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(distributed.Client, "submit", recording_submit)
    clustered = run_cli(*common, "--scheduler", "local:2", stdin=stdin)
    assert clustered.code == serial.code == 1, clustered.err
    a, b = serial.json(), clustered.json()
    assert len(a["pages"]) == 2 * 11, sorted({p["source"] for p in a["pages"]})
    assert a == b  # every field, in the same order
    assert {type(ref).__name__ for ref in sent} == {"PageInput"}  # references only, never bytes
    assert {ref.kind for ref in sent} == {"file", "warc", "url", "missing"}
    assert all(not hasattr(ref, "data") for ref in sent)


@pytest.mark.slow
def test_a_cluster_run_is_recorded_and_archived_like_any_other(tmp_path: Path) -> None:
    import hashlib
    import sqlite3

    store, warc = tmp_path / "audits.db", tmp_path / "pages.warc.gz"
    ran = run_cli("check", str(EXAMPLES), "-p", "dcnf", "--scheduler", "local:2", "--store", str(store),
                  "--archive", str(warc))
    assert ran.code == 1, ran.err
    rows = sqlite3.connect(store).execute("SELECT source, content_sha256, warc_offset FROM results ORDER BY position")
    from compliance.inputs.archive import read_record

    for source, digest, offset in rows:
        assert hashlib.sha256(Path(source).read_bytes()).hexdigest() == digest
        assert hashlib.sha256(read_record(str(warc), offset).payload).hexdigest() == digest
    settings = json.loads(sqlite3.connect(store).execute("SELECT settings FROM runs").fetchone()[0])
    assert settings["scheduler"] == "local:2"


@pytest.mark.parametrize(("address", "message"), [
    ("bogus", "give a scheduler address such as tcp://host:8786"),
    ("local:0", "a local cluster has 1 to 256 workers"),
])
def test_a_wrong_scheduler_address_is_a_usage_error(address: str, message: str) -> None:
    ran = run_cli("check", str(EXAMPLES), "-p", "dcnf", "--scheduler", address)
    assert ran.code == 2 and message in ran.err


def test_scheduler_and_jobs_are_not_given_together() -> None:
    ran = run_cli("check", str(EXAMPLES), "-p", "dcnf", "--scheduler", "local:2", "--jobs", "2")
    assert ran.code == 2 and "give one of them" in ran.err


def test_a_worker_of_another_version_refuses_the_run() -> None:
    from compliance.cluster import Payload, _Worker
    from compliance.runner import Settings

    with pytest.raises(RuntimeError, match="runs compliance .* but the run was started by compliance 0.0.0-other"):
        _Worker(Payload("0.0.0-other", (), Settings(policies=()), None, None))


@pytest.mark.slow
def test_results_stream_out_while_the_cluster_is_still_working(tmp_path: Path) -> None:
    import subprocess
    import sys

    gate = threading.Event()
    body = (EXAMPLES / "compliant.html").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/last.html":
                gate.wait(120)  # held until the test has read the first result
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    urls = [f"{base}/{n}.html" for n in range(8)] + [f"{base}/last.html"]
    command = [sys.executable, "-m", "compliance", "check", *urls, "-p", "dcnf", "-f", "jsonl", "--delay", "0",
               "--ignore-robots", "--scheduler", "local:2"]
    try:
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=REPO) as proc:
            try:
                first = json.loads(proc.stdout.readline())  # /last.html is held until this line has come
                assert first["source"] == urls[0]
            finally:
                gate.set()
            rest = proc.stdout.read().decode().splitlines()
            proc.wait(timeout=120)
    finally:
        server.shutdown()
        server.server_close()
    assert [json.loads(line)["source"] for line in rest[:-1]] == urls[1:]
    assert json.loads(rest[-1])["type"] == "summary"

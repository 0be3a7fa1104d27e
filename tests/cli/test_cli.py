"""The command line as a user meets it: exit codes, formats, errors without tracebacks (run in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from cli_runner import Ran, run_cli
from conftest import REPO

EXAMPLES = REPO / "examples"
SCHEMA = json.loads((REPO / "compliance" / "schema" / "results.schema.json").read_text())


def cli(*args: str, stdin: bytes | None = None, env: dict | None = None) -> Ran:
    return run_cli(*args, stdin=stdin or b"", env=env, cwd=REPO)


def test_compliant_page_exits_zero() -> None:
    r = cli("check", "examples/compliant.html", "--policy", "dcnf")
    assert r.returncode == 0, r.stdout.decode() + r.stderr.decode()
    assert b"PASS" in r.stdout and b"\x1b[" not in r.stdout  # not a terminal: no colour


def test_failing_page_exits_one_and_explains() -> None:
    r = cli("check", "examples/missing-affiliation.html", "--policy", "dcnf")
    assert r.returncode == 1
    out = r.stdout.decode()
    assert "affiliation" in out and "fix:" in out and "line 9" in out


def test_fail_on_threshold(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "id: p\ntitle: P\nlicensor: L\nterms_url: https://example.org/\nclauses:\n"
        "  credit:\n    title: Credit\n    severity: warning\n    check: {text: {patterns: [Nowhere to be found]}}\n")
    page = str(EXAMPLES / "compliant.html")
    assert cli("check", page, "--policy", str(policy)).returncode == 0
    assert cli("check", page, "--policy", str(policy), "--fail-on", "warning").returncode == 1
    assert cli("check", page, "--policy", str(policy), "--fail-on", "info").returncode == 1
    assert cli("check", page, "--policy", str(policy), "--fail-on", "never").returncode == 0


def test_json_output_follows_the_schema(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    r = cli("check", "examples", "--policy", "dcnf", "--format", "json", "--output", str(out))
    assert r.returncode == 1 and r.stdout == b""
    data = json.loads(out.read_text())
    jsonschema.validate(data, SCHEMA)
    by_source = {p["source"]: p for p in data["pages"]}
    assert by_source["examples/compliant.html"]["status"] == "pass"
    assert by_source["examples/unrelated.html"]["status"] == "not_applicable"
    hidden = by_source["examples/hidden-logo.html"]
    logo = next(c for c in hidden["clauses"] if c["id"] == "logo")
    assert logo["status"] == "fail" and logo["evidence"][0]["line"] == 8 and logo["remediation"]
    passing = next(c for c in hidden["clauses"] if c["id"] == "byline")
    assert passing["evidence"] and passing["evidence"][0]["xpath"]  # passes carry evidence too


def test_author_does_not_make_an_unrelated_page_applicable() -> None:
    """--author names the reporter; whether the page republishes a DCNF story is the policy's applies_to."""
    r = cli("check", "examples/unrelated.html", "--policy", "dcnf", "--author", "Sam Roe", "--format", "json")
    page = json.loads(r.stdout)["pages"][0]
    assert page["status"] == "not_applicable"
    assert "republishes a story under Daily Caller News Foundation republication terms." in page["message"]


# What each built-in's not-applicable message opens with: the policy's title after "under", never the
# licensor as a noun ("a The rights holder who applied CC BY 4.0 story", "a The Texas Tribune story").
NOT_A_REPUBLICATION = {
    "calmatters": "a story under CalMatters republishing terms.",
    "cc-by-4.0": "a story under Creative Commons Attribution 4.0 International (CC BY 4.0).",
    "cc-by-nc-nd-4.0": "a story under Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International "
                       "(CC BY-NC-ND 4.0).",
    "cc-by-nd-4.0": "a story under Creative Commons Attribution-NoDerivatives 4.0 International (CC BY-ND 4.0).",
    "dcnf": "a story under Daily Caller News Foundation republication terms.",
    "floodlight": "a story under Floodlight republication terms.",
    "inn-republication-tracker": "a story under Republication Tracker Tool markup (INN / Newspack).",
    "kff-health-news": "a story under KFF Health News syndication terms.",
    "montana-free-press": 'a story under Montana Free Press "Publish our work" terms.',
    "propublica": 'a story under ProPublica "Steal Our Stories" republication terms.',
    "texas-tribune": "a story under The Texas Tribune republishing guidelines.",
    "the-conversation": "a story under The Conversation republishing guidelines.",
    "undark": "a story under Undark republishing guidelines.",
}


def test_not_applicable_message_reads_as_a_sentence_for_every_builtin() -> None:
    from compliance.policy.builtin import builtin_names

    assert sorted(NOT_A_REPUBLICATION) == sorted(builtin_names())  # a new built-in gets its sentence here
    args = [a for name in builtin_names() for a in ("-p", name)]
    pages = cli("check", "examples/unrelated.html", *args, "--no-config", "--format", "json").json()["pages"]
    for page in pages:
        assert page["status"] == "not_applicable"
        opening = "Not applicable: nothing on the page shows that it republishes " + NOT_A_REPUBLICATION[page["policy"]]
        assert page["message"].startswith(opening + " "), page["message"][:200]


def test_one_author_several_policies_each_policy_decides_applicability() -> None:
    r = cli("check", "examples/compliant.html", "-p", "dcnf", "-p", "propublica", "--author", "Jane Doe",
            "--format", "json")
    status = {p["policy"]: p["status"] for p in json.loads(r.stdout)["pages"]}
    assert status == {"dcnf": "pass", "propublica": "not_applicable"}
    assert r.returncode == 0


def test_stdin_and_missing_and_binary_pages(tmp_path: Path) -> None:
    binary = tmp_path / "x.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    html = (EXAMPLES / "compliant.html").read_bytes()
    r = cli("check", "-", str(binary), str(empty), str(tmp_path / "nope.html"), "--policy", "dcnf",
            "--format", "json", stdin=html)
    assert r.returncode == 1, r.stderr
    pages = json.loads(r.stdout)["pages"]
    assert [p["status"] for p in pages] == ["pass", "error", "error", "error"]
    assert "PNG" in pages[1]["message"] and "empty" in pages[2]["message"]
    assert b"Traceback" not in r.stderr


def test_broken_policy_exits_two_with_file_line_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: B\nlicensor: L\nterms_url: https://x.org/\nclauses:\n"
                   "  logo:\n    title: Logo\n    check: {logo: {srcc: [x]}}\n")
    r = cli("check", "examples/compliant.html", "--policy", str(bad))
    assert r.returncode == 2
    err = r.stderr.decode()
    assert f"{bad}:8" in err and "clauses.logo.check.logo.srcc" in err and "Traceback" not in err
    r = cli("policy", "validate", str(bad))
    assert r.returncode == 2 and "srcc" in r.stderr.decode()


def test_usage_errors_exit_two() -> None:
    assert cli("check", "examples").returncode == 2  # no policy
    assert cli("check", "examples", "--policy", "no-such-policy").returncode == 2
    assert cli("check", "examples", "--policy", "dcnf", "--format", "yaml").returncode == 2
    assert cli("check", "examples", "--policy", "dcnf", "--jobs", "0").returncode == 2


def test_color_only_when_asked_and_no_color_wins() -> None:
    assert b"\x1b[" in cli("check", "examples/compliant.html", "-p", "dcnf", "--color").stdout
    r = cli("check", "examples/compliant.html", "-p", "dcnf", env={"NO_COLOR": "1"})
    assert b"\x1b[" not in r.stdout


def test_jobs_give_identical_results() -> None:
    serial = cli("check", "examples", "rules/examples/dcnf", "-p", "dcnf", "--format", "json", "--jobs", "1")
    parallel = cli("check", "examples", "rules/examples/dcnf", "-p", "dcnf", "--format", "json", "--jobs", "2")
    assert json.loads(serial.stdout)["pages"] == json.loads(parallel.stdout)["pages"]


def test_policy_commands() -> None:
    listed = cli("policy", "list").stdout.decode()
    assert "dcnf" in listed
    shown = cli("policy", "show", "dcnf").stdout.decode()
    assert "logo" in shown and "byline" in shown and "affiliation" in shown
    assert cli("policy", "validate", "rules/dcnf.yaml").returncode == 0


def test_version_and_help() -> None:
    assert cli("--version").stdout.startswith(b"compliance ")
    assert b"check" in cli("--help").stdout


@pytest.mark.network
def test_url_input_from_a_local_server(tmp_path: Path) -> None:
    import http.server
    import threading

    (tmp_path / "page.html").write_bytes((EXAMPLES / "compliant.html").read_bytes())
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **k)  # noqa: E731
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        r = cli("check", f"{base}/page.html", f"{base}/missing.html", "-p", "dcnf", "--format", "json")
        pages = json.loads(r.stdout)["pages"]
        assert pages[0]["status"] == "pass" and pages[0]["source"] == f"{base}/page.html"
        assert pages[1]["status"] == "error" and "404" in pages[1]["message"]
    finally:
        server.shutdown()
        server.server_close()


def test_a_matched_original_makes_only_its_licensors_policy_apply() -> None:
    examples = REPO / "rules" / "examples" / "propublica"
    r = cli("check", str(examples / "pass-matches-original.html"), "-p", "dcnf", "-p", "propublica",
            "--original", str(examples / "originals" / "hospital-chain.html"), "--format", "json")
    status = {p["policy"]: p["status"] for p in json.loads(r.stdout)["pages"]}
    assert status["propublica"] != "not_applicable"
    assert status["dcnf"] == "not_applicable"

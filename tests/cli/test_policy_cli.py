"""``compliance policy test``, ``init``, ``show`` and ``schema`` as a user runs them."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.authoring.policytest import builtin_examples
from compliance.cli import app, main
from compliance.policy.builtin import builtin_names
from compliance.policy.load import load_policy

DCNF = builtin_examples() / "dcnf"


def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    """Run the real entry point (exit codes for policy errors come from ``main``)."""
    monkeypatch.setattr(sys, "argv", ["compliance", *args])
    with pytest.raises(SystemExit) as done:
        main()
    out = capsys.readouterr()
    return done.value.code, out.out, out.err


def test_policy_test_passes_on_every_builtin(monkeypatch, capsys) -> None:
    code, out, _ = cli(monkeypatch, capsys, "policy", "test")
    assert code == 0, out
    assert "0 failed" in out and "passed" in out


def test_policy_test_by_name_and_folder(monkeypatch, capsys) -> None:
    code, out, _ = cli(monkeypatch, capsys, "policy", "test", "propublica", str(DCNF), "-v")
    assert code == 0
    assert "ok    " in out and "fail-credit-at-bottom.html" in out and "fail-wrong-author.html" in out


def test_a_wrong_expectation_fails_with_a_readable_diff(tmp_path: Path, monkeypatch, capsys) -> None:
    page = tmp_path / "wrong.html"
    text = (DCNF / "fail-affiliation-missing.html").read_text(encoding="utf-8")
    page.write_text(text.replace("affiliation: fail", "affiliation: pass"), encoding="utf-8")
    shutil.copy(DCNF / "pass-standard.html", tmp_path / "right.html")
    code, out, _ = cli(monkeypatch, capsys, "policy", "test", str(tmp_path))
    assert code == 1
    assert "FAIL  " in out and "wrong.html" in out and "right.html" not in out
    assert "--- expected" in out and "+++ actual" in out
    assert "- affiliation: pass" in out and "+ affiliation: fail" in out
    assert "names Jane Doe but not the affiliation" in out  # the checker's own explanation
    assert "2 example(s): 1 passed, 1 failed" in out


def test_an_expected_clause_the_policy_lacks_is_a_mismatch(tmp_path: Path, monkeypatch, capsys) -> None:
    text = (DCNF / "pass-standard.html").read_text(encoding="utf-8")
    (tmp_path / "x.html").write_text(text.replace("expect: {", "expect: {pixel: pass, ", 1), encoding="utf-8")
    code, out, _ = cli(monkeypatch, capsys, "policy", "test", str(tmp_path))
    assert code == 1 and "+ pixel: missing" in out


def test_a_malformed_header_exits_2(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "bad.html").write_text("<!-- compliance-test\npolicy: dcnf\nexpect: {logo: maybe}\n-->\n<p>x</p>",
                                       encoding="utf-8")
    (tmp_path / "no-header.html").write_text("<p>An original page without a header is skipped.</p>",
                                             encoding="utf-8")
    code, out, err = cli(monkeypatch, capsys, "policy", "test", str(tmp_path))
    assert code == 2
    assert "bad.html" in err and "'maybe' is not a clause status" in err


def test_unknown_target_is_a_usage_error(monkeypatch, capsys) -> None:
    code, _, err = cli(monkeypatch, capsys, "policy", "test", "no-such-policy")
    assert code == 2 and "no-such-policy" in err


INIT_FLAGS = ["--id", "example-news", "--licensor", "Example News", "--terms-url", "https://example.org/republish",
              "--site", "https://www.example.org/", "--byline", "Author Name, Example News",
              "--credit", "This story was originally published by Example News", "--credit-position", "top",
              "--logo", "Example News", "--pixel", "example.org/pixel.gif"]


def test_init_from_flags_validates_and_passes_policy_test(tmp_path: Path, monkeypatch, capsys) -> None:
    code, out, _ = cli(monkeypatch, capsys, "policy", "init", *INIT_FLAGS, "--dir", str(tmp_path))
    assert code == 0, out
    policy_file = tmp_path / "example-news.yaml"
    assert policy_file.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    policy = load_policy(str(policy_file))
    assert {c.id for c in policy.clauses} == {"byline", "credit-line", "link", "logo", "pixel", "other-terms"}
    assert sorted(p.name for p in (tmp_path / "examples" / "example-news").iterdir()) == [
        "fail-example.html", "not-applicable-example.html", "pass-example.html"]
    code, out, _ = cli(monkeypatch, capsys, "policy", "test", str(policy_file))
    assert code == 0, out
    assert "3 example(s): 3 passed" in out
    code, _, err = cli(monkeypatch, capsys, "policy", "init", *INIT_FLAGS, "--dir", str(tmp_path))
    assert code == 2 and "already exists" in err


@pytest.mark.parametrize("position", ["bottom", "anywhere"])
def test_init_credit_positions(tmp_path: Path, monkeypatch, capsys, position: str) -> None:
    flags = [f if f != "top" else position for f in INIT_FLAGS]
    assert cli(monkeypatch, capsys, "policy", "init", *flags, "--dir", str(tmp_path))[0] == 0
    code, out, _ = cli(monkeypatch, capsys, "policy", "test", str(tmp_path / "example-news.yaml"))
    assert code == 0, out


def test_init_asks_for_what_is_missing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("compliance.cli.policy._interactive", lambda: True)  # as on a terminal
    answers = "\n".join(["Acme Wire", "", "https://acme.example/terms", "acme.example", "",
                         "Originally published by Acme Wire", "ACME logo, acme-wire", "", "bottom"]) + "\n"
    result = CliRunner().invoke(app, ["policy", "init", "--dir", str(tmp_path)], input=answers)
    assert result.exit_code == 0, result.output
    assert "Licensor" in result.output and "Policy id [acme-wire]" in result.output
    policy = load_policy(str(tmp_path / "acme-wire.yaml"))
    assert {c.id for c in policy.clauses} == {"byline", "credit-line", "link", "logo", "other-terms"}
    assert policy.terms_url == "https://acme.example/terms"


def test_init_without_input_needs_the_essentials(tmp_path: Path, monkeypatch, capsys) -> None:
    code, _, err = cli(monkeypatch, capsys, "policy", "init", "--no-input", "--licensor", "Solo", "--dir",
                       str(tmp_path))
    assert code == 2 and "policy init cannot ask (--no-input was given): give --terms-url" in err
    code, _, err = cli(monkeypatch, capsys, "policy", "init", "--no-input", "--licensor", "Solo", "--terms-url",
                       "ftp://x", "--dir", str(tmp_path))
    assert code == 2 and "http" in err


def test_show_reads_like_terms_for_a_partner(monkeypatch, capsys) -> None:
    code, out, _ = cli(monkeypatch, capsys, "policy", "show", "propublica")
    assert code == 0
    assert "Terms: https://www.propublica.org/steal-our-stories" in out
    assert out.index("You must:") < out.index("You should:") < out.index("The terms also say")
    assert "PixelPing" in out and "How: " in out
    code, details, _ = cli(monkeypatch, capsys, "policy", "show", "propublica", "--details")
    assert "[pixel, error]" in details and "Source: " in details and "(secondary)" in details


@pytest.mark.parametrize("name", builtin_names())
def test_show_has_no_checker_jargon(monkeypatch, capsys, name: str) -> None:
    code, out, _ = cli(monkeypatch, capsys, "policy", "show", name)
    assert code == 0 and "You must:" in out
    for jargon in ("primitive", "clause", "severity", "certainty", "--author", "element(s)", "not_applicable"):
        assert jargon not in out.lower(), jargon


def test_show_marks_secondary_readings(monkeypatch, capsys) -> None:
    _, out, _ = cli(monkeypatch, capsys, "policy", "show", "kff-health-news")
    assert "in the byline*" in out and "* Read from quotations" in out
    _, out, _ = cli(monkeypatch, capsys, "policy", "show", "dcnf")
    assert "Read from quotations" not in out


def test_schema_command(tmp_path: Path, monkeypatch, capsys) -> None:
    import json

    from compliance.authoring import schema_files

    code, out, _ = cli(monkeypatch, capsys, "policy", "schema")
    assert code == 0 and json.loads(out)["title"] == "compliance policy"
    code, out, _ = cli(monkeypatch, capsys, "policy", "schema", "--override")
    assert json.loads(out)["title"] == "compliance policy override"
    code, _, _ = cli(monkeypatch, capsys, "policy", "schema", "--check")
    assert code == 0
    written = schema_files.write(tmp_path)
    assert {p.name for p in written} == {"policy.schema.json", "override.schema.json"}
    assert schema_files.stale(tmp_path) == []
    (tmp_path / "policy.schema.json").write_text("{}", encoding="utf-8")
    assert schema_files.stale(tmp_path) == ["policy.schema.json"]


THREE_MISTAKES = """\
id: example-news
title: Example News terms
licensor: Example News
terms_url: https://example.org/republish
clauses:
  byline:
    title: Byline
    severty: error
    check:
      byline: {affiliation: ["Example News"]}
  link:
    title: Link
    check:
      link: {hre: "example.org"}
  credit:
    title: Credit
    severity: fatal
    check:
      text: {patterns: ["Example News"]}
"""


def test_a_policy_with_three_mistakes_reports_three_located_errors_in_one_run(monkeypatch, capsys, tmp_path) -> None:
    (tmp_path / "bad.yaml").write_text(THREE_MISTAKES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(monkeypatch, capsys, "policy", "validate", "bad.yaml")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "compliance: policy error: bad.yaml:8:5: clauses.byline.severty: unknown key 'severty' "
        "(did you mean 'severity'?)",
        "compliance: policy error: bad.yaml:14:14: clauses.link.check.link.hre: unknown key 'hre' "
        "(did you mean 'href'?)",
        "compliance: policy error: bad.yaml:17:5: clauses.credit.severity: 'fatal' is not one of: error, warning, "
        "info",
        "compliance: 3 problems in bad.yaml",
    ]


def test_validate_checks_every_file_it_is_given(monkeypatch, capsys, tmp_path) -> None:
    (tmp_path / "bad.yaml").write_text(THREE_MISTAKES, encoding="utf-8")
    (tmp_path / "worse.yaml").write_text("id: Bad_Id\ntitle: x\nlicensor: x\nterms_url: ftp://x\nclauses: {}\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(monkeypatch, capsys, "policy", "validate", "worse.yaml", "dcnf", "bad.yaml")
    assert code == 2
    assert out == "ok: dcnf (policy dcnf, 3 clauses)\n"
    assert err.count("bad.yaml:") == 3
    assert "worse.yaml:1:1: id: 'Bad_Id' must be lowercase letters and digits, words joined by '-' or '.'" in err
    assert "worse.yaml:4:1: terms_url: 'ftp://x' is not a URL starting with http:// or https://" in err
    assert "worse.yaml:5:1: clauses: " in err
    assert err.splitlines()[-1] == "compliance: 6 problems in worse.yaml, bad.yaml"


def test_validate_reads_an_override_file_as_one(monkeypatch, capsys, tmp_path) -> None:
    """An override is checked whole, and against the built-in policy it names, not as a policy lacking an id."""
    (tmp_path / "site.yaml").write_text("policy: dcnf\nclauses:\n  logo: {severity: warning}\n")
    (tmp_path / "typo.yaml").write_text("policy: dcnf\nclauses:\n  logoo: {severity: warning}\n"
                                        "  byline: {severty: info}\n")
    (tmp_path / "own.yaml").write_text("policy: our-terms\nclauses:\n  credit: {severity: info}\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(monkeypatch, capsys, "policy", "validate", "site.yaml", "typo.yaml", "own.yaml")
    assert code == 2
    assert out == "ok: site.yaml (override of dcnf)\nok: own.yaml (override of our-terms)\n"
    assert err.splitlines() == [
        "compliance: policy error: typo.yaml:3:3: clauses.logoo: there is no clause 'logoo' to change (did you mean "
        "'logo'?) (clauses: logo, byline, affiliation); a new clause needs at least title and check",
        "compliance: policy error: typo.yaml:4:12: clauses.byline.severty: unknown key 'severty' "
        "(did you mean 'severity'?)",
        "compliance: 2 problems in typo.yaml"]


def test_init_without_a_terminal_never_asks(tmp_path: Path, monkeypatch, capsys) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # a pipe or /dev/null: not a terminal
    code, out, err = cli(monkeypatch, capsys, "policy", "init", "--dir", str(tmp_path))
    assert code == 2 and out == ""
    assert err == ("compliance: error: policy init cannot ask (standard input is not a terminal): give --licensor "
                   "and --terms-url (the rest have defaults; see `compliance policy init --help`)\n")
    code, out, err = cli(monkeypatch, capsys, "policy", "init", "--licensor", "Acme Wire", "--terms-url",
                         "https://acme.example/terms", "--credit", "From Acme Wire", "--dir", str(tmp_path))
    assert code == 0, err
    assert "Policy id" not in out  # nothing was asked
    policy = load_policy(str(tmp_path / "acme-wire.yaml"))
    assert {"byline", "credit-line"} <= {c.id for c in policy.clauses}


def test_init_schema_reference_survives_a_reinstall(tmp_path: Path, monkeypatch, capsys) -> None:
    code, out, _ = cli(monkeypatch, capsys, "policy", "init", *INIT_FLAGS, "--dir", str(tmp_path))
    assert code == 0
    first = (tmp_path / "example-news.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=policy.schema.json"
    schema = tmp_path / "policy.schema.json"
    assert f"wrote {schema}" in out
    from compliance.authoring.schema_files import dumps, generated
    assert schema.read_text(encoding="utf-8") == dumps(generated()["policy.schema.json"])


def test_init_rejects_an_unknown_credit_position_before_writing(tmp_path: Path, monkeypatch, capsys) -> None:
    code, _, err = cli(monkeypatch, capsys, "policy", "init", "--licensor", "X", "--terms-url", "https://x.org",
                       "--credit-position", "middle", "--dir", str(tmp_path))
    assert code == 2 and "'middle' is not one of 'top', 'bottom', 'anywhere'" in err
    assert not list(tmp_path.iterdir())

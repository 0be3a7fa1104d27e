"""Every mistake in a policy, override, baseline or example header is reported in one run, each at its place."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.authoring.example_pages import read_example
from compliance.ci.baseline import load as load_baseline
from compliance.errors import ConfigError, PolicyError
from compliance.policy.load import parse_policy
from compliance.runner import load_policies

HEAD = "id: example\ntitle: Example terms\nlicensor: Example\nterms_url: https://example.org/terms\nclauses:\n"
# one clause: 5 lines; the line (0-based within the clause) each mistake lands on, and what the message says
CLAUSE = "  c{n}:\n    title: Clause {n}\n    severity: {severity}\n    check:\n      text: {{{key}: [{pattern}]}}\n"
MISTAKES = {
    "misspelt key": (dict(key="patern"), 4, "did you mean 'patterns'?"),
    "bad severity": (dict(severity="fatal"), 2, "'fatal' is not one of: error, warning, info"),
    "bad regex": (dict(pattern="'/(unclosed/'"), 4, "invalid regular expression"),
}


def _policy(mistakes: list[str | None]) -> str:
    out = HEAD
    for n, mistake in enumerate(mistakes):
        fields = {"n": n, "severity": "error", "key": "patterns", "pattern": "Example"}
        if mistake:
            fields.update(MISTAKES[mistake][0])
        out += CLAUSE.format(**fields)
    return out


@given(st.lists(st.sampled_from([None, *MISTAKES]), min_size=1, max_size=8))
def test_each_broken_clause_is_one_located_problem(mistakes: list[str | None]) -> None:
    text = _policy(mistakes)
    broken = [(n, m) for n, m in enumerate(mistakes) if m]
    if not broken:
        assert len(parse_policy(text, "p.yaml").clauses) == len(mistakes)
        return
    with pytest.raises(PolicyError) as err:
        parse_policy(text, "p.yaml")
    problems = err.value.problems
    assert len(problems) == len(broken), str(err.value)
    for problem, (n, mistake) in zip(problems, broken):
        _, offset, words = MISTAKES[mistake]
        assert problem.file == "p.yaml"
        assert problem.line == 6 + 5 * n + offset, str(err.value)
        assert problem.key.startswith(f"clauses.c{n}.")
        assert words in problem.message


def test_one_file_over_several_lines_reads_in_file_order() -> None:
    with pytest.raises(PolicyError) as err:
        parse_policy(_policy(["bad severity", None, "misspelt key"]), "p.yaml")
    assert [p.line for p in err.value.problems] == [8, 20]
    assert str(err.value).splitlines()[0].startswith("p.yaml:8:5: clauses.c0.severity: ")


def test_a_misspelt_required_key_is_one_problem_not_two() -> None:
    with pytest.raises(PolicyError) as err:
        parse_policy(HEAD.replace("licensor:", "licenser:") + CLAUSE.format(n=0, severity="error", key="patterns",
                                                                         pattern="x"), "p.yaml")
    assert [str(p) for p in err.value.problems] == [
        "p.yaml:3:1: licenser: unknown key 'licenser' (did you mean 'licensor'?)"]


def test_every_problem_across_override_files(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text("policy: dcnf\nclauses:\n  logo:\n    severty: warning\n"
                                     "    check: {logo: {withn: '.header'}}\n  affiliation: {severity: fatal}\n")
    (tmp_path / "b.yaml").write_text("policy: dcnf\nclauses:\n  bylin: {severity: info}\n")
    with pytest.raises(PolicyError) as err:
        load_policies(["dcnf"], [str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")])
    lines = str(err.value).splitlines()
    assert len(lines) == 4, lines
    assert lines[0].endswith("a.yaml:4:5: clauses.logo.severty: unknown key 'severty' (did you mean 'severity'?)")
    assert lines[1].endswith("a.yaml:5:20: clauses.logo.check.logo.withn: unknown key 'withn' "
                             "(did you mean 'within'?)")
    assert lines[2].endswith("a.yaml:6:17: clauses.affiliation.severity: 'fatal' is not one of: error, warning, info")
    assert "b.yaml:3:3: clauses.bylin: there is no clause 'bylin' to change (did you mean 'byline'?)" in lines[3]


def test_every_problem_in_a_baseline(tmp_path) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"version": 1, "entrys": [], "entries": [
        {"page": "a.html", "policy": "p", "clause": "c", "fingerprint": ""},
        {"page": "a.html", "policy": "p", "clause": "c", "fingerprint": "f", "evidense": []}]}))
    with pytest.raises(ConfigError) as err:
        load_baseline(path)
    assert [p.key for p in err.value.problems] == ["entrys", "entries[0].fingerprint", "entries[1].evidense"]
    assert "did you mean 'entries'?" in str(err.value) and "did you mean 'evidence'?" in str(err.value)


def test_example_header_problems_carry_the_pages_line_numbers(tmp_path) -> None:
    page = tmp_path / "ex.html"
    page.write_text("<!doctype html>\n<html><head><title>x</title></head>\n<!-- compliance-test\npolicy: dcnf\n"
                    "expects: {logo: pass}\nabout: x\n-->\n<body></body></html>\n")
    with pytest.raises(PolicyError) as err:
        read_example(page)
    assert [str(p).split(str(tmp_path))[-1] for p in err.value.problems] == [
        "/ex.html:5:1: compliance-test expects: unknown key 'expects' (did you mean 'expect'?) "
        "(a header has policy, authors, original, expect, about)"]
    page.write_text("<p>\n<!-- compliance-test\npolicy: dcnf\nexpect: {logo: pas}\n-->\n")
    with pytest.raises(PolicyError) as err:
        read_example(page)
    assert err.value.line == 4 and "did you mean 'pass'?" in err.value.problem

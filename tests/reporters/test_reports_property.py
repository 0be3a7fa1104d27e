"""Whatever text a page puts in a result, every report stays well-formed and nothing in the HTML can run."""

from __future__ import annotations

import json

from conftest import SHARED
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from report_checks import assert_inert, assert_markdown_safe
from report_samples import FIXED

from compliance.reporters import render
from compliance.results.model import (
    ClauseResult,
    ClauseStatus,
    Evidence,
    PageResult,
    PageStatus,
    PolicyRef,
    RunResult,
    Severity,
)

PAYLOADS = ['"><img src=x onerror=alert(1)>', "<script>alert(1)</script>", "javascript:alert(1)",
            " jAvAsCrIpT:alert(1)", "https://ok.example/", "]]>", "\x00\x0b\x1b", "%0A::error::x", "\r\n::warning::",
            "| a | b |", "`code` ``x``", "<!--", "&amp;", "@someone", "[x](javascript:alert(1))"]
text = st.one_of(st.text(max_size=40), st.sampled_from(PAYLOADS),
                 st.lists(st.sampled_from(PAYLOADS), max_size=3).map("".join))
evidence = st.builds(Evidence, note=text, line=st.one_of(st.none(), st.integers(0, 10**6)),
                     xpath=st.one_of(st.none(), text), css=st.one_of(st.none(), text),
                     snippet=st.one_of(st.none(), text), text=st.one_of(st.none(), text))
clause = st.builds(ClauseResult, id=text, title=text, status=st.sampled_from(ClauseStatus),
                   severity=st.sampled_from(Severity), message=text, remediation=text, term=text,
                   evidence=st.lists(evidence, max_size=2).map(tuple))
policy = st.builds(PolicyRef, id=text, title=text, licensor=text, terms_url=text)


@st.composite
def runs(draw) -> RunResult:
    policies = draw(st.lists(policy, min_size=1, max_size=2))
    pages = draw(st.lists(
        st.builds(PageResult, source=text, policy=st.sampled_from(policies), status=st.sampled_from(PageStatus),
                  clauses=st.lists(clause, max_size=3).map(tuple), message=text,
                  context=st.fixed_dictionaries({"authors": st.lists(text, max_size=2)})),
        max_size=3))
    return RunResult(pages=tuple(pages), policies=tuple(policies), tool_version=draw(text))


@given(runs())
def test_html_never_carries_anything_executable(run: RunResult) -> None:
    assert_inert(render("html", run, FIXED))


_XSD = SHARED / "schemas" / "junit.xsd"
_JUNIT_SCHEMA = etree.XMLSchema(etree.parse(str(_XSD))) if _XSD.exists() else None


@given(runs())
def test_junit_is_well_formed_xml(run: RunResult) -> None:
    root = etree.fromstring(render("junit", run, FIXED).encode("utf-8"))
    cases = [c for suite in root.findall("testsuite") if suite.get("name") != "applicability"
             for c in suite.findall("testcase")]
    assert len(cases) == sum(max(len(p.clauses), 1) for p in run.pages)
    applicability = root.findall("testsuite[@name='applicability']/testcase")
    summary = run.summary()
    said = bool(run.pages) and (summary["empty"] or 0 in summary["applicable"].values())
    assert len(applicability) == (1 if said else 0)
    if _JUNIT_SCHEMA is not None:  # the strict schema too, when ../shared is there
        assert _JUNIT_SCHEMA.validate(root), str(_JUNIT_SCHEMA.error_log)


@given(runs())
def test_sarif_is_json_with_one_run(run: RunResult) -> None:
    log = json.loads(render("sarif", run, FIXED))
    (sarif_run,) = log["runs"]
    ids = [r["id"] for r in sarif_run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids))
    for result in sarif_run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]


@given(runs())
def test_markdown_keeps_its_shape(run: RunResult) -> None:
    assert_markdown_safe(render("markdown", run, FIXED))


@given(runs())
def test_github_annotations_are_one_line_each_and_end_with_the_summary(run: RunResult) -> None:
    lines = render("github", run, FIXED).split("\n")
    assert lines[-1] == ""
    assert all(line.startswith(("::error", "::warning", "::notice")) for line in lines[:-1])
    assert lines[-2].startswith(("::error title=compliance%3A check failed::", "::notice title=compliance%3A",
                                 "::warning title=compliance%3A nothing checked::"))
    assert ("nothing checked::" in lines[-2]) == run.summary()["empty"] or "check failed::" in lines[-2]

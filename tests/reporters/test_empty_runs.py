"""A run in which no page was a republication says so in every format, and --fail-on-empty fails it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from cli_runner import run_cli
from conftest import REPO
from lxml import etree

UNRELATED = str(REPO / "examples" / "unrelated.html")
COMPLIANT = str(REPO / "examples" / "compliant.html")
SCHEMA = json.loads((REPO / "compliance" / "schema" / "results.schema.json").read_text())
NOTE = "No page was a republication under propublica"


def check(*args: str, cwd: Path | None = None):
    return run_cli("check", *args, "--no-config", cwd=cwd)


@pytest.mark.parametrize("fmt,marker", [
    ("text", "nothing was checked against the license terms"),
    ("markdown", "## ➖ License compliance: nothing checked, no page was a republication"),
    ("github", "::warning title=compliance%3A nothing checked::"),
    ("html", "Nothing was checked against the license terms"),
    ("junit", 'testsuite name="applicability"'),
])
def test_every_format_says_nothing_was_checked(fmt: str, marker: str) -> None:
    ran = check(UNRELATED, "-p", "propublica", "--format", fmt)
    assert ran.code == 0, ran.err
    assert marker in ran.out
    assert NOTE in ran.out
    assert "check passed" not in ran.out and "every page checked meets" not in ran.out


def test_json_jsonl_and_sarif_carry_the_counts() -> None:
    data = check(UNRELATED, "-p", "propublica", "--format", "json").json()
    jsonschema.validate(data, SCHEMA)
    assert data["summary"]["empty"] is True
    assert data["summary"]["applicable"] == {"propublica": 0}
    assert data["summary"]["not_republications"] == 1
    lines = [json.loads(line) for line in check(UNRELATED, "-p", "propublica", "--format", "jsonl").out.splitlines()]
    summary = lines[-1]
    assert summary["type"] == "summary" and summary["summary"]["empty"] is True
    assert summary["summary"]["applicable"] == {"propublica": 0} and summary["summary"]["not_republications"] == 1
    sarif = check(UNRELATED, "-p", "propublica", "--format", "sarif").json()
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["level"] == "warning" and NOTE in notes[0]["message"]["text"]


def test_html_headline_is_not_green() -> None:
    page = etree.HTML(check(UNRELATED, "-p", "propublica", "--format", "html").out)
    banner = page.xpath("//header[contains(@class,'banner')]")[0]
    assert "empty" in banner.get("class") and "passed" not in banner.get("class")
    assert page.xpath("//*[@data-applicability]")


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "junit", "sarif", "github", "markdown", "html"])
def test_fail_on_empty_fails_the_run_whatever_the_format(fmt: str) -> None:
    assert check(UNRELATED, "-p", "propublica", "--format", fmt, "--fail-on-empty").code == 1


def test_fail_on_empty_marks_the_reports() -> None:
    junit = check(UNRELATED, "-p", "propublica", "--format", "junit", "--fail-on-empty").out
    assert '<failure message="No page was a republication' in junit and 'type="fail-on-empty"' in junit
    sarif = check(UNRELATED, "-p", "propublica", "--format", "sarif", "--fail-on-empty").json()
    assert sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["level"] == "error"
    github = check(UNRELATED, "-p", "propublica", "--format", "github", "--fail-on-empty").out
    assert github.startswith("::error title=compliance%3A no republication::")


def test_fail_on_empty_counts_each_page_not_only_the_run() -> None:
    # one page is a DCNF republication, the other none: a CI job that knows both are must fail
    ran = check(COMPLIANT, UNRELATED, "-p", "dcnf", "--fail-on-empty")
    assert ran.code == 1
    assert "1 page(s) are republications under none of the policies" in ran.out
    assert check(COMPLIANT, "-p", "dcnf", "--fail-on-empty").code == 0


def test_several_policies_name_the_one_that_applied_to_nothing() -> None:
    ran = check(COMPLIANT, "-p", "dcnf", "-p", "propublica")
    assert ran.code == 0
    assert "No page was a republication under propublica (0 of 1 page(s))." in ran.out
    assert "nothing was checked" not in ran.out
    assert check(COMPLIANT, "-p", "dcnf", "-p", "propublica", "--fail-on-empty").code == 0  # dcnf applied


def test_fail_on_empty_from_the_configuration_file(tmp_path: Path) -> None:
    (tmp_path / "compliance.toml").write_text(f'policies = ["propublica"]\nfail-on-empty = true\n'
                                              f'paths = ["{UNRELATED}"]\n', encoding="utf-8")
    assert run_cli("check", cwd=tmp_path).code == 1
    (tmp_path / "compliance.toml").write_text('fail-on-empty = "yes"\n', encoding="utf-8")
    ran = run_cli("check", cwd=tmp_path)
    assert ran.code == 2 and "fail-on-empty" in ran.err and "true or false" in ran.err


def test_every_format_is_covered() -> None:
    from compliance.reporters import REPORTERS

    # a new format must say so too: add it to the tests above
    assert set(REPORTERS) == {"text", "json", "jsonl", "html", "markdown", "junit", "sarif", "github"}

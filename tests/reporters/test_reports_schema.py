"""SARIF and JUnit output validate against the official schemas in ../shared/schemas (skipped when absent)."""

from __future__ import annotations

import json
from functools import lru_cache

import pytest
from conftest import require_shared
from lxml import etree
from report_samples import FIXED, hostile_run, sample_run

from compliance.reporters import ReportOptions, render
from compliance.results.model import RunResult


@lru_cache(maxsize=1)
def _sarif_validator():
    import jsonschema

    schema = json.loads(require_shared("schemas", "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


@lru_cache(maxsize=1)
def _junit_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(require_shared("schemas", "junit.xsd"))))


def sarif_errors(text: str) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _sarif_validator().iter_errors(json.loads(text))]


def junit_errors(text: str) -> list[str]:
    schema = _junit_schema()
    ok = schema.validate(etree.fromstring(text.encode("utf-8")))
    return [] if ok else [str(e) for e in schema.error_log]


RUNS = {"sample": sample_run, "hostile": hostile_run, "empty": lambda: RunResult(pages=(), policies=())}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_sarif_validates(name: str) -> None:
    _sarif_validator()  # skips first when ../shared is absent
    assert sarif_errors(render("sarif", RUNS[name](), FIXED)) == []


@pytest.mark.parametrize("name", sorted(RUNS))
def test_junit_validates(name: str) -> None:
    _junit_schema()
    assert junit_errors(render("junit", RUNS[name](), FIXED)) == []


def test_junit_validates_without_injected_time_or_host() -> None:
    _junit_schema()
    assert junit_errors(render("junit", sample_run(), ReportOptions())) == []


def test_sarif_maps_clauses_to_rules_and_severities_to_levels() -> None:
    log = json.loads(render("sarif", sample_run(), FIXED))
    (run,) = log["runs"]
    assert log["version"] == "2.1.0"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert {"dcnf/logo", "dcnf/affiliation", "demo/credit", "demo/pixel"} <= set(rules)
    affiliation = rules["dcnf/affiliation"]
    assert affiliation["helpUri"] == "https://dailycallernewsfoundation.org/"
    assert affiliation["shortDescription"]["text"] == "Reporter's DCNF affiliation"
    assert affiliation["defaultConfiguration"]["level"] == "error"
    assert rules["demo/pixel"]["defaultConfiguration"]["level"] == "note"
    results = {(r["ruleId"], r["properties"]["status"]): r for r in run["results"]}
    assert sorted(results) == [("dcnf/affiliation", "fail"), ("dcnf/byline", "baselined"), ("dcnf/logo", "review"),
                               ("dcnf/logo", "waived"), ("demo/credit", "fail"), ("demo/headline", "error"),
                               ("demo/pixel", "fail")]
    results = {key: r for (key, status), r in results.items() if status in ("fail", "review")}
    assert results["dcnf/affiliation"]["level"] == "error"
    assert results["demo/credit"]["level"] == "warning"
    assert results["demo/pixel"]["level"] == "note"
    review = results["dcnf/logo"]
    assert review["level"] == "note" and review["properties"]["status"] == "review"
    assert review["message"]["text"].startswith("Needs review")
    loc = results["dcnf/affiliation"]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "site/fail.html"
    assert loc["region"] == {"startLine": 15, "startColumn": 3, "snippet": {"text": '<p class="byline">By Jane Doe</p>'}}
    for r in run["results"]:  # ruleIndex points at the rule with that id
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    assert run["invocations"][0]["executionSuccessful"] is False  # a page could not be read
    assert any("does not exist" in n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"])


def test_sarif_artifact_uris() -> None:
    from compliance.reporters.sarif import artifact_uri

    assert artifact_uri("site/a b.html") == "site/a%20b.html"
    assert artifact_uri("site\\x.html") == "site/x.html"
    assert artifact_uri("/srv/é.html") == "file:///srv/%C3%A9.html"
    assert artifact_uri("https://ex.com/a?b=1") == "https://ex.com/a?b=1"


def test_sarif_reports_waived_and_baselined_failures_as_suppressed() -> None:
    (run,) = json.loads(render("sarif", sample_run(), FIXED))["runs"]
    excused = {r["properties"]["status"]: r for r in run["results"] if "suppressions" in r}
    assert set(excused) == {"waived", "baselined"}
    (waiver,) = excused["waived"]["suppressions"]
    assert waiver["kind"] == "external" and waiver["status"] == "accepted"
    assert "Print-only edition" in waiver["justification"]
    assert excused["baselined"]["baselineState"] == "unchanged"

"""SARIF for code scanning across runs: baseline states, suppressions and fingerprints, from a real CI run.

The site has one waived, one baselined and one new failure (and a baseline entry that is fixed). The log
must validate against the official SARIF 2.1.0 schema (../shared/schemas), excuse the first two with
accepted suppressions, mark them ``unchanged``/``new``, report the fixed entry as ``absent``, and give every
result a fingerprint that does not move when lines do.
"""

from __future__ import annotations

import json

import pytest
from ci_kit import BAD_CREDIT, GOOD, NO_LOGO, SITE_CONFIG, cli, make_site, page  # noqa: F401
from test_reports_schema import sarif_errors

WAIVER = """\
waivers:
  - page: public/waived.html
    policy: example
    clause: logo
    reason: The partner's CMS drops the logo until the redesign ships.
    approved_by: Dana Editor
    expires: 2099-12-31
"""


@pytest.fixture
def site(tmp_path, cli):  # noqa: F811
    root = make_site(tmp_path / "site", {"waived.html": NO_LOGO, "baselined.html": BAD_CREDIT,
                                         "fixed.html": BAD_CREDIT, "ok.html": GOOD},
                     SITE_CONFIG + 'fail-on = "warning"\nbaseline = "compliance-baseline.json"\n'
                                   'waivers = "compliance-waivers.yaml"\n')
    (root / "compliance-waivers.yaml").write_text(WAIVER, encoding="utf-8")
    assert cli(root, "check", "--write-baseline", "compliance-baseline.json").code == 0
    (root / "public" / "fixed.html").write_text(GOOD, encoding="utf-8")
    (root / "public" / "new.html").write_text(NO_LOGO, encoding="utf-8")
    return root


def _sarif(site, cli) -> tuple[dict, dict]:  # noqa: F811
    ran = cli(site, "check", "--format", "sarif")
    assert ran.code == 1, ran.err  # the new failure fails the run
    log = json.loads(ran.out)
    by_page = {r["properties"]["source"].rsplit("/", 1)[-1]: r for r in log["runs"][0]["results"]}
    return log, by_page


def test_waived_baselined_and_new_failures(site, cli):  # noqa: F811
    log, results = _sarif(site, cli)
    assert sarif_errors(json.dumps(log)) == []
    assert set(results) == {"waived.html", "baselined.html", "new.html", "fixed.html"}

    waived, baselined, new = results["waived.html"], results["baselined.html"], results["new.html"]
    assert [s["status"] for s in waived["suppressions"]] == ["accepted"]
    assert "Dana Editor" in waived["suppressions"][0]["justification"]
    assert [s["kind"] for s in baselined["suppressions"]] == ["external"]
    assert "suppressions" not in new
    assert baselined["baselineState"] == "unchanged"
    assert new["baselineState"] == "new"
    assert waived["baselineState"] == "new"  # waivers come first: a waived failure is never in the baseline
    assert (waived["level"], baselined["level"], new["level"]) == ("warning", "error", "warning")

    fixed = results["fixed.html"]
    assert (fixed["baselineState"], fixed["kind"], fixed["level"]) == ("absent", "pass", "none")
    assert fixed["suppressions"][0]["status"] == "accepted"  # code scanning must not reopen it as an alert

    prints = [r["partialFingerprints"]["complianceFingerprint/v1"] for r in results.values()]
    assert all(len(p) == 20 for p in prints) and len(set(prints)) == 4
    recorded = {e["fingerprint"] for e in json.loads((site / "compliance-baseline.json").read_text())["entries"]}
    assert baselined["partialFingerprints"]["complianceFingerprint/v1"] in recorded
    assert fixed["partialFingerprints"]["complianceFingerprint/v1"] in recorded

    driver = log["runs"][0]["tool"]["driver"]
    assert driver["informationUri"].startswith("https://")
    rules = {r["id"]: r for r in driver["rules"]}
    assert rules["example/credit"]["helpUri"] == "https://example.org/terms"


def test_a_clause_gone_from_the_policy_is_still_a_rule_with_the_terms(site, cli):  # noqa: F811
    path = site / "compliance-baseline.json"
    baseline = json.loads(path.read_text())
    baseline["entries"].append({**baseline["entries"][0], "clause": "retired", "fingerprint": "0" * 20})
    path.write_text(json.dumps(baseline))
    log, _ = _sarif(site, cli)
    assert sarif_errors(json.dumps(log)) == []
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["example/retired"]["helpUri"] == "https://example.org/terms"
    (gone,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "example/retired"]
    assert gone["baselineState"] == "absent"


def test_fingerprints_survive_moved_lines(site, cli):  # noqa: F811
    _, before = _sarif(site, cli)
    moved = page(credit="Courtesy of somebody else", before="<nav>\n<a href='/'>Home</a>\n</nav>\n" * 5)
    (site / "public" / "baselined.html").write_text(moved, encoding="utf-8")
    _, after = _sarif(site, cli)
    start = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in (before["baselined.html"],
                                                                                    after["baselined.html"])]
    assert start[0] != start[1]
    assert before["baselined.html"]["partialFingerprints"] == after["baselined.html"]["partialFingerprints"]
    assert after["baselined.html"]["baselineState"] == "unchanged"


def test_no_baseline_state_without_a_baseline(site, cli):  # noqa: F811
    ran = cli(site, "check", "--no-config", "public", "--policy", "policy.yaml", "--format", "sarif")
    results = json.loads(ran.out)["runs"][0]["results"]
    assert results and all("baselineState" not in r for r in results)
    assert all("complianceFingerprint/v1" in r["partialFingerprints"] for r in results)

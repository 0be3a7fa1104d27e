"""Waivers: reviewed, expiring exceptions; the day boundary, unmatched waivers, malformed files, and the full story."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from ci_kit import (  # noqa: F401
    BAD_CREDIT,
    GOOD,
    NO_LOGO,
    SITE_CONFIG,
    clause,
    cli,
    make_site,
    page,
)

import compliance
from compliance.ci.waivers import load as load_waivers
from compliance.errors import ConfigError

SCHEMA = json.loads((Path(compliance.__file__).parent / "schema" / "results.schema.json").read_text("utf-8"))
WAIVER = """\
waivers:
  - page: public/b.html
    policy: example
    clause: credit
    reason: The partner agreed to a credit in the footer until the redesign ships.
    approved_by: Dana Editor
    expires: 2025-03-31
"""


@pytest.fixture
def site(tmp_path):
    root = make_site(tmp_path / "site", {"a.html": GOOD, "b.html": BAD_CREDIT},
                     SITE_CONFIG + 'waivers = "waivers.yaml"\n')
    (root / "waivers.yaml").write_text(WAIVER)
    return root


def on(day: str) -> dict[str, str]:
    return {"COMPLIANCE_TODAY": day}


def test_valid_waiver_waives_and_passes(site, cli):
    ran = cli(site, "check", env=on("2025-03-01"))
    assert ran.code == 0, ran.out + ran.err
    assert "waived" in ran.out
    assert "waived through 2025-03-31 by Dana Editor (waivers.yaml:2): The partner agreed" in ran.out
    assert "Failures: 0 new, 0 baselined, 1 waived, 0 with an expired waiver." in ran.out
    report = cli(site, "check", "--format", "json", env=on("2025-03-01")).json()
    credit = clause(report, "b.html", "credit")
    assert credit["status"] == "waived"
    assert credit["suppression"] == {"kind": "waiver", "file": "waivers.yaml", "line": 2, "expired": False,
                                     "reason": "The partner agreed to a credit in the footer until the redesign "
                                               "ships.", "approved_by": "Dana Editor", "expires": "2025-03-31"}
    assert report["summary"]["failures"]["waived"] == 1
    assert [p["status"] for p in report["pages"]] == ["pass", "pass"]
    jsonschema.validate(report, SCHEMA)


def test_still_valid_on_the_expiry_day_itself(site, cli):
    assert cli(site, "check", env=on("2025-03-31")).code == 0


def test_expired_the_day_after(site, cli):
    ran = cli(site, "check", env=on("2025-04-01"))
    assert ran.code == 1
    assert ("The waiver for this failure expired: it was valid through 2025-03-31 (approved by Dana Editor; "
            "waivers.yaml:2).") in ran.out
    assert "Failures: 0 new, 0 baselined, 0 waived, 1 with an expired waiver." in ran.out
    report = cli(site, "check", "--format", "json", env=on("2025-04-01")).json()
    credit = clause(report, "b.html", "credit")
    assert credit["status"] == "fail" and credit["suppression"]["expired"] is True
    assert report["summary"]["failures"]["expired"] == 1


def test_real_today_is_utc(site, cli, monkeypatch):
    from compliance.ci import waivers

    assert waivers.today() == __import__("datetime").datetime.now(__import__("datetime").timezone.utc).date()
    monkeypatch.setenv("COMPLIANCE_TODAY", "2025-02-30")
    with pytest.raises(Exception, match="not a date"):
        waivers.today()


def test_bad_injected_date_is_a_usage_error(site, cli):
    ran = cli(site, "check", env=on("31/03/2025"))
    assert ran.code == 2 and "COMPLIANCE_TODAY" in ran.err


def test_unmatched_waiver_is_reported(site, cli):
    (site / "waivers.yaml").write_text(WAIVER + """\
  - page: public/a.html
    policy: example
    clause: credit
    reason: Obsolete.
    approved_by: Dana Editor
    expires: 2025-06-30
  - page: public/gone/*.html
    policy: example
    clause: logo
    reason: Section removed.
    approved_by: Dana Editor
    expires: 2025-06-30
""")
    ran = cli(site, "check", env=on("2025-03-01"))
    assert ran.code == 0
    assert "Waivers that excuse nothing (2): waivers.yaml:8 public/a.html example/credit (example/credit does " \
           "not fail on any matching page); waivers.yaml:14 public/gone/*.html example/logo (no file matches its " \
           "page pattern)." in ran.out
    unmatched = cli(site, "check", "--format", "json", env=on("2025-03-01")).json()["suppressions"]["unmatched_waivers"]
    assert [w["line"] for w in unmatched] == [8, 14]
    jsonschema.validate(cli(site, "check", "--format", "json", env=on("2025-04-01")).json(), SCHEMA)


def test_a_run_over_some_pages_reports_no_waivers_for_the_others(site, cli):
    # pre-commit checks the files a commit changes: waivers for the site's other pages are not stale
    (site / "waivers.yaml").write_text(WAIVER + """\
  - page: public/gone.html
    policy: example
    clause: credit
    reason: Removed page.
    approved_by: Dana Editor
    expires: 2025-06-30
  - page: https://partner.example/**
    policy: example
    clause: credit
    reason: A partner's copies.
    approved_by: Dana Editor
    expires: 2025-06-30
""")
    ran = cli(site, "check", "public/a.html", "--format", "json", env=on("2025-03-01"))
    assert ran.code == 0
    unmatched = ran.json()["suppressions"]["unmatched_waivers"]
    assert [(w["page"], w["why"]) for w in unmatched] == [("public/gone.html", "no file matches its page pattern")]


def test_markers_in_the_page_are_never_waivers(site, cli):
    (site / "waivers.yaml").write_text("waivers: []\n")
    sneaky = page(credit="Courtesy of somebody else",
                  before='<!-- compliance: waive example/credit reason="ok" approved_by="x" expires=2099-01-01 -->\n'
                         '<!-- compliance-disable credit -->\n<!-- noqa -->\n',
                  extra='<div data-compliance-waiver="example/credit" data-waive="credit" class="compliance-waived">'
                        '</div>\n')
    (site / "public" / "b.html").write_text(sneaky)
    ran = cli(site, "check", "--format", "json", env=on("2025-03-01"))
    assert ran.code == 1
    assert clause(ran.json(), "b.html", "credit")["status"] == "fail"


def test_every_mistake_in_a_waiver_file_is_reported_in_one_run(site, cli):
    (site / "waivers.yaml").write_text(
        "waivers:\n  - page: public/a.html\n    policy: example\n    clause: credit\n    reason: r\n"
        "    aproved_by: Dana\n    expires: 2025-13-01\n"
        "  - page: public/b.html\n    policy: example\n    clause: logo\n    reason: ''\n"
        "    approved_by: Dana\n    expires: 2025-05-01\n")
    ran = cli(site, "check", env=on("2025-01-01"))
    assert ran.code == 2 and ran.out == ""
    problems = [line for line in ran.err.splitlines() if line.startswith("compliance: error: waivers.yaml:")]
    assert problems == [
        "compliance: error: waivers.yaml:6:5: waivers[0].aproved_by: unknown key (did you mean 'approved_by'?) "
        "(a waiver has page, policy, clause, reason, approved_by, expires)",
        "compliance: error: waivers.yaml:7:5: waivers[0].expires: '2025-13-01' is not a calendar date: use YYYY-MM-DD",
        "compliance: error: waivers.yaml:11:5: waivers[1].reason: must be a non-empty string",
    ], ran.err
    assert "compliance: 3 problems in waivers.yaml" in ran.err


def test_broken_override_and_waiver_files_are_reported_in_one_run(site, cli, monkeypatch):
    (site / "override.yaml").write_text("clauses:\n  credit: {severty: info}\n")
    (site / "waivers.yaml").write_text(WAIVER.replace("approved_by", "aproved_by"))
    monkeypatch.setenv("COMPLIANCE_ERROR_FORMAT", "github")
    ran = cli(site, "check", "--override", "override.yaml", env=on("2025-01-01"))
    assert ran.code == 2
    assert ran.err.splitlines()[1:] == [
        "compliance: policy error: override.yaml:2:12: clauses.credit.severty: unknown key 'severty' "
        "(did you mean 'severity'?)",
        "compliance: error: waivers.yaml:6:5: waivers[0].aproved_by: unknown key (did you mean 'approved_by'?) "
        "(a waiver has page, policy, clause, reason, approved_by, expires)",
        "compliance: 2 problems in override.yaml, waivers.yaml"]
    assert [line.split("::")[1] for line in ran.out.splitlines()] == [
        "error file=override.yaml,line=2,col=12,title=compliance policy error",
        "error file=waivers.yaml,line=6,col=5,title=compliance error"]


@pytest.mark.parametrize("text, where, problem", [
    ("waivers:\n  - page: a.html\n    policy: p\n    clause: c\n    approved_by: x\n    expires: 2025-01-01\n",
     "waivers.yaml:2:5: waivers[0]:", "missing 'reason'"),
    ("waivers:\n  - page: a.html\n    policy: p\n    clause: c\n    reason: r\n    expires: 2025-01-01\n",
     "waivers.yaml:2:5: waivers[0]:", "missing 'approved_by'"),
    ("waivers:\n  - page: a.html\n    policy: p\n    clause: c\n    reason: r\n    approved_by: x\n",
     "waivers.yaml:2:5: waivers[0]:", "missing 'expires'"),
    ("waivers:\n  - page: a.html\n    policy: p\n    clause: c\n    reason: r\n    approved_by: x\n"
     "    expires: 2025-02-30\n", "waivers.yaml:7:5: waivers[0].expires:", "not a calendar date"),
    ("waivers:\n  - page: a.html\n    policy: p\n    clause: c\n    reason: r\n    approved_by: x\n"
     "    expires: next month\n", "waivers.yaml:7:5: waivers[0].expires:", "not a calendar date"),
    ("waivers:\n  - page: a.html\n    policy: p\n    clause: c\n    reason: r\n    approved_by: x\n"
     "    expires: 2025-01-01\n    until: 2026-01-01\n", "waivers.yaml:8:5: waivers[0].until:", "unknown key"),
    ("waivers:\n  - page: a.html\n    policy: p\n    clause: c\n    reason: ''\n    approved_by: x\n"
     "    expires: 2025-01-01\n", "waivers.yaml:5:5: waivers[0].reason:", "non-empty string"),
    ("exceptions: []\n", "waivers.yaml:1:1: exceptions:", "unknown key"),
    ("waivers: {page: a.html}\n", "waivers.yaml:1:1: waivers:", "must be a list"),
    ("waivers: [\n", "waivers.yaml:2", "invalid YAML"),
])
def test_malformed_waiver_file_exits_2_with_file_line_key(site, cli, text, where, problem):
    (site / "waivers.yaml").write_text(text)
    ran = cli(site, "check", env=on("2025-01-01"))
    assert ran.code == 2, ran.out
    assert where in ran.err and problem in ran.err, ran.err
    assert ran.out == ""  # stopped before checking anything


def test_max_waiver_days_caps_the_span(site, cli):
    (site / "compliance.toml").write_text(SITE_CONFIG + 'waivers = "waivers.yaml"\nmax-waiver-days = 30\n')
    assert cli(site, "check", env=on("2025-03-01")).code == 0  # 30 days ahead: allowed
    ran = cli(site, "check", env=on("2025-02-28"))
    assert ran.code == 2
    assert "waivers.yaml:7:5: waivers[0].expires: 2025-03-31 is 31 days from today (2025-02-28); waivers may run " \
           "at most 30 days (compliance.toml:4)" in ran.err
    assert cli(site, "check", "--max-waiver-days", "90", env=on("2025-02-28")).code == 0


def test_page_globs(tmp_path):
    (tmp_path / "w.yaml").write_text("""\
waivers:
  - {page: "news/*.html", policy: p, clause: c, reason: r, approved_by: x, expires: 2025-01-01}
  - {page: "news/**", policy: p, clause: c, reason: r, approved_by: x, expires: 2025-01-01}
  - {page: "https://partner.example/stories/*", policy: p, clause: c, reason: r, approved_by: x, expires: 2025-01-01}
""")
    one, deep, url = load_waivers(tmp_path / "w.yaml", on=date(2025, 1, 1))
    assert one.matches_page(str(tmp_path / "news" / "a.html"))
    assert not one.matches_page(str(tmp_path / "news" / "2024" / "a.html"))
    assert deep.matches_page(str(tmp_path / "news" / "2024" / "a.html"))
    assert not deep.matches_page(str(tmp_path / "blog" / "a.html"))
    assert url.matches_page("https://PARTNER.example/stories/rail-delay")
    assert not url.matches_page("https://partner.example/stories/2024/rail-delay")
    assert not url.matches_page(str(tmp_path / "news" / "a.html"))


def test_missing_waiver_file_is_an_error_for_the_loader(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_waivers(tmp_path / "nope.yaml", on=date(2025, 1, 1))


def test_a_run_without_its_waiver_file_yet_waives_nothing_and_says_so(site, cli):
    (site / "waivers.yaml").unlink()  # named in the configuration before any waiver is written
    ran = cli(site, "check", "--format", "json", env=on("2025-03-01"))
    assert ran.code == 1  # stricter, never laxer: the failure the waiver would excuse fails
    assert "the waiver file waivers.yaml does not exist yet, so no waivers apply" in ran.err
    assert clause(ran.json(), "b.html", "credit")["status"] == "fail"


def test_waived_failures_stay_out_of_the_baseline_so_expiry_bites(site, cli):
    cli(site, "check", "--write-baseline", "baseline.json", env=on("2025-03-01"))
    assert json.loads((site / "baseline.json").read_text())["entries"] == []
    assert cli(site, "check", "--baseline", "baseline.json", env=on("2025-04-01")).code == 1


def test_fail_on_with_baseline_and_waivers_together(site, cli):
    # b.html: credit (error) waived until 2025-03-31; c.html: logo (warning) baselined; d.html: logo waived too
    (site / "public" / "c.html").write_text(NO_LOGO)
    (site / "public" / "d.html").write_text(NO_LOGO)
    (site / "waivers.yaml").write_text(WAIVER + """\
  - page: public/d.html
    policy: example
    clause: logo
    reason: Logo file pending from the partner.
    approved_by: Dana Editor
    expires: 2025-03-15
""")
    (site / "compliance.toml").write_text(SITE_CONFIG + 'waivers = "waivers.yaml"\nbaseline = "baseline.json"\n')
    cli(site, "check", "--write-baseline", "baseline.json", env=on("2025-03-01"))
    entries = json.loads((site / "baseline.json").read_text())["entries"]
    assert [(e["page"], e["clause"]) for e in entries] == [("public/c.html", "logo")]
    for fail_on in ("error", "warning", "info"):
        assert cli(site, "check", "--fail-on", fail_on, env=on("2025-03-01")).code == 0
    # the warning-level waiver lapses first: only a warning threshold notices
    assert cli(site, "check", env=on("2025-03-20")).code == 0
    ran = cli(site, "check", "--fail-on", "warning", env=on("2025-03-20"))
    assert ran.code == 1 and "Failures: 0 new, 1 baselined, 1 waived, 1 with an expired waiver." in ran.out
    # then the error-level one: every threshold but "never" fails
    assert cli(site, "check", env=on("2025-04-01")).code == 1
    assert cli(site, "check", "--fail-on", "never", env=on("2025-04-01")).code == 0
    # a new error on another page fails regardless of waivers
    (site / "public" / "e.html").write_text(BAD_CREDIT)
    ran = cli(site, "check", "--format", "json", env=on("2025-03-01"))
    assert ran.code == 1
    assert ran.json()["summary"]["failures"] == {"new": 1, "expired": 0, "baselined": 1, "waived": 2}


def test_publisher_story(tmp_path, cli):
    """An existing site adopts the check, starts from a baseline, waives one page's clause, and the waiver lapses."""
    site = make_site(tmp_path / "site", {"index.html": GOOD, "2024/old.html": BAD_CREDIT,
                                         "2024/older.html": NO_LOGO})
    # 1. no configuration yet: the check needs to be told what to do
    assert cli(site, "check").code == 2
    # 2. a five-line config; the existing failures show up
    (site / "compliance.toml").write_text(
        'paths = ["public"]\npolicies = ["policy.yaml"]\nfail-on = "warning"\n'
        'baseline = "compliance-baseline.json"\nwaivers = "compliance-waivers.yaml"\n')
    (site / "compliance-waivers.yaml").write_text("waivers: []\n")
    ran = cli(site, "check", "--no-config", "public", "-p", "policy.yaml")
    assert ran.code == 1
    # 3. accept today's failures as the starting point
    assert cli(site, "check", "--write-baseline", "compliance-baseline.json", env=on("2025-05-01")).code == 0
    assert cli(site, "check", env=on("2025-05-01")).code == 0
    # 4. a new article with the wrong credit fails the build
    (site / "public" / "2025").mkdir()
    (site / "public" / "2025" / "new.html").write_text(BAD_CREDIT)
    ran = cli(site, "check", env=on("2025-05-02"))
    assert ran.code == 1 and "[new]" in ran.out
    # 5. the partner grants a time-limited exception for that page's credit clause
    (site / "compliance-waivers.yaml").write_text("""\
waivers:
  - page: public/2025/new.html
    policy: example
    clause: credit
    reason: Partner approved the old credit wording until the CMS template is fixed (ticket ED-12).
    approved_by: Sam Partner-Manager
    expires: 2025-05-31
""")
    ran = cli(site, "check", env=on("2025-05-02"))
    assert ran.code == 0 and "Failures: 0 new, 2 baselined, 1 waived" in ran.out
    # 6. still green on the last day of the waiver
    assert cli(site, "check", env=on("2025-05-31")).code == 0
    # 7. red again the day after, saying why
    ran = cli(site, "check", env=on("2025-06-01"))
    assert ran.code == 1
    assert "waiver for this failure expired: it was valid through 2025-05-31 (approved by Sam Partner-Manager" \
        in ran.out
    assert Path(site / "compliance-baseline.json").is_file()


def test_an_expired_waiver_over_a_baselined_failure_fails_without_calling_the_entry_stale(site, cli):
    (site / "compliance.toml").write_text(SITE_CONFIG + 'waivers = "waivers.yaml"\nbaseline = "baseline.json"\n')
    (site / "waivers.yaml").write_text("waivers: []\n")
    assert cli(site, "check", "--write-baseline", "baseline.json", env=on("2025-03-01")).code == 0
    (site / "waivers.yaml").write_text(WAIVER)  # the failure the baseline records is waived later
    assert cli(site, "check", env=on("2025-03-31")).code == 0
    ran = cli(site, "check", env=on("2025-04-01"))
    assert ran.code == 1  # a waiver that ran out fails the build, baseline or not
    assert "Failures: 0 new, 0 baselined, 0 waived, 1 with an expired waiver." in ran.out
    assert "Stale baseline" not in ran.out and "different evidence" not in ran.out  # the entry still stands

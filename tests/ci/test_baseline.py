"""Baselines: record today's failures, then fail only on new ones; fingerprints survive edits elsewhere."""

from __future__ import annotations

import json
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
from compliance.ci import baseline
from compliance.results.model import ClauseResult, ClauseStatus, Evidence, Severity

SCHEMA = json.loads((Path(compliance.__file__).parent / "schema" / "results.schema.json").read_text("utf-8"))


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path / "site", {"a.html": GOOD, "b.html": BAD_CREDIT, "news/c.html": NO_LOGO},
                     SITE_CONFIG + 'fail-on = "warning"\nbaseline = "compliance-baseline.json"\n')


def test_write_then_rerun_passes(site, cli):
    first = cli(site, "check")  # the configured baseline does not exist yet: every failure is new
    assert first.code == 1, first.err
    assert ("compliance: note: the baseline file compliance-baseline.json does not exist yet, so every failure "
            "is new (accept today's with --write-baseline compliance-baseline.json)") in first.err
    assert "Failures: 2 new, 0 baselined" in first.out
    ran = cli(site, "check", "--write-baseline", "compliance-baseline.json")
    assert ran.code == 0, ran.out + ran.err
    assert "wrote 2 failure(s) to the baseline" in ran.err
    ran = cli(site, "check")
    assert ran.code == 0, ran.out
    assert "Failures: 0 new, 2 baselined, 0 waived, 0 with an expired waiver." in ran.out
    assert "baselined" in ran.out


def test_file_format_is_sorted_stable_and_relative(site, cli):
    cli(site, "check", "--write-baseline", "compliance-baseline.json")
    first = (site / "compliance-baseline.json").read_bytes()
    data = json.loads(first)
    assert data["version"] == 1 and data["tool"] == "compliance"
    assert [(e["page"], e["clause"]) for e in data["entries"]] == [("public/b.html", "credit"),
                                                                   ("public/news/c.html", "logo")]
    entry = data["entries"][0]
    assert set(entry) == {"page", "policy", "clause", "fingerprint", "severity", "evidence"}
    assert entry["evidence"] == ['<p class="credit">Courtesy of somebody else</p>']
    assert "line" not in json.dumps(data)
    # run from elsewhere: same paths, same bytes
    (site / "public" / "news").mkdir(exist_ok=True)
    cli(site / "public" / "news", "check", "--write-baseline", "../../compliance-baseline.json")
    assert (site / "compliance-baseline.json").read_bytes() == first


def test_new_failure_fails_and_is_labelled_new(site, cli):
    cli(site, "check", "--write-baseline", "compliance-baseline.json")
    (site / "public" / "d.html").write_text(BAD_CREDIT)
    ran = cli(site, "check")
    assert ran.code == 1
    assert "[new] Found no elements matching `p.credit`" in ran.out
    assert "Failures: 1 new, 2 baselined" in ran.out
    report = cli(site, "check", "--format", "json").json()
    assert report["summary"]["failures"] == {"new": 1, "expired": 0, "baselined": 2, "waived": 0}
    assert clause(report, "d.html", "credit")["status"] == "fail"
    baselined = clause(report, "b.html", "credit")
    assert baselined["status"] == "baselined"
    assert baselined["suppression"]["kind"] == "baseline" and len(baselined["suppression"]["fingerprint"]) == 20
    jsonschema.validate(report, SCHEMA)


def test_edits_elsewhere_on_the_page_keep_the_fingerprint(site, cli):
    cli(site, "check", "--write-baseline", "compliance-baseline.json")
    shifted = page(credit="Courtesy of somebody else",
                   before="<nav>\n<a href='/'>Home</a>\n<a href='/about'>About</a>\n</nav>\n<div class='ad'>Ad</div>\n",
                   extra="<p>A new first paragraph,\n   spread over two lines.</p>\n")
    (site / "public" / "b.html").write_text(shifted)
    report = cli(site, "check", "--format", "json").json()
    credit = clause(report, "b.html", "credit")
    assert credit["status"] == "baselined"
    assert credit["evidence"][0]["line"] != 6  # the element moved, the fingerprint did not
    assert cli(site, "check").code == 0


def test_changing_the_failing_element_is_a_new_failure_and_the_old_entry_is_stale(site, cli):
    cli(site, "check", "--write-baseline", "compliance-baseline.json")
    (site / "public" / "b.html").write_text(page(credit="Courtesy of yet another outlet"))
    ran = cli(site, "check")
    assert ran.code == 1 and "[new]" in ran.out
    assert "Stale baseline entries (1): public/b.html example/credit (the failure changed" in ran.out
    report = cli(site, "check", "--format", "json").json()
    assert [e["page"] for e in report["suppressions"]["stale"]] == ["public/b.html"]


def test_fixed_failure_is_reported(site, cli):
    cli(site, "check", "--write-baseline", "compliance-baseline.json")
    (site / "public" / "b.html").write_text(GOOD)
    ran = cli(site, "check")
    assert ran.code == 0
    assert "Fixed since the baseline (1): public/b.html example/credit." in ran.out
    assert "--write-baseline compliance-baseline.json" in ran.out
    fixed = cli(site, "check", "--format", "json").json()["suppressions"]["fixed"]
    assert [(e["page"], e["clause"]) for e in fixed] == [("public/b.html", "credit")]


def test_entries_for_deleted_pages_are_stale_and_rewriting_drops_them(site, cli):
    cli(site, "check", "--write-baseline", "compliance-baseline.json")
    (site / "public" / "news" / "c.html").unlink()
    ran = cli(site, "check")
    assert ran.code == 0
    assert "public/news/c.html example/logo (the page no longer exists)" in ran.out
    cli(site, "check", "--write-baseline", "compliance-baseline.json")
    entries = json.loads((site / "compliance-baseline.json").read_text())["entries"]
    assert [e["page"] for e in entries] == ["public/b.html"]


def test_partial_runs_neither_flag_nor_drop_unchecked_pages(site, cli):
    cli(site, "check", "--write-baseline", "compliance-baseline.json")
    ran = cli(site, "check", "public/a.html")  # e.g. pre-commit on one changed file
    assert ran.code == 0 and "Stale" not in ran.out and "Fixed" not in ran.out
    cli(site, "check", "public/a.html", "--write-baseline", "compliance-baseline.json")
    entries = json.loads((site / "compliance-baseline.json").read_text())["entries"]
    assert len(entries) == 2


def test_fail_on_applies_to_new_failures_only(site, cli):
    (site / "compliance.toml").write_text(SITE_CONFIG + 'baseline = "compliance-baseline.json"\n')
    cli(site, "check", "--write-baseline", "compliance-baseline.json")
    (site / "public" / "e.html").write_text(NO_LOGO)  # a new warning
    assert cli(site, "check").code == 0  # default --fail-on error
    assert cli(site, "check", "--fail-on", "warning").code == 1
    (site / "public" / "f.html").write_text(BAD_CREDIT)  # a new error
    assert cli(site, "check").code == 1
    assert cli(site, "check", "--fail-on", "never").code == 0


@pytest.mark.parametrize("text, message", [
    ("{", "invalid JSON"),
    ('{"version": 2, "entries": []}', "unsupported baseline version"),
    ('{"version": 1, "entries": [{"page": "a.html"}]}', "entries[0].policy: must be a non-empty string"),
    ('{"version": 1, "entries": [], "extra": 1}', "extra: unknown key"),
])
def test_malformed_baseline_is_a_usage_error(site, cli, text, message):
    (site / "compliance-baseline.json").write_text(text)
    ran = cli(site, "check")
    assert ran.code == 2 and message in ran.err and "compliance-baseline.json" in ran.err


def _clause(evidence: tuple[Evidence, ...]) -> ClauseResult:
    return ClauseResult(id="credit", title="Credit", status=ClauseStatus.FAIL, severity=Severity.ERROR,
                        message="m", remediation="r", evidence=evidence)


def test_fingerprint_ignores_lines_paths_and_whitespace(tmp_path):
    one = _clause((Evidence("n", line=6, xpath="/html/body/p[1]", css="p:nth-of-type(1)",
                            snippet='<p class="credit">Courtesy  of\n somebody</p>'),))
    two = _clause((Evidence("n", line=60, xpath="/html/body/div/p[3]", css="div > p:nth-of-type(3)",
                            snippet='<p class="credit">Courtesy of somebody</p>'),))
    key = baseline.page_key(str(tmp_path / "public" / "a.html"), tmp_path)
    assert key == "public/a.html"
    assert baseline.entry_for("p", one, key).fingerprint == baseline.entry_for("p", two, key).fingerprint
    other = _clause((Evidence("n", snippet='<p class="credit">Courtesy of someone else</p>'),))
    assert baseline.entry_for("p", other, key).fingerprint != baseline.entry_for("p", one, key).fingerprint
    assert baseline.entry_for("q", one, key).fingerprint != baseline.entry_for("p", one, key).fingerprint
    text_wins = _clause((Evidence("n", snippet='<img src="/x.png?v=1">', text="Example News"),))
    text_wins_2 = _clause((Evidence("n", snippet='<img src="/x.png?v=2">', text="Example  News"),))
    assert baseline.evidence_key(text_wins) == baseline.evidence_key(text_wins_2) == ("Example News",)


def test_urls_are_normalised_in_page_keys(tmp_path):
    assert baseline.page_key("HTTPS://Example.COM:443/a#frag", tmp_path) == \
        baseline.page_key("https://example.com/a", tmp_path)

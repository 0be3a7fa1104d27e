"""The HTML audit report: its structure, that page content never executes in it, and that a browser renders it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES
from report_checks import assert_inert, parse_html
from report_samples import FIXED, HOSTILE, hostile_run, sample_run

from compliance.reporters import render


@pytest.fixture(scope="module")
def sample_html() -> str:
    return render("html", sample_run(), FIXED)


def test_is_one_self_contained_file(sample_html: str) -> None:
    doc = parse_html(sample_html)
    assert not doc.xpath("//link | //script | //img | //iframe | //object | //embed")
    assert "@import" not in sample_html and "url(" not in sample_html  # no external CSS or fonts
    assert doc.xpath("//meta[@name='viewport']")
    assert "@media print" in sample_html
    assert_inert(sample_html)


def test_summary_counts(sample_html: str) -> None:
    doc = parse_html(sample_html)
    counts = {dd.get("data-count"): int(dd.text_content()) for dd in doc.xpath("//section[@id='summary']//dd")}
    assert counts == {"checked": 7, "fail": 2, "review": 1, "error": 1, "pass": 2, "not_applicable": 1}
    by_clause = {tr.get("data-clause"): tr.xpath("./td")[-1].text_content()
                 for tr in doc.xpath("//table[@id='failures-by-clause']/tbody/tr")}
    assert by_clause == {"dcnf/affiliation": "1", "demo/credit": "1", "demo/pixel": "1"}
    policies = [tr.get("data-policy") for tr in doc.xpath("//table[@id='failures-by-policy']/tbody/tr")]
    assert policies == ["dcnf", "demo"]
    assert "did not" not in doc.xpath("string(//p[@id='headline'])")


def test_one_section_per_page_failures_first(sample_html: str) -> None:
    doc = parse_html(sample_html)
    sections = doc.xpath("//section[contains(concat(' ', @class, ' '), ' page ')]")
    assert len(sections) == len(sample_run().pages)
    assert [s.get("data-verdict") for s in sections] == ["fail", "fail", "error", "review", "pass", "pass",
                                                         "not_applicable"]
    assert sections[0].get("data-source") == "site/fail.html"
    toc = [a.get("href") for a in doc.xpath("//ol[@class='toc']//a")]
    assert toc == ["#" + s.get("id") for s in sections]


def test_failing_clauses_first_and_passes_collapsed(sample_html: str) -> None:
    doc = parse_html(sample_html)
    page = doc.xpath("//section[@data-source='site/fail.html']")[0]
    visible = page.xpath("./article")
    assert [a.get("data-status") for a in visible] == ["fail"]
    assert visible[0].xpath("string(.//div[@class='fix'])").startswith("How to fix:")
    assert visible[0].xpath(".//a/@href") == ["https://dailycallernewsfoundation.org/"]
    collapsed = page.xpath("./details/article/@data-status")
    assert collapsed == ["pass", "pass"]
    assert page.xpath("./details[not(@open)]")


def test_snippets_are_shown_as_escaped_source(sample_html: str) -> None:
    doc = parse_html(sample_html)
    codes = [c.text_content() for c in doc.xpath("//section[@data-source='site/fail.html']//pre/code")]
    assert '<p class="byline">By Jane Doe</p>' in codes
    assert '&lt;p class=&#34;byline&#34;&gt;By Jane Doe&lt;/p&gt;' in sample_html
    line = doc.xpath("//section[@data-source='site/fail.html']/article//li/span[@class='where']")
    assert [s.text_content() for s in line] == ["Line 15:", "Page metadata:"]


def test_hostile_result_fields_stay_text() -> None:
    html = render("html", hostile_run(), FIXED)
    assert_inert(html)
    doc = parse_html(html)
    text = doc.text_content()
    assert HOSTILE in text  # the page's words are all there, as words
    assert "javascript:alert(document.cookie)" not in "".join(doc.xpath("//@href"))
    assert doc.xpath("//a/@href") and all(h.startswith(("#", "https://")) for h in doc.xpath("//a/@href"))


# -- real hostile pages through the real checker ---------------------------------------------------------------

HOSTILE_PAGES = FIXTURES / "reports" / "hostile"


def hostile_check_run(author: str):
    from compliance.results.model import RunResult
    from compliance.runner import Settings, check_raw, load_policies

    policies = load_policies(["dcnf"])
    settings = Settings(policies=("dcnf",), authors=(author,))
    pages = []
    for path in sorted(HOSTILE_PAGES.glob("*.html")):
        source = f"{path.name}?\"><script>alert('src')</script>"
        pages.extend(check_raw(source, path.read_bytes(), policies, settings))
    return RunResult(pages=tuple(pages), policies=tuple(p.ref for p in policies), tool_version="t")


@pytest.mark.parametrize("author", ["Jane Doe", "Sam Roe"])
def test_hostile_pages_never_execute_in_html(author: str) -> None:
    run = hostile_check_run(author)
    html = render("html", run, FIXED)
    assert_inert(html)
    text = parse_html(html).text_content()
    assert "onerror=alert(1)" in text or "<script>alert(1)</script>" in text, "the payloads should be shown as text"


@pytest.mark.parametrize("author", ["Jane Doe", "Sam Roe"])
def test_hostile_pages_keep_other_formats_well_formed(author: str) -> None:
    import json

    from lxml import etree
    from report_checks import assert_markdown_safe

    run = hostile_check_run(author)
    assert_markdown_safe(render("markdown", run, FIXED))
    etree.fromstring(render("junit", run, FIXED).encode("utf-8"))
    log = json.loads(render("sarif", run, FIXED))
    assert log["version"] == "2.1.0"
    for line in render("github", run, FIXED).splitlines():
        assert line.startswith("::"), line


# -- a real browser ---------------------------------------------------------------------------------------------


def _chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.mark.parametrize("which", ["sample", "hostile"])
def test_renders_in_headless_chromium_without_console_errors(which: str, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium found (/usr/bin/chromium, or chromium/chromium-browser on PATH); "
                    "install Debian's chromium to run the browser test")
    run = sample_run() if which == "sample" else hostile_check_run("Sam Roe")
    report = tmp_path / "report.html"
    report.write_text(render("html", run, FIXED), encoding="utf-8")
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
               f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
               "--window-size=390,844", "--dump-dom", report.as_uri()]
    env = {**os.environ, "HOME": str(tmp_path)}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=90, env=env,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("Chromium did not finish within 90 s")
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], "\n".join(console)
    assert 'id="summary"' in done.stdout, "Chromium did not render the report"
    assert_inert(done.stdout)  # the DOM as the browser built it


def test_waivers_and_baseline_are_explained(sample_html: str) -> None:
    doc = parse_html(sample_html)
    page = doc.xpath("//section[@data-source='site/excused.html']")[0]
    assert page.xpath("./details/article/@data-status") == ["waived", "baselined"]
    notes = [n.text_content() for n in page.xpath(".//p[contains(@class, 'notice')]")]
    assert notes[0].startswith("Excused by a waiver: Print-only edition (approved by Ed), until 2026-12-31")
    assert notes[1].startswith("A known failure, recorded in the baseline baseline.json")
    expired = doc.xpath("//article[@data-status='fail'][.//p[contains(., 'has expired')]]")
    assert len(expired) == 1
    assert "1 failing clause is excused by waivers, 1 is a known failure" in doc.text_content()

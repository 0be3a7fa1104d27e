"""Reports for 10,000 pages: a rollup by site, the failing pages, the rest counted; small enough to open."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from large_run import large_run
from lxml import html as lxml_html
from report_samples import FIXED

from compliance.reporters import render
from compliance.reporters.data import DETAIL_LIMIT

MB = 1024 * 1024


@pytest.fixture(scope="module")
def run():
    return large_run()


@pytest.fixture(scope="module")
def report(run) -> str:
    return render("html", run, FIXED)


def test_html_for_10000_pages_stays_under_2_mb_and_lists_what_needs_attention(run, report: str) -> None:
    assert len(report.encode()) < 2 * MB
    doc = lxml_html.fromstring(report)
    sites = doc.xpath("//table[@id='sites']/tbody/tr")
    assert len(sites) == 25
    first = sites[0].xpath("./td/text()")
    assert first[0].startswith("site") and sites[0].xpath(".//code/text()") == ["dcnf/affiliation"]
    attention = [p for p in run.pages
                 if p.status.value == "fail" or any(c.status.value == "review" for c in p.clauses)]
    detailed = doc.xpath("//section[contains(@class, 'page')]")
    brief = doc.xpath("//section[@id='more-pages']//tbody/tr")
    assert len(detailed) == DETAIL_LIMIT and len(detailed) + len(brief) == len(attention)
    assert all(s.get("data-verdict") in ("fail", "review") for s in detailed)
    unlisted = len(run.pages) - len(attention)
    assert f"{unlisted} passing or not-applicable results are counted above but not listed" in " ".join(
        doc.xpath("//p[@id='unlisted']//text()"))


def test_even_when_every_one_of_10000_pages_fails_the_html_is_about_2_mb() -> None:
    assert len(render("html", large_run(fail_every=1), FIXED).encode()) < 2.1 * MB


def test_markdown_for_10000_pages_opens_with_the_site_rollup_and_fits_a_comment(run) -> None:
    text = render("markdown", run, FIXED)
    assert len(text) <= 60_000
    table = text[text.index("| Site |"):]
    assert table.splitlines()[2].startswith("| site")
    assert "| dcnf/affiliation (" in table


def test_small_runs_still_show_every_page_in_full() -> None:
    small = large_run(results=40, sites=2)
    doc = lxml_html.fromstring(render("html", small, FIXED))
    assert len(doc.xpath("//section[contains(@class, 'page')]")) == 40
    assert not doc.xpath("//section[@id='more-pages']") and not doc.xpath("//p[@id='unlisted']")


@pytest.mark.slow
def test_10000_page_report_renders_in_headless_chromium(report: str) -> None:
    """A real browser (Debian's chromium through Playwright) builds the page without console errors."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian's chromium (/usr/bin/chromium) is not installed")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.html"
        path.write_text(report, encoding="utf-8")
        with sync_api.sync_playwright() as p:
            context = p.chromium.launch_persistent_context(str(Path(tmp) / "profile"), executable_path=str(chromium),
                                                           args=args, headless=True)
            try:
                page = context.new_page()
                errors: list[str] = []
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.goto(path.as_uri(), wait_until="load", timeout=60_000)
                rows = page.locator("#sites tbody tr").count()
                brief = page.locator("#more-pages tbody tr").count()
                height = page.evaluate("document.documentElement.scrollHeight")
            finally:
                context.close()
    assert errors == [] and rows == 25 and brief > 0 and height > 1000


@pytest.mark.parametrize("fail_every", [8, 1])
def test_html_from_brief_results_is_the_html_of_the_kept_results(fail_every: int) -> None:
    """Past the first DETAIL_LIMIT pages of each verdict, HTML needs no evidence: dropping it changes nothing."""
    from dataclasses import replace

    from compliance.reporters.stream import Keeper

    run = large_run(results=3000, fail_every=fail_every)
    kept, briefly = Keeper(), Keeper(brief=True)
    for result in run.pages:
        kept.add(result)
        briefly.add(result)
    evidence = [sum(len(c.evidence) for c in r.clauses) for r in (kept.results, briefly.results) for r in r]
    assert sum(evidence[len(run.pages):]) < sum(evidence[:len(run.pages)]) / 2  # most of it is gone
    as_kept = render("html", replace(run, pages=tuple(kept.results)), FIXED)
    assert render("html", replace(run, pages=tuple(briefly.results)), FIXED) == as_kept


def test_only_the_built_in_html_report_keeps_brief_results() -> None:
    from dataclasses import replace

    from compliance.reporters.stream import WholeRunSink

    def sink(fmt: str, template: str | None = None) -> bool:
        return WholeRunSink(None, replace(FIXED, template=template), fmt).brief

    assert sink("html")
    assert not any(sink(fmt) for fmt in ("markdown", "junit", "sarif", "github"))
    assert not sink("html", template="mine.html.j2")  # a user's template may show any page's evidence

"""What every report says about each page: its title and source, the original it was matched to, no noise."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from cli_runner import run_cli
from report_checks import parse_html

from compliance.authoring.policytest import builtin_examples

PROPUBLICA = builtin_examples() / "propublica"
MATCHED = PROPUBLICA / "pass-matches-original.html"
EDITED = PROPUBLICA / "fail-edited-against-original.html"
ORIGINAL = PROPUBLICA / "originals" / "hospital-chain.html"
STORY = "https://www.propublica.org/article/hospital-chain-sued-patients"
TITLE = "How a hospital chain sued thousands of its patients"


def _report(fmt: str, *pages: Path, extra: tuple[str, ...] = ()) -> str:
    ran = run_cli("check", *map(str, pages), "-p", "propublica", "--original", str(ORIGINAL), "--no-config",
                  "--format", fmt, *extra)
    assert ran.code in (0, 1), ran.err
    return ran.out


def test_text_names_the_matched_original_how_and_how_well() -> None:
    text = _report("text", MATCHED, EDITED)
    lines = [line.strip() for line in text.splitlines() if "Matched original" in line]
    assert lines == [f"Matched original: “{TITLE}” {STORY} (the page links to it, score 1.00)",
                     f"Matched original: “{TITLE}” {STORY} (same headline, score 1.00)"]


def test_an_original_given_on_the_command_line_claims_no_score(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Another story</title></head><body><h1>Another story</h1><p>By Jane Doe, "
                    "ProPublica</p><p>Nothing here is from the original.</p></body></html>", encoding="utf-8")
    text = _report("text", page)
    assert f"Matched original: “{TITLE}” {STORY} (given with --original)" in text  # 1.0 by construction, not measured
    assert "score" not in parse_html(_report("html", page)).xpath("//p[@class='original']")[0].text_content()


def test_markdown_names_the_matched_original_of_each_page_to_fix() -> None:
    text = _report("markdown", MATCHED, EDITED)
    assert text.count("Matched original:") == 2  # one page fails, the other needs review: both are listed
    assert "How a hospital chain sued thousands of its patients" in text and "same headline, score 1.00" in text


def test_html_heads_each_page_with_its_title_source_and_original() -> None:
    doc = parse_html(_report("html", MATCHED, EDITED))
    section = doc.xpath("//section[contains(@class, 'page')][@data-source=$s]", s=str(EDITED))[0]
    title = section.xpath("./h2/span[@class='title']")[0].text_content()
    assert title and title != str(EDITED) and "/" not in title  # the page's <title>, not its path
    assert section.xpath("./p[@class='source']")[0].text_content() == str(EDITED)
    original = section.xpath("./p[@class='original']")[0]
    assert original.xpath("./a/@href") == [STORY] and original.xpath("./a")[0].text_content() == TITLE
    assert "same headline, score 1.00" in original.text_content()


def test_html_leaves_out_the_noise(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy.html"
    legacy.write_bytes(("<html><head><meta charset='windows-1252'><title>Café owners protest</title></head><body>"
                        "<p>By Jane Doe, Daily Caller News Foundation</p></body></html>").encode("cp1252"))
    ran = run_cli("check", str(builtin_examples() / "dcnf" / "pass-standard.html"), str(legacy),
                  str(builtin_examples() / "dcnf" / "not-applicable-unrelated.html"), "-p", "dcnf", "--no-config",
                  "--format", "html")
    doc = parse_html(ran.out)
    notes = [p.text_content() for p in doc.xpath("//p[@class='path']")]
    assert notes == ["Read as cp1252."]  # UTF-8, the usual case, goes without saying
    passing = doc.xpath("//section[@data-verdict='pass']")[0]
    assert passing.xpath("./details/summary")[0].text_content().startswith("3 clauses (")  # not "3 other"
    unrelated = doc.xpath("//section[@data-verdict='not_applicable']")[0]
    assert not unrelated.xpath(".//details")  # nothing was checked there: no list of inapplicable clauses
    assert unrelated.xpath(".//p[contains(@class, 'notice')]")


CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# every word of an element's text in its own client rectangles: one rectangle means it was not split
_SPLIT_WORDS = """el => {
  const split = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const re = /[A-Za-z0-9]+/g;
    let m;
    while ((m = re.exec(node.data)) !== null) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      if (range.getClientRects().length > 1) split.push(m[0]);
    }
  }
  return split;
}"""


@pytest.mark.slow
def test_phone_layout_never_breaks_a_word_in_page_headings(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium to run the browser tests")
    long_name = tmp_path / "2024" / "05" / "republished_investigation_hospital_chain_lawsuits_against_patients.html"
    long_name.parent.mkdir(parents=True)
    long_name.write_text(EDITED.read_text(encoding="utf-8"), encoding="utf-8")
    report = tmp_path / "report.html"
    report.write_text(_report("html", long_name), encoding="utf-8")
    with sync_api.sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS, headless=True,
                                                        viewport={"width": 360, "height": 740},
                                                        java_script_enabled=True)
        try:
            page = context.new_page()
            page.goto(report.as_uri())
            for selector in ("section.page > h2", "section.page > p.source", "section.page > p.original"):
                element = page.locator(selector).first
                assert element.evaluate(_SPLIT_WORDS) == [], selector
                assert element.evaluate("el => el.scrollWidth <= el.clientWidth"), selector
        finally:
            context.close()


def test_text_locations_are_path_line_col() -> None:
    page = builtin_examples() / "dcnf" / "fail-hidden-logo-pixel.html"
    ran = run_cli("check", str(page), "-p", "dcnf", "-a", "Jane Doe", "--no-config")
    located = [line.strip() for line in ran.out.splitlines() if line.strip().startswith(str(page) + ":")]
    assert located, ran.out
    source = page.read_text(encoding="utf-8").split("\n")
    for entry in located:
        line, column = (int(n) for n in entry[len(str(page)) + 1:].split(":", 2)[:2])
        assert source[line - 1][column - 1] == "<"  # where an editor's cursor lands: the element's tag

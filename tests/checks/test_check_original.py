"""Checks against the original article: link, headline, body, links, canonical, indexing, and the CLI around them.

Check-level tests build the original as an ``Article`` and the republished
page as a string, so each case shows one edit. The CLI tests run the
fixtures in ``tests/fixtures/originals/checks/``: a feed of three originals
and republished pages matched by canonical link, by headline and by body
(and one matched by nothing).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from cli_runner import Ran, run_cli
from conftest import REPO
from helpers import compile_check, doc

from compliance.checks.base import Context
from compliance.document.article import Article
from compliance.document.page import Page
from compliance.errors import PolicyError

FIXTURES = REPO / "tests" / "fixtures" / "originals" / "checks"

URL = "https://www.example-news.org/article/jail-deaths-2001"
P1 = ("Eleven people have died in the Harlan County jail since January 2022, more than in any comparable jail in "
      "the state, according to autopsy reports reviewed by Example News.")
P2 = ("The state’s Commission on Correctional Standards opened an inquiry on Tuesday, weeks after its own "
      "inspectors found that guards had skipped required cell checks on at least 40 nights.")
P3 = ("“These are not natural deaths in the sense families were told,” said Dr. Lena Ortiz, a forensic pathologist "
      "who reviewed four of the autopsies at the request of the families.")
P4 = ("Sheriff Dale Brooks said yesterday that staffing shortages had made the checks difficult to complete on "
      "every shift and that the county had approved money for twelve new positions.")
P5 = ("The commission can order changes at the jail or, in rare cases, close units that do not meet the state’s "
      "minimum standards. A hearing is scheduled for June 14.")
REPORT = "https://ccs.example.gov/reports/harlan-2024"
EARLIER = "https://example-news.org/article/jail-staffing-1990"
NEWSLETTER = "https://example-news.org/newsletters"

ORIGINAL = Article(url=URL, title="County jail deaths prompt state inquiry", authors=("Rosa Jimenez",),
                   published="2024-05-02T10:00:00Z", paragraphs=(P1, P2, P3, P4, P5),
                   links=(REPORT, EARLIER, NEWSLETTER), article_id="2001", canonical=URL)


def story(*paragraphs: str, head: str = "", title: str = "County jail deaths prompt state inquiry",
          before: str = "", after: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return doc(f"<article><h1>{title}</h1><p class='byline'>By Rosa Jimenez, Example News</p>{before}{body}"
               f"{after}</article>", head=head)


def run(spec: dict, html: str, original: Article | None = ORIGINAL, url: str | None = None):
    return compile_check(spec).evaluate(Context(page=Page(html, url=url), original=original))


def verdict(spec: dict, html: str, original: Article | None = ORIGINAL, url: str | None = None) -> str:
    return run(spec, html, original, url).status.value


CREDIT = ("<p>This story was originally published by <a href='http://example-news.org/article/jail-deaths-2001/"
          "?utm_source=partner'>Example News</a>.</p>")
COPY = story(P1, P2, P3, P4, P5, before=CREDIT)


# -- without an original --------------------------------------------------------------------------


@pytest.mark.parametrize("spec", [
    {"original_link": {}}, {"headline": {}}, {"integrity": {}}, {"links_kept": {}},
])
def test_without_an_original_the_clause_needs_review(spec: dict) -> None:
    outcome = run(spec, COPY, original=None)
    assert outcome.status.value == "review"
    assert "original article" in outcome.message and "--original" in outcome.message
    assert "--originals" in outcome.message


# -- original_link ----------------------------------------------------------------------------------


def test_original_link_accepts_any_spelling_of_the_original_url() -> None:
    outcome = run({"original_link": {}}, COPY)
    assert outcome.status.value == "pass" and "line" in outcome.message
    assert outcome.evidence[0].line is not None


def test_original_link_accepts_the_canonical_address_too() -> None:
    moved = replace(ORIGINAL, url="https://feeds.example-news.org/item/2001")
    assert verdict({"original_link": {}}, COPY, moved) == "pass"


@pytest.mark.parametrize("credit, why", [
    ("<p>Originally published by <a href='https://www.example-news.org/'>Example News</a>.</p>",
     "home page of example-news.org"),
    ("<p>Originally published by <a href='https://example-news.org/article/jail-staffing-1990'>Example News</a>.</p>",
     "another page on example-news.org"),
    (f"<p style='display:none'>Originally published by <a href='{URL}'>Example News</a>.</p>", "hidden"),
    ("<p>This story was originally published by Example News.</p>", None),  # no credit link at all
])
def test_original_link_explains_near_misses(credit: str, why: str | None) -> None:
    outcome = run({"original_link": {}}, story(P1, P2, before=credit))
    assert outcome.status.value == "fail"
    assert URL in outcome.message
    if why:
        assert why in outcome.message and outcome.evidence
    else:
        assert "Closest" not in outcome.message


def test_original_link_in_the_wrong_place() -> None:
    moved = story(P1, P2, P3, P4, P5, after=CREDIT)  # credit moved from the top to the end
    outcome = run({"original_link": {"position": "top"}}, moved)
    assert outcome.status.value == "fail" and "not at the top of the story" in outcome.message
    assert verdict({"original_link": {"position": "bottom"}}, moved) == "pass"
    assert verdict({"original_link": {"position": "top"}}, COPY) == "pass"


def test_original_link_text_and_within() -> None:
    assert verdict({"original_link": {"text": "Example News"}}, COPY) == "pass"
    outcome = run({"original_link": {"text": "Read the original"}}, COPY)
    assert outcome.status.value == "fail" and "does not match" in outcome.message
    assert verdict({"original_link": {"within": "aside"}}, COPY) == "fail"
    assert verdict({"original_link": {"within": "article"}}, COPY) == "pass"


def test_original_link_resolves_relative_hrefs_against_the_page_url() -> None:
    html = story(P1, before="<p>Originally published <a href='/article/jail-deaths-2001'>here</a>.</p>")
    assert verdict({"original_link": {}}, html, url="https://www.example-news.org/partners/copy") == "pass"
    assert verdict({"original_link": {}}, html, url="https://valleyvoice.example/news/copy") == "fail"


# -- headline ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", [
    "County jail deaths prompt state inquiry",
    "COUNTY JAIL DEATHS PROMPT STATE INQUIRY",
    "County  jail deaths prompt state inquiry ",
])
def test_headline_style_changes_pass(title: str) -> None:
    assert verdict({"headline": {}}, story(P1, title=title)) == "pass"


def test_headline_quotes_and_dashes_are_style() -> None:
    original = replace(ORIGINAL, title="Jail deaths — a “pattern,” inspectors say")
    assert verdict({"headline": {}}, story(P1, title='Jail deaths - a "pattern," inspectors say'), original) == "pass"


def test_changed_headline_fails_unless_allowed() -> None:
    html = story(P1, title="Deaths in Harlan jail draw state scrutiny")
    outcome = run({"headline": {}}, html)
    assert outcome.status.value == "fail"
    assert "County jail deaths prompt state inquiry" in outcome.message and "Harlan" in outcome.message
    allowed = run({"headline": {"may_change": True}}, html)
    assert allowed.status.value == "pass" and "allows" in allowed.message and "Harlan" in allowed.message


def test_headline_min_similarity_accepts_a_small_change() -> None:
    html = story(P1, title="County jail deaths prompt a state inquiry")
    assert verdict({"headline": {}}, html) == "fail"
    assert verdict({"headline": {"min_similarity": 0.9}}, html) == "pass"


def test_headline_found_in_metadata_when_the_h1_is_the_site_name() -> None:
    html = doc(f"<header><h1>Valley Voice</h1></header><article><h2>County jail deaths prompt state inquiry</h2>"
               f"<p>{P1}</p></article>",
               head="<meta property='og:title' content='County jail deaths prompt state inquiry'>")
    assert verdict({"headline": {}}, html) == "pass"


# -- integrity --------------------------------------------------------------------------------------


def test_style_only_edits_never_fail() -> None:
    restyled = [p.replace("’", "'").replace("“", '"').replace("”", '"') for p in (P1, P2, P3, P4, P5)]
    restyled[1] = restyled[1].upper()
    dashed = replace(ORIGINAL, paragraphs=ORIGINAL.paragraphs[:4] + (P5.replace(", in rare cases, ", " — in rare "
                                                                                 "cases — "),))
    restyled[4] = restyled[4].replace(", in rare cases, ", " - in rare cases - ")
    outcome = run({"integrity": {}}, story(*restyled, before=CREDIT), dashed)
    assert outcome.status.value == "pass"
    assert "paragraph for paragraph" in outcome.message and "only in style" in outcome.message


def test_trimmed_end() -> None:
    html = story(P1, P2, P3, before=CREDIT)
    outcome = run({"integrity": {}}, html)
    assert outcome.status.value == "fail" and "2 paragraphs cut from the end" in outcome.message
    assert any("Sheriff Dale Brooks" in (e.note or "") for e in outcome.evidence)
    assert verdict({"integrity": {"allow": ["trim_end"]}}, html) == "pass"
    assert verdict({"integrity": {"allow": ["trim_end"], "min_similarity": 0.9}}, html) == "fail"


def test_a_cut_in_the_middle_is_not_a_trimmed_end() -> None:
    html = story(P1, P2, P4, P5)
    outcome = run({"integrity": {"allow": ["trim_end"]}}, html)
    assert outcome.status.value == "fail" and "left out" in outcome.message
    assert verdict({"integrity": {"allow": ["cuts"]}}, html) == "pass"


LOCAL = "In Fresno County, the Valley Legal Aid office said it had seen three similar cases at the county jail."


def test_inserted_paragraph_without_disclosure_fails_with_its_line() -> None:
    html = story(P1, P2, LOCAL, P3, P4, P5)
    outcome = run({"integrity": {"allow": ["additions_with_disclosure"]}}, html)
    assert outcome.status.value == "fail"
    assert "1 paragraph added" in outcome.message and "not disclosed" in outcome.message
    added = outcome.evidence[0]
    assert added.line is not None and "Valley Legal Aid" in (added.text or "")
    assert verdict({"integrity": {}}, html) == "fail"
    assert verdict({"integrity": {"allow": ["additions"]}}, html) == "pass"


def test_inserted_paragraph_with_disclosure_passes() -> None:
    html = story(P1, P2, LOCAL, P3, P4, P5, after="<p><em>Additional reporting by Marta Salas.</em></p>")
    outcome = run({"integrity": {"allow": ["additions_with_disclosure"]}}, html)
    assert outcome.status.value == "pass" and "disclosed" in outcome.message
    assert verdict({"integrity": {}}, html) == "fail"  # disclosed or not, additions need the allowance
    custom = {"integrity": {"allow": ["additions_with_disclosure"], "disclosure": "Valley Voice added"}}
    assert verdict(custom, html) == "fail"


def test_minor_edits_versus_rewrites() -> None:
    minor = story(P1, P2, P3, P4.replace("yesterday", "last week"), P5)
    assert verdict({"integrity": {}}, minor) == "fail"
    assert verdict({"integrity": {"allow": ["minor_edits"]}}, minor) == "pass"
    rewrite = story(P1, P2, P3, "Sheriff Dale Brooks said on Monday that a lack of staff had made the checks hard to "
                                "complete on every shift and that the county had approved money for twelve new "
                                "positions.", P5)
    outcome = run({"integrity": {"allow": ["minor_edits"]}}, rewrite)
    assert outcome.status.value == "fail" and "reworded" in outcome.message
    assert any("→" in (e.text or "") for e in outcome.evidence)  # the readable diff of the change
    assert verdict({"integrity": {"allow": ["edits"]}}, rewrite) == "pass"


def test_credit_lines_and_ignored_taglines_are_not_additions() -> None:
    html = story(P1, P2, P3, P4, P5, before=CREDIT,
                 after="<p>Example News is a nonprofit newsroom covering the state.</p>")
    assert verdict({"integrity": {}}, html) == "fail"
    assert verdict({"integrity": {"ignore": "Example News is a nonprofit newsroom"}}, html) == "pass"


def test_modification_notice_needed_only_when_changed() -> None:
    spec = {"integrity": {"allow": ["trim_end", "cuts", "edits", "additions"], "notice": ["adapted from", "edited"]}}
    assert verdict(spec, COPY) == "pass"
    trimmed = story(P1, P2, P3)
    outcome = run(spec, trimmed)
    assert outcome.status.value == "fail" and "does not say so" in outcome.message
    noted = story(P1, P2, P3, after="<p>This story was edited for length.</p>")
    assert verdict(spec, noted) == "pass"


def test_a_page_that_shares_little_text_needs_review() -> None:
    other = [f"Paragraph {i} of a different story about the county fair and its record number of entries."
             for i in range(6)]
    outcome = run({"integrity": {}}, story(P1, *other))
    assert outcome.status.value == "review" and "1 of the page's 7 paragraphs" in outcome.message


def test_integrity_needs_the_original_text() -> None:
    outcome = run({"integrity": {}}, COPY, replace(ORIGINAL, paragraphs=()))
    assert outcome.status.value == "review" and "no body" in outcome.message


def test_integrity_option_errors_name_the_key() -> None:
    with pytest.raises(PolicyError, match="allow"):
        compile_check({"integrity": {"allow": ["everything"]}})


# -- links_kept -------------------------------------------------------------------------------------


def linked(*hrefs: str, hidden: str = "") -> str:
    links = " ".join(f"<a href='{h}'>source {i}</a>" for i, h in enumerate(hrefs))
    extra = f"<span hidden><a href='{hidden}'>hidden source</a></span>" if hidden else ""
    return story(P1, P2, before=f"<p>Sources: {links} {extra}</p>")


def test_every_link_kept_after_normalisation() -> None:
    html = linked("http://www.ccs.example.gov/reports/harlan-2024/", "https://example-news.org/article/jail-staffing-1990",
                  "https://www.example-news.org/newsletters?utm_campaign=x")
    outcome = run({"links_kept": {}}, html)
    assert outcome.status.value == "pass" and "All 3 links" in outcome.message


def test_missing_links_are_listed() -> None:
    outcome = run({"links_kept": {}}, linked(REPORT))
    assert outcome.status.value == "fail"
    assert "1 of 3" in outcome.message and EARLIER in outcome.message and NEWSLETTER in outcome.message
    assert any(e.text == EARLIER for e in outcome.evidence)


def test_links_kept_ignore_and_min_ratio() -> None:
    html = linked(REPORT, EARLIER)
    assert verdict({"links_kept": {}}, html) == "fail"
    assert verdict({"links_kept": {"ignore": "example-news.org/newsletters"}}, html) == "pass"
    assert verdict({"links_kept": {"min_ratio": 0.6}}, html) == "pass"
    assert verdict({"links_kept": {"min_ratio": 0.7}}, html) == "fail"


def test_a_hidden_link_is_not_kept() -> None:
    outcome = run({"links_kept": {"ignore": "newsletters"}}, linked(REPORT, hidden=EARLIER))
    assert outcome.status.value == "fail" and "hidden" in outcome.message
    assert any(e.line is not None and "hidden" in e.note for e in outcome.evidence)


def test_an_original_without_links() -> None:
    assert verdict({"links_kept": {}}, COPY, replace(ORIGINAL, links=())) == "pass"


# -- canonical and indexing -------------------------------------------------------------------------


def canonical(href: str) -> str:
    return story(P1, head=f"<link rel='canonical' href='{href}'>")


def test_canonical_to_the_original() -> None:
    assert verdict({"canonical": {}}, canonical("http://example-news.org/article/jail-deaths-2001/")) == "pass"
    wrong = run({"canonical": {}}, canonical("https://www.copycat.example/news/jail-deaths"))
    assert wrong.status.value == "fail" and "copycat.example" in wrong.message and wrong.evidence[0].line
    other = run({"canonical": {}}, canonical(EARLIER))
    assert other.status.value == "fail" and "another page on example-news.org" in other.message
    missing = run({"canonical": {}}, story(P1))
    assert missing.status.value == "fail" and "no <link rel=\"canonical\">" in missing.message


def test_canonical_without_an_original() -> None:
    outcome = run({"canonical": {}}, canonical(URL), original=None)
    assert outcome.status.value == "review" and "--original" in outcome.message
    assert verdict({"canonical": {}}, story(P1), original=None) == "fail"  # none at all is wrong either way


def test_canonical_to_self() -> None:
    page_url = "https://valleyvoice.example/news/jail-deaths"
    assert verdict({"canonical": {"to": "self"}}, story(P1), url=page_url) == "pass"
    assert verdict({"canonical": {"to": "self"}}, canonical(page_url + "?utm_source=x"), url=page_url) == "pass"
    assert verdict({"canonical": {"to": "self"}}, canonical(URL), url=page_url) == "fail"
    assert verdict({"canonical": {"to": "self"}}, canonical("https://valleyvoice.example/other"), url=page_url) == "fail"
    assert verdict({"canonical": {"to": "not_other_site"}}, canonical("https://valleyvoice.example/other"),
                   url=page_url) == "pass"
    assert verdict({"canonical": {"to": "not_other_site"}}, canonical("https://elsewhere.example/x"),
                   url=page_url) == "fail"
    # read from a file: only a canonical to the licensor's site can be judged
    assert verdict({"canonical": {"to": "self"}}, canonical(URL)) == "fail"
    assert verdict({"canonical": {"to": "self"}}, canonical("/news/jail-deaths")) == "pass"
    assert verdict({"canonical": {"to": "self"}}, canonical("https://valleyvoice.example/x")) == "review"


@pytest.mark.parametrize("meta, required, forbidden", [
    ("<meta name='robots' content='noindex, follow'>", "pass", "fail"),
    ("<meta name='googlebot-news' content='noindex'>", "pass", "fail"),
    ("<meta name='ROBOTS' content='NONE'>", "pass", "fail"),
    ("<meta name='robots' content='index, follow'>", "fail", "pass"),
    ("", "fail", "pass"),
])
def test_indexing(meta: str, required: str, forbidden: str) -> None:
    html = story(P1, head=meta)
    assert verdict({"indexing": {"noindex": "required"}}, html, original=None) == required
    assert verdict({"indexing": {"noindex": "forbidden"}}, html, original=None) == forbidden


# -- if_original and placeholders -------------------------------------------------------------------


COUNTER = {"if_original": {
    "fields": ["article_id"],
    "then": {"element": {"selector": "img", "visible": "any",
                         "attributes": {"src": "/counter\\.example\\/content\\/{original.article_id}\\/count\\.gif/"}}},
    "else": {"element": {"selector": "img", "visible": "any",
                         "attributes": {"src": "/counter\\.example\\/content\\/\\d+\\/count\\.gif/"}}},
}}


def test_if_original_uses_the_article_id_when_known() -> None:
    right = story(P1, after="<img src='https://counter.example/content/2001/count.gif' width=1 height=1>")
    wrong = story(P1, after="<img src='https://counter.example/content/1999/count.gif' width=1 height=1>")
    assert verdict(COUNTER, right) == "pass"
    assert verdict(COUNTER, wrong) == "fail"
    fallback = run(COUNTER, wrong, original=None)
    assert fallback.status.value == "pass" and "without it" in fallback.message
    assert verdict(COUNTER, wrong, replace(ORIGINAL, article_id=None)) == "pass"


def test_if_original_without_else_needs_review() -> None:
    outcome = run({"if_original": {"then": {"original_link": {}}}}, COPY, original=None)
    assert outcome.status.value == "review" and "--original" in outcome.message


# -- the command line -------------------------------------------------------------------------------


def cli(*args: str) -> Ran:
    return run_cli(*args, cwd=REPO)


@pytest.fixture(scope="module")
def feed_run() -> dict:
    r = cli("check", str(FIXTURES / "republished"), "--policy", str(FIXTURES / "policy.yaml"),
            "--originals", str(FIXTURES / "feed.rss"), "--format", "json")
    assert r.returncode == 1, r.stderr.decode()
    data = json.loads(r.stdout)
    jsonschema.validate(data, json.loads((REPO / "compliance" / "schema" / "results.schema.json").read_text()))
    return {Path(p["source"]).name: p for p in data["pages"]}


def _clauses(page: dict) -> dict[str, str]:
    return {c["id"]: c["status"] for c in page["clauses"]}


def test_cli_matches_each_page_to_its_original(feed_run: dict) -> None:
    expected = {
        "canonical-copy.html": ("link", "jail-deaths-2001"),
        "headline-trimmed.html": ("headline", "school-bus-contract-2002"),
        "body-added.html": ("body", "heat-claims-2003"),
    }
    for name, (method, url) in expected.items():
        context = feed_run[name]["context"]
        assert context["match"]["method"] == method, name
        assert 0 < context["match"]["score"] <= 1 and context["match"]["detail"]
        assert context["original"]["url"].endswith(url)
    assert feed_run["body-added.html"]["context"]["authors"] == ["Ana Ruiz", "Will Chen"]


def test_cli_verdicts_against_the_originals(feed_run: dict) -> None:
    assert feed_run["canonical-copy.html"]["status"] == "pass"
    assert set(_clauses(feed_run["canonical-copy.html"]).values()) == {"pass"}
    assert _clauses(feed_run["headline-trimmed.html"]) == {
        "byline": "pass", "credit-link": "fail", "headline": "pass", "links-kept": "fail", "no-edits": "fail",
        "canonical": "fail"}
    assert _clauses(feed_run["body-added.html"]) == {
        "byline": "pass", "credit-link": "fail", "headline": "fail", "links-kept": "pass", "no-edits": "pass",
        "canonical": "fail"}
    trimmed = {c["id"]: c for c in feed_run["headline-trimmed.html"]["clauses"]}
    assert "home page of example-news.org" in trimmed["credit-link"]["message"]
    assert "auditor.example.gov/complaints" in trimmed["links-kept"]["message"]


def test_cli_page_matching_nothing_is_not_applicable(feed_run: dict) -> None:
    page = feed_run["unrelated.html"]
    assert page["status"] == "not_applicable"
    assert "no original" in page["message"] and page["context"]["match"] is None
    assert set(_clauses(page).values()) == {"not_applicable"}


def test_cli_single_original_and_the_dcnf_byline(tmp_path: Path) -> None:
    r = cli("check", str(FIXTURES / "republished" / "canonical-copy.html"), "--policy", str(FIXTURES / "policy.yaml"),
            "--original", str(FIXTURES / "original-jail.html"), "--format", "json")
    assert r.returncode == 0, r.stdout.decode() + r.stderr.decode()
    page = json.loads(r.stdout)["pages"][0]
    assert page["context"]["match"]["method"] == "link" and page["status"] == "pass"

    # DCNF's byline clause names the matched original's reporter when --author is not given
    dcnf_page = REPO / "rules" / "examples" / "dcnf" / "pass-standard.html"
    statuses = {}
    for author in ("Jane Doe", "John Smith"):
        original = tmp_path / f"{author.split()[0]}.html"
        original.write_text(doc(f"<article><h1>Senate passes spending bill after late-night vote</h1>"
                                f"<p class='byline'>By {author}</p><p>The Senate passed the bill.</p></article>",
                                head=f"<meta name='author' content='{author}'>"))
        r = cli("check", str(dcnf_page), "--policy", "dcnf", "--original", str(original), "--format", "json")
        result = json.loads(r.stdout)["pages"][0]
        assert result["context"]["authors"] == [author]
        statuses[author] = _clauses(result)["byline"]
    assert statuses == {"Jane Doe": "pass", "John Smith": "fail"}


def test_a_single_original_is_given_to_pages_nothing_matches() -> None:
    from compliance.originals.context import make_context_matcher
    from compliance.runner import Settings

    matcher = make_context_matcher(Settings(policies=(), originals=(f"page:{FIXTURES / 'original-jail.html'}",)))
    ctx = Context(page=Page((FIXTURES / "republished" / "unrelated.html").read_text()))
    info = matcher(ctx)
    assert info["match"]["method"] == "given" and info["match"]["score"] == 1.0
    assert ctx.original.title == "County jail deaths prompt state inquiry"
    # the byline's expected author is inferred from the original; nothing was asserted
    assert ctx.reporters == ("Rosa Jimenez",) and ctx.authors == ()
    given = Context(page=Page((FIXTURES / "republished" / "unrelated.html").read_text()), authors=("Marta Salas",))
    matcher(given)
    # --author wins over the original's authors, and the original's stay on the original
    assert given.reporters == given.authors == ("Marta Salas",) and given.original.authors == ("Rosa Jimenez",)


def test_cli_broken_catalog_exits_2_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"url": "https://example.org/a", "title": "A"}\n{"url": \n')
    r = cli("check", str(FIXTURES / "republished"), "--policy", str(FIXTURES / "policy.yaml"),
            "--originals", str(broken))
    assert r.returncode == 2
    err = r.stderr.decode()
    assert "broken.jsonl" in err and "Traceback" not in err

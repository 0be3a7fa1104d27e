"""The byline primitive: who is credited, where, and with what affiliation."""

from __future__ import annotations

import pytest
from helpers import doc, run_check, status

BYLINE = {"byline": {}}
AFFIL = {"byline": {"affiliation": ["Daily Caller News Foundation", "DCNF"]}}


@pytest.mark.parametrize("body,author", [
    ("<p class='byline'>By Jane Doe</p>", "Jane Doe"),
    ("<p>By <a href='/x'>JANE</a> <b>DOE</b></p>", "jane doe"),
    ("<div class='meta'><a rel='author' href='/people/jd'>Jane Doe</a> · 3 min read</div>", "Jane Doe"),
    ("<span itemprop='author'>Jane Q. Doe</span>", "Jane Doe"),
    ("<p>By Jane Doe</p>", "Jane Q. Doe"),
    ("<p>By Aleš Vávra</p>", "Ales Vavra"),
    ("<p>By Ales Vavra</p>", "Aleš Vávra"),
    ("<p>By John Smith and Jane Doe</p>", "Jane Doe"),
    ("<p>Von Max Mustermann und Jane Doe</p>", "Jane Doe"),
    ("<p>Por Jane Doe y Juan Pérez</p>", "Juan Perez"),
    ("<address>Jane Doe</address>", "Jane Doe"),
    ("<aside class='article__aside'><div class='byline'>Jane Doe</div></aside>", "Jane Doe"),
    ("<figure><img src='jd.jpg'><figcaption><address>Von Jane Doe, Reporterin</address></figcaption></figure>",
     "Jane Doe"),
    ("<div class='with-sidebar'><article><p>By Jane Doe</p></article></div>", "Jane Doe"),
    ("<div class='meta'>3 May 2024 • Jane Doe • 4 min read</div>", "Jane Doe"),
    ("<div class='c-article-author'><span>Jane Doe</span><span>Senior reporter</span></div>", "Jane Doe"),
    ("<header><h1>Title</h1><div>Jane Doe</div></header>", "Jane Doe"),
])
def test_right_author_passes(body: str, author: str) -> None:
    outcome = run_check(doc(body), BYLINE, (author,))
    assert outcome.status.value == "pass", outcome.message


@pytest.mark.parametrize("body,author,reason", [
    ("<p class='byline'>By John Doe</p>", "Jane Doe", "does not appear"),
    ("<p class='byline'>By Janet Doe</p>", "Jane Doe", "does not appear"),
    ("<p>" + "The council met on Tuesday. " * 12 + "Jane Doe said the plan was sound.</p>", "Jane Doe",
     "paragraph of body text"),
    ("<p>Jane Doe contributed to this report with many details.</p>", "Jane Doe", "running text"),
    ("<aside><p>By Jane Doe</p></aside>", "Jane Doe", "inside <aside>"),
    ("<aside class='sidebar'><div class='teaser'><p class='byline'>By Jane Doe</p></div></aside>", "Jane Doe",
     "teaser"),
    ("<nav><a href='/author/jane'>Jane Doe</a></nav>", "Jane Doe", "inside <nav>"),
    ("<div class='related-posts'><p>By Jane Doe</p></div>", "Jane Doe", "related"),
    ("<blockquote><p>By Jane Doe</p></blockquote>", "Jane Doe", "blockquote"),
    ("<p hidden>By Jane Doe</p>", "Jane Doe", "a reader cannot see it: <p> has the hidden attribute"),
    ("<script>var a='By Jane Doe'</script><p>x</p>", "Jane Doe", "does not appear"),
])
def test_right_author_not_in_a_byline_fails(body: str, author: str, reason: str) -> None:
    outcome = run_check(doc(body), BYLINE, (author,))
    assert outcome.status.value == "fail"
    assert reason in outcome.message


def test_metadata_only_is_explained() -> None:
    head = "<meta name='author' content='Jane Doe'>"
    outcome = run_check(doc("<p>Story text.</p>", head), BYLINE, ("Jane Doe",))
    assert outcome.status.value == "fail" and "metadata" in outcome.message


def test_several_authors_all_required_by_default() -> None:
    page = doc("<p class='byline'>By Jane Doe</p>")
    assert status(page, BYLINE, ("Jane Doe", "John Roe")) == "fail"
    assert status(page, {"byline": {"require": "any"}}, ("Jane Doe", "John Roe")) == "pass"
    assert status(doc("<p>By Jane Doe and John Roe</p>"), BYLINE, ("Jane Doe", "John Roe")) == "pass"


def test_explicit_author_list_overrides_context() -> None:
    spec = {"byline": {"authors": ["Sam Roe"]}}
    assert status(doc("<p>By Sam Roe</p>"), spec, ("Jane Doe",)) == "pass"


@pytest.mark.parametrize("body,expected", [
    ("<p class='byline'>By Jane Doe</p>", "pass"),
    ("<div class='author'>Laura Méndez</div>", "pass"),
    ("<p class='byline'>By Staff</p>", "fail"),
    ("<p class='byline'>By The Associated Press</p>", "fail"),
    ("<p>Story text without any credit at all.</p>", "fail"),
])
def test_any_person_without_context(body: str, expected: str) -> None:
    assert status(doc(body), BYLINE) == expected


@pytest.mark.parametrize("body,expected", [
    ("<p>By Jane Doe, Daily Caller News Foundation</p>", "pass"),
    ("<p>By Jane Doe | DCNF</p>", "pass"),
    ("<div class='author-box'><span class='name'>Jane Doe</span><span class='org'>DCNF contributor</span></div>",
     "pass"),
    ("<div class='byline'><a href='/author/jane'>Jane Doe</a></div><div class='affil'>Daily Caller News Foundation</div>",
     "pass"),
    ("<p>By Jane Doe</p><p>" + "Body text. " * 40 + "</p><p>Daily Caller News Foundation</p>", "fail"),
    ("<p>By Jane Doe <span style='display:none'>, DCNF</span></p>", "fail"),
    ("<p>By Jane Doe, DCNFX Media</p>", "fail"),
])
def test_affiliation_must_be_attached(body: str, expected: str) -> None:
    outcome = run_check(doc("<article><h1>T</h1>" + body + "</article>"), AFFIL, ("Jane Doe",))
    assert outcome.status.value == expected, outcome.message


def test_affiliation_elsewhere_is_explained() -> None:
    body = "<p>By Jane Doe</p><p>" + "Body text. " * 40 + "</p><footer><p>Daily Caller News Foundation</p></footer>"
    outcome = run_check(doc(body), AFFIL, ("Jane Doe",))
    assert "not next to the name" in outcome.message and len(outcome.evidence) == 2


def test_affiliation_without_context_uses_the_article_byline_not_the_sidebar() -> None:
    body = ("<article><h1>T</h1><p class='byline'>By Jane Doe</p><p>Text of the story.</p></article>"
            "<aside class='sidebar'><p class='byline'>By John Roe, Daily Caller News Foundation</p></aside>")
    assert status(doc(body), AFFIL) == "fail"


def test_initial_only_byline_needs_review() -> None:
    outcome = run_check(doc("<p class='byline'>By J. Doe</p>"), BYLINE, ("Jane Doe",))
    assert outcome.status.value == "review" and "only the initial" in outcome.message


@pytest.mark.parametrize("author,byline", [
    ("Mary Elizabeth Doe", "By Mary Doe"),          # a long middle name left out
    ("Doe, Jane", "By Jane Doe"),                   # the name given family-first
    ("Perry Bacon Jr.", "By Perry Bacon"),          # a suffix left out
    ("Ngozi Okonjo-Iweala", "By Ngozi Okonjo Iweala"),
])
def test_name_variants_are_found(author: str, byline: str) -> None:
    assert status(doc(f"<p class='byline'>{byline}</p>"), BYLINE, (author,)) == "pass"


def test_deeply_nested_byline_is_not_lost() -> None:
    """libxml2 drops content nested deeper than 256 levels unless told otherwise."""
    page = "<html><body>" + "<div>" * 1200 + "<p class='byline'>By Jane Doe</p>" + "</div>" * 1200 + "</body></html>"
    assert status(page, BYLINE, ("Jane Doe",)) == "pass"


def test_pages_full_of_by_lines_stay_bounded() -> None:
    """Thousands of "By …" lines (a listing page) must not make discovery examine every one."""
    from compliance.document.bylines import MAX_CANDIDATES, discover, impersonal_bylines
    from compliance.document.page import Page

    filler = "".join(f"<div class='c{i}'><span>By x{i}</span> text {i}</div>" for i in range(20000))
    page = Page(doc(filler + "<p class='byline'>By Jane Doe</p>"))
    hits = discover(page)
    assert hits and hits[0].name == "Jane Doe"  # author markup is looked at before "By" lines
    assert len(impersonal_bylines(page)) + len(hits) <= MAX_CANDIDATES


@pytest.mark.parametrize("byline,author", [
    ("By Ale&scaron; V&aacute;vra", "Ales Vavra"),     # accents written as character references
    ("By Ale&#353; V&#225;vra", "Aleš Vávra"),
    ("By J&#111;hn D&#111;e", "John Doe"),              # letters escaped inside an ASCII name
])
def test_names_spelled_with_character_references(byline: str, author: str) -> None:
    assert status(doc(f"<p class='byline'>{byline}</p>"), BYLINE, (author,)) == "pass"

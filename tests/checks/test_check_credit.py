"""``credit`` and ``matched_original``: the evidence that a page republishes the licensor's story."""

from __future__ import annotations

import pytest
from helpers import compile_check, doc, run_check, status

from compliance.checks.base import Context
from compliance.document.article import Article
from compliance.document.page import Page

CREDIT = {"credit": {"names": ["ProPublica"], "site": "propublica.org"}}
STORY = "<h1>Hospital chain sued patients</h1><p>The chain filed 4,000 lawsuits against patients in five years.</p>"


@pytest.mark.parametrize("body,expected", [
    ("<p class='byline'>By Jane Doe, ProPublica</p>", "pass"),  # the byline carries the licensor
    ("<p class='byline'>By <a href='https://www.propublica.org/people/jane-doe'>Jane Doe</a></p>", "pass"),
    ("<p><em>This story was originally published by ProPublica.</em></p>", "pass"),
    ("<p class='byline'>By Sam Roe</p><p>The chain sued, according to a ProPublica investigation.</p>", "fail"),
    ("<p class='byline'>By Sam Roe</p><p>As <a href='https://www.propublica.org/article/x'>reported</a>.</p>",
     "fail"),
    ("<p class='byline'>By Sam Roe</p><div class='related'><p class='byline'>By Jane Doe, ProPublica</p></div>",
     "fail"),
    ("<p class='byline'>By Sam Roe</p><aside class='sidebar'><p>This story was originally published by ProPublica."
     "</p></aside>", "fail"),
])
def test_credit(body: str, expected: str) -> None:
    assert status(doc("<article>" + STORY + body + "</article>"), CREDIT) == expected


def test_credit_can_be_switched_to_credit_lines_only() -> None:
    spec = {"credit": {"names": ["ProPublica"], "byline": False}}
    assert status(doc("<p class='byline'>By Jane Doe, ProPublica</p>"), spec) == "fail"


def test_credit_finds_the_given_authors_byline_too() -> None:
    # an unmarked "Jane Doe, ProPublica" line is a byline once Jane Doe is the reporter
    html = doc("<article>" + STORY + "<div>Jane Doe, ProPublica</div></article>")
    assert status(html, CREDIT, authors=("Jane Doe",)) == "pass"


def test_failure_lists_the_mentions_that_are_not_credits() -> None:
    outcome = run_check(doc("<p>The chain sued, according to a ProPublica investigation.</p>"), CREDIT)
    assert outcome.status.value == "fail"
    assert "Mentions that are not credits" in outcome.message and "citation" in outcome.message
    assert outcome.evidence


def _with_original(url: str | None) -> Context:
    original = None if url is None else Article(url=url, title="t", authors=(), published=None, paragraphs=(),
                                                links=())
    return Context(page=Page(doc("<p>x</p>")), original=original)


@pytest.mark.parametrize("url,site,expected", [
    ("https://www.propublica.org/article/x", "propublica.org", "pass"),
    ("https://calmatters.org/x/", "propublica.org", "fail"),
    ("https://calmatters.org/x/", None, "pass"),
    (None, "propublica.org", "fail"),
])
def test_matched_original(url, site, expected) -> None:
    spec = {"matched_original": {"site": site} if site else {}}
    assert compile_check(spec).evaluate(_with_original(url)).status.value == expected

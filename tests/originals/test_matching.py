"""OriginalIndex.match: links first, then headline, then body; None when unsure."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import FIXTURES

from compliance.document.article import Article, extract_article
from compliance.originals.catalog import load_catalog
from compliance.originals.matching import HEADLINE_THRESHOLD, Match, OriginalIndex

ORIGINALS = FIXTURES / "originals"


@pytest.fixture(scope="module")
def originals() -> list[Article]:
    return load_catalog(ORIGINALS / "feed.rss") + load_catalog(ORIGINALS / "feed.atom") + load_catalog(ORIGINALS / "manifest.csv")


@pytest.fixture(scope="module")
def index(originals: list[Article]) -> OriginalIndex:
    return OriginalIndex(originals)


def by_title(originals: list[Article], start: str) -> Article:
    return next(o for o in originals if o.title and o.title.startswith(start))


def page(title: str | None = None, paragraphs: tuple[str, ...] = (), canonical: str | None = None) -> Article:
    return Article(url="https://partner.example/story", title=title, authors=(), published=None,
                   paragraphs=paragraphs, links=(), canonical=canonical)


def assert_one_sentence(match: Match) -> None:
    assert match.detail.endswith(".") and "\n" not in match.detail
    assert 0.0 <= match.score <= 1.0


def test_republished_page_matches_through_its_canonical_link(index: OriginalIndex, originals: list[Article]) -> None:
    copy = extract_article((ORIGINALS / "republished-copy.html").read_text(encoding="utf-8"),
                           "https://valleyvoice.example/news/water-rates/")
    match = index.match(copy)
    assert match is not None and match.method == "link"
    assert match.original is by_title(originals, "Water district")
    assert match.detail.startswith("rel=canonical http://example-news.org/article/water-district-rates-1234567/")
    assert "equals the original URL https://www.example-news.org/article/water-district-rates-1234567" in match.detail
    assert_one_sentence(match)


def test_explicit_canonical_beats_headline(index: OriginalIndex, originals: list[Article]) -> None:
    clinic = by_title(originals, "Clinic wait times")
    water = by_title(originals, "Water district")
    copy = page(title=water.title, paragraphs=water.paragraphs)
    match = index.match(copy, [("link", "https://elsewhere.example/"), ("canonical", clinic.url + "?utm_source=x")])
    assert match is not None and (match.method, match.original) == ("link", clinic)
    assert match.score == 1.0 and "rel=canonical" in match.detail


@pytest.mark.parametrize(
    ("kind", "wording"),
    [("syndication-source", "syndication-source"), ("isBasedOn", "isBasedOn")],
)
def test_other_declared_sources(index: OriginalIndex, originals: list[Article], kind: str, wording: str) -> None:
    atom = by_title(originals, "Library extends")
    match = index.match(page(title="Something else entirely"), [(kind, atom.url.replace("https://", "http://"))])
    assert match is not None and match.original is atom and match.method == "link"
    assert wording in match.detail


def test_headline_with_small_edits(index: OriginalIndex, originals: list[Article]) -> None:
    water = by_title(originals, "Water district")
    match = index.match(page(title="Water District Quietly Raises Rates for Low-Income Households"))
    assert match is not None and match.method == "headline" and match.original is water
    assert HEADLINE_THRESHOLD <= match.score < 1.0
    assert "headline" in match.detail and water.title in match.detail
    assert_one_sentence(match)


def test_headline_with_a_kicker_and_site_suffix(index: OriginalIndex, originals: list[Article]) -> None:
    fire = by_title(originals, "Fire inspections")
    match = index.match(page(title="EXCLUSIVE: Fire inspections lag in older apartment buildings | Valley Voice"))
    assert match is not None and match.original is fire


def test_body_match_when_the_headline_was_rewritten(index: OriginalIndex, originals: list[Article]) -> None:
    water = by_title(originals, "Water district")
    body = water.paragraphs[:5] + ("This story was originally published by Example News.",)
    match = index.match(page(title="Poorest residents hit hardest by quiet fee change", paragraphs=body))
    assert match is not None and match.method == "body" and match.original is water
    assert match.score >= 0.8
    assert "5-word phrases" in match.detail and water.url in match.detail
    assert_one_sentence(match)


def test_style_edits_do_not_hide_a_copied_body(index: OriginalIndex, originals: list[Article]) -> None:
    water = by_title(originals, "Water district")
    restyled = tuple(p.replace("\u201c", '"').replace("\u201d", '"').upper() for p in water.paragraphs)
    match = index.match(page(title="A different headline", paragraphs=restyled))
    assert match is not None and match.method == "body" and match.score == 1.0


def test_unrelated_page_matches_nothing(index: OriginalIndex) -> None:
    unrelated = page(
        title="High school band wins state marching title",
        paragraphs=(
            "The Northside High School marching band won the state championship on Saturday, "
            "its first title since 1998, after a performance built around music from old film scores.",
            "Band director Lisa Moreno said the students rehearsed four evenings a week since August.",
        ),
    )
    assert index.match(unrelated) is None
    assert index.match(page()) is None


def test_plain_link_to_another_story_does_not_override_the_copied_text(
    index: OriginalIndex, originals: list[Article]
) -> None:
    water = by_title(originals, "Water district")
    clinic = by_title(originals, "Clinic wait times")
    copy = page(title=water.title, paragraphs=water.paragraphs)
    match = index.match(copy, [("link", clinic.url)])  # a "related story" link in the body
    assert match is not None and match.original is water and match.method == "headline"


def test_plain_link_confirmed_by_text(index: OriginalIndex, originals: list[Article]) -> None:
    water = by_title(originals, "Water district")
    copy = page(title="Fees rise for the poorest", paragraphs=water.paragraphs[:3])
    match = index.match(copy, [("link", "https://elsewhere.example/"), ("link", water.url + "/?utm_source=partner")])
    assert match is not None and match.method == "link" and match.original is water
    assert "a link on the page to" in match.detail and "5-word phrases" in match.detail
    assert_one_sentence(match)


def test_plain_link_alone(index: OriginalIndex, originals: list[Article]) -> None:
    clinic = by_title(originals, "Clinic wait times")
    match = index.match(page(title="Short brief"), [("link", clinic.url)])
    assert match is not None and match.method == "link" and match.original is clinic
    assert match.score < 1.0


def test_equal_headlines_are_told_apart_by_body() -> None:
    def story(n: int, text: str) -> Article:
        return Article(url=f"https://lic.example/{n}", title="Live updates: city council budget vote",
                       authors=(), published=None, paragraphs=(text,), links=())

    first = story(1, "The council debated the parks budget for three hours before voting seven to two in favor of the plan.")
    second = story(2, "Members clashed over police overtime and library hours, and the vote was postponed until next week.")
    index = OriginalIndex([first, second])
    match = index.match(page(title=second.title, paragraphs=second.paragraphs))
    assert match is not None and match.original is second


def test_similar_headline_with_unrelated_body_is_not_a_match() -> None:
    original = Article(url="https://lic.example/1", title="City council approves budget for next year",
                       authors=(), published=None,
                       paragraphs=("The council voted to raise spending on roads and parks by four percent, "
                                   "with most of the money going to repaving projects on the east side.",),
                       links=())
    index = OriginalIndex([original])
    other = page(title="City council approves budget for the next year",
                 paragraphs=("A wholly different report about the school district calendar, snow days and "
                             "the later start time that parents asked for in a survey last spring.",))
    assert index.match(other) is None
    # The same headline word for word still matches: a rewritten body is an edit to report.
    assert index.match(replace(other, title=original.title)) is not None


def test_empty_index() -> None:
    assert OriginalIndex([]).match(page(title="Anything", paragraphs=("Some text " * 20,))) is None

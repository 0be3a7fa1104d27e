"""One page model: the article reader, bylines and checks read the same parse, visibility and JSON-LD."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from compliance.checks.base import Context
from compliance.document.article import read_article
from compliance.document.bylines import discover, find_named
from compliance.document.jsonld import json_ld_values
from compliance.document.page import Page
from compliance.engine import check_page
from compliance.policy.load import load_policy
from compliance.text.names import split_names
from tests.helpers import doc

STORY = "".join(f"<p>Paragraph {i} of the story, long enough to read as prose, with commas, clauses, and more.</p>"
                for i in range(6))


def test_the_article_reader_parses_nothing_and_leaves_the_tree_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    page = Page(doc(f"<h1>Title</h1><article>{STORY}<div style='display:none'>Secret words</div></article>"))
    before = etree.tostring(page.root)
    parses = []
    real = etree.fromstring
    monkeypatch.setattr(etree, "fromstring", lambda *a, **k: parses.append(a) or real(*a, **k))
    article = read_article(page)
    assert parses == []
    assert etree.tostring(page.root) == before
    assert article.paragraphs and not any("Secret" in p for p in article.paragraphs)
    assert page.derive(read_article) is page.derive(read_article)  # cached on the page


def test_aria_hidden_text_is_visible_to_the_page_and_to_the_article_reader() -> None:
    page = Page(doc(f"<h1>Title</h1><article>{STORY}<p aria-hidden='true'>Decorative yet visible words, "
                    "which sighted readers see on the page like any other sentence.</p></article>"))
    el = page.root.xpath("//p[@aria-hidden]")[0]
    assert page.is_visible(el)
    assert any("Decorative yet visible" in p for p in read_article(page).paragraphs)


def test_hidden_means_the_same_to_the_article_reader_and_the_page() -> None:
    page = Page(doc(f"<h1>Title</h1><article>{STORY}<p hidden>Hidden attribute words.</p>"
                    "<p style='visibility:hidden'>Invisible words <span style='visibility:visible'>but these "
                    "show</span>.</p></article>"))
    text = " ".join(read_article(page).paragraphs)
    for el in page.root.iter("p", "span"):
        own = (el.text or "").strip()
        if own:
            assert (own in text) == page.is_visible(el), own


def test_names_are_split_the_same_way_for_the_story_and_for_bylines() -> None:
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "T", ' \
           '"author": {"@type": "Person", "name": "Jane Doe | Reuters"}}</script>'
    page = Page(doc(f"<h1>T</h1>{STORY}", head))
    assert read_article(page).authors == tuple(split_names("Jane Doe | Reuters")) == ("Jane Doe",)


def test_json_ld_is_read_once_and_leniently_for_every_reader() -> None:
    head = ('<script type="application/ld+json"><![CDATA[{"@type": "NewsArticle", "headline": "Line one\nline two",'
            ' "author": {"name": "Jane Doe"}}]]></script>')
    page = Page(doc(f"<h1>x</h1>{STORY}", head))
    assert list(json_ld_values(page.json_ld, ["author"])) == ["Jane Doe"]
    assert read_article(page).authors == ("Jane Doe",)


def test_derived_data_lives_in_one_cache_and_no_module_writes_into_the_page() -> None:
    page = Page(doc("<h1>Story</h1><p class='byline'>By Jane Doe, Daily Caller News Foundation</p>"
                    "<img src='dcnf-logo.png' alt='Daily Caller News Foundation' width='100' height='40'>"))
    attributes = set(vars(page))
    result = check_page(load_policy("dcnf"), Context(page=page, authors=("Jane Doe",)), "page.html")
    assert result.status.value == "pass"
    added = set(vars(page)) - attributes
    # only the page's own cached properties appear; others' results sit in page.derive's cache
    assert added <= {name for name in dir(Page) if not name.startswith("__")}, added
    assert find_named(page, "Jane Doe") is find_named(page, "Jane Doe")
    assert discover(page) is discover(page)


def test_the_user_asserted_author_and_the_inferred_one_stay_apart() -> None:
    from compliance.document.article import Article

    original = Article(url="https://example.org/a", title="T", authors=("Rosa Jimenez",), published=None,
                       paragraphs=(), links=())
    inferred = Context(page=Page(doc("<p>x</p>")), original=original)
    assert inferred.authors == () and inferred.reporters == ("Rosa Jimenez",)
    asserted = Context(page=Page(doc("<p>x</p>")), authors=("Marta Salas",), original=original)
    assert asserted.reporters == ("Marta Salas",) and asserted.original.authors == ("Rosa Jimenez",)


@given(st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=60), st.data())
@settings(max_examples=150, deadline=None)
def test_elements_come_back_in_document_order_however_many(shape: list[int], data) -> None:
    """A few elements are ordered by their ancestors' positions, many by one walk: both give document order."""
    from compliance.document.page import in_document_order

    root = etree.Element("html")
    made = [root]
    for parent_choice in shape:  # a random tree: each new element under one made before it
        made.append(etree.SubElement(made[parent_choice % len(made)], "div"))
    everything = list(root.iter())
    chosen = data.draw(st.sets(st.sampled_from(made), max_size=len(made)))
    assert in_document_order(root, set(chosen)) == [el for el in everything if el in chosen]

"""Affiliations bind to the co-author they are written next to; bylines are found the same way with or without
--author; names stop where the author's element stops."""

from __future__ import annotations

import pytest
from helpers import doc, run_check, status
from hypothesis import given
from hypothesis import strategies as st

from compliance.document.affiliations import bind
from compliance.document.bylines import discover, find_named
from compliance.document.page import Page

AFFIL = {"byline": {"affiliation": ["Daily Caller News Foundation", "DCNF"]}}
STORY = "<h1>Senate passes spending bill</h1>"
BODY = "<p>The Senate passed the bill late Thursday after hours of debate, sending it to the House.</p>"


def spans(text: str, *names: str) -> list[tuple[int, int]]:
    return sorted((text.find(n), text.find(n) + len(n)) for n in names)


@pytest.mark.parametrize("text,expected", [
    ("By Ana Ruiz, Harbor Gazette, and Tom Lee, Daily Caller News Foundation",
     {"Ana Ruiz": ["Harbor Gazette"], "Tom Lee": ["Daily Caller News Foundation"]}),
    ("By Ana Ruiz (Harbor Gazette) and Tom Lee (DCNF)", {"Ana Ruiz": ["Harbor Gazette"], "Tom Lee": ["DCNF"]}),
    ("By Ana Ruiz and Tom Lee, DCNF", {"Ana Ruiz": ["DCNF"], "Tom Lee": ["DCNF"]}),
    ("By Ana Ruiz, Tom Lee and Bo Li, DCNF", {"Ana Ruiz": ["DCNF"], "Tom Lee": ["DCNF"], "Bo Li": ["DCNF"]}),
    ("By Ana Ruiz, Harbor Gazette and Tom Lee", {"Ana Ruiz": ["Harbor Gazette"], "Tom Lee": []}),
    ("Ana Ruiz Harbor Gazette\nTom Lee Daily Caller News Foundation",
     {"Ana Ruiz": ["Harbor Gazette"], "Tom Lee": ["Daily Caller News Foundation"]}),
    ("By Jane Doe\nDaily Caller News Foundation", {"Jane Doe": ["Daily Caller News Foundation"]}),
    ("DCNF reporter Jane Doe | 4 min read", {"Jane Doe": ["DCNF reporter"]}),
    ("By Jane Doe | DCNF January 5, 2024", {"Jane Doe": ["DCNF"]}),
    ("Am 13. November 2019 Von Henry In Aktuell", {"Henry": ["In Aktuell"]}),
])
def test_bind(text: str, expected: dict[str, list[str]]) -> None:
    bound = bind(text, spans(text, *expected))
    assert {text[a:b]: items for (a, b), items in bound.items()} == expected


_NAME = st.sampled_from(["Ana Ruiz", "Tom Lee", "Bo Li", "Mia Chen", "Raj Patel"])
_ORG = st.sampled_from(["Harbor Gazette", "Daily Caller News Foundation", "Valley Times", "Metro Desk"])


@given(st.lists(st.tuples(_NAME, _ORG), min_size=1, max_size=4, unique_by=lambda t: t[0]), st.booleans())
def test_each_coauthor_keeps_their_own_affiliation(pairs, parentheses: bool) -> None:
    parts = [f"{n} ({o})" if parentheses else f"{n}, {o}" for n, o in pairs]
    text = "By " + (", ".join(parts[:-1]) + ", and " + parts[-1] if len(parts) > 1 else parts[0])
    bound = bind(text, spans(text, *(n for n, _ in pairs)))
    assert {text[a:b]: items for (a, b), items in bound.items()} == {n: [o] for n, o in pairs}


def page(byline: str, extra: str = "") -> str:
    return doc(f"<article>{STORY}<img src='/p/dcnf-logo.png' alt='DCNF' width='90' height='30'>{byline}{BODY}"
               f"{extra}</article>")


@pytest.mark.parametrize("byline,author,expected", [
    ("<p class='byline'>By Ana Ruiz, Harbor Gazette, and Tom Lee, Daily Caller News Foundation</p>", "Ana Ruiz",
     "fail"),
    ("<p class='byline'>By Ana Ruiz, Harbor Gazette, and Tom Lee, Daily Caller News Foundation</p>", "Tom Lee",
     "pass"),
    ("<p class='byline'>By Ana Ruiz (Harbor Gazette) and Tom Lee (Daily Caller News Foundation)</p>", "Ana Ruiz",
     "fail"),
    ("<div class='authors'><div class='author-card'><span>Ana Ruiz</span> <span>Harbor Gazette</span></div>"
     "<div class='author-card'><span>Tom Lee</span> <span>DCNF</span></div></div>", "Ana Ruiz", "fail"),
    ("<div class='authors'><div class='author-card'><span>Ana Ruiz</span> <span>Harbor Gazette</span></div>"
     "<div class='author-card'><span>Tom Lee</span> <span>DCNF</span></div></div>", "Tom Lee", "pass"),
    ("<ul class='byline-list'><li>By Ana Ruiz, Harbor Gazette</li><li>Tom Lee, DCNF</li></ul>", "Ana Ruiz", "fail"),
    ("<p class='byline'>By Ana Ruiz and Tom Lee, Daily Caller News Foundation</p>", "Ana Ruiz", "pass"),
    ("<p>By <span>Jane</span> <span>Doe</span><br>Daily Caller News Foundation</p>", "Jane Doe", "pass"),
    ("<p>By <span>Jane</span> <span>Doe</span><br>Harbor Gazette</p>", "Jane Doe", "fail"),
])
def test_affiliation_binds_to_its_own_person(byline: str, author: str, expected: str) -> None:
    outcome = run_check(page(byline), AFFIL, (author,))
    assert outcome.status.value == expected, outcome.message


def test_without_an_author_any_credited_person_with_the_affiliation_counts() -> None:
    shared = page("<p class='byline'>By Ana Ruiz, Harbor Gazette, and Tom Lee, Daily Caller News Foundation</p>")
    assert status(shared, AFFIL) == "pass"
    assert status(page("<p class='byline'>By Ana Ruiz, Harbor Gazette</p>"), AFFIL) == "fail"


STRONG = [  # bylines that are bylines by their own evidence
    "<p class='byline'>By Jane Doe</p>",
    "<div class='meta'><a href='/author/jane-doe'>Jane Doe</a> <time>May 2, 2024</time></div>",
    "<div><span>Written by</span> <a rel='author' href='/x'>Jane Doe</a></div>",
    "<p>By <span>Jane</span> <span>Doe</span><br>Harbor Gazette</p>",
    "<div class='item-caption'><span class='teaser-cat'>von Jane Doe</span></div>",
    "<div class='entry-meta'><span>Am 2. Mai 2024</span><span class='meta-author'> Von <span class='author vcard'>"
    "<a href='/author/jane/' rel='author'>Jane Doe</a></span></span><span> In <a href='/c/x'>Politik</a></span></div>",
]


@pytest.mark.parametrize("byline", STRONG)
def test_the_same_byline_with_or_without_the_author(byline: str) -> None:
    p = Page(page(byline))
    found = discover(p)
    assert found and "Jane Doe" in found[0].names
    named, _ = find_named(Page(page(byline)), "Jane Doe")
    assert named and named[0].line.text == found[0].line.text
    assert find_named(Page(page(byline)), "Tom Lee")[0] == []  # the author decides only whose name it is


def test_names_stop_where_the_authors_element_stops() -> None:
    html = page("<div class='entry-meta'>Am 13. November 2019<span class='meta-author'> Von <span class='author'>"
                "<a href='/author/henry/' rel='author'>Henry</a></span></span><span class='meta-category'> In "
                "<a href='/category/aktuell/'>Aktuell</a></span></div>")
    assert "Henry" in discover(Page(html))[0].names
    assert status(html, {"byline": {}}, ("Henry Steinhau",)) == "review"
    assert status(html, {"byline": {}}, ("Tom Steinhau",)) == "fail"


def test_a_teaser_class_yields_to_the_place_under_the_headline_but_a_related_box_does_not() -> None:
    under = page("<div class='item-caption'><span class='teaser-cat'>von Andreas Kürten</span></div>")
    related = page("<p class='byline'>Von Sam Roe</p>", "<section class='related'><div class='teaser'><h3>"
                   "<a href='/x'>Andere Story</a></h3><span class='teaser-cat'>von Andreas Kürten</span></div>"
                   "</section>")
    assert status(under, {"byline": {}}, ("Andreas Kürten",)) == "pass"
    assert status(related, {"byline": {}}, ("Andreas Kürten",)) == "fail"


INSTITUTION = {"byline": {"affiliation": ["/\\b(university|college|institute)\\b/"], "unmatched_affiliation": "review"}}


@pytest.mark.parametrize("byline,expected", [
    ("<p class='byline'>By Jane Doe, University of Example</p>", "pass"),
    ("<p class='byline'>By Jane Doe, Monash</p>", "review"),
    ("<p class='byline'>By Jane Doe | 4 min read</p>", "fail"),  # a reading time is not an affiliation
    ("<p class='byline'>By Jane Doe</p>", "fail"),
])
def test_unmatched_affiliation_can_ask_for_review(byline: str, expected: str) -> None:
    assert status(page(byline), INSTITUTION, ("Jane Doe",)) == expected
    assert status(page(byline), INSTITUTION) == expected


CONVERSATION = {"credit": {"names": ["The Conversation"], "site": "theconversation.com"}}
_META = ('<div class="article-meta"><div class="published-by"><div class="visually-hidden">Author of the article:</div>'
         '<span class="published-by__author"><a href="/author/jody-robbins/">Jody Robbins</a></span></div>'
         '<div class="published-date"><span>Published Jun 05, 2026</span></div>'
         '<div class="article-meta__bottom">{beside}</div></div>')


@pytest.mark.parametrize("beside, expected", [
    # a comments button beside the name (Postmedia's article header) is chrome, not the author's affiliation
    ('<a class="article-meta-comment-count" href="#comments"><div class="comment-count__text">Join the '
     'conversation</div></a>', "fail"),
    ('<div class="comments_button"><span>Join the Conversation</span></div>', "fail"),
    # the licensor written as the author's affiliation in the same box still credits the story
    ('<span class="affiliation">The Conversation</span>', "pass"),
])
def test_chrome_beside_a_byline_is_no_affiliation(beside: str, expected: str) -> None:
    html = doc(f"<article><header><h1>Iconic resort reopens</h1>{_META.format(beside=beside)}</header>{BODY * 3}"
               "</article>")
    assert status(html, CONVERSATION) == expected


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["ca_CanadaCom_2026_06_06", "ca_FinancialPost_2026_06_06",
                                  "ca_OttawaCitizen_2026_05_26", "ca_TheProvince_2026_06_06"])
def test_real_pages_with_a_join_the_conversation_button_are_not_conversation_republications(corpus_dir, name) -> None:
    from compliance.runner import Settings, check_raw, load_policies

    path = corpus_dir / "fundus" / f"{name}.html"
    if not path.is_file():
        pytest.skip(f"{path} is absent from the corpus")
    [result] = check_raw(str(path), path.read_bytes(), load_policies(["the-conversation"]),
                         Settings(policies=("the-conversation",)))
    assert result.status.value == "not_applicable", result.message

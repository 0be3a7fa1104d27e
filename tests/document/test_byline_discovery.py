"""Byline discovery does not depend on --author: a byline a given author is found in by its own evidence
(a credit word, author markup, a link to an author page) is found without the author too, and the byline
discovery picks passes the byline clause for the person it names."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.document.bylines import discover, find_named, name_matcher
from compliance.document.page import Page
from helpers import doc, status

FIRST = ["Jane", "Ana", "Tomasz", "Anna-Lena", "José", "Kathryn", "Henrik", "Mei", "Oluwaseun", "Zoë"]
LAST = ["Doe", "Ruiz", "Ulbrecht", "Brück", "Ortiz-Lamb", "Oberwetter", "Sørensen", "Lin", "Adeyemi", "van Dijk"]
MARKERS = ["By ", "by ", "BY ", "Von ", "Par ", "Por ", "Di ", ""]
WRAPS = [  # how the name itself is marked up
    "{name}", "<a href='/author/{slug}'>{name}</a>", "<a href='/people/{slug}/' rel='author'>{name}</a>",
    "<span itemprop='author'>{name}</span>", "<strong>{name}</strong>",
]
LINES = [  # the element holding the byline, and what stands beside it
    "<p class='byline'>{marker}{who}</p>", "<div class='meta'>{marker}{who} · <time>May 2, 2024</time></div>",
    "<p>{marker}{who} | 4 min read</p>", "<div class='author'>{marker}{who}</div>", "<address>{marker}{who}</address>",
    "<p>{marker}{who}</p>",
]
STORY = ("<p>The county's water district raised rates for the third time in two years on Tuesday, citing the cost "
         "of repairing pipes.</p><p>Residents who spoke at the meeting said the increases fall hardest on "
         "retirees and renters.</p>")
OWN_EVIDENCE = ("credits the name", "marked up as a byline")


@st.composite
def bylined_page(draw):
    name = f"{draw(st.sampled_from(FIRST))} {draw(st.sampled_from(LAST))}"
    who = draw(st.sampled_from(WRAPS)).format(name=name, slug=name.lower().replace(" ", "-"))
    line = draw(st.sampled_from(LINES)).format(marker=draw(st.sampled_from(MARKERS)), who=who)
    headline = "<h1>Water rates rise again as the district repairs its pipes</h1>"
    chrome = draw(st.sampled_from(["", "<ul class='share'><li><a href='#'>Share</a></li></ul>",
                                   "<div class='kicker'>Local news</div>"]))
    return name, doc(f"<header><nav><a href='/'>Home</a></nav></header><article>{headline}{chrome}{line}{STORY}"
                     "</article>")


@settings(max_examples=150, deadline=None)
@given(bylined_page())
def test_a_byline_found_for_the_author_is_found_without_one(case) -> None:
    name, html = case
    page = Page(html, "<test>")
    given_hits = [h for h in find_named(Page(html, "<test>"), name)[0]
                  if any(e in h.reason for e in OWN_EVIDENCE)]
    found = discover(page)
    matcher = name_matcher(name)
    if given_hits:
        assert any(any(True for _ in matcher.search_all(h.text)) for h in found), (name, html, given_hits, found)
    if found and any(True for _ in matcher.search_all(found[0].text)):
        # what discovery picks as the article's byline passes for the person it names, and without an author
        assert status(html, {"byline": {}}, (name,)) == "pass", (name, html)
        assert status(html, {"byline": {}}) == "pass", html

"""``position: top|bottom`` is measured against the story's first and last paragraphs, not a line count."""

from __future__ import annotations

import pytest
from helpers import doc, run_check, status

CREDIT = "<p><em>This story was originally published by ProPublica.</em></p>"
P = ["<p>The chain filed four thousand lawsuits against patients in five years, court records show.</p>",
     "<p>Many of the patients qualified for free care under the chain's own charity policy.</p>",
     "<p>The chain said it would stop filing new suits while it reviews the policy.</p>"]
SHARE = "<ul class='share'>" + "".join(f"<li><a href='#'>{s}</a></li>" for s in
                                        "Facebook X LinkedIn Email Print Copy WhatsApp Reddit Bluesky Threads "
                                        "Pocket Flipboard".split()) + "</ul>"
TAGS = "<ul class='tags'>" + "".join(f"<li><a href='#'>{t}</a></li>" for t in "Health Courts Debt".split()) + "</ul>"


def top(n: int = 1) -> dict:
    return {"text": {"patterns": ["originally published by ProPublica"], "within": "article", "position": "top",
                     "paragraphs": n}}


def bottom(n: int = 1) -> dict:
    return {"text": {"patterns": ["originally published by ProPublica"], "within": "article", "position": "bottom",
                     "paragraphs": n}}


def page(*parts: str) -> str:
    return doc("<header><nav><a href='/'>Home</a></nav></header><article><h1>Hospital chain sued its patients"
               "</h1><p class='byline'>By Jane Doe, ProPublica</p>" + "".join(parts) + "</article>")


@pytest.mark.parametrize("parts,spec,expected", [
    ((SHARE, TAGS, CREDIT, *P), top(), "pass"),       # share bar and tags above the credit: still the top
    ((CREDIT, *P), top(), "pass"),
    ((P[0], CREDIT, P[1], P[2]), top(), "fail"),      # after the first paragraph
    ((P[0], CREDIT, P[1], P[2]), top(2), "pass"),     # a policy may allow two
    ((P[0], P[1], CREDIT), top(), "fail"),            # a short story's foot is not its top
    ((P[0], P[1], CREDIT), bottom(), "pass"),
    ((P[0], P[1], CREDIT, TAGS, SHARE), bottom(), "pass"),  # tags and share bar after it: still the bottom
    ((CREDIT, P[0], P[1]), bottom(), "fail"),
    ((P[0], CREDIT, P[1]), bottom(), "fail"),
    ((P[0], CREDIT, P[1]), bottom(2), "pass"),
])
def test_top_and_bottom_of_the_story(parts, spec, expected) -> None:
    outcome = run_check(page(*parts), spec)
    assert outcome.status.value == expected, outcome.message


def test_headline_outside_the_scope_still_starts_the_top() -> None:
    html = doc("<header><h1>Hospital chain sued its patients</h1><p>This story was originally published by "
               "ProPublica.</p></header><div itemprop='articleBody'>" + "".join(P) + "</div>")
    spec = {"text": {"patterns": ["originally published by ProPublica"], "within": "[itemprop=articleBody]",
                     "position": "top"}}
    assert status(html, spec) == "pass"


def test_chrome_and_author_boxes_are_not_story_paragraphs() -> None:
    bio = "<div class='author-bio'><p>Jane Doe is a reporter covering health care and hospitals for us.</p></div>"
    related = ("<section class='related'><p>Read how another hospital chain sued thousands of its own patients."
               "</p></section>")
    assert status(page(*P, CREDIT, bio, related), bottom()) == "pass"


@pytest.mark.parametrize("after", [
    "<p>© 2024 Valley Courier Media Group. All rights reserved in every country we publish in.</p>",
    "<p>Sign up for our morning newsletter to get the day's top stories delivered to your inbox.</p>",
    "<footer><p>The Valley Courier is the region's independent daily, published since 1902 by its readers.</p></footer>",
    "<div class='newsletter-box'><p>Every weekday at six we send the stories you need to know about today.</p></div>",
    "<div class='article__promo'><p>Our reporters cover the courts so that you always know what happens there.</p></div>",
])
def test_furniture_after_the_story_is_not_its_last_paragraph(after: str) -> None:
    assert status(page(*P, CREDIT, after), bottom()) == "pass"
    assert status(page(P[0], CREDIT, P[1], P[2], after), bottom()) == "fail"  # the story's paragraphs still count


def test_a_page_without_prose_falls_back_to_lines() -> None:
    short = doc("<article>" + "".join(f"<p>Item {i}</p>" for i in range(20)) + CREDIT + "</article>")
    assert status(short, {"text": {"patterns": ["originally published by ProPublica"], "position": "top",
                                   "window": 3}}) == "fail"
    assert status(short, {"text": {"patterns": ["originally published by ProPublica"], "position": "bottom",
                                   "window": 3}}) == "pass"


def test_describe_speaks_of_the_story() -> None:
    from helpers import compile_check

    assert "top of the story" in compile_check(top()).describe()
    assert "last 2 paragraphs" in compile_check(bottom(2)).describe()


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.integers(min_value=1, max_value=6), st.data())
def test_credit_position_follows_the_paragraphs_whatever_the_chrome(n: int, data) -> None:
    at = data.draw(st.integers(min_value=0, max_value=n), label="credit after this many paragraphs")
    chrome = data.draw(st.lists(st.sampled_from([SHARE, TAGS, "<div>4 min read</div>", "<div>Share</div>"]),
                                max_size=4), label="chrome before each paragraph")
    parts: list[str] = []
    for i in range(n):
        if i == at:
            parts.append(CREDIT)
        parts.extend(chrome)
        parts.append(P[i % len(P)])
    if at == n:
        parts.append(CREDIT)
    html = page(*parts)
    assert (status(html, top()) == "pass") == (at == 0)
    assert (status(html, bottom()) == "pass") == (at == n)

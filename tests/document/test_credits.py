"""Credit lines: a sentence attributing *this* article to a source, told apart from citations of it."""

from __future__ import annotations

import pytest
from helpers import doc
from hypothesis import given
from hypothesis import strategies as st

from compliance.document.credits import find_credits
from compliance.document.page import Page
from compliance.text.patterns import compile_pattern

NAMES = [compile_pattern("ProPublica")]
SITES = [compile_pattern("propublica.org")]
STORY = "https://www.propublica.org/article/hospital-chain-sued-patients"


def credits(body: str, notices: tuple[str, ...] = ()) -> list:
    found, _ = find_credits(Page(doc(body)), NAMES, SITES, [compile_pattern(n, regex=True) for n in notices])
    return found


@pytest.mark.parametrize("body", [
    "<p>This story was originally published by ProPublica.</p>",
    "<p><em>This story was originally published by <a href='#'>ProPublica</a>.</em></p>",
    "<p>This article first appeared on ProPublica and is republished here under a Creative Commons license.</p>",
    "<p>Originally published by ProPublica</p>",
    "<p>Republished with permission from ProPublica.</p>",
    "<p>First published in ProPublica.</p>",
    "<p>A version of this story was first published by ProPublica on May 2.</p>",
    "<p>This story is published as part of a content-sharing agreement with ProPublica.</p>",
    "<p>ProPublica's story on the chain is republished here with permission.</p>",
    f"<p>This story <a href='{STORY}'>originally appeared here</a>.</p>",
    "<p>The council met on Tuesday. This story was originally published by ProPublica.</p>",
])
def test_credit_lines_about_this_article(body: str) -> None:
    assert credits(body), body


@pytest.mark.parametrize("body", [
    "<p>The chain sued 4,000 patients, according to a ProPublica investigation published last year.</p>",
    f"<p>Similar suits hit other hospitals, as <a href='{STORY}'>ProPublica reported</a> in May.</p>",
    "<p>The investigation, originally published by ProPublica in May, found that half the districts had deferred "
    "repairs for more than a decade.</p>",
    "<p>ProPublica first reported the plan in March.</p>",
    "<p>ProPublica's data was republished by the state health department.</p>",
    "<p>This story was originally published by the Harbor Gazette and includes reporting from ProPublica.</p>",
    "<p>Some stories on this site were originally published elsewhere, including ProPublica.</p>",
    "<section class='related-stories'><h2>Related</h2><p>This story was originally published by ProPublica.</p>"
    "</section>",
    "<p hidden>This story was originally published by ProPublica.</p>",
    "<footer><p>Our news partners: ProPublica, The Texas Tribune.</p></footer>",
])
def test_citations_and_chrome_are_not_credits(body: str) -> None:
    assert not credits(body), body


def test_a_licensors_own_notice_counts_wherever_it_stands() -> None:
    notice = "<p>All content created by the Daily Caller News Foundation is available without charge.</p>"
    found, _ = find_credits(Page(doc(notice)), [compile_pattern("Daily Caller News Foundation")], [],
                            [compile_pattern("content created by the daily caller news foundation", regex=True)])
    assert found and found[0].how == "is the source's own notice"


def test_rejected_mentions_explain_why() -> None:
    _, rejected = find_credits(Page(doc(
        "<p>The plan drew fire, according to a ProPublica investigation.</p>"
        "<div class='related'><a href='#'>ProPublica: more</a></div>")), NAMES, SITES)
    reasons = [r.why for r in rejected]
    assert any("citation" in r for r in reasons) and any("related" in r for r in reasons)


@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    from html import escape

    find_credits(Page(doc(f"<p>{escape(text)}</p><p>ProPublica {escape(text)}</p>")), NAMES, SITES)


@given(st.sampled_from(["according to", "as reported by", "cited by", "in a study by", "a report from"]),
       st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=20, max_size=120))
def test_a_citation_phrase_never_credits(phrase: str, rest: str) -> None:
    assert not credits(f"<p>The plan drew criticism, {phrase} ProPublica, {rest}.</p>")

"""The words every match of a pattern must contain: what lets a page be ruled out without reading its text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.text.patterns import compile_pattern, normalize, regex_literals
from tests.helpers import doc, status


@pytest.mark.parametrize(("regex", "words"), [
    (r"\bcc[ -]?by[ -]4\.0\b", ["4.0"]),                 # escaped punctuation is text
    (r"propublica\.org\/.", ["propublica.org/"]),
    (r"daily[-_ ]?caller", ["daily", "caller"]),
    (r"(^|/)dcnf([^a-z]|$)", ["dcnf"]),
    (r"a\.?bcd", ["bcd"]),                               # an optional dot leaves "a" on its own: too short
    (r"\.\.\.x", []),                                    # punctuation alone is not a word
    (r"cc|by", []),
])
def test_required_words_of_a_regex(regex: str, words: list[str]) -> None:
    assert regex_literals(regex) == words


_PIECES = st.sampled_from(["cc", "by", "4", "0", r"\.", r"\/", r"\-", "[ -]?", "[ -]", r"\s", r"\b", "x?", "(a|b)",
                           ".", "[0-9]", "org", "news"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=8), st.text(alphabet="ccbyorgnews40./- xab", max_size=40))
def test_every_match_holds_every_required_word(pieces: list[str], text: str) -> None:
    regex = "".join(pieces)
    pattern = compile_pattern(regex, regex=True)
    target = normalize(text)
    if pattern.search(target):
        assert all(w in target for w in pattern.required_words()), (regex, target)


CC_BY = {"text": {"patterns": [r"/\bcc[ -]?by[ -]4\.0\b/"], "within": ["article", "body"]}}


@pytest.mark.parametrize("written", [
    "CC BY 4.0", "CC BY 4&#46;0", "CC BY 4&#x2E;0", "CC BY &#52;.0", "CC BY 4&period;0",
    "\uff23\uff23 \uff22\uff39 \uff14\uff0e\uff10",  # full-width forms, which NFKC reads as "CC BY 4.0"
])
def test_a_required_word_spelled_with_references_or_full_width_forms_is_still_found(written: str) -> None:
    assert status(doc(f"<article><p>Licensed under {written}.</p></article>"), CC_BY) == "pass"
    other = written.replace("4", "3").replace("&#52;", "&#51;").replace("\uff14", "\uff13")  # "3.0"
    assert status(doc(f"<article><p>Licensed under {other}.</p></article>"), CC_BY) == "fail"


def test_a_page_without_the_word_is_ruled_out_before_its_text_is_read() -> None:
    from compliance.document.page import Page

    page = Page(doc("<article><p>Licensed under CC BY 3.0.</p></article>"))
    pattern = compile_pattern(r"\bcc[ -]?by[ -]4\.0\b", regex=True)
    assert not page.may_match(pattern)
    assert "lines" not in page.__dict__
    assert re.search(r"4\.0", page.text) is None

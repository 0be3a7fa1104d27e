"""``within`` as a list: the first selector that matches on the page is the scope (article, else main, else body)."""

from __future__ import annotations

import pytest
from helpers import compile_check, doc, run_check

from compliance.errors import PolicyError

TOP = {"text": {"patterns": ["originally published by ProPublica"],
                "within": ["[itemprop=articleBody]", "article", "body"], "position": "top", "window": 3}}
NAV = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(12))


def test_first_matching_selector_wins() -> None:
    page = doc(f"<nav><ul>{NAV}</ul></nav><article><h1>T</h1><p>This story was originally published by "
               "ProPublica.</p><p>Body.</p></article>")
    assert run_check(page, TOP).status.value == "pass"


def test_falls_back_to_later_selectors_when_earlier_ones_match_nothing() -> None:
    page = doc("<div class='content'><h1>T</h1><p>This story was originally published by ProPublica.</p></div>")
    assert run_check(page, TOP).status.value == "pass"


def test_an_earlier_match_is_not_widened() -> None:
    body = "".join(f"<p>Paragraph {i}.</p>" for i in range(6))
    page = doc(f"<article><h1>T</h1>{body}<p>This story was originally published by ProPublica.</p></article>")
    outcome = run_check(page, TOP)
    assert outcome.status.value == "fail"
    assert "the first of these the page has" in outcome.message


def test_each_selector_is_validated_with_its_position() -> None:
    with pytest.raises(PolicyError) as err:
        compile_check({"text": {"patterns": ["x"], "within": ["article", "p[", "body"]}})
    assert err.value.key.endswith("within[1]")

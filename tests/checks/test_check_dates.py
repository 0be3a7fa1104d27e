"""``published_within``: the republication date against the original's (Undark's 90-day window)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from helpers import compile_check, doc

from compliance.checks.base import Context
from compliance.checks.dates import page_date, parse_date
from compliance.document.page import Page
from compliance.errors import PolicyError


@pytest.mark.parametrize("text, expected", [
    ("2024-03-05", date(2024, 3, 5)),
    ("2024-03-05T22:10:00Z", date(2024, 3, 5)),
    ("2024-03-05T22:10:00-05:00", date(2024, 3, 5)),
    ("2024-03-05T22:10:00.000+0000", date(2024, 3, 5)),
    ("March 5, 2024", date(2024, 3, 5)),
    ("Mar. 5, 2024", date(2024, 3, 5)),
    ("5 March 2024", date(2024, 3, 5)),
    ("Published March 5th, 2024", date(2024, 3, 5)),
    ("yesterday", None),
    ("2024-02-30", None),
    ("", None),
])
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_page_date_prefers_declared_metadata() -> None:
    html = doc('<article><time datetime="2024-01-01">Jan 1</time></article>',
               head='<meta property="article:published_time" content="2024-02-02T08:00:00Z">'
                    '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
                    '"datePublished": "2024-03-03"}]}</script>')
    assert page_date(Page(html))[0] == date(2024, 3, 3)
    html = doc('<article><time datetime="2024-01-01">Jan 1</time></article>',
               head='<meta property="article:published_time" content="2024-02-02T08:00:00Z">')
    assert page_date(Page(html))[0] == date(2024, 2, 2)
    html = doc('<article><time style="display:none">May 1, 2023</time><time>June 9, 2024</time></article>')
    assert page_date(Page(html))[0] == date(2024, 6, 9)
    assert page_date(Page(doc("<p>No date here.</p>"))) is None


def _run(html: str, published: str | None, spec=None) -> str:
    check = compile_check(spec or {"published_within": {"days": 90}})
    original = SimpleNamespace(published=published) if published is not None else None
    return check.evaluate(Context(page=Page(html), original=original))


PAGE = doc("<article><h1>Glowing fish</h1></article>",
           head='<meta property="article:published_time" content="2024-05-10">')


def test_within_the_window_passes() -> None:
    outcome = _run(PAGE, "2024-03-01")
    assert outcome.status.value == "pass" and "70 day(s)" in outcome.message


def test_the_last_day_counts_and_the_next_fails() -> None:
    assert _run(PAGE, "2024-02-10").status.value == "pass"    # exactly 90 days
    late = _run(PAGE, "2024-02-09")
    assert late.status.value == "fail"
    assert "91 days after the original" in late.message and "2024-02-09" in late.message


def test_unknown_dates_need_review() -> None:
    assert _run(PAGE, None).status.value == "review"            # no original matched
    assert _run(PAGE, "not a date").status.value == "review"
    undated = doc("<article><h1>x</h1></article>")
    assert _run(undated, "2024-01-01").status.value == "review"
    strict = {"published_within": {"days": 90, "undated": "fail"}}
    assert _run(undated, "2024-01-01", strict).status.value == "fail"


def test_a_page_dated_before_its_original_needs_review() -> None:
    assert _run(PAGE, "2024-06-01").status.value == "review"


def test_options_are_validated() -> None:
    with pytest.raises(PolicyError, match="days"):
        compile_check({"published_within": {}})
    with pytest.raises(PolicyError):
        compile_check({"published_within": {"days": -1}})

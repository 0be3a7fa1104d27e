"""diff_bodies: style edits are allowed, cuts and additions are reported."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from compliance.originals.textdiff import (
    BodyDiff,
    ParagraphChange,
    diff_bodies,
    normalize_text,
    render_diff,
)

ORIGINAL = [
    "The Riverside Valley Water District raised monthly fees for its lowest-income customers by 38% last year.",
    "The increase, approved in June, ended a discount program that had covered about 4,200 households.",
    "\u201cNobody told us anything,\u201d said Denise Harper, a retired school cook.",
    "State law requires water utilities to hold a public hearing before raising rates.",
    "Board president Alan Cho declined an interview request.",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u201cQuoted\u201d \u2018text\u2019", "\"quoted\" 'text'"),
        ("a \u2014 b \u2013 c", "a-b-c"),
        ("wait\u2026", "wait..."),
        ("  lots\u00a0of \t\n space  ", "lots of space"),
        ("UPPER Case", "upper case"),
        ("\ufb01ne \uff21", "fine a"),  # NFKC: ligature, full-width letter
        ("soft\u00adhyphen zero\u200bwidth", "softhyphen zerowidth"),
        ("well-known", "well-known"),
    ],
)
def test_normalize_text_folds_house_style(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


def test_identical_bodies() -> None:
    diff = diff_bodies(ORIGINAL, ORIGINAL)
    assert diff == BodyDiff(similarity=1.0, changes=(), trimmed_end=False)
    assert render_diff(diff) == []


def test_style_edits_are_reported_but_keep_similarity_at_one() -> None:
    copy = list(ORIGINAL)
    copy[2] = '"Nobody told us anything," said Denise Harper, a retired school cook.'
    copy[0] = copy[0].upper()
    diff = diff_bodies(ORIGINAL, copy)
    assert diff.similarity == 1.0
    assert [c.kind for c in diff.changes] == ["changed", "changed"]
    assert all(c.style_only for c in diff.changes)
    assert diff.substantive == []


def test_rebroken_paragraphs_are_a_style_change() -> None:
    copy = [ORIGINAL[0] + " " + ORIGINAL[1]] + ORIGINAL[2:]
    diff = diff_bodies(ORIGINAL, copy)
    assert diff.similarity == 1.0
    assert len(diff.changes) == 1 and diff.changes[0].style_only


def test_edited_paragraph_is_one_change_not_a_removal_and_an_addition() -> None:
    copy = list(ORIGINAL)
    copy[3] = "State law requires utilities to hold a public hearing before they raise rates."
    diff = diff_bodies(ORIGINAL, copy)
    assert diff.changed == [ParagraphChange("changed", ORIGINAL[3], copy[3], style_only=False)]
    assert diff.added == [] and diff.removed == []
    assert 0.9 < diff.similarity < 1.0
    [line] = render_diff(diff)
    assert line.startswith("~ changed: ") and " \u2192 " in line


def test_unrelated_replacement_is_a_removal_and_an_addition() -> None:
    copy = list(ORIGINAL)
    copy[3] = "Subscribe to our newsletter for more local news every morning."
    diff = diff_bodies(ORIGINAL, copy)
    assert diff.removed == [ORIGINAL[3]]
    assert diff.added == [copy[3]]
    assert diff.changed == []


def test_trimmed_end() -> None:
    diff = diff_bodies(ORIGINAL, ORIGINAL[:3])
    assert diff.trimmed_end
    assert diff.removed == ORIGINAL[3:]
    assert not diff_bodies(ORIGINAL, ORIGINAL[:1] + ORIGINAL[2:]).trimmed_end  # cut in the middle
    assert not diff_bodies(ORIGINAL, ORIGINAL[:3] + ["Credit line."]).trimmed_end  # and something added
    assert diff_bodies(ORIGINAL, [p.upper() for p in ORIGINAL[:2]]).trimmed_end  # style edits allowed
    assert not diff_bodies(ORIGINAL, []).trimmed_end
    assert not diff_bodies(ORIGINAL, ORIGINAL).trimmed_end


def test_empty_paragraphs_are_ignored() -> None:
    assert diff_bodies(["a", "", "  "], ["a"]).changes == ()
    assert diff_bodies([], []).similarity == 1.0


def test_render_diff_orders_substance_first_truncates_and_limits() -> None:
    long_paragraph = "word " * 100
    copy = [ORIGINAL[0].upper()] + ORIGINAL[1:] + [long_paragraph, "Another added paragraph here."]
    diff = diff_bodies(ORIGINAL, copy)
    lines = render_diff(diff)
    assert lines[0].startswith("+ added: word word")
    assert len(lines[0]) < 140 and lines[0].endswith("\u2026")
    assert lines[-1].startswith("= style only: ")
    limited = render_diff(diff, limit=1)
    assert limited[-1] == "\u2026 and 2 more change(s)"
    removal = render_diff(diff_bodies(ORIGINAL, ORIGINAL[:4]))
    assert removal == ["- removed: " + ORIGINAL[4]]


# -- properties ---------------------------------------------------------------

words = st.sampled_from("water district rates board hearing said the a of by public fees law cook".split())
paragraphs = st.lists(words, min_size=3, max_size=15).map(lambda ws: " ".join(ws).capitalize() + ".")
bodies = st.lists(paragraphs, max_size=12)


@given(bodies)
def test_a_body_equals_itself(body: list[str]) -> None:
    diff = diff_bodies(body, body)
    assert diff.similarity == 1.0
    assert diff.changes == ()


@given(bodies, paragraphs, st.data())
def test_one_inserted_paragraph_is_one_addition(body: list[str], new: str, data: st.DataObject) -> None:
    assume(normalize_text(new) not in {normalize_text(p) for p in body})
    position = data.draw(st.integers(0, len(body)))
    copy = body[:position] + [new] + body[position:]
    diff = diff_bodies(body, copy)
    assert diff.changes == (ParagraphChange("added", None, new),)
    assert diff.added == [new]


def _restyle(paragraph: str, how: int) -> str:
    if how == 0:
        return paragraph.upper()
    if how == 1:
        return "  " + paragraph.replace(" ", "\u00a0 ") + " "
    if how == 2:
        return "\u201c" + paragraph + "\u201d"
    return paragraph.replace(" a ", " \u2014 a ")


@given(bodies, st.data())
def test_style_only_edits_keep_similarity_one(body: list[str], data: st.DataObject) -> None:
    styles = data.draw(st.lists(st.integers(0, 4), min_size=len(body), max_size=len(body)))
    originals = ['"' + p + '"' if s == 2 else p.replace(" a ", " - a ") if s == 3 else p for p, s in zip(body, styles)]
    copy = [_restyle(p, s) if s < 4 else p for p, s in zip(body, styles)]
    diff = diff_bodies(originals, copy)
    assert diff.similarity == 1.0
    assert all(change.style_only for change in diff.changes)


def test_republished_fixture_against_its_original() -> None:
    from conftest import FIXTURES

    from compliance.document.article import extract_article
    from compliance.originals.catalog import load_catalog

    original = load_catalog(FIXTURES / "originals" / "feed.rss")[0]
    copy = extract_article((FIXTURES / "originals" / "republished-copy.html").read_text(encoding="utf-8"))
    diff = diff_bodies(original.paragraphs, copy.paragraphs)
    assert diff.removed == ["This story was produced in partnership with the State Watch Collaborative."]
    assert diff.added == ["This story was originally published by Example News."]
    assert len(diff.changed) == 3 and all(change.style_only for change in diff.changed)  # straight quotes
    assert not diff.trimmed_end
    assert 0.9 < diff.similarity < 1.0

"""Columns for ``path:line:col``: every element the source places points at its own start tag."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compliance.document.page import Page
from compliance.document.positions import Positions

TAGS = ["p", "div", "span", "a", "img", "section", "b"]


@st.composite
def documents(draw) -> tuple[str, dict[str, str]]:
    """Elements with unique ids, several per line or one over lines, among decoys the parser never reads as tags."""
    out = ["<!doctype html>\n<html><head><title>t <p id='decoy'></title></head><body>"]
    tags: dict[str, str] = {}
    n = draw(st.integers(1, 25))
    for i in range(n):
        tag = draw(st.sampled_from(TAGS))
        gap = draw(st.sampled_from(["", " ", "\n", "\n  ", "\r\n"]))
        attrs = draw(st.sampled_from(["", ' class="x > y"', " data-x='<p>'", ' title="a\nb"']))
        decoy = draw(st.sampled_from(["", f"<!-- <{tag} id=\"e{i}\"> -->", f"<script>var s = '<{tag} id=\"e{i}\">';</script>"]))
        inner = "" if tag == "img" else f"text {i}</{tag}>"
        tags[f"e{i}"] = f"<{tag} id=\"e{i}\"{attrs}>"
        out.append(f"{gap}{decoy}{tags[f'e{i}']}{inner}")
    out.append("\n</body></html>\n")
    return "".join(out), tags


@given(documents())
def test_a_column_always_points_at_the_elements_own_start_tag(document: tuple[str, dict[str, str]]) -> None:
    html, tags = document
    page = Page(html)
    for el in page.root.iter():
        ident = el.get("id") if isinstance(el.tag, str) else None
        if ident not in tags:
            continue
        start = html.rindex(tags[ident])  # the decoys come before the element itself
        ev = page.evidence(el, "x")
        if "\n" in tags[ident]:
            assert ev.column is None, ev  # the tag begins on an earlier line than it ends
            continue
        line = html.count("\n", 0, start) + 1
        column = start - (html.rfind("\n", 0, start) + 1) + 1
        assert (ev.line, ev.column) == (line, column), (ev, tags[ident])


def test_what_cannot_be_placed_gets_no_column() -> None:
    html = '<table>\n<tr><td id="c">x</td></tr>\n</table>\n<p\n  id="split">y</p>\n'
    page = Page(html)
    cell = page.root.xpath("//td")[0]
    assert page.evidence(cell, "x").column == 5
    assert page.evidence(page.root.xpath("//body")[0], "x").column is None  # added by the parser
    assert page.evidence(page.root.xpath("//p")[0], "x").column is None  # starts on an earlier line
    assert Positions("").column(cell) is None


def test_a_comment_ending_right_after_a_tag_name_closes() -> None:
    """``<!--li>…</li-->``: the comment ends at "-->" even where it is glued to a tag name inside it."""
    html = ('<ul>\n  <!--li><a href="/">Ranking</a></li-->\n  <li><a id="x" href="/photo/">Photo</a></li>\n</ul>\n')
    page = Page(html)
    link = page.root.xpath("//a[@id='x']")[0]
    assert page.evidence(link, "x").column == html.split("\n")[2].index("<a id") + 1

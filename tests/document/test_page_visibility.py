"""What counts as visible: the rules readers see, decided without a browser."""

from __future__ import annotations

import pytest
from helpers import doc

from compliance.document.page import Page, inline_visibility


def visible_lines(body: str, head: str = "") -> list[str]:
    return [ln.text for ln in Page(doc(body, head)).lines]


@pytest.mark.parametrize("body", [
    "<script>var by = 'By Jane Doe';</script>",
    "<style>.x:after{content:'By Jane Doe'}</style>",
    "<template><p>By Jane Doe</p></template>",
    "<noscript><p>By Jane Doe</p></noscript>",
    "<!-- By Jane Doe -->",
    "<div hidden><p>By Jane Doe</p></div>",
    "<div style='display:none'><p>By Jane Doe</p></div>",
    "<div style='DISPLAY : None !important'><p>By Jane Doe</p></div>",
    "<div style='visibility:hidden'><span>By Jane Doe</span></div>",
    "<div style='visibility: collapse'><span>By Jane Doe</span></div>",
    "<p title='By Jane Doe' data-x='By Jane Doe'></p>",
    "<input type='hidden' value='By Jane Doe'>",
])
def test_invisible_text_is_not_seen(body: str) -> None:
    assert not any("Jane" in line for line in visible_lines(body + "<p>Other text</p>"))


def test_visibility_can_be_turned_back_on_but_display_cannot() -> None:
    lines = visible_lines("<div style='visibility:hidden'><p style='visibility:visible'>Shown</p><p>Hidden</p></div>"
                          "<div style='display:none'><p style='display:block'>Still hidden</p></div>")
    assert lines == ["Shown"]


def test_style_comments_and_other_properties_do_not_hide() -> None:
    lines = visible_lines("<p style='/* display:none */ color: red'>Seen</p>"
                          "<p style='display: block; visibility: visible'>Also</p>")
    assert lines == ["Seen", "Also"]


def test_inline_visibility_parser_takes_the_last_declaration() -> None:
    assert inline_visibility("display:none; display:block") == ("block", None)
    assert inline_visibility("visibility:hidden;visibility:visible") == (None, "visible")


def test_text_split_across_inline_tags_is_one_line_and_blocks_are_separate() -> None:
    lines = visible_lines("<p>By <a href='#'><b>Jane</b> Doe</a><br>Reporter</p><div>Next block</div>")
    assert lines == ["By Jane Doe", "Reporter", "Next block"]


def test_evidence_has_line_paths_and_snippet() -> None:
    page = Page("<html><body>\n<div id='main'>\n<p class='byline'>By Jane</p></div></body></html>")
    el = page.root.xpath("//p")[0]
    ev = page.evidence(el, "note")
    assert ev.line == 3
    assert ev.xpath == "/html/body/div/p"
    assert ev.css == "div#main > p"
    assert ev.snippet == '<p class="byline">By Jane</p>'


def test_hidden_reason_names_the_ancestor() -> None:
    page = Page(doc("<section class='promo' style='display:none'><img src='x.png'></section>"))
    img = page.root.xpath("//img")[0]
    assert "display:none" in page.hidden_reason(img) and "promo" in page.hidden_reason(img)

"""What counts as visible: the rules readers see, decided without a browser."""

from __future__ import annotations

import pytest
from helpers import doc
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.document.page import BLOCK_TAGS, Page, _separate_words, block_ancestor, inline_visibility


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


# -- the visible lines, built in one walk down the tree, against a reading text node by text node --------

_TAGS = ["div", "p", "span", "b", "em", "a", "li", "br", "img", "h1", "section", "script", "template", "time"]
_STYLES = ["", "display:none", "visibility:hidden", "visibility:visible", "font-size:0", "font-size:12px",
           "opacity:0", "text-indent:-9999px"]
_CLASSES = ["", "hide", "show", "tiny", "plain"]
SHEET = ("<style>.hide{display:none} .show{visibility:visible} .ghost .show{visibility:hidden} "
         ".tiny{font-size:0} p.plain{color:red}</style>")


@st.composite
def trees(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth < 4 else 0))):
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(["Jane", "Doe", " ", "By", "x.", "  a b ", "Q"])))
        else:
            tag = draw(st.sampled_from(_TAGS))
            style = draw(st.sampled_from(_STYLES))
            cls = draw(st.sampled_from(_CLASSES + ["ghost"]))
            attrs = (f" style='{style}'" if style else "") + (f" class='{cls}'" if cls else "")
            attrs += " hidden" if draw(st.integers(0, 9)) == 0 else ""
            inner = "" if tag in ("br", "img") else draw(trees(depth + 1))
            parts.append(f"<{tag}{attrs}>{inner}</{tag}>" if tag not in ("br", "img") else f"<{tag}{attrs}>")
    return "".join(parts)


def _reference_lines(page: Page, nodes) -> list[tuple[str, str]]:
    """The visible lines read text node by text node, each owner's visibility asked on its own."""
    out, pieces, current, prev = [], [], None, None
    for node in nodes:
        parent = node.getparent()
        owner = parent.getparent() if node.is_tail else parent
        if owner is None or not page.visibility.text_visible(owner):
            continue
        block = block_ancestor(owner)
        breaks = node.is_tail and isinstance(parent.tag, str) and parent.tag in BLOCK_TAGS
        if block is not current or breaks:
            if pieces and " ".join("".join(pieces).split()):
                out.append((current.tag, " ".join("".join(pieces).split())))
            pieces, current = [], block
        if pieces and _separate_words(prev, pieces[-1], owner, str(node)):
            pieces.append(" ")
        pieces.append(str(node))
        prev = owner
    if pieces and " ".join("".join(pieces).split()):
        out.append((current.tag, " ".join("".join(pieces).split())))
    return out


@settings(max_examples=150, deadline=None)
@given(trees())
def test_lines_from_the_walk_down_the_tree_read_like_text_node_by_text_node(body: str) -> None:
    html = doc(body, SHEET)
    walked = Page(html)
    reference = Page(html)
    expected = _reference_lines(reference, reference.root.xpath("//body//text()"))
    assert [(ln.block.tag, ln.text) for ln in walked.lines] == expected
    warmed = Page(html)  # blocks read first are taken whole into the lines of what holds them
    inner = [el for el in warmed.root.iter("p", "li", "section") if el.getparent() is not None][::2]
    warmed.lines_in(inner)
    assert [(ln.block.tag, ln.text) for ln in warmed.lines] == expected
    for block in walked.root.iter("div", "p", "section", "li"):  # a subtree read on its own reads the same
        path = walked.tree.getpath(block)
        alone = Page(html)
        assert [ln.text for ln in alone.lines_in(alone.root.xpath(path))] == \
            [t for _, t in _reference_lines(reference, reference.root.xpath(path + "//text()"))]


def test_a_block_read_before_that_shows_nothing_does_not_end_the_line_around_it() -> None:
    html = doc("Jane<span><p hidden></p></span>Jane")  # found by the property above
    page = Page(html)
    page.lines_in(page.root.xpath("//p"))
    assert [ln.text for ln in page.lines] == ["JaneJane"]

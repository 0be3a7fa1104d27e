"""Page chrome and author markup read off class names, case-insensitively, as the page writes them."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from compliance.document import regions
from compliance.document.regions import author_markup, negative_region

_FRAGMENTS = ["Related", "related-posts", "COMMENTS", "comment-body", "comments", "tag-newsletter", "Teaser",
              "sidebar", "with-sidebar", "Byline", "author-box", "AUTHOR", "post", "content", "main-content",
              "read-more", "x", "Most-Read", "upnext", "layout-2"]
_OLD_NEGATIVE = re.compile(regions._NEGATIVE.regex.pattern, re.I)
_OLD_SIGNAL = re.compile(regions._SIGNAL_WORDS, re.I)
_OLD_LAYOUT = re.compile(regions._LAYOUT_WORDS.regex.pattern, re.I)
_OLD_TAXONOMY = re.compile(regions._TAXONOMY.regex.pattern, re.I)


def _old_negative_token(attrs: str) -> str | None:
    """The token test with ``re.I`` on each token, as it was written first: the reference."""
    for token in attrs.split():
        if _OLD_TAXONOMY.match(token):
            continue
        m = _OLD_NEGATIVE.search(token)
        if m and not _OLD_SIGNAL.search(token) and not _OLD_LAYOUT.search(token.replace(m.group(0), " ")):
            return m.group(0)
    return None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=6), st.sampled_from([" ", "  ", "\t", " \n "]))
def test_a_class_list_names_chrome_as_token_by_token(tokens: list[str], space: str) -> None:
    attrs = space.join(tokens)
    assert regions._negative_token(attrs, regions._NEGATIVE) == _old_negative_token(attrs)


def test_the_words_found_keep_the_case_the_page_writes() -> None:
    div = etree.fromstring("<div class='Related-Posts'><p class='x'>text</p></div>")
    assert negative_region(div.find("p")) == "it is inside a “Related” block"
    box = etree.fromstring("<div class='post-Byline'><span>Jane Doe</span></div>")
    assert author_markup(box.find("span")) == (box, "author markup (“Byline” in its class/id)")
    link = etree.fromstring("<p><a href='/Authors/jane-doe'>Jane Doe</a></p>")
    assert author_markup(link.find("a"))[1] == "a link to an author page"

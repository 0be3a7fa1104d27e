"""text, link, element and meta primitives, and the all/any/not combinators."""

from __future__ import annotations

import pytest
from helpers import doc, run_check, status

CREDIT = {"text": {"patterns": ["Originally published by ProPublica"]}}


@pytest.mark.parametrize("body,expected", [
    ("<p>This story was originally  published by\nPROPUBLICA.</p>", "pass"),
    ("<p>This story was <em>originally published</em> by <a href='#'>ProPublica</a>.</p>", "pass"),
    ("<p>Originally published by ProPublicaNews</p>", "fail"),
    ("<p hidden>Originally published by ProPublica</p>", "fail"),
    ("<script>x='Originally published by ProPublica'</script>", "fail"),
    ("<p data-credit='Originally published by ProPublica'>x</p>", "fail"),
])
def test_text_phrase(body: str, expected: str) -> None:
    assert status(doc(body), CREDIT) == expected


def test_text_failure_mentions_hidden_occurrence() -> None:
    outcome = run_check(doc("<p style='display:none'>Originally published by ProPublica</p>"), CREDIT)
    assert "cannot see" in outcome.message


def test_text_regex_and_all() -> None:
    spec = {"text": {"patterns": ["/republished (with|under) (permission|a creative commons license)/",
                                  "The Conversation"], "match": "all"}}
    assert status(doc("<p>Republished under a Creative Commons license from The Conversation.</p>"), spec) == "pass"
    assert status(doc("<p>Republished with permission.</p>"), spec) == "fail"


def test_text_position_top_and_bottom() -> None:
    body = "<article>" + "".join(f"<p>Paragraph {i}.</p>" for i in range(20)) + \
           "<p>Originally published by ProPublica</p></article>"
    top = {"text": {"patterns": ["Originally published by ProPublica"], "position": "top", "window": 3}}
    bottom = {"text": {"patterns": ["Originally published by ProPublica"], "position": "bottom", "window": 3}}
    assert status(doc(body), top) == "fail"
    assert status(doc(body), bottom) == "pass"


LINK = {"link": {"href": ["/^https?:\\/\\/(www\\.)?propublica\\.org\\//"], "text": ["ProPublica"]}}


@pytest.mark.parametrize("body,expected", [
    ("<a href='https://www.propublica.org/article/x'>ProPublica</a>", "pass"),
    ("<a href='https://propublica.org/'><img src='l.png' alt='ProPublica'></a>", "pass"),
    ("<a href='https://propublica.org.evil.com/'>ProPublica</a>", "fail"),
    ("<a href='https://www.propublica.org/x'>here</a>", "fail"),
    ("<a href='https://www.propublica.org/x' style='display:none'>ProPublica</a>", "fail"),
])
def test_link(body: str, expected: str) -> None:
    assert status(doc(body), LINK) == expected


def test_link_rel_requirements() -> None:
    spec = {"link": {"href": ["creativecommons.org/licenses/by-nd/4.0"], "rel": "license", "forbid_rel": ["nofollow"]}}
    assert status(doc("<a rel='license' href='https://creativecommons.org/licenses/by-nd/4.0/'>CC</a>"), spec) == "pass"
    assert status(doc("<a href='https://creativecommons.org/licenses/by-nd/4.0/'>CC</a>"), spec) == "fail"
    assert status(doc("<a rel='license nofollow' href='https://creativecommons.org/licenses/by-nd/4.0/'>CC</a>"),
                  spec) == "fail"


def test_element_counts_attributes_and_visibility() -> None:
    pixel = {"element": {"selector": "img", "attributes": {"src": "pixel.propublica.org"}, "visible": "any"}}
    assert status(doc("<img src='https://pixel.propublica.org/p.gif' width=1 height=1>"), pixel) == "pass"
    script = {"element": {"selector": "script[src]", "attributes": {"src": "/pixel\\.propublica\\.org\\/pixel\\.js/"},
                          "visible": "any"}}
    assert status(doc("<script async src='https://pixel.propublica.org/pixel.js'></script>"), script) == "pass"
    assert status(doc("<script src='https://example.com/pixel.js'></script>"), script) == "fail"
    forbid = {"element": {"selector": "//img[contains(@src,'assets.propublica.org')]", "max": 0}}
    assert status(doc("<img src='https://assets.propublica.org/photo.jpg'>"), forbid) == "fail"
    assert status(doc("<img src='https://example.com/photo.jpg'>"), forbid) == "pass"


def test_element_min_max_validation() -> None:
    from compliance.errors import PolicyError

    with pytest.raises(PolicyError):
        run_check(doc("<p/>"), {"element": {"selector": "p", "min": 3, "max": 1}})


HEAD = ("<link rel='canonical' href='https://www.propublica.org/article/x'>"
        "<meta name='robots' content='noindex, follow'>"
        "<meta property='og:site_name' content='Gazette'>"
        '<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","author":[{"@type":"Person",'
        '"name":"Jane Doe","affiliation":{"name":"Daily Caller News Foundation"}}]}]}</script>')


@pytest.mark.parametrize("spec,expected", [
    ({"meta": {"rel": "canonical", "value": "propublica.org/article/x"}}, "pass"),
    ({"meta": {"rel": "canonical", "value": "example.com"}}, "fail"),
    ({"meta": {"name": "ROBOTS", "value": "noindex"}}, "pass"),
    ({"meta": {"property": "og:site_name"}}, "pass"),
    ({"meta": {"name": "author"}}, "fail"),
    ({"meta": {"json_ld": "author.affiliation.name", "value": "Daily Caller News Foundation"}}, "pass"),
    ({"meta": {"json_ld": "author", "value": "Jane Doe"}}, "pass"),
    ({"meta": {"json_ld": "publisher.name"}}, "fail"),
])
def test_meta(spec, expected) -> None:
    assert status(doc("<p>x</p>", HEAD), spec) == expected


def test_broken_json_ld_is_ignored() -> None:
    head = '<script type="application/ld+json">{broken</script>'
    assert status(doc("<p>x</p>", head), {"meta": {"json_ld": "author"}}) == "fail"


A, B = {"text": {"patterns": ["alpha"]}}, {"text": {"patterns": ["beta"]}}
MANUAL = {"manual": {"note": "Check that no ads are sold against the story."}}


@pytest.mark.parametrize("spec,body,expected", [
    ({"all": [A, B]}, "<p>alpha beta</p>", "pass"),
    ({"all": [A, B]}, "<p>alpha</p>", "fail"),
    ({"any": [A, B]}, "<p>beta</p>", "pass"),
    ({"any": [A, B]}, "<p>gamma</p>", "fail"),
    ({"not": A}, "<p>gamma</p>", "pass"),
    ({"not": A}, "<p>alpha</p>", "fail"),
    ({"all": [A, MANUAL]}, "<p>alpha</p>", "review"),
    ({"all": [A, MANUAL]}, "<p>gamma</p>", "fail"),
    ({"any": [A, MANUAL]}, "<p>gamma</p>", "review"),
    ({"not": MANUAL}, "<p>alpha</p>", "review"),
])
def test_combinators(spec, body, expected) -> None:
    assert status(doc(body), spec) == expected


def test_combinator_verdicts_do_not_depend_on_order() -> None:
    for body in ("<p>alpha</p>", "<p>beta</p>", "<p>alpha beta</p>", "<p>none</p>"):
        for op in ("all", "any"):
            assert status(doc(body), {op: [A, B, MANUAL]}) == status(doc(body), {op: [MANUAL, B, A]})


def test_top_of_the_story_starts_at_its_headline() -> None:
    """The headline often sits in a header outside the article body the scope names."""
    nav = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(30))
    body = (f"<nav><ul>{nav}</ul></nav><header><h1>Prison phone contracts cost families</h1>"
            "<p><em>This story was originally published by ProPublica.</em></p></header>"
            "<div itemprop='articleBody'>" + "".join(f"<p>Paragraph {i}.</p>" for i in range(20)) + "</div>")
    spec = {"text": {"patterns": ["originally published by ProPublica"], "position": "top", "window": 5,
                     "within": ["[itemprop=articleBody]", "article", "body"]}}
    assert status(doc(body), spec) == "pass"
    late = body.replace("<p><em>This story was originally published by ProPublica.</em></p>", "") + \
        "<p>This story was originally published by ProPublica.</p>"
    assert status(doc(late), spec) == "fail"


@pytest.mark.parametrize("body,pattern", [
    ("<p>Caf&eacute; Zeitung</p>", "Café Zeitung"),            # a character reference
    ("<p>Cafe\u0301 Zeitung</p>", "Café Zeitung"),             # a decomposed accent
    ("<p>\uff44\uff41\uff49\uff4c\uff59 caller</p>", "daily caller"),  # full-width letters
    ("<p>D&#67;NF</p>", "DCNF"),
    ("<p>daily news from the caller</p>", "/daily.{0,100}caller/"),    # a bounded repeat is not text
])
def test_text_found_however_the_source_spells_it(body: str, pattern: str) -> None:
    assert status(doc(body), {"text": {"patterns": [pattern]}}) == "pass"


def test_element_text_condition_reads_only_visible_text() -> None:
    spec = {"element": {"selector": "p.credit", "text": "Originally published by ProPublica"}}
    assert status(doc("<p class='credit'>Originally published by ProPublica</p>"), spec) == "pass"
    hidden = "<p class='credit'>Credit: <span hidden>Originally published by ProPublica</span></p>"
    assert status(doc(hidden), spec) == "fail"

"""Stylesheets decide visibility: the page's own <style> rules and linked sheets, with a real cascade."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.document.page import Page
from compliance.document.styles.media import media_applies
from compliance.document.styles.sheets import Sheet, StyleSheets
from compliance.document.visibility import Visibility
from tests.helpers import doc, run_check

LOGO = "<img id='logo' src='/partners/dcnf-logo.png' alt='Daily Caller News Foundation' width='160' height='48'>"
LOGO_CHECK = {"logo": {"alt": ["Daily Caller News Foundation"]}}


def hidden(css: str, body: str, el_id: str = "x", text: bool = False) -> str | None:
    page = Page(doc(body, f"<style>{css}</style>"))
    el = page.root.xpath(f"//*[@id='{el_id}']")[0]
    return page.text_hidden_reason(el) if text else page.hidden_reason(el)


def test_a_logo_hidden_by_a_class_rule_fails_with_the_rule_named() -> None:
    html = doc(f"<h1>Story</h1><div class='sponsor-mark'>{LOGO}</div>",
               "<style>\n.intro { color: red }\n.sponsor-mark { display: none }\n</style>")
    outcome = run_check(html, LOGO_CHECK)
    assert outcome.status.value == "fail"
    assert "hidden by `.sponsor-mark { display: none }` in <style> at line 3" in outcome.message


def test_a_visible_logo_styled_by_the_same_stylesheet_passes() -> None:
    html = doc(f"<h1>Story</h1><div class='credit'>{LOGO}</div>",
               "<style>.credit { display: block; border: 1px solid } .sponsor-mark { display: none }</style>")
    assert run_check(html, LOGO_CHECK).status.value == "pass"


@pytest.mark.parametrize(("css", "phrase"), [
    (".wrap .mark { visibility: hidden }", "visibility: hidden"),
    (".mark { opacity: 0 }", "fully transparent"),
    (".mark { content-visibility: hidden }", "does not render its contents"),
    (".mark { position: absolute; clip: rect(0 0 0 0) }", "clipped to nothing"),
    (".mark { clip-path: inset(50%) }", "clipped to nothing"),
    (".mark { width: 1px; height: 1px; overflow: hidden }", "hides its overflow"),
    (".mark { position: absolute; left: -9999px }", "off-screen"),
    (".mark { position: fixed; top: -100em }", "off-screen"),
])
def test_screen_reader_only_and_other_hiding_patterns(css: str, phrase: str) -> None:
    reason = hidden(css, "<div class='wrap'><span class='mark'><b id='x'>DCNF</b></span></div>")
    assert reason and phrase in reason and "<span class=\"mark\">" in reason
    assert "`.mark {" in reason or "`.wrap .mark {" in reason  # the rule itself, quoted
    assert "in <style> at line 1" in reason


SR_ONLY = "<style>\n.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0) }\n</style>"
BYLINE_CHECK = {"byline": {"affiliation": ["Daily Caller News Foundation"]}}


def test_a_byline_in_a_screen_reader_only_span_fails_naming_the_rule() -> None:
    html = doc("<h1>Story</h1><p class='byline sr-only'>By Jane Doe, Daily Caller News Foundation</p>"
               "<p>Hospitals across the state are facing a crisis, officials said on Monday.</p>", SR_ONLY)
    outcome = run_check(html, BYLINE_CHECK, ("Jane Doe",))
    assert outcome.status.value == "fail"
    assert "a reader cannot see it" in outcome.message
    assert "`.sr-only { clip: rect(0 0 0 0) }` in <style> at line 2 (a screen-reader-only pattern)" in outcome.message
    assert any("out of a reader's sight" in e.note for e in outcome.evidence)


def test_the_same_byline_styled_but_visible_passes() -> None:
    html = doc("<h1>Story</h1><p class='byline'>By Jane Doe, Daily Caller News Foundation</p>"
               "<p>Hospitals across the state are facing a crisis, officials said on Monday.</p>",
               SR_ONLY.replace("</style>", ".byline { font-weight: bold; display: block }</style>"))
    assert run_check(html, BYLINE_CHECK, ("Jane Doe",)).status.value == "pass"


@pytest.mark.parametrize("css", [
    ".mark { position: static; clip: rect(0 0 0 0) }",             # clip needs absolute positioning
    ".mark { width: 1px; height: 1px }",                            # a tiny box shows its overflow
    ".mark { height: 0; padding-bottom: 56%; overflow: hidden }",  # the padding hack shows the image
    ".mark { position: relative; left: -9999px }",                  # not taken out of the flow
    ".mark { opacity: 0; animation: fade-in 1s forwards }",         # fades in
    ".mark:hover { display: none }",                                # user actions never hide
    ".mark::before { display: none }",                              # styles generated content
    "@media print { .mark { display: none } }",
    "@media (max-width: 600px) { .mark { display: none } }",
    "@container (min-width: 10px) { .mark { display: none } }",
    "@supports not (display: grid) { .mark { display: none } }",
    ".mark { display: none } .wrap .mark { display: inline }",     # more specific wins
    ".mark { display: none } .mark { display: block }",             # later wins
    "@layer base { .wrap .mark { display: none } } .mark { display: block }",  # unlayered beats layered
])
def test_rules_that_do_not_hide(css: str) -> None:
    assert hidden(css, "<div class='wrap'><span class='mark' id='x'>DCNF</span></div>") is None


def test_cascade_importance_inline_and_specificity() -> None:
    body = "<p class='a b' id='x' style='display:block'>t</p>"
    assert hidden(".a.b { display: none }", body) is None                  # inline beats any selector
    assert "!important" in hidden(".a { display: none !important }", body)  # !important beats inline
    assert hidden("#x { display: none !important } .a.b { display: block !important }", body)  # id wins
    assert hidden("@layer x { .a { display: block !important } } .a { display: none !important }",
                  body) is None  # important layered beats important unlayered


def test_visibility_inherits_and_can_be_turned_back_on_but_display_cannot() -> None:
    css = ".box { visibility: hidden } .box .back { visibility: visible } .gone { display: none } .gone p { display: block }"
    body = "<div class='box'><p id='x'>a</p><p class='back' id='y'>b</p></div><div class='gone'><p id='z'>c</p></div>"
    assert "visibility: hidden" in hidden(css, body, "x")
    assert hidden(css, body, "y") is None
    assert "display: none" in hidden(css, body, "z")


def test_media_queries_for_a_desktop_screen() -> None:
    assert media_applies("screen and (min-width: 768px)")
    assert media_applies("(min-width: 48em) and (max-width: 1440px)")
    assert media_applies("not print")
    assert media_applies("(width >= 1024px)")
    assert not media_applies("print")
    assert not media_applies("(max-width: 767px)")
    assert not media_applies("(prefers-color-scheme: dark)")
    assert not media_applies("(unknown-feature: 3)")
    assert hidden(".m { display: none }", "<p class='m' id='x'>t</p>") is not None
    page = Page(doc("<p class='m' id='x'>t</p>", "<style media='print'>.m { display: none }</style>"))
    assert page.hidden_reason(page.root.xpath("//p")[0]) is None


def test_text_hidden_by_indent_or_zero_font_size_but_images_still_seen() -> None:
    css = ".logo { text-indent: -9999px } .row { font-size: 0 } .row .item { font-size: 14px }"
    body = ("<h1 class='logo' id='h'>DCNF<img id='i' src='dcnf.png' width='100' height='40'></h1>"
            "<div class='row' id='r'>gap<span class='item' id='s'>Item</span></div>")
    assert "off-screen" in hidden(css, body, "h", text=True)
    assert hidden(css, body, "i") is None
    assert "font size to 0" in hidden(css, body, "r", text=True)
    assert hidden(css, body, "s", text=True) is None
    page = Page(doc(body, f"<style>{css}</style>"))
    assert [ln.text for ln in page.lines] == ["Item"]


def test_curtains_over_the_whole_page_do_not_hide_it() -> None:
    amp = ("<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;"
           "animation:-amp-start 8s steps(1,end) 0s 1 normal both}@keyframes -amp-start{from{visibility:hidden}"
           "to{visibility:visible}}</style><noscript><style amp-boilerplate>body{animation:none}</style></noscript>"
           "<style>body.fadein { opacity: 0 } html.async-hide { opacity: 0 !important }</style>")
    page = Page(f"<html class='async-hide' amp><head>{amp}</head><body class='fadein'><p>Seen</p></body></html>")
    assert [ln.text for ln in page.lines] == ["Seen"]


def test_noscript_and_template_styles_do_not_apply_and_scripts_swap_no_js() -> None:
    head = ("<noscript><style>.a { display: none }</style></noscript><template><style>.b { display: none }</style>"
            "</template><style>.no-js .c { display: none } .js .d { display: none }</style>")
    page = Page(f"<html class='no-js'><head>{head}</head><body><p class='a'>a</p><p class='b'>b</p>"
                "<p class='c'>c</p><p class='d'>d</p></body></html>")
    assert [ln.text for ln in page.lines] == ["a", "b", "c"]


def test_stylesheet_text_that_fools_a_naive_scan() -> None:
    css = (".icon::before { content: '{' } /* .x { display: none } */ .--hide-me { display: none }"
           " .hidden { display: none } @media (min-width: 768px) { .md\\:block { display: block } }"
           " @media (min-width: 768px) { .a { .b { display: none } } }")
    body = ("<p class='x' id='x'>x</p><p class='--hide-me' id='y'>y</p><p class='hidden md:block' id='z'>z</p>"
            "<div class='a'><p class='b' id='w'>w</p></div>")
    assert hidden(css, body, "x") is None
    assert hidden(css, body, "y") is not None
    assert hidden(css, body, "z") is None  # Tailwind's responsive variant wins on a desktop screen
    assert hidden(css, body, "w") is not None  # nested rule inside @media
    cdata = Page(doc("<p class='q'>q</p>", "<style><![CDATA[ .q { display: none } ]]></style>"))
    assert [ln.text for ln in cdata.lines] == ["q"]  # browsers read that sheet as one broken rule


def test_the_hidden_attribute_yields_to_an_author_rule() -> None:
    assert hidden("[hidden] { display: none !important }", "<p hidden id='x'>t</p>") is not None
    assert hidden(".flex { display: flex }", "<p hidden class='flex' id='x'>t</p>") is None
    assert "hidden attribute" in hidden(".other { display: flex }", "<p hidden id='x'>t</p>")


def test_linked_stylesheets_come_from_the_loader() -> None:
    sheets = {"site.css": b".sponsor { display: none }"}
    html = doc("<p class='sponsor'>x</p><p>y</p>", "<link rel='stylesheet' href='site.css'>"
               "<link rel='alternate stylesheet' href='alt.css'>")
    asked = []

    def load(href: str):
        asked.append(href)
        return (href, sheets[href]) if href in sheets else None

    page = Page(html, stylesheets=load)
    assert [ln.text for ln in page.lines] == ["y"]
    assert asked == ["site.css"]
    reason = page.hidden_reason(page.root.xpath("//p")[0])
    assert "in site.css at line 1" in reason


def test_no_rule_that_could_hide_means_no_stylesheet_work() -> None:
    sheets = StyleSheets([Sheet(b".a { color: red } .b { margin: 0 }", "<style>")])
    assert sheets.hiding() == {}
    vis = Visibility(sheets)
    page = Page(doc("<p class='a'>t</p>"))
    assert vis.hidden_reason(page.root.xpath("//p")[0]) is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("{}();:,.#[]>+~*'\"@/ \nadehilnopstvx0-9%!")), max_size=200))
def test_any_stylesheet_text_is_read_without_crashing(css: str) -> None:
    page = Page(doc("<div class='a' id='d'><p class='b'>text</p></div>", "<style>" + css.replace("<", "") + "</style>"))
    for el in page.root.iter():
        page.text_hidden_reason(el)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_media_query_is_answered(query: str) -> None:
    assert media_applies(query) in (True, False)


AMP = ("<!doctype html><html amp lang='en'><head><meta charset='utf-8'>"
       "<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;"
       "animation:-amp-start 8s steps(1,end) 0s 1 normal both}@keyframes -amp-start{from{visibility:hidden}"
       "to{visibility:visible}}</style><noscript><style amp-boilerplate>body{-webkit-animation:none;"
       "animation:none}</style></noscript><style amp-custom>.promo{display:none}</style></head><body>{body}"
       "</body></html>")


def test_amp_images_count_as_images_and_the_boilerplate_hides_nothing() -> None:
    page = AMP.replace("{body}", "<h1>Story</h1><amp-img src='/partners/dcnf-logo.png' alt='Daily Caller News "
                                 "Foundation' width='160' height='48' layout='fixed'></amp-img>"
                                 "<p>By Jane Doe, Daily Caller News Foundation</p>")
    assert run_check(page, LOGO_CHECK).status.value == "pass"
    assert run_check(page, {"element": {"selector": "img[alt*='Caller']"}}).status.value == "pass"
    hidden_logo = AMP.replace("{body}", "<div class='promo'><amp-anim src='dcnf.gif' alt='DCNF' width='80' "
                                        "height='40'></amp-anim></div><amp-img src='x.png' layout='nodisplay' "
                                        "alt='Daily Caller News Foundation' width='10' height='10'></amp-img>")
    outcome = run_check(hidden_logo, {"logo": {"alt": ["DCNF", "Daily Caller News Foundation"]}})
    assert outcome.status.value == "fail" and ".promo { display: none }" in outcome.message


def test_a_lazy_image_that_is_never_laid_out_does_not_load() -> None:
    pixel = {"element": {"selector": "img", "attributes": {"src": "counter.example"}, "visible": "any"}}
    assert run_check(doc("<div style='display:none'><img src='https://counter.example/1.gif' width='1' "
                         "height='1'></div>"), pixel).status.value == "pass"  # display:none still loads
    assert run_check(doc("<div style='display:none'><img loading='lazy' src='https://counter.example/1.gif'>"
                         "</div>"), pixel).status.value == "fail"
    assert run_check(doc("<img loading='lazy' src='https://counter.example/1.gif'>"), pixel).status.value == "pass"


def test_words_only_in_script_data_point_to_render() -> None:
    page = doc("<h1>Story</h1><p>Content created by the Daily Caller News Foundation.</p><script>"
               "window.__DATA__ = {byline: 'By Jane Doe, Daily Caller News Foundation', logo: 'dcnf-logo.png'}"
               "</script>")
    outcome = run_check(page, {"byline": {}}, authors=("Jane Doe",))
    assert outcome.status.value == "fail" and "--render" in outcome.message
    assert "--render" in run_check(page, {"logo": {"src": ["dcnf"]}}).message


@pytest.mark.parametrize("css", [
    "div{display:none}div{display:block}",          # minified: the tag meets the brace
    "div{display:none}p,div{display:block}",        # the tag last in a list
    "div{display:none}div, p {display:block}",      # the tag first in a list
    "div{display:none}div:not(.x){display:block}",  # the tag with a pseudo-class
])
def test_a_later_tag_rule_shows_what_an_earlier_one_hid(css: str) -> None:
    assert hidden(css, "<div id='x'>DCNF</div>") is None
    assert hidden(css.split("}")[0] + "}", "<div id='x'>DCNF</div>") is not None


def test_one_search_per_class_serves_every_property() -> None:
    """A rule holding several properties is found once for its class and then read for each of them."""
    page = Page(doc("<p class='mark' id='x'>DCNF</p>",
                    "<style>.mark { width: 1px; height: 1px; overflow: hidden } .mark { overflow: visible }</style>"))
    assert page.text_hidden_reason(page.root.xpath("//*[@id='x']")[0]) is None
    sheets = page.visibility.cascade.sheets
    assert set(sheets._by_key) >= {("class", "mark")}
    assert len(sheets._by_key[("class", "mark")]) == 2


def test_a_page_without_the_licensors_words_is_judged_without_being_parsed() -> None:
    """The script-data hint of a failed credit is looked for only where the source holds the words."""
    from compliance.checks.base import Context
    from compliance.document.page import Page
    from compliance.policy.load import load_policy

    page = Page(doc("<h1>Local news</h1><p>By Sam Roe, Gazette staff</p><script>var x = 1;</script>"), lazy=True)
    policy = load_policy("dcnf")
    assert policy.applies_to.evaluate(Context(page=page)).status.value == "fail"
    assert "root" not in page.__dict__

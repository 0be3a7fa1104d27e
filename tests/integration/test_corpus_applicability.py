"""Real pages that mention a licensor, link to it or show a teaser of its story are not republications;
the same pages with the licensor's credit line put in are.

Each sampled corpus page (its own navigation, sidebars, bylines and all) gets one block inserted: a body
sentence citing the licensor, a body link to a licensor story, a "Related" teaser, a sidebar box, a
footer list of news partners, or a credit line after the headline or after the story's opening
paragraph. For the Creative Commons policies: a site footer licensing the site's photos is not a
republication, a license notice under the headline or in the story is. Skips when ../shared is absent.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from compliance.policy.load import load_policy
from compliance.runner import Settings, check_raw
from tests.integration.test_corpus_dcnf import inject, sample_pages

LICENSORS = {
    "propublica": ("ProPublica", "https://www.propublica.org/article/hospital-chain-sued-patients"),
    "calmatters": ("CalMatters", "https://calmatters.org/environment/2024/05/water-rates/"),
    "texas-tribune": ("The Texas Tribune", "https://www.texastribune.org/2024/05/01/texas-water-rates/"),
    "the-conversation": ("The Conversation", "https://theconversation.com/why-water-rates-rise-221234"),
    "dcnf": ("Daily Caller News Foundation", "https://dailycallernewsfoundation.org/2024/05/01/water-rates/"),
    "undark": ("Undark", "https://undark.org/2024/05/01/water-rates/"),
    "kff-health-news": ("KFF Health News", "https://kffhealthnews.org/news/article/water-rates/"),
    "floodlight": ("Floodlight", "https://floodlightnews.org/water-rates/"),
    "montana-free-press": ("Montana Free Press", "https://montanafreepress.org/2024/05/01/water-rates/"),
}
NOT_CREDITS = {
    "citation": '<p>The plan drew criticism, according to a {name} investigation published last year that '
                'surveyed 300 utilities.</p>',
    "body-link": '<p>Similar plans drew criticism elsewhere, as <a href="{url}">{name} reported</a> in May.</p>',
    "related-teaser": '<section class="related-articles"><h2>Related</h2><ul><li><a href="{url}">{name}: Why '
                      'rates keep rising</a></li></ul></section>',
    "sidebar": '<aside class="sidebar"><h3>From our partners</h3><p><a href="{url}">{name}</a> covers water and '
               'utilities across the region.</p></aside>',
    "footer-blogroll": '<footer class="site-footer"><h3>Our news partners</h3><ul><li><a href="{url}">{name}</a></li>'
                       '<li><a href="https://apnews.com/">The Associated Press</a></li></ul></footer>',
}
# where each is put: in the story after its first long paragraph, or at the end of the page
AT_END = {"footer-blogroll"}
CREDITS = {
    "credit-after-headline": '<p><em>This story was originally published by <a href="{url}">{name}</a>.</em></p>',
    "credit-in-story": '<p>This article first appeared on <a href="{url}">{name}</a> and is republished here '
                       'under a Creative Commons license.</p>',
}


def inject_at_end(path: Path, block: str) -> bytes | None:
    """The page with ``block`` as the last thing in its <body> (where a site footer sits)."""
    from lxml import etree, html

    from compliance.document.page import Page

    raw = inject(path, "<i></i>")  # the same pages as the other variants: those with a findable headline
    if raw is None:
        return None
    page = Page(raw.decode("utf-8"))
    body = page.root.find("body")
    if body is None:
        return None
    for element in html.fragments_fromstring(block):
        body.append(element)
    return etree.tostring(page.root, method="html", encoding="utf-8")


def inject_in_story(path: Path, block: str, nth: int = 1) -> bytes | None:
    """The page with ``block`` right after the ``nth`` long visible paragraph below the headline."""
    from lxml import etree, html

    from compliance.document.page import Page

    raw = inject(path, '<i id="compliance-test-marker"></i>')
    if raw is None:
        return None
    page = Page(raw.decode("utf-8"))
    marker = page.root.xpath("//*[@id='compliance-test-marker']")[0]
    seen = 0
    for p in page.root.iter("p"):
        if (p.sourceline or 0) >= (marker.sourceline or 0) and page.is_visible(p) \
                and len(" ".join("".join(p.itertext()).split())) > 150:
            seen += 1
            if seen < nth:
                continue
            for element in reversed(html.fragments_fromstring(block)):
                p.addnext(element)
            marker.getparent().remove(marker)
            return etree.tostring(page.root, method="html", encoding="utf-8")
    return None


@lru_cache(maxsize=1)
def _pages() -> tuple[Path, ...]:
    return tuple(sample_pages(10))  # 10 real pages x 9 licensors x 7 variants: broad enough, quick enough


def _results(policy_id: str, template: str, where: str):
    name, url = LICENSORS[policy_id]
    block = template.format(name=name, url=url)
    policy = load_policy(policy_id)
    settings = Settings(policies=(policy_id,))
    for page in _pages():
        raw = inject(page, block) if where == "headline" else inject_at_end(page, block) if where == "end" \
            else inject_in_story(page, block)
        if raw is not None:
            yield page, check_raw(str(page), raw, [policy], settings)[0]


@pytest.mark.corpus
@pytest.mark.parametrize("policy_id", sorted(LICENSORS))
@pytest.mark.parametrize("variant", sorted(NOT_CREDITS))
def test_mentions_links_and_teasers_are_not_republications(policy_id: str, variant: str) -> None:
    wrong = [f"{p.parent.name}/{p.name}: {r.status.value}: {r.message[:200]}"
             for p, r in _results(policy_id, NOT_CREDITS[variant], "end" if variant in AT_END else "story")
             if r.status.value != "not_applicable"]
    assert not wrong, "\n".join(wrong)


@pytest.mark.corpus
@pytest.mark.parametrize("policy_id", sorted(LICENSORS))
@pytest.mark.parametrize("variant", sorted(CREDITS))
def test_a_credit_line_makes_the_page_a_republication(policy_id: str, variant: str) -> None:
    where = "headline" if variant == "credit-after-headline" else "story"
    results = list(_results(policy_id, CREDITS[variant], where))
    wrong = [f"{p.parent.name}/{p.name}: {r.message[:200]}" for p, r in results if r.status.value == "not_applicable"]
    # a block put into a page's sidebar or teaser box by the sampler is chrome, rightly not a credit
    assert len(wrong) <= len(results) // 20, "\n".join(wrong)


CC = {  # policy: (license URL, the notice's wording of it)
    "cc-by-4.0": ("https://creativecommons.org/licenses/by/4.0/", "CC BY 4.0"),
    "cc-by-nd-4.0": ("https://creativecommons.org/licenses/by-nd/4.0/", "CC BY-ND 4.0"),
    "cc-by-nc-nd-4.0": ("https://creativecommons.org/licenses/by-nc-nd/4.0/", "CC BY-NC-ND 4.0"),
}


@pytest.mark.corpus
@pytest.mark.parametrize("policy_id", sorted(CC))
def test_creative_commons_scope_on_real_pages(policy_id: str) -> None:
    url, name = CC[policy_id]
    policy = load_policy(policy_id)
    settings = Settings(policies=(policy_id,))
    footer = f'<footer class="site-footer"><p>Photos on this site are licensed under <a href="{url}">{name}</a>.</p></footer>'
    notice = f'<p><em>This story is republished under a <a href="{url}">{name}</a> license.</em></p>'
    wrong, applied = [], {"headline": 0, "story": 0}
    for page in _pages():
        # Known limit: on a page with no <article> or <main> the story scope falls back to <body>, footer and
        # all, so there a site footer's license still puts the page in scope; such pages are left out here.
        has_story_element = b"<article" in page.read_bytes() or b"<main" in page.read_bytes()
        for where, raw, expect_applies in (("footer", inject_at_end(page, footer) if has_story_element else None,
                                            False),
                                           ("headline", inject(page, notice), True),
                                           ("story", inject_in_story(page, notice), True)):
            if raw is None:
                continue
            status = check_raw(str(page), raw, [policy], settings)[0].status.value
            if (status != "not_applicable") != expect_applies:
                wrong.append(f"{page.parent.name}/{page.name} ({where}): {status}")
    assert not wrong, "\n".join(wrong)

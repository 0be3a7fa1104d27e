"""Real pages that mention a licensor, link to it or show a teaser of its story are not republications;
the same pages with the licensor's credit line put in are.

Each sampled corpus page (its own navigation, sidebars, bylines and all) gets one block inserted: a body
sentence citing the licensor, a body link to a licensor story, a "Related" teaser, or a credit line
after the headline or after the story's opening paragraph. Skips when ../shared is absent.
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
}
NOT_CREDITS = {
    "citation": '<p>The plan drew criticism, according to a {name} investigation published last year that '
                'surveyed 300 utilities.</p>',
    "body-link": '<p>Similar plans drew criticism elsewhere, as <a href="{url}">{name} reported</a> in May.</p>',
    "related-teaser": '<section class="related-articles"><h2>Related</h2><ul><li><a href="{url}">{name}: Why '
                      'rates keep rising</a></li></ul></section>',
}
CREDITS = {
    "credit-after-headline": '<p><em>This story was originally published by <a href="{url}">{name}</a>.</em></p>',
    "credit-in-story": '<p>This article first appeared on <a href="{url}">{name}</a> and is republished here '
                       'under a Creative Commons license.</p>',
}


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
    return tuple(sample_pages(10))  # 10 real pages x 6 licensors x 5 variants: broad enough, quick enough


def _results(policy_id: str, template: str, where: str):
    name, url = LICENSORS[policy_id]
    block = template.format(name=name, url=url)
    policy = load_policy(policy_id)
    settings = Settings(policies=(policy_id,))
    for page in _pages():
        raw = inject(page, block) if where == "headline" else inject_in_story(page, block)
        if raw is not None:
            yield page, check_raw(str(page), raw, [policy], settings)[0]


@pytest.mark.corpus
@pytest.mark.parametrize("policy_id", sorted(LICENSORS))
@pytest.mark.parametrize("variant", sorted(NOT_CREDITS))
def test_mentions_links_and_teasers_are_not_republications(policy_id: str, variant: str) -> None:
    wrong = [f"{p.parent.name}/{p.name}: {r.status.value}: {r.message[:200]}"
             for p, r in _results(policy_id, NOT_CREDITS[variant], "story") if r.status.value != "not_applicable"]
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

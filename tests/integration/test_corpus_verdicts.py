"""Real pages with a republication put in after their headline: co-authors, bylines found without --author,
first-name-only bylines, the byline's own second line, logos named by their link, inert pixels and
<picture> photos, The Conversation's institution, several policies with one --author, and a run in
which nothing applied. Each block has a side that must pass and one that must fail, whatever the page
around it does. Skips when ../shared is absent.
"""

from __future__ import annotations

import pytest

from cli_runner import run_cli
from compliance.policy.load import load_policy
from compliance.runner import Settings, check_raw
from tests.integration.test_corpus_applicability import _pages
from tests.integration.test_corpus_dcnf import inject

LOGO = '<img src="/partners/dcnf-logo.png" alt="Daily Caller News Foundation" width="160" height="48">'
NOTICE = ("<p>All content created by the Daily Caller News Foundation, an independent and nonpartisan newswire "
          "service, is available without charge to any legitimate news publisher.</p>")
CO = '<p class="dcnf-byline">By Kathryn Oberwetter, Harbor Gazette, and Tomasz Ulbrecht, Daily Caller News Foundation</p>'
CARDS = ('<div class="dcnf-authors"><div class="author-card"><span>Kathryn Oberwetter</span> <span>Harbor Gazette</span>'
         '</div><div class="author-card"><span>Tomasz Ulbrecht</span> <span>DCNF</span></div></div>')
BR = '<p>By <span>Kathryn</span> <span>Oberwetter</span><br>Daily Caller News Foundation</p>'
BR_OTHER = '<p>By <span>Kathryn</span> <span>Oberwetter</span><br>Harbor Gazette</p>'
FIRST_ONLY = '<div class="dcnf-meta">Von <a href="/author/kathryn/" rel="author">Kathryn</a></div>'
PARENS = ('<p class="dcnf-byline">By Kathryn Oberwetter (Harbor Gazette) and Tomasz Ulbrecht (Daily Caller News '
          'Foundation)</p>')
LIST = ('<ul class="byline-list"><li>By Kathryn Oberwetter, Harbor Gazette</li><li>Tomasz Ulbrecht, Daily Caller '
        'News Foundation</li></ul>')
AUTHOR_LINK = '<div class="meta"><a href="/author/kathryn-oberwetter">Kathryn Oberwetter</a> <time>May 2, 2024</time></div>'
TEASER_CLASS = ('<div class="item-caption"><span class="teaser-cat">von Kathryn Oberwetter</span><p class="item-'
                'description">Die Stadt erhöht die Gebühren.</p></div>')
FIRST_THEN_LABEL = '<div class="dcnf-meta">Von <a href="/author/kathryn/">Kathryn</a> In <a href="/aktuell/">Aktuell</a></div>'
RTT_PIXEL = ('<img id="republication-tracker-tool-source" src="https://example.org/?republication-pixel=true&post=123" '
             'style="width:1px;height:1px;"{referrer}>')
RTT_FOOTER = ('<div class="republish-footer"><p{hidden}>This <a href="https://example.org/water">article</a> first '
              'appeared on <a href="https://example.org">Example News</a> and is republished here under a Creative '
              'Commons license.</p>' + RTT_PIXEL + '</div>')
CC_NOTICE = ('<p>This story is published under a <a href="https://creativecommons.org/licenses/by/4.0/" '
             'rel="license">CC BY 4.0</a> license.</p>')

# (policy, block, author, clause, expected)
CASES = {
    "coauthor-other-authors-affiliation": ("dcnf", LOGO + CO + NOTICE, "Kathryn Oberwetter", "affiliation", "fail"),
    "coauthor-own-affiliation": ("dcnf", LOGO + CO + NOTICE, "Tomasz Ulbrecht", "affiliation", "pass"),
    "author-cards-other-card": ("dcnf", LOGO + CARDS + NOTICE, "Kathryn Oberwetter", "affiliation", "fail"),
    "author-cards-own-card": ("dcnf", LOGO + CARDS + NOTICE, "Tomasz Ulbrecht", "affiliation", "pass"),
    "second-line-of-byline": ("dcnf", LOGO + BR, "Kathryn Oberwetter", "affiliation", "pass"),
    "second-line-other-org": ("dcnf", LOGO + BR_OTHER + NOTICE, "Kathryn Oberwetter", "affiliation", "fail"),
    "first-name-only": ("dcnf", LOGO + FIRST_ONLY + NOTICE, "Kathryn Oberwetter", "byline", "review"),
    "first-name-only-other-person": ("dcnf", LOGO + FIRST_ONLY + NOTICE, "Tomasz Oberwetter", "byline", "fail"),
    "coauthor-parentheses-other": ("dcnf", LOGO + PARENS + NOTICE, "Kathryn Oberwetter", "affiliation", "fail"),
    "coauthor-parentheses-own": ("dcnf", LOGO + PARENS + NOTICE, "Tomasz Ulbrecht", "affiliation", "pass"),
    "coauthor-list-other-item": ("dcnf", LOGO + LIST + NOTICE, "Kathryn Oberwetter", "affiliation", "fail"),
    "coauthor-list-own-item": ("dcnf", LOGO + LIST + NOTICE, "Tomasz Ulbrecht", "affiliation", "pass"),
    "author-link-byline-no-author": ("dcnf", LOGO + AUTHOR_LINK + NOTICE, "", "byline", "pass"),
    "author-link-byline-right-author": ("dcnf", LOGO + AUTHOR_LINK + NOTICE, "Kathryn Oberwetter", "byline", "pass"),
    "author-link-byline-wrong-author": ("dcnf", LOGO + AUTHOR_LINK + NOTICE, "Tomasz Ulbrecht", "byline", "fail"),
    "teaser-class-under-headline": ("dcnf", TEASER_CLASS + LOGO + NOTICE, "Kathryn Oberwetter", "byline", "pass"),
    "teaser-class-other-person": ("dcnf", TEASER_CLASS + LOGO + NOTICE, "Tomasz Ulbrecht", "byline", "fail"),
    "first-name-then-label": ("dcnf", LOGO + FIRST_THEN_LABEL + NOTICE, "Kathryn Oberwetter", "byline", "review"),
    "rtt-footer-visible": ("inn-republication-tracker", RTT_FOOTER.format(hidden="", referrer=""), "",
                           "footer-links", "pass"),
    "rtt-footer-hidden-in-visible-box": ("inn-republication-tracker",
                                         RTT_FOOTER.format(hidden=' style="display:none"', referrer=""), "",
                                         "footer-links", "fail"),
    "rtt-pixel-no-referrer": ("inn-republication-tracker",
                              RTT_FOOTER.format(hidden="", referrer=' referrerpolicy="no-referrer"'), "",
                              "referrer", "fail"),
    "rtt-other-image-no-referrer": ("inn-republication-tracker", RTT_FOOTER.format(hidden="", referrer="") +
                                    '<img src="https://maps.example.com/tile.png" referrerpolicy="no-referrer" '
                                    'width="300" height="200" alt="map">', "", "referrer", "pass"),
    "rtt-pixel-in-template": ("inn-republication-tracker", '<p>This <a href="https://example.org/water">article</a> '
                              'first appeared on <a href="https://example.org">Example News</a> and is republished '
                              'here under a Creative Commons license.</p><template>' + RTT_PIXEL.format(referrer="") +
                              '</template>', "", "pixel", "fail"),
    "cc-notice-in-story": ("cc-by-4.0", CC_NOTICE, "", "license-link", "pass"),
    "logo-in-labelled-link": ("dcnf", '<a href="https://dailycallernewsfoundation.org/" aria-label="Daily Caller News '
                              'Foundation"><img src="/uploads/p1.png" width="160" height="48"></a>' + NOTICE,
                              "Kathryn Oberwetter", "logo", "pass"),
    "logo-link-labelled-other": ("dcnf", '<a href="/x" aria-label="Home"><img src="/uploads/p1.png" width="160" '
                                 'height="48"></a>' + NOTICE, "Kathryn Oberwetter", "logo", "fail"),
    "pixel-in-template": ("propublica", '<p>This story was originally published by ProPublica.</p><template><script '
                          'async src="https://pixel.propublica.org/pixel.js"></script></template>', "", "pixel", "fail"),
    "pixel-loads": ("propublica", '<p>This story was originally published by ProPublica.</p><script async '
                    'src="https://pixel.propublica.org/pixel.js"></script>', "", "pixel", "pass"),
    "picture-source-photo": ("propublica", '<p>This story was originally published by ProPublica.</p><picture><source '
                             'srcset="https://img.assets-d.propublica.org/v5/x.jpg 2x"><img src="/local.jpg"></picture>',
                             "", "no-photos", "fail"),
    "institution-plain-text": ("the-conversation", '<p class="tc-byline">Kathryn Oberwetter, University of Example</p>'
                               '<p>This article is republished from The Conversation under a Creative Commons '
                               'license.</p>', "Kathryn Oberwetter", "institution", "pass"),
    "institution-missing": ("the-conversation", '<p class="tc-byline">By Kathryn Oberwetter</p><p>This article is '
                            'republished from The Conversation under a Creative Commons license.</p>',
                            "Kathryn Oberwetter", "institution", "fail"),
}


@pytest.mark.corpus
@pytest.mark.parametrize("case", sorted(CASES))
def test_verdicts_inside_real_pages(case: str) -> None:
    policy_id, block, author, clause_id, expected = CASES[case]
    policy = load_policy(policy_id)
    settings = Settings(policies=(policy_id,), authors=(author,) if author else ())
    wrong = []
    for page in _pages():
        raw = inject(page, block)
        if raw is None:
            continue
        result = check_raw(str(page), raw, [policy], settings)[0]
        got = {c.id: c for c in result.clauses}
        clause = got.get(clause_id)
        if clause is None or clause.status.value != expected:
            wrong.append(f"{page.parent.name}/{page.name}: {result.status.value} "
                         f"{clause.status.value if clause else '-'}: {clause.message[:200] if clause else result.message}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.corpus
def test_one_author_several_policies_on_real_pages() -> None:
    policies = [load_policy("dcnf"), load_policy("propublica")]
    settings = Settings(policies=("dcnf", "propublica"), authors=("Kathryn Oberwetter",))
    block = LOGO + '<p class="dcnf-byline">By Kathryn Oberwetter, Daily Caller News Foundation</p>' + NOTICE
    for page in _pages():
        raw = inject(page, block)
        if raw is None:
            continue
        dcnf, propublica = check_raw(str(page), raw, policies, settings)
        assert dcnf.status.value == "pass", (page, dcnf.message)
        assert propublica.status.value == "not_applicable", (page, propublica.message)


@pytest.mark.corpus
def test_a_run_of_real_pages_none_a_republication_says_so() -> None:
    pages = [str(p) for p in _pages()[:4]]
    ran = run_cli("check", *pages, "-p", "propublica", "--no-config")
    assert ran.code == 0 and "No page was a republication under propublica" in ran.out
    assert run_cli("check", *pages, "-p", "propublica", "--no-config", "--fail-on-empty").code == 1

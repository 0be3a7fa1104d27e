"""The logo primitive: identified by source or text alternative, visible, not a pixel."""

from __future__ import annotations

import pytest
from helpers import doc, run_check, status

LOGO = {"logo": {"src": ["dcnf-logo", "/daily[-_]?caller/"], "alt": ["Daily Caller News Foundation"],
                 "link": ["dailycallernewsfoundation.org"]}}


@pytest.mark.parametrize("body", [
    "<img src='/a/dcnf-logo.png' width='100' height='40'>",
    "<img src='data:image/gif;base64,R0l' data-src='/a/dcnf-logo.png'>",
    "<img src='/blank.gif' data-lazy-src='/a/dcnf-logo.png'>",
    "<img src='/blank.gif' data-srcset='/a/dcnf-logo.png 1x, /a/dcnf-logo@2x.png 2x'>",
    "<img srcset='/small.png 320w, /a/dcnf-logo.png 640w'>",
    "<picture><source srcset='/a/dcnf-logo.webp'><img src='/generic.png'></picture>",
    "<img src='/x.png' alt='Daily  Caller news FOUNDATION'>",
    "<svg role='img' aria-label='Daily Caller News Foundation' width='90' height='30'></svg>",
    "<svg width='90' height='30'><title>Daily Caller News Foundation</title><path d='M0'/></svg>",
    "<div role='img' aria-label='x' style=\"background-image:url('/a/daily_caller.png')\"></div>",
    "<img src='/a/DCNF-LOGO.PNG' style='width: 120px'>",
])
def test_logo_found(body: str) -> None:
    assert status(doc(body), LOGO) == "pass"


@pytest.mark.parametrize("body,reason", [
    ("<img src='/a/other-logo.png' alt='Example Gazette'>", "No visible logo"),
    ("<div style='display:none'><img src='/a/dcnf-logo.png'></div>", "display:none"),
    ("<img src='/a/dcnf-logo.png' hidden>", "hidden attribute"),
    ("<img src='/a/dcnf-logo.png' style='visibility:hidden'>", "visibility:hidden"),
    ("<noscript><img src='/a/dcnf-logo.png'></noscript>", "noscript"),
    ("<img src='/a/dcnf-logo.png' width='1' height='1'>", "tracking pixel"),
    ("<img src='/a/dcnf-logo.png' style='width:2px;height:2px'>", "tracking pixel"),
    ("<script>document.write('<img src=/a/dcnf-logo.png>')</script>", "No visible logo"),
    ("<!-- <img src='/a/dcnf-logo.png'> -->", "No visible logo"),
    ("<img src='/a/mydcnf-logos.png'>", "No visible logo"),
])
def test_logo_rejected(body: str, reason: str) -> None:
    outcome = run_check(doc(body), LOGO)
    assert outcome.status.value == "fail"
    assert reason in outcome.message


def test_unidentified_image_linking_to_the_licensor_needs_review() -> None:
    outcome = run_check(doc("<a href='https://dailycallernewsfoundation.org/'><img src='/p/1.png'></a>"), LOGO)
    assert outcome.status.value == "review"


def test_evidence_points_at_the_logo() -> None:
    outcome = run_check(doc("<p>x</p>\n<img src='/a/dcnf-logo.png' alt=''>"), LOGO)
    (ev,) = outcome.evidence
    assert ev.line == 2 and ev.xpath.endswith("/img") and "dcnf-logo.png" in ev.snippet


def test_within_scope() -> None:
    spec = {"logo": {"src": ["dcnf-logo"], "within": "article"}}
    assert status(doc("<header><img src='/dcnf-logo.png'></header><article><p>x</p></article>"), spec) == "fail"
    assert status(doc("<article><img src='/dcnf-logo.png'></article>"), spec) == "pass"


@pytest.mark.parametrize("body,expected", [
    ("<a href='https://dailycallernewsfoundation.org/' aria-label='Daily Caller News Foundation'>"
     "<img src='/uploads/partner-1.png' width='160' height='48'></a>", "pass"),
    ("<a href='/partners/dcnf' title='Daily Caller News Foundation'><span>"
     "<img src='/uploads/partner-1.png' width='160' height='48'></span></a>", "pass"),
    ("<a href='https://dailycallernewsfoundation.org/'><img src='/uploads/partner-1.png' width='160' height='48'></a>",
     "review"),  # linked to the licensor but named by nothing: a person looks
    ("<a href='/' aria-label='Valley Courier home'><img src='/uploads/partner-1.png' width='160' height='48'></a>",
     "fail"),
    ("<a href='https://dailycallernewsfoundation.org/' aria-label='Daily Caller News Foundation' hidden>"
     "<img src='/uploads/partner-1.png' width='160' height='48'></a>", "fail"),  # hidden still fails
    ("<a href='https://dailycallernewsfoundation.org/' aria-label='Daily Caller News Foundation'>"
     "<img src='/pixel.gif' width='1' height='1'></a>", "fail"),  # a pixel is not a logo, however labelled
])
def test_logo_named_by_the_link_around_it(body: str, expected: str) -> None:
    outcome = run_check(doc(body), LOGO)
    assert outcome.status.value == expected, outcome.message
    if expected == "pass":
        assert "the link around it" in outcome.message

"""``image`` counts an image by every address it may show; ``<template>`` content counts nowhere; an element's
text and links are the ones a reader sees."""

from __future__ import annotations

import pytest
from helpers import doc, run_check, status

NO_PHOTOS = {"image": {"src": "assets-d.propublica.org", "max": 0}}
CDN = "https://img.assets-d.propublica.org/v5/images/hospital.jpg"


@pytest.mark.parametrize("body,expected", [
    (f"<img src='{CDN}' alt=''>", "fail"),
    (f"<img src='/blank.gif' data-src='{CDN}'>", "fail"),
    (f"<img src='/local.jpg' srcset='/local.jpg 1x, {CDN} 2x'>", "fail"),
    (f"<picture><source srcset='{CDN}?w=1200 1200w' type='image/webp'><img src='/local.jpg'></picture>", "fail"),
    (f"<figure><picture><source media='(min-width: 800px)' data-srcset='{CDN}'><img src='/local.jpg'></picture>"
     "</figure>", "fail"),
    (f"<div style=\"background-image: url('{CDN}')\"></div>", "fail"),
    (f"<img src='{CDN}' style='display:none'>", "fail"),  # hidden, but copied onto the page: still theirs
    (f"<template><img src='{CDN}'></template>", "pass"),  # never instantiated
    ("<img src='/uploads/local.jpg'><p>Photo: assets-d.propublica.org</p>", "pass"),
])
def test_photo_prohibition_reads_every_source(body: str, expected: str) -> None:
    assert status(doc(body), NO_PHOTOS) == expected


def test_image_message_names_the_address() -> None:
    outcome = run_check(doc(f"<picture><source srcset='{CDN} 2x'><img src='/x.jpg'></picture>"), NO_PHOTOS)
    assert outcome.status.value == "fail" and CDN in outcome.message


def test_visible_images_only_and_bounds() -> None:
    spec = {"image": {"src": "partner", "visible": True, "min": 1, "max": 1}}
    assert status(doc("<img src='/partner.png'>"), spec) == "pass"
    assert status(doc("<img src='/partner.png' hidden>"), spec) == "fail"
    assert status(doc("<img src='/partner.png'><img src='/partner-2.png'>"), spec) == "fail"


@pytest.mark.parametrize("spec", [
    {"element": {"selector": "script", "attributes": {"src": "pixel.propublica.org"}, "visible": "any"}},
    {"element": {"selector": "img", "attributes": {"src": "counter.theconversation.com"}, "visible": "any"}},
])
def test_template_content_never_counts(spec) -> None:
    inside = doc("<template><script src='https://pixel.propublica.org/pixel.js'></script>"
                 "<img src='https://counter.theconversation.com/content/1/count.gif'></template>")
    outside = doc("<script src='https://pixel.propublica.org/pixel.js'></script>"
                  "<img src='https://counter.theconversation.com/content/1/count.gif' style='display:none'>")
    outcome = run_check(inside, spec)
    assert outcome.status.value == "fail" and "<template>" in " ".join(e.note for e in outcome.evidence)
    assert status(outside, spec) == "pass"  # hidden is not inert: a display:none image still loads


def test_meta_in_template_never_counts() -> None:
    spec = {"meta": {"rel": "canonical", "value": "propublica.org"}}
    assert status(doc("<template><link rel='canonical' href='https://www.propublica.org/article/x'></template>"),
                  spec) == "fail"


FOOTER = {"element": {"selector": "p, div, footer", "text": "/first appeared on/", "links": 2}}
SENTENCE = ("This <a href='https://example.org/story'>article</a> first appeared on "
            "<a href='https://example.org'>Example News</a> and is republished here.")


@pytest.mark.parametrize("body,expected", [
    (f"<div class='box'><p>{SENTENCE}</p></div>", "pass"),
    (f"<div class='box'><p style='display:none'>{SENTENCE}</p><img src='/pixel.gif'></div>", "fail"),
    (f"<div class='box'><p>{SENTENCE.replace('<a ', '<a hidden ', 1)}</p></div>", "fail"),  # one link hidden
    ("<p>This article first appeared on Example News and is republished here.</p>", "fail"),  # pasted as text
])
def test_container_text_and_links_exclude_what_is_hidden_inside(body: str, expected: str) -> None:
    assert status(doc(body), FOOTER) == expected

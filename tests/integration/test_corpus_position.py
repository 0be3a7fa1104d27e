"""Real pages: a credit right after the headline is at the top of the story even behind a share bar and a
tag list; a credit deep in the story is not. Skips when ../shared is absent."""

from __future__ import annotations

import pytest

from compliance.policy.load import load_policy
from compliance.runner import Settings, check_raw
from tests.integration.test_corpus_applicability import _pages, inject_in_story
from tests.integration.test_corpus_dcnf import inject

CREDIT = ('<p><em>This story was originally published by <a href="https://www.propublica.org/article/x">'
          'ProPublica</a>.</em></p>')
SHARE = ('<ul class="share-tools">' + "".join(f'<li><a href="/share/{s}">{s}</a></li>' for s in
                                              "Facebook X LinkedIn Email Print Copy WhatsApp Reddit Bluesky "
                                              "Threads Pocket Flipboard".split()) + "</ul>"
         '<ul class="tags"><li><a href="/t/a">Health</a></li><li><a href="/t/b">Courts</a></li></ul>')


def _credit_line(raw: bytes) -> str:
    policy = load_policy("propublica")
    result = check_raw("page", raw, [policy], Settings(policies=("propublica",)))[0]
    return next(c.status.value for c in result.clauses if c.id == "credit-line")


@pytest.mark.corpus
def test_credit_behind_a_share_bar_is_at_the_top() -> None:
    wrong = []
    for page in _pages():
        raw = inject(page, SHARE + CREDIT)
        if raw is not None and _credit_line(raw) != "pass":
            wrong.append(f"{page.parent.name}/{page.name}")
    assert not wrong, wrong


@pytest.mark.corpus
def test_credit_after_the_third_paragraph_is_not_at_the_top() -> None:
    results = []
    for page in _pages():
        raw = inject_in_story(page, CREDIT, nth=3)
        if raw is not None:
            results.append((page, _credit_line(raw)))
    wrong = [f"{p.parent.name}/{p.name}" for p, verdict in results if verdict != "fail"]
    assert results and len(wrong) <= len(results) // 10, wrong  # a page whose own first paragraphs are chrome


BOTTOM_POLICY = """
id: credit-at-bottom
title: Credit at the foot of the story
licensor: Example News
terms_url: https://example.org/terms
clauses:
  credit-line:
    title: Credit at the bottom
    severity: error
    check:
      text: {patterns: ["originally published by ProPublica"], position: bottom,
             within: ["[itemprop=articleBody]", article, "main, [role=main]", body]}
"""


def _after_story_paragraph(path, block: str, which: int) -> bytes | None:
    """The page with ``block`` right after paragraph ``which`` (0 first, -1 last) of its story as fundus's
    publisher parser reads it (the corpus's ground truth), not as the checker does; None without one."""
    import json

    from lxml import etree, html

    from compliance.document.page import Page

    manifest = path.parent / "manifest.jsonl"
    if path.parent.name != "fundus" or not manifest.is_file():
        return None
    row = next((r for r in map(json.loads, manifest.read_text(encoding="utf-8").splitlines())
                if r["file"] == path.name), None)
    if not row or not row.get("body_file") or not (path.parent / row["body_file"]).is_file():
        return None
    paragraphs = [" ".join(p.split()) for p in (path.parent / row["body_file"]).read_text(encoding="utf-8")
                  .split("\n\n") if len(p.split()) >= 8]
    if len(paragraphs) < 3:
        return None
    raw = inject(path, "<i></i>")
    if raw is None:
        return None
    page = Page(raw.decode("utf-8"))
    wanted = paragraphs[which][:80]
    found = [el for el in page.root.iter("p", "div", "section") if page.is_visible(el)
             and " ".join("".join(el.itertext()).split()).startswith(wanted)]
    if not found:
        return None
    target = found[-1]  # the innermost element holding it
    for element in reversed(html.fragments_fromstring(block)):
        target.addnext(element)
    return etree.tostring(page.root, method="html", encoding="utf-8")


@pytest.mark.corpus
def test_credit_after_the_last_paragraph_is_at_the_bottom(tmp_path) -> None:
    (tmp_path / "bottom.yaml").write_text(BOTTOM_POLICY, encoding="utf-8")
    policy = load_policy(str(tmp_path / "bottom.yaml"))
    at_foot, at_head = [], []
    for page in _pages():
        for raw, out in ((_after_story_paragraph(page, CREDIT, -1), at_foot),
                         (_after_story_paragraph(page, CREDIT, 0), at_head)):
            if raw is not None:
                result = check_raw("page", raw, [policy], Settings(policies=(policy.id,)))[0]
                out.append((page, result.clauses[0].status.value))
    wrong_foot = [f"{p.parent.name}/{p.name}" for p, v in at_foot if v != "pass"]
    wrong_head = [f"{p.parent.name}/{p.name}" for p, v in at_head if v != "fail"]
    # Known gap: some prose after the story still reads as a later story paragraph (reader comments, an
    # infobox, teaser cards, "Follow us on Google News", a paywall note): on 10 of 50 fundus pages a credit
    # after the last paragraph is not found at the bottom (15 before copyright lines, sign-ups and footers
    # were set apart).
    assert at_foot and len(wrong_foot) <= len(at_foot) // 4, wrong_foot
    assert at_head and len(wrong_head) <= len(at_head) // 10, wrong_head

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

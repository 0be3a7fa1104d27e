"""Real pages with a DCNF republication put into them: the checker must still be right.

Each sampled page from the shared corpus (navigation, sidebars, other bylines, lazy loading,
odd encodings and all) gets a DCNF credit block inserted right after its headline, in one of
several variants; the verdicts must follow the variant, whatever the page around it does.
Skips when ../shared is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CORPUS, require_shared

from compliance.policy.load import load_policy
from compliance.runner import Settings, check_raw

REPORTER = "Kathryn Q. Oberwetter"  # a name no corpus page contains
VARIANTS = {
    "compliant": (
        '<div class="dcnf-credit"><img src="/partners/dcnf-logo.png" alt="Daily Caller News Foundation" '
        'width="160" height="48"><p class="dcnf-byline">By Kathryn Oberwetter, Daily Caller News Foundation</p></div>',
        {"logo": "pass", "byline": "pass", "affiliation": "pass"}),
    "lazy-logo-dcnf-abbrev": (
        '<div class="dcnf-credit"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
        'data-src="/partners/DCNF_logo.png" width="160" height="48" alt="">'
        '<p>Von <a href="/autor/oberwetter">Kathryn Oberwetter</a> | DCNF</p></div>',
        {"logo": "pass", "byline": "pass", "affiliation": "pass"}),
    "hidden-logo": (
        '<div style="display:none"><img src="/partners/dcnf-logo.png" alt="DCNF" width="160" height="48"></div>'
        '<p class="dcnf-byline">By Kathryn Oberwetter, Daily Caller News Foundation</p>',
        {"logo": "fail", "byline": "pass", "affiliation": "pass"}),
    "no-affiliation": (
        '<img src="/partners/dcnf-logo.png" alt="Daily Caller News Foundation" width="160" height="48">'
        '<p class="dcnf-byline">By Kathryn Oberwetter</p>',
        {"logo": "pass", "byline": "pass", "affiliation": "fail"}),
    "name-in-comment-and-script-only": (
        '<img src="/partners/dcnf-logo.png" alt="DCNF" width="160" height="48">'
        '<!-- By Kathryn Oberwetter, Daily Caller News Foundation -->'
        '<script>var credit = "By Kathryn Oberwetter, Daily Caller News Foundation";</script>',
        {"logo": "pass", "byline": "fail", "affiliation": "fail"}),
}


def sample_pages(n: int = 400) -> list[Path]:
    require_shared("corpus", "realworld")
    pages = sorted(CORPUS.glob("fundus/*.html"))[::3] + sorted(CORPUS.glob("trafilatura/*.html"))[::4]
    out: list[Path] = []
    for p in pages:  # stop once n are found: each probe parses the page
        if len(out) == n:
            break
        if inject(p, "<i>x</i>") is not None:
            out.append(p)
    return out


def _titles() -> dict[str, str]:
    titles = {}
    for folder in ("fundus", "trafilatura"):
        for line in (CORPUS / folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("title"):
                titles[f"{folder}/{row['file']}"] = row["title"]
    return titles


_TITLES: dict[str, str] = {}


def inject(path: Path, block: str) -> bytes | None:
    """The page with ``block`` inserted right after the article's own headline (the <h1> closest to the
    labelled title), serialised back to HTML; None when the page has no such headline."""
    from lxml import etree, html

    from compliance.document.page import Page
    from compliance.inputs.decode import decode_html

    if not _TITLES:
        _TITLES.update(_titles())
    title = _TITLES.get(f"{path.parent.name}/{path.name}")
    if not title:
        return None
    page = Page(decode_html(path.read_bytes()).text)
    wanted = set(re.findall(r"\w+", title.lower()))
    best, best_score = None, 0.0
    for h1 in page.root.iter("h1"):
        words = set(re.findall(r"\w+", " ".join(h1.itertext()).lower()))
        score = len(words & wanted) / max(1, len(wanted))
        if score > best_score and page.is_visible(h1):
            best, best_score = h1, score
    if best is None or best_score < 0.5:
        return None
    anchor = best  # some sites put the headline inside a breadcrumb <nav>: insert after the <nav> instead
    for node in best.iterancestors():
        if node.tag in ("body", "html", "main", "article"):
            break
        if node.tag == "nav" or "breadcrumb" in (node.get("class") or "").lower():
            anchor = node
    for element in reversed(html.fragments_fromstring(block)):
        anchor.addnext(element)
    return etree.tostring(page.root, method="html", encoding="utf-8")


@pytest.mark.corpus
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_injected_dcnf_credit_on_real_pages(variant: str) -> None:
    policy = load_policy("dcnf")
    block, expected = VARIANTS[variant]
    settings = Settings(policies=("dcnf",), authors=(REPORTER,))
    wrong = []
    for page in sample_pages():
        result = check_raw(str(page), inject(page, block), [policy], settings)[0]
        got = {c.id: c.status.value for c in result.clauses}
        if got != expected:
            wrong.append(f"{page.parent.name}/{page.name}: {got} — " +
                         " | ".join(c.message for c in result.clauses if got[c.id] != expected[c.id]))
    assert not wrong, "\n".join(wrong)


@pytest.mark.corpus
def test_real_pages_without_dcnf_are_not_applicable() -> None:
    policy = load_policy("dcnf")
    settings = Settings(policies=("dcnf",))
    for page in sample_pages():
        result = check_raw(str(page), page.read_bytes(), [policy], settings)[0]
        assert result.status.value == "not_applicable", (page, result.message)

"""Messages for people: what was looked for in words, near misses pointed out, one problem explained once.

The exact patterns still reach --verbose and the JSON evidence; evidence lists only what bears on the
verdict.
"""

from __future__ import annotations

import json
import re

from cli_runner import run_cli
from hypothesis import given
from hypothesis import strategies as st

from compliance.text.patterns import Pattern, normalize, readable

ARTICLE = """<!doctype html>
<html><head><title>Senate passes the rail bill</title>{head}</head>
<body>
<article>
<h1>Senate passes the rail bill</h1>
{body}
<p>The Senate passed the bill on Tuesday.</p>
<p>Content created by the Daily Caller News Foundation is available without charge.</p>
</article>
</body></html>
"""
REGEX = re.compile(r"/[^/\s]*[\[\]()\\|?][^/\s]*/")  # something written /like (this)?/


def _check(tmp_path, body: str, *args: str, head: str = "", policy: str = "dcnf") -> dict:
    page = tmp_path / "page.html"
    page.write_text(ARTICLE.format(head=head, body=body), encoding="utf-8")
    ran = run_cli("check", str(page), "-p", policy, "--no-config", "--format", "json", *args)
    assert ran.code in (0, 1), ran.err
    return {c["id"]: c for c in ran.json()["pages"][0]["clauses"]}


def test_the_message_says_in_words_what_was_looked_for(tmp_path) -> None:
    logo = _check(tmp_path, '<p class="byline">By Jane Doe, Daily Caller News Foundation</p>')["logo"]
    assert logo["status"] == "fail"
    assert "an image with a file name or text alternative naming “Daily Caller News Foundation” or “DCNF”" \
        in logo["message"]
    assert not REGEX.search(logo["message"]), logo["message"]
    (looked,) = [e for e in logo["evidence"] if e.get("kind") == "looked_for"]
    assert "/daily[-_ ]?caller[-_ ]?news[-_ ]?foundation/" in looked["note"]  # the exact patterns, in the JSON


def test_the_patterns_show_in_text_output_only_with_verbose(tmp_path) -> None:
    page = tmp_path / "page.html"
    page.write_text(ARTICLE.format(head="", body="<p>By Jane Doe</p>"), encoding="utf-8")
    plain = run_cli("check", str(page), "-p", "dcnf", "--no-config").out
    verbose = run_cli("check", str(page), "-p", "dcnf", "--no-config", "--verbose").out
    assert "/daily[-_ ]?caller" not in plain
    assert "Looked for src: “dailycallernewsfoundation” or /daily[-_ ]?caller[-_ ]?news[-_ ]?foundation/" in verbose


def test_an_image_naming_another_organisation_is_pointed_out(tmp_path) -> None:
    clauses = _check(tmp_path, '<img src="/img/daily-caller-logo.png" width="160" height="48">\n'
                               '<p class="byline">By Jane Doe, Daily Caller News Foundation</p>')
    logo = clauses["logo"]
    assert logo["status"] == "fail"
    assert "names “Daily Caller” (“/img/daily-caller-logo.png”), not “Daily Caller News Foundation”" \
        in logo["message"]
    assert [e["snippet"] for e in logo["evidence"] if "line" in e] == [
        '<img src="/img/daily-caller-logo.png" width="160" height="48">']


def test_a_byline_naming_another_organisation_is_pointed_out(tmp_path) -> None:
    affiliation = _check(tmp_path, '<p class="byline">By Jane Doe | Daily Caller</p>')["affiliation"]
    assert affiliation["status"] == "fail"
    assert "names Jane Doe with “Daily Caller”, not “Daily Caller News Foundation”" in affiliation["message"]
    # the full name is on the page, in the licensing notice: where it is stays part of the message and evidence
    assert "“Daily Caller News Foundation” does appear on the page at line 8, but not next to the name" \
        in affiliation["message"]
    assert [e["line"] for e in affiliation["evidence"] if "line" in e] == [6, 8]


def test_a_clause_that_depends_on_a_failing_one_says_so_once(tmp_path) -> None:
    clauses = _check(tmp_path, "")
    assert clauses["byline"]["status"] == "fail"
    affiliation = clauses["affiliation"]
    assert affiliation["status"] == "fail"
    assert affiliation["message"] == ("There is no byline to carry the affiliation: none names a person "
                                      "(see the byline clause).")
    assert [e for e in affiliation["evidence"] if "line" in e] == []  # the byline clause shows the evidence
    named = _check(tmp_path, "<p>By Gazette Staff</p>", "--author", "Ann Lee")["affiliation"]
    assert named["message"] == "There is no byline to carry the affiliation: none names Ann Lee (see the byline clause)."


def test_without_the_other_clause_the_dependent_one_explains_itself(tmp_path) -> None:
    policy = tmp_path / "affiliation-only.yaml"
    policy.write_text("""\
id: affiliation-only
title: Affiliation only
licensor: Daily Caller News Foundation
terms_url: https://dailycallernewsfoundation.org/
clauses:
  affiliation:
    title: Affiliation
    check:
      byline: {affiliation: ["Daily Caller News Foundation"]}
""", encoding="utf-8")
    affiliation = _check(tmp_path, "", policy=str(policy))["affiliation"]
    assert affiliation["message"].startswith("There is no byline to carry the affiliation. No visible byline")


PIXEL_HEAD = ('<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>\n'
              "<script>window.dataLayer = [];</script>\n")


def test_evidence_lists_only_what_bears_on_the_verdict(tmp_path) -> None:
    body = '<p class="byline">By Jane Doe, ProPublica</p><script src="/js/comments.js"></script>'
    pixel = _check(tmp_path, body, head=PIXEL_HEAD, policy="propublica")["pixel"]
    assert pixel["status"] == "fail"
    assert [e for e in pixel["evidence"] if "line" in e] == []  # other services' scripts are no evidence
    assert pixel["message"].startswith("Found no <script> with src “pixel.propublica.org/pixel.js”")
    near = _check(tmp_path, body, head=PIXEL_HEAD + '<script src="https://pixel.propublica.org/pixel-old.js">'
                                                    "</script>", policy="propublica")["pixel"]
    assert [e["snippet"] for e in near["evidence"] if "line" in e] == [
        '<script src="https://pixel.propublica.org/pixel-old.js"></script>']


# -- the words stand for what the regex matches --------------------------------------------------------------

_PIECES = st.lists(st.sampled_from(["daily", "caller", "news", "pro", "publica", "org", "[-_ ]?", "\\.", "\\/", "\\d+",
                                    ".", "(x|y)", "[a-z]+", "(^|[^a-z0-9])", "([^a-z]|$)", "\\s+", "-"]),
                   min_size=1, max_size=7)


@given(_PIECES)
def test_a_regex_read_as_text_matches_that_text(pieces: list[str]) -> None:
    source = "".join(pieces)
    for text in readable(source):
        if "…" in text:
            continue  # "any characters here": no single text stands for it
        assert Pattern(source, regex=True).matches(normalize(text)), (source, text)


def test_readable_regexes() -> None:
    assert readable("daily[-_ ]?caller[-_ ]?news[-_ ]?foundation") == ("daily caller news foundation",)
    assert readable("(^|[^a-z0-9])dcnf([^a-z]|$)") == ("dcnf",)
    assert readable("propublica\\.org\\/article\\/.") == ("propublica.org/article/…",)
    assert readable("^(no-referrer|same-origin)$") == ("no-referrer", "same-origin")
    assert readable("originally published (by|on)") == ("originally published by", "originally published on")
    assert readable("\\b(kffhealthnews|khn)\\.org\\/news\\/.") == ("kffhealthnews.org/news/…", "khn.org/news/…")
    assert readable("(a|b)+c") == ()  # shown as written


def test_every_builtin_policy_reads_without_regexes_where_it_can() -> None:
    ran = run_cli("policy", "show", "dcnf")
    assert ran.code == 0 and not REGEX.search(ran.out), ran.out
    assert json.dumps(ran.out)  # printable

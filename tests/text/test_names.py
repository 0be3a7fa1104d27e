"""compliance.text.names: folding, matching a wanted reporter, splitting and recognising bylines."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from compliance.text.names import (
    NameMatch,
    NameMatcher,
    fold,
    looks_like_person_name,
    split_names,
)

# ---------------------------------------------------------------------------
# fold
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Aleš Vávra", "ales vavra"),
        ("JOSÉ MARÍA GARCÍA-LÓPEZ", "jose maria garcia-lopez"),
        ("Jørgen Løland", "jorgen loland"),
        ("Łukasz Đoković", "lukasz dokovic"),
        ("Ægir Œuvre", "aegir oeuvre"),
        ("Mevißen STRAẞE", "mevissen strasse"),
        ("Þóra Ðór", "thora dor"),
        ("Yıldız İnce", "yildiz ince"),
        ("Gavin O’Callaghan", "gavin o'callaghan"),
        ("Okonjo‐Iweala – Reuters — AP", "okonjo-iweala - reuters - ap"),
        ("  Jane\t\n  Doe\u00a0 ", "jane doe"),
        ("ﬁnn", "finn"),  # ligature
        ("Ze\u0301nobe", "zenobe"),  # decomposed accent
        ("Mül\u00adler", "muller"),  # soft hyphen
        ("王小明", "王小明"),
        ("ガス", "ガス"),  # Japanese voicing marks are kept: ガ is not カ
    ],
)
def test_fold_examples(text: str, folded: str) -> None:
    assert fold(text) == folded


@given(st.text())
@example("ŉ ǅ ẞ ﬃ İ ϐ ﬆ Ⅸ ㈱ ｶﾞ")
def test_fold_is_idempotent(text: str) -> None:
    once = fold(text)
    assert fold(once) == once


# ---------------------------------------------------------------------------
# NameMatcher: names that must be found
# ---------------------------------------------------------------------------

FOUND = [
    # (wanted, byline, expected matched text, exact)
    ("Aleš Vávra", "By ALES VAVRA, Praha", "ALES VAVRA", True),
    ("Ales Vavra", "Text: Aleš Vávra | 3. 1. 2024", "Aleš Vávra", True),
    ("Jane Doe", "By J. Doe", "J. Doe", False),
    ("J. Doe", "By Jane Doe", "Jane Doe", False),
    ("Jane Doe", "By Jane Q. Doe", "Jane Q. Doe", False),
    ("Jane Q. Doe", "By Jane Doe", "Jane Doe", False),
    ("Jane Q. Doe", "Jane Quincy Doe", "Jane Quincy Doe", False),
    ("Boris T. Kaiser", "Von Boris T. Kaiser", "Boris T. Kaiser", True),
    ("Jane Doe", "By Jane Doe and John Smith", "Jane Doe", True),
    ("John Smith", "By Jane Doe and John Smith", "John Smith", True),
    ("Sebastian Drescher", "Von Roland Brockmann und Sebastian Drescher", "Sebastian Drescher", True),
    ("Rocío Latorre", "Por Isabel Caro, Rocío Latorre y Ana Pérez", "Rocío Latorre", True),
    ("Ana Pérez", "Por Isabel Caro, Rocío Latorre y Ana Pérez", "Ana Pérez", True),
    ("Morgane Tual", "Martin Untersinger (avec Damien Leloup et Morgane Tual)", "Morgane Tual", True),
    ("Damien Leloup", "Par Martin Untersinger, Damien Leloup et Morgane Tual", "Damien Leloup", True),
    ("Jane Doe", "Doe, Jane", "Doe, Jane", False),
    ("Michiel de Jong", "Jong, Michiel de", "Jong, Michiel de", False),
    ("Michiel de Jong", "By de Jong, Michiel", "Jong, Michiel", False),
    ("Jane Doe", "Authors: Doe, J.; Smith, K.", "Doe, J.", False),
    ("Ngozi Okonjo-Iweala", "By Ngozi Okonjo Iweala", "Ngozi Okonjo Iweala", True),
    ("Ngozi Okonjo Iweala", "by Ngozi Okonjo-Iweala.", "Ngozi Okonjo-Iweala", True),
    ("Gina Roberts-Grey", "GINA ROBERTS–GREY", "GINA ROBERTS–GREY", True),
    ("Jean-Pierre Dupont", "J.-P. Dupont", "J.-P. Dupont", False),
    ("Christoph von Ritter", "Von Christoph Ritter", "Christoph Ritter", False),
    ("Christoph Ritter", "Christoph von Ritter", "Christoph von Ritter", False),
    ("Bashar al-Assad", "Bashar Assad", "Bashar Assad", False),
    ("Alejandro de la Garza", "By Alejandro de la Garza", "Alejandro de la Garza", True),
    ("Hans Müller", "Hans Mueller", "Hans Mueller", True),
    ("Hans Mueller", "HANS MÜLLER", "HANS MÜLLER", True),
    ("Jørgen Løland", "Joergen Loeland", "Joergen Loeland", True),
    ("Sonia Mevißen", "Sonia Mevissen", "Sonia Mevissen", True),
    ("Gavin O'Callaghan", "Gavin O’Callaghan's report", "Gavin O’Callaghan", True),
    ("Perry Bacon Jr.", "By Perry Bacon Jr. and Nate Silver", "Perry Bacon Jr.", True),
    ("Max Kolter", "Dr. Max Kolter", "Max Kolter", True),
    ("Bruno Rodrigues", "Bruno (Henrique Zecchin) Rodrigues", "Bruno (Henrique Zecchin) Rodrigues", False),
    ("Juan Carlos Muñoz C.", "Juan Carlos Muñoz", "Juan Carlos Muñoz", False),
    ("Sauli Giliard", "Lindi women’s businesses\nbySauli Giliard\nApril 24, 2019", "Sauli Giliard", True),
    ("Elisa Marvena", "Geschrieben vonElisa Marvena", "Elisa Marvena", True),
    ("Greg Iacurci", "Published Fri, Apr 28 2023\nGreg Iacurci@gregiacurci", "Greg Iacurci", True),
    ("Paddy", "Posted by Paddy on 3 May", "Paddy", True),
    ("王小明", "记者 王 小明 报道", "王 小明", True),
    ("崔宁宁", "青网校园崔宁宁", "崔宁宁", True),
    ("Андрей Колесников", "Автор: АНДРЕЙ КОЛЕСНИКОВ", "АНДРЕЙ КОЛЕСНИКОВ", True),
]


@pytest.mark.parametrize("wanted, text, matched, exact", FOUND, ids=[f"{w} in {t!r}" for w, t, _, _ in FOUND])
def test_names_found(wanted: str, text: str, matched: str, exact: bool) -> None:
    m = NameMatcher(wanted).search(text)
    assert m is not None
    assert (m.matched, m.exact) == (matched, exact)
    assert text[m.start:m.end] == m.matched


# ---------------------------------------------------------------------------
# NameMatcher: names that must NOT be found
# ---------------------------------------------------------------------------

NOT_FOUND = [
    ("Jane Doe", "By John Doe"),  # another first name, same surname
    ("Maria Schmidt", "Von Marie Schmidt"),
    ("Ann Lee", "By Anna Leeds"),  # substrings of longer words
    ("Ann Lee", "By Ann Leeds"),
    ("Ann Lee", "By Anna Lee"),
    ("Dan Goodin", "By Daniel Goodin"),  # a nickname is a different name
    ("Jane Q. Doe", "By Jane R. Doe"),  # two different middle initials
    ("Jane Mary Doe", "By Jane Elizabeth Doe"),
    ("Jean Dupont", "Jean-Pierre Dupont"),  # a compound is never cut
    ("Jane Doe", "Jane Doe-Smith"),
    ("Dan Bardy", "Dan Jervis-Bardy"),
    ("Jane Smith", "By Jane Doe and John Smith"),  # names from two co-authors
    ("John Doe", "Von Jane Doe und John Smith"),
    ("John Smith", "By Jane Smith, John Doe"),  # not an inverted "Smith, John"
    ("Jane Doe", "jane.doe@example.com"),
    ("Claudia Riedler", "c.riedler@nachrichten.at"),
    ("Ron Smith", "By Byron Smith"),
    ("Ron Smith", "byron smith"),
    ("Anne Smith", "Yvonne Smith"),
    ("Neil Young", "O'Neil Young"),
    ("Michael Smith", "Michal Smith"),
    ("Paddy", "Paddy-Jones"),
    ("Jane Doe", "Jane – Doe Foundation"),  # a spaced dash separates
    ("Paddy", "Paddywagon"),
    ("王小明", "王小红"),
]


@pytest.mark.parametrize("wanted, text", NOT_FOUND, ids=[f"{w} not in {t!r}" for w, t in NOT_FOUND])
def test_names_not_found(wanted: str, text: str) -> None:
    assert NameMatcher(wanted).search(text) is None


def test_prefers_the_exact_name_over_a_longer_span() -> None:
    assert NameMatcher("Jane Doe").search("Jane Jane Doe") == NameMatch(5, 13, "Jane Doe", True)


def test_search_all_finds_every_credit() -> None:
    text = "By JANE DOE | Jane Doe is a reporter. Doe, Jane (2021). Jane Doerr"
    found = NameMatcher("Jane Doe").search_all(text)
    assert [m.matched for m in found] == ["JANE DOE", "Jane Doe", "Doe, Jane"]


@pytest.mark.parametrize("bad", ["", "   ", "1234", "--", "@@"])
def test_a_name_without_letters_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        NameMatcher(bad)


def test_matcher_keeps_its_name() -> None:
    assert NameMatcher("Aleš Vávra").name == "Aleš Vávra"


# ---------------------------------------------------------------------------
# Offsets into the original text
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix",
    ["Straße ", "ﬁﬂ ", "Ze\u0301no\u0301 ", "Mül\u00adler ", "ÆØÅ ", "王小明 ", "\u200b\u200b", "İİ "],
)
def test_offsets_survive_length_changing_folds(prefix: str) -> None:
    text = f"{prefix}by Aleš Vávra, ﬁnal"
    m = NameMatcher("Ales Vavra").search(text)
    assert m is not None
    assert (m.start, m.end, m.matched) == (text.index("Aleš"), text.index(","), "Aleš Vávra")


def test_offsets_keep_a_decomposed_accent_on_the_last_letter() -> None:
    text = "Par Sébastien Farcis\u0301 — RFI"
    m = NameMatcher("Sébastien Farcis").search(text)
    assert m is not None and m.matched == "Sébastien Farcis\u0301"


_LETTER = st.characters(categories=("Lu", "Ll"))
_WORD = st.text(_LETTER, min_size=2, max_size=8).filter(lambda w: len(fold(w)) >= 2 and fold(w).isalpha())
_NAMES = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)
_SEPARATORS = st.sampled_from([" ", ", ", " | ", "\n", " (", ") ", "; ", ": ", " – ", " / ", " & "])


@given(name=_NAMES, text=st.text())
def test_search_never_raises(name: str, text: str) -> None:
    matcher = NameMatcher(name)
    for m in matcher.search_all(text):
        assert text[m.start:m.end] == m.matched


@given(name=st.text(min_size=1), text=st.text())
def test_any_name_either_refused_or_searchable(name: str, text: str) -> None:
    try:
        matcher = NameMatcher(name)
    except ValueError:
        return
    m = matcher.search(text)
    assert m is None or text[m.start:m.end] == m.matched


@given(name=_NAMES, before=st.text(), after=st.text(), sep1=_SEPARATORS, sep2=_SEPARATORS,
       decompose=st.booleans())
@example(name="Jane Doe", before="Doe", after="", sep1=", ", sep2=" ", decompose=False)
@example(name="Jane Doe", before="Jane Qq", after="", sep1=" ", sep2=" ", decompose=False)
@example(name="AA AA", before="AA", after="", sep1=" – ", sep2=" ", decompose=False)
@example(name="AA AA AA", before="A", after="", sep1=" ", sep2=" ", decompose=False)
@example(name="Straße Ćwik", before="ﬁ", after="ß", sep1=" ", sep2=" ", decompose=True)
def test_a_name_matches_itself_anywhere(name: str, before: str, after: str, sep1: str, sep2: str,
                                        decompose: bool) -> None:
    if decompose:
        name = unicodedata.normalize("NFD", name)
    text = before + sep1 + name + sep2 + after
    found = NameMatcher(name).search_all(text)
    assert any(fold(m.matched) == fold(name) for m in found), (text, found)
    for m in found:
        assert text[m.start:m.end] == m.matched


# ---------------------------------------------------------------------------
# split_names
# ---------------------------------------------------------------------------

SPLITS = [
    ("By Jane Doe and John Smith, Daily Caller News Foundation | Jan 3, 2024", ["Jane Doe", "John Smith"]),
    ("Von Roland Brockmann und Sebastian Drescher", ["Roland Brockmann", "Sebastian Drescher"]),
    ("Por Isabel Caro, Rocío Latorre y Ana Pérez", ["Isabel Caro", "Rocío Latorre", "Ana Pérez"]),
    ("Par Jean Dupont et Marie Curie", ["Jean Dupont", "Marie Curie"]),
    ("Martin Untersinger (avec Damien Leloup et Morgane Tual)",
     ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]),
    ("Di Marco Rossi e Luca Bianchi", ["Marco Rossi", "Luca Bianchi"]),
    ("Door Jan de Vries en Piet Jansen", ["Jan de Vries", "Piet Jansen"]),
    ("Av Per Olsson och Anna Berg", ["Per Olsson", "Anna Berg"]),
    ("Written by Rob Ewaschuk\n   Edited by Betsy Beyer", ["Rob Ewaschuk", "Betsy Beyer"]),
    ("Reported by Jane Doe; Staff Writer", ["Jane Doe"]),
    ("Jane Doe, Staff Writer", ["Jane Doe"]),
    ("Jane Doe Senior Correspondent", ["Jane Doe"]),
    ("Dr. Jane Doe, PhD", ["Jane Doe"]),
    ("By Brenda  Goodman, MA\n    WebMD Health News", ["Brenda  Goodman"]),
    ("by Lucas Nolan22 Dec 2016651", ["Lucas Nolan"]),
    ("By GILLIAN MOHNEY\n   March 11, 2015 3:46 PM", ["GILLIAN MOHNEY"]),
    ("Jane Doe (jane.doe@example.com) @janedoe", ["Jane Doe"]),
    ("Bradley M. Kuhn (http://ebb.org/bkuhn/)", ["Bradley M. Kuhn"]),
    ("Glen Owen And Brendan Carlin For The Mail On Sunday", ["Glen Owen", "Brendan Carlin"]),
    ("Jong, Michiel de", ["Jong, Michiel de"]),
    ("Stella Kim, Jennifer Jett", ["Stella Kim", "Jennifer Jett"]),
    ("Juan Carlos Muñoz C.", ["Juan Carlos Muñoz C."]),
    ("Bruno (Henrique Zecchin) Rodrigues", ["Bruno (Henrique Zecchin) Rodrigues"]),
    ("By Jane Doe (Reuters) reports from Kyiv", ["Jane Doe"]),
    ("By Jack Ma and Jane Doe, MA", ["Jack Ma", "Jane Doe"]),
    ("Jane Doe PhD", ["Jane Doe"]),
    ("April 28, 2019 at 6:01 am Updated April 29, 2019 at 3:33 pm", []),
    ("Last Updated: January 7, 2025", []),
    ("FR mit dpa", []),
    ("dpa/lno", []),
    ("Follow Author", []),
    ("Organization for Transformative Works", []),
    ("", []),
]


@pytest.mark.parametrize("value, names", SPLITS, ids=[repr(v) for v, _ in SPLITS])
def test_split_names(value: str, names: list[str]) -> None:
    assert split_names(value) == names


@given(st.text())
@example("By Jane Doe and John Smith, Daily Caller News Foundation | Jan 3, 2024")
@example("(( ) ) Dr. , by by , Jr.")
def test_split_names_returns_stripped_substrings(value: str) -> None:
    for name in split_names(value):
        assert name and name == name.strip() and name in value


# ---------------------------------------------------------------------------
# looks_like_person_name
# ---------------------------------------------------------------------------

PEOPLE = ["Jane Doe", "José María García-López", "A. B. Smith", "Aleš Vávra", "Ngozi Okonjo-Iweala", "王小明",
          "STEVE PEOPLES", "Viktor Hedlund", "Loïc Le Clerc", "Lê Phương", "Gavin O'Callaghan", "Perry Bacon Jr.",
          "Dr. Max Kolter", "Doe, Jane", "Андрей Колесников", "Tuva Mathilde Løland", "大渡 美咲",
          "Jack Ma", "Thomas More", "Glenn Close", "Christopher Guest", "Per Olsson"]
NOT_PEOPLE = ["BBC News", "Associated Press", "dpa", "Deutsche Welle", "Staff", "Redaktion", "The Editors",
              "Daily Caller News Foundation", "Follow", "Username", "No Author", "Share this", "Paddy", "Reuters",
              "AFP Deutschland", "Nordex SE", "MND Staff", "Guardian staff reporter", "Le Monde", "DER SPIEGEL",
              "FOCUS online", "IN-Redaktion", "PETA-Team", "Salzburger Nachrichten", "sportschau.de",
              "Organization for Transformative Works", "Catch more fish", "Jane Doe, John Smith",
              "Jane Doe and John Smith", "朝日新聞デジタル", "박준석 기자 외 1명", "R. R.", "Marianne1", "",
              # prose and page furniture that follows a "By"/"Von" ("By the time …, nearly all tests were passing")
              "nearly all tests were passing", "den insgesamt", "you have read", "Not What’s Easy",
              "Letzte Aktualisierung", "Latest Posts", "WATCH LIVE", "Eingestellt von Unknown"]


@pytest.mark.parametrize("value", PEOPLE)
def test_people_look_like_people(value: str) -> None:
    assert looks_like_person_name(value)


@pytest.mark.parametrize("value", NOT_PEOPLE)
def test_organisations_and_ui_words_do_not(value: str) -> None:
    assert not looks_like_person_name(value)


@given(st.text())
def test_looks_like_person_name_never_raises(value: str) -> None:
    assert looks_like_person_name(value) in (True, False)


# ---------------------------------------------------------------------------
# Real labels (shared corpus)
# ---------------------------------------------------------------------------


def _labels(corpus_dir, source: str) -> list[list[str]]:
    lines = (corpus_dir / source / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [row["authors"] for row in rows if row.get("authors")]


@pytest.mark.corpus
def test_fundus_author_lists_survive_a_round_trip(corpus_dir) -> None:
    """Joining a page's authors into a byline and splitting it again gives the people back."""
    checked = 0
    for authors in _labels(corpus_dir, "fundus"):
        people = [a.strip() for a in authors if looks_like_person_name(a)]
        if not people:
            continue
        byline = "By " + ", ".join(authors[:-1]) + (" and " if len(authors) > 1 else "") + authors[-1]
        found = [n for n in split_names(byline) if looks_like_person_name(n)]
        assert len(found) == len(people), byline
        assert all(NameMatcher(p).search(n) for p, n in zip(people, found)), byline
        checked += 1
    assert checked > 130


@pytest.mark.corpus
def test_most_human_and_parser_labels_read_as_people(corpus_dir) -> None:
    """Person labels with given and family name are accepted; the measured share is far above this floor."""
    values = [a for source in ("trafilatura", "fundus") for authors in _labels(corpus_dir, source) for a in authors]
    two_words = [v for v in values if len(v.split()) >= 2]
    accepted = [v for v in two_words if looks_like_person_name(v)]
    assert len(accepted) / len(two_words) > 0.8
    for organisation in ("Associated Press", "Deutsche Presse-Agentur", "Salzburger Nachrichten", "AFP Deutschland"):
        if organisation in values:
            assert not looks_like_person_name(organisation)


@pytest.mark.corpus
def test_every_person_label_matches_itself_as_a_byline(corpus_dir) -> None:
    for source in ("trafilatura", "fundus"):
        for authors in _labels(corpus_dir, source):
            for author in authors:
                if looks_like_person_name(author):
                    m = NameMatcher(author).search(f"By {author.upper()} | 3 May 2024")
                    assert m is not None and m.exact, author

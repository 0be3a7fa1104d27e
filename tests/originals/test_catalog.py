"""load_catalog: feeds and manifests of originals, and refusing bad ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.originals.catalog import CatalogError, load_catalog

ORIGINALS = FIXTURES / "originals"


def test_rss_feed() -> None:
    first, second, third = load_catalog(ORIGINALS / "feed.rss")
    assert first.url == "https://www.example-news.org/article/water-district-rates-1234567"
    assert first.title == "Water district quietly raised rates for low-income households"
    assert first.authors == ("Maria Delgado", "James Whitfield")  # two dc:creator
    assert first.published == "2024-03-12T13:00:00+00:00"  # RFC 822 pubDate as ISO 8601
    assert first.article_id == "example-news-1234567"  # guid that is not a permalink
    assert first.source == f"{ORIGINALS / 'feed.rss'}#item1"
    assert len(first.paragraphs) == 7  # content:encoded wins over description
    assert first.paragraphs[2].startswith("\u201cNobody told us anything")
    assert first.links == (
        "https://rvwd.example.gov/budget/2023",
        "https://law.example.edu/water-rates-study",
        "https://statewatch.example.org/",
    )

    assert second.authors == ("Priya Natarajan",)  # "e-mail (Name)" author
    assert second.article_id == "1234568"  # permalink guid: the id comes from the URL
    assert second.paragraphs == (  # escaped HTML in description
        "Patients in Marlow County now wait an average of 19 days for a primary care appointment.",
        "The county\u2019s only hospital closed in 2022.",
    )
    assert third.authors == ("Tom Reyes", "Lena Fischer")  # "A and B" in one dc:creator
    assert third.links == ("https://example-news.org/data/fire-inspections.csv",)  # resolved against the item link


def test_atom_feed() -> None:
    first, second = load_catalog(ORIGINALS / "feed.atom")
    assert first.title == "Schools brace for bus driver shortage as the year begins"
    assert first.authors == ("Ana Ruiz-Novak",)
    assert first.published == "2024-08-20T06:00:00Z"  # published, not updated
    assert len(first.paragraphs) == 3
    assert first.links == ("https://lakeside-ledger.example.com/2024/07/school-board-pay-vote",)
    assert first.article_id == "tag:lakeside-ledger.example.com,2024:post-4411"

    assert second.url == "https://lakeside-ledger.example.com/2024/08/library-hours/"  # xml:base
    assert second.authors == ("Lakeside Ledger",)  # feed-level author "Lakeside Ledger Staff", split like any byline
    assert second.published == "2024-08-21T10:00:00Z"
    assert second.paragraphs[0].startswith("The main library will open on Sundays")  # XHTML content
    assert second.links == ("https://library.example.org/hours",)


def test_jsonl_manifest() -> None:
    harbor, clinic, water, ferry = load_catalog(ORIGINALS / "manifest.jsonl")
    assert harbor.paragraphs[-1] == "Public comments are due Dec. 15."  # plain-text body file
    assert harbor.links == () and harbor.article_id == "98765"
    assert harbor.source == f"{ORIGINALS / 'manifest.jsonl'}:1"
    assert clinic.authors == ("Priya Natarajan",)  # a string
    assert clinic.article_id == "EXN-1234568"  # given by the catalog
    assert clinic.links == ("https://health.example.gov/wait-times",)  # HTML fragment body file
    # A whole page as body file: its body is extracted, its metadata fills the gaps.
    assert water.title == "Water district quietly raised rates for low-income households"
    assert water.authors == ("Maria Delgado", "James Whitfield")
    assert len(water.paragraphs) == 7
    assert water.source.endswith("manifest.jsonl:4")  # blank line 3 skipped, numbering kept
    assert ferry.url is None and ferry.authors == ("Jo Park", "Lee Min")
    assert ferry.paragraphs == ("The ferry will run every 90 minutes from November.", "The last boat leaves at 8 p.m.")


def test_csv_manifest() -> None:
    harbor, clinic = load_catalog(ORIGINALS / "manifest.csv")
    assert harbor.title == "Harbor dredging plan draws opposition"
    assert harbor.published == "2023-11-02"
    assert len(harbor.paragraphs) == 3
    assert clinic.authors == ("Priya Natarajan", "Dana Cole")
    assert clinic.article_id == "EXN-1234568"
    assert clinic.source == f"{ORIGINALS / 'manifest.csv'}:3"


def test_format_is_detected_by_content_not_suffix(tmp_path: Path) -> None:
    data = (ORIGINALS / "feed.rss").read_bytes()
    assert len(load_catalog(tmp_path / "originals.txt", data=data)) == 3
    jsonl = b'{"url": "https://a.example/1", "title": "One"}\n'
    assert load_catalog(tmp_path / "list.csv", data=jsonl)[0].title == "One"
    array = b'[{"url": "https://a.example/1", "title": "One"}, {"title": "Two", "body": "<p>Hi</p>"}]'
    articles = load_catalog(tmp_path / "list.json", data=array)
    assert [a.title for a in articles] == ["One", "Two"] and articles[1].paragraphs == ("Hi",)


def test_body_may_be_html_or_text(tmp_path: Path) -> None:
    data = (
        b"url,title,body\n"
        b'https://a.example/1,One,"<p>First <a href=""/x"">link</a>.</p><p>Second.</p>"\n'
        b'https://a.example/2,Two,"Plain first.\n\nPlain second."\n'
    )
    one, two = load_catalog(tmp_path / "m.csv", data=data)
    assert one.paragraphs == ("First link.", "Second.") and one.links == ("https://a.example/x",)
    assert two.paragraphs == ("Plain first.", "Plain second.")


def test_html_entity_names_in_a_feed_are_tolerated(tmp_path: Path) -> None:
    data = (
        b'<rss version="2.0"><channel><item><title>Caf&eacute;&nbsp;owners</title>'
        b"<link>https://a.example/cafe-12345</link></item></channel></rss>"
    )
    [article] = load_catalog(tmp_path / "f.rss", data=data)
    assert article.title == "Caf\u00e9 owners"


# -- refusing bad catalogs -----------------------------------------------------


@pytest.mark.parametrize("name", ["entity-bomb.rss", "external-entity.rss"])
def test_entity_declarations_are_refused(name: str) -> None:
    with pytest.raises(CatalogError, match="declares XML entities") as caught:
        load_catalog(ORIGINALS / name)
    assert name in str(caught.value)


def test_entity_declarations_in_utf16_are_refused_too(tmp_path: Path) -> None:
    text = (ORIGINALS / "entity-bomb.rss").read_text(encoding="utf-8").replace('<?xml version="1.0"?>', "")
    data = '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16") + text.encode("utf-16")[2:]
    with pytest.raises(CatalogError, match="declares XML entities"):
        load_catalog(tmp_path / "bomb.rss", data=data)


def test_external_entity_without_declaration_is_not_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{secret.as_uri()}">'
        '<rss version="2.0"><channel><item><title>T</title><link>https://a.example/1</link></item></channel></rss>'
    ).encode()
    [article] = load_catalog(tmp_path / "f.rss", data=data)
    assert "SECRET" not in repr(article)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("bad.rss", b"<rss><channel><item><title>x</title></channel></rss>", r"bad\.rss, line 1: is not well-formed XML"),
        ("notfeed.xml", b"<html><body/></html>", r"neither RSS nor Atom"),
        ("noitems.rss", b"<rss><channel><title>x</title></channel></rss>", r"holds no articles"),
        ("empty.jsonl", b"", r"empty\.jsonl: is empty"),
        ("blank.csv", b"\n\n  \n", r"is empty"),
        ("items.rss", b"<rss><channel><item><description>x</description></item></channel></rss>",
         r"line 1, item 1, field 'link': has neither <link> nor <title>"),
        ("m.jsonl", b'{"url": "https://a.example/1"}\n{"url": "https://a.example/2",}\n',
         r"m\.jsonl, line 2: is not valid JSON"),
        ("m.jsonl", b'{"url": "https://a.example/1", "title": 7}\n', r"line 1, field 'title': must be a string, not int"),
        ("m.jsonl", b'["not", "an", "object"]\n', r"item 1: must be a JSON object"),
        ("m.jsonl", b'{"url": "a.example/1"}\n', r"field 'url': must be an absolute http\(s\) URL"),
        ("m.jsonl", b'{"authors": ["A"]}\n', r"field 'url': every original needs a 'url' or a 'title'"),
        ("m.jsonl", b'{"title": "T", "authors": [1, 2]}\n', r"field 'authors': must be a list of names"),
        ("m.jsonl", b'{"title": "T", "published": "last Tuesday"}\n', r"field 'published': is not a date"),
        ("m.jsonl", b'{"title": "T", "body": "x", "body_file": "y.txt"}\n', r"field 'body_file': give either"),
        ("m.jsonl", b'{"title": "T", "body_file": "missing.txt"}\n', r"line 1, field 'body_file': cannot read .*missing\.txt"),
        ("m.csv", b"url,title\nhttps://a.example/1,One\nnot-a-url,Two\n", r"m\.csv, line 3, field 'url'"),
        ("m.csv", b"url,title\nhttps://a.example/1,One,extra\n", r"line 2: row has 3 fields but the header names 2"),
        ("m.csv", b"name,size\nx,1\n", r"line 1: is not a catalog"),
    ],
)
def test_bad_catalogs_name_file_line_and_field(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    with pytest.raises(CatalogError, match=expected) as caught:
        load_catalog(tmp_path / name, data=data)
    assert str(caught.value).startswith(str(tmp_path / name))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot be read"):
        load_catalog(tmp_path / "nope.rss")


def test_error_carries_structured_location(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path / "m.jsonl", data=b'{"title": "T"}\n{"title": 3}\n')
    error = caught.value
    assert (error.line, error.field, error.path) == (2, "title", str(tmp_path / "m.jsonl"))


# -- large catalogs: no size limit for local files, read incrementally ---------------------------------------


def _same(a, b) -> bool:
    return [(x.url, x.title, x.authors, x.paragraphs) for x in a] == [(x.url, x.title, x.authors, x.paragraphs)
                                                                     for x in b]


@pytest.mark.parametrize("name,text", [
    ("c.json", '\ufeff[{"url": "https://o.test/1", "title": "One", "authors": ["Ann Lee"], "body": "First."},\n'
               ' {"url": "https://o.test/2", "title": "Two", "body": "Second."}]\n'),
    ("c.jsonl", '{"url": "https://o.test/1", "title": "One", "authors": ["Ann Lee"], "body": "First."}\n'
                '\n{"url": "https://o.test/2", "title": "Two", "body": "Second."}\n'),
    ("c.csv", "url,title,authors,body\nhttps://o.test/1,One,Ann Lee,First.\nhttps://o.test/2,Two,,Second.\n"),
    ("c.rss", '<rss version="2.0"><channel><title>O</title><item><link>https://o.test/1</link><title>One</title>'
              '<author>a@o.test (Ann Lee)</author><description>&lt;p&gt;First.&lt;/p&gt;</description></item>'
              '<item><link>https://o.test/2</link><title>Two</title></item></channel></rss>'),
    ("c.atom", '<feed xmlns="http://www.w3.org/2005/Atom"><author><name>Ann Lee</name></author>'
               '<entry><link href="https://o.test/1"/><title>One</title><content type="html">&lt;p&gt;First.'
               '&lt;/p&gt;</content></entry><entry><link href="https://o.test/2"/><title>Two</title></entry></feed>'),
])
def test_a_catalog_read_incrementally_gives_the_same_originals(tmp_path: Path, monkeypatch, name: str,
                                                              text: str) -> None:
    from compliance.originals import catalog

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    whole = catalog.load_catalog(path)
    monkeypatch.setattr(catalog, "STREAM_ABOVE", 10)  # every file counts as large
    streamed = catalog.load_catalog(path)
    assert len(whole) == 2 and _same(whole, streamed)


def test_a_large_json_array_is_read_record_by_record(tmp_path: Path, monkeypatch) -> None:
    import io

    from compliance.originals import manifests

    monkeypatch.setattr(manifests, "_CHUNK", 16384)  # records cross many chunk boundaries

    path = tmp_path / "archive.json"
    records = [{"url": f"https://o.test/{i}", "title": f"Story {i}", "body": "A paragraph. " * 40} for i in range(3000)]
    path.write_text(json.dumps(records), encoding="utf-8")  # about 1.8 MB
    with path.open("rb") as handle, io.TextIOWrapper(handle, "utf-8-sig", "replace", newline="") as text:
        articles = manifests.read_json_array_streamed(text, path)
        assert next(articles).url == "https://o.test/0"
        assert handle.tell() < path.stat().st_size / 4  # the first record came out before most of the file was read
        assert sum(1 for _ in articles) == 2999


def test_a_broken_large_json_array_names_the_record(tmp_path: Path, monkeypatch) -> None:
    from compliance.originals import catalog

    path = tmp_path / "archive.json"
    path.write_text('[{"url": "https://o.test/1", "title": "One", "body": "x"}, {"url": ]', encoding="utf-8")
    monkeypatch.setattr(catalog, "STREAM_ABOVE", 10)
    with pytest.raises(CatalogError, match=r"archive.json, line 1, item 2: is not valid JSON \(Expecting value\)"):
        catalog.load_catalog(path)
    path.write_text('[{"url": "https://o.test/1", "title": "One"}\n\n {"url": "https://o.test/2"}]')
    with pytest.raises(CatalogError, match=r"line 3: is not valid JSON \(expected ',' or ']' after a record\)"):
        catalog.load_catalog(path)
    path.write_text('[{"url": "https://o.test/1", "title": "One"}')
    with pytest.raises(CatalogError, match="the array is not closed"):
        catalog.load_catalog(path)


_RECORD = st.fixed_dictionaries(
    {"url": st.sampled_from(["https://o.test/a", "https://o.test/b?x=1", "http://o.test/é", "not a url", ""])},
    optional={"title": st.text(max_size=30), "body": st.text(max_size=80),
              "authors": st.lists(st.text(max_size=12), max_size=3) | st.text(max_size=12),
              "published": st.sampled_from(["2024-05-01", "yesterday", "2024-05-01T10:00:00Z"]),
              "extra": st.integers() | st.floats(allow_nan=False) | st.none()})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(_RECORD | st.integers() | st.floats() | st.text(max_size=5), max_size=5),
       ascii_only=st.booleans(), indent=st.sampled_from([None, 1, "\t"]), chunk=st.integers(1, 64))
def test_a_json_array_means_the_same_read_whole_or_record_by_record(tmp_path_factory, monkeypatch, records,
                                                                     ascii_only, indent, chunk) -> None:
    from compliance.originals import catalog, manifests

    monkeypatch.setattr(manifests, "_CHUNK", chunk)  # a few characters at a time: records cut anywhere
    path = tmp_path_factory.mktemp("catalog") / "c.json"
    path.write_text(json.dumps(records, ensure_ascii=ascii_only, indent=indent), encoding="utf-8")

    def read(stream_above: int):
        old, catalog.STREAM_ABOVE = catalog.STREAM_ABOVE, stream_above
        try:
            return [(a.url, a.title, a.authors, a.paragraphs, a.published) for a in catalog.load_catalog(path)]
        except CatalogError as error:
            return str(error)
        finally:
            catalog.STREAM_ABOVE = old

    assert read(catalog.STREAM_ABOVE) == read(0)


def test_a_local_catalog_larger_than_the_page_limit_is_read(tmp_path: Path) -> None:
    from compliance.originals.context import forget_loaded, load_originals

    path = tmp_path / "archive.jsonl"
    body = "A paragraph of the story. " * 400  # about 10 kB a story
    with path.open("w", encoding="utf-8") as out:
        for i in range(1200):  # about 12 MB, over the 10 MB a page may have
            out.write(json.dumps({"url": f"https://o.test/{i}", "title": f"Story {i}", "body": body}) + "\n")
    assert path.stat().st_size > 10 * 1024 * 1024
    forget_loaded()
    articles, from_catalog = load_originals((f"catalog:{path}",))
    assert from_catalog and len(articles) == 1200
    forget_loaded()

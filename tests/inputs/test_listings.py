"""Sitemaps and feeds read from files: indexes, gzip, Google News, robots.txt, --since, limits, hostile XML."""

from __future__ import annotations

import gzip
import io
from datetime import datetime, timezone
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from compliance.inputs.feeds import read_feed
from compliance.inputs.listing import ListingLimits, Listed, Problem, parse_when
from compliance.inputs.sitemaps import read_sitemaps

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def urlset(*entries: str, extra_ns: str = "") -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS} {extra_ns}>{"".join(entries)}</urlset>'.encode()


def url(loc: str, lastmod: str | None = None) -> str:
    return f"<url><loc>{loc}</loc>{f'<lastmod>{lastmod}</lastmod>' if lastmod else ''}</url>"


def opener(files: dict[str, bytes]):
    def open_source(location: str, max_bytes: int):
        if location not in files:
            raise OSError(f"no such file: {location}")
        return io.BytesIO(files[location][: max_bytes + 1])

    return open_source


def listed(items) -> list[str]:
    return [i.url for i in items if isinstance(i, Listed)]


def problems(items) -> list[str]:
    return [i.message for i in items if isinstance(i, Problem)]


def test_index_with_gzipped_child_and_news_sitemap_lists_every_page() -> None:
    news = urlset("<url><loc>https://r.test/news/1</loc><news:news><news:publication>"
                  "<news:name>R</news:name></news:publication><news:publication_date>2024-05-02T10:00:00Z"
                  "</news:publication_date></news:news></url>", extra_ns=NEWS)
    files = {
        "https://r.test/sitemap.xml": f'<sitemapindex {NS}><sitemap><loc>https://r.test/a.xml.gz</loc></sitemap>'
                                      f'<sitemap><loc>/news.xml</loc></sitemap></sitemapindex>'.encode(),
        "https://r.test/a.xml.gz": gzip.compress(urlset(url("https://r.test/1"), url("https://r.test/2"))),
        "https://r.test/news.xml": news,
    }
    items = list(read_sitemaps("https://r.test/sitemap.xml", opener(files)))
    assert listed(items) == ["https://r.test/1", "https://r.test/2", "https://r.test/news/1"]
    assert problems(items) == []


def test_since_uses_the_news_date_then_lastmod_and_keeps_undated_pages() -> None:
    files = {"s.xml": urlset(url("https://r.test/old", "2023-01-01"), url("https://r.test/new", "2024-06-01"),
                             url("https://r.test/undated"),
                             "<url><loc>https://r.test/news</loc><lastmod>2020-01-01</lastmod><news:news>"
                             "<news:publication_date>2024-07-01</news:publication_date></news:news></url>",
                             extra_ns=NEWS)}
    since = datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert listed(read_sitemaps("s.xml", opener(files), since=since)) == [
        "https://r.test/new", "https://r.test/undated", "https://r.test/news"]


def test_an_old_child_sitemap_is_not_read_under_since() -> None:
    files = {"i.xml": f'<sitemapindex {NS}><sitemap><loc>https://r.test/old.xml</loc><lastmod>2020-01-01'
                      f'</lastmod></sitemap></sitemapindex>'.encode()}
    items = list(read_sitemaps("i.xml", opener(files), since=datetime(2024, 1, 1, tzinfo=timezone.utc)))
    assert listed(items) == [] and problems(items) == []  # old.xml was never opened (it does not exist)


def test_robots_txt_stands_for_its_sitemap_lines() -> None:
    files = {"https://r.test/robots.txt": b"User-agent: *\nDisallow: /x\nSitemap: https://r.test/s.xml\n",
             "https://r.test/s.xml": urlset(url("https://r.test/1"))}
    assert listed(read_sitemaps("https://r.test/robots.txt", opener(files))) == ["https://r.test/1"]


def test_limits_are_reported_not_silent() -> None:
    files = {"s.xml": urlset(*(url(f"https://r.test/{i}") for i in range(10)))}
    items = list(read_sitemaps("s.xml", opener(files), limits=ListingLimits(max_urls=3)))
    assert len(listed(items)) == 3
    assert any("more than 3 pages" in m for m in problems(items))
    deep = {f"{i}.xml": f'<sitemapindex {NS}><sitemap><loc>https://r.test/{i + 1}.xml</loc></sitemap>'
                        f'</sitemapindex>'.encode() for i in range(5)}
    deep = {("https://r.test/" + k if k != "0.xml" else k): v for k, v in deep.items()}
    items = list(read_sitemaps("0.xml", opener(deep), limits=ListingLimits(max_depth=2)))
    assert any("nested more than 2" in m for m in problems(items))
    big = {"s.xml": urlset(*(url(f"https://r.test/{i}") for i in range(2000)))}
    assert any("larger than" in m for m in problems(read_sitemaps("s.xml", opener(big),
                                                                  limits=ListingLimits(max_bytes=10_000))))


def test_a_sitemap_index_that_loops_is_read_once() -> None:
    files = {"https://r.test/i.xml": f'<sitemapindex {NS}><sitemap><loc>https://r.test/i.xml</loc></sitemap>'
                                     f'</sitemapindex>'.encode()}
    assert list(read_sitemaps("https://r.test/i.xml", opener(files))) == []


def test_entities_are_refused_and_never_expanded() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b'<urlset><url><loc>https://r.test/&b;</loc></url></urlset>')
    items = list(read_sitemaps("s.xml", opener({"s.xml": bomb})))
    assert listed(items) == [] and any("entities" in m for m in problems(items))
    external = (b'<?xml version="1.0"?><!DOCTYPE u SYSTEM "http://127.0.0.1:9/x.dtd">'
                b'<urlset><url><loc>https://r.test/1</loc></url></urlset>')
    assert listed(read_sitemaps("s.xml", opener({"s.xml": external}))) == ["https://r.test/1"]


def test_not_a_sitemap_says_so() -> None:
    assert any("--feed" in m for m in problems(read_sitemaps("s.xml", opener({"s.xml": b"<rss><channel/></rss>"}))))
    assert any("could not be read" in m for m in problems(read_sitemaps("gone.xml", opener({}))))


def test_rss_and_atom_feeds_list_item_links(tmp_path: Path) -> None:
    rss = (b'<rss version="2.0"><channel><link>https://r.test/</link>'
           b'<item><link>https://r.test/a</link><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate></item>'
           b'<item><guid>https://r.test/b</guid></item>'
           b'<item><guid isPermaLink="false">tag:1</guid></item></channel></rss>')
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><link href="https://r.test/"/>'
            b'<entry><link rel="alternate" type="text/html" href="https://r.test/c"/>'
            b'<updated>2023-01-01T00:00:00Z</updated></entry>'
            b'<entry><link rel="enclosure" href="https://r.test/x.mp3"/><link href="/d"/></entry></feed>')
    files = {"rss.xml": rss, "https://r.test/atom.xml": atom}
    assert listed(read_feed("rss.xml", opener(files))) == ["https://r.test/a", "https://r.test/b"]
    assert listed(read_feed("https://r.test/atom.xml", opener(files))) == ["https://r.test/c", "https://r.test/d"]
    since = datetime(2023, 6, 1, tzinfo=timezone.utc)
    assert listed(read_feed("https://r.test/atom.xml", opener(files), since=since)) == ["https://r.test/d"]


def test_dates_in_both_formats() -> None:
    assert parse_when("2024-05-01") == datetime(2024, 5, 1, tzinfo=timezone.utc)
    assert parse_when("2024-05-01T12:00:00+02:00") == datetime(2024, 5, 1, 10, tzinfo=timezone.utc)
    assert parse_when("Wed, 01 May 2024 10:00:00 GMT") == datetime(2024, 5, 1, 10, tzinfo=timezone.utc)
    assert parse_when("soon") is None and parse_when("") is None


@given(st.binary(max_size=2000))
def test_any_bytes_give_pages_or_problems_never_an_exception(data: bytes) -> None:
    for reader in (read_sitemaps, read_feed):
        for item in reader("x.xml", opener({"x.xml": data})):
            assert isinstance(item, (Listed, Problem))


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40), max_size=20))
def test_any_loc_text_is_escaped_into_a_sitemap_and_read_back_or_skipped(locs: list[str]) -> None:
    from xml.sax.saxutils import escape

    data = urlset(*(url(escape(f"https://r.test/{loc}")) for loc in locs))
    items = list(read_sitemaps("x.xml", opener({"x.xml": data})))
    assert len(listed(items)) <= len(locs)
    assert all(u.startswith("https://r.test/") for u in listed(items))

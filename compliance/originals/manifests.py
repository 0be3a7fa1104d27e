"""Manifests of originals: JSON (an array, or one object per line) and CSV, each record an ``Article``.

Records name a story by URL or title and carry its body inline or in a body file beside the manifest.
Large files are read a line or a record at a time (``catalog.load_catalog`` decides when).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from compliance.document.article import Article, article_id_from_url, extract_article, unique_names
from compliance.document.parsing import ParserLimitError
from compliance.originals.bodies import read_body_file
from compliance.originals.records import CatalogError, body_from_text, decode, iso_date, plain_text

__all__ = ["read_csv_manifest", "read_json_array_streamed", "read_json_lines", "read_json_manifest"]

_FULL_DOCUMENT = re.compile(r"<(?:html|body|head)\b", re.IGNORECASE)


_MANIFEST_FIELDS = ("url", "title", "authors", "published", "body", "body_file", "article_id", "canonical")


def read_json_manifest(data: bytes, path: Path) -> Iterator[Article]:
    text = decode(data)
    if text.lstrip("\ufeff \t\r\n").startswith("["):
        try:
            records = json.loads(text)
        except ValueError as error:
            line = getattr(error, "lineno", None)
            raise CatalogError(path, f"is not valid JSON ({_json_problem(error)})", line=line) from None
        if not isinstance(records, list):
            raise CatalogError(path, "must be a JSON array of objects or one JSON object per line")
        for number, record in enumerate(records, start=1):
            yield _manifest_article(record, path, item=number)
        return
    yield from read_json_lines(text.splitlines(), path)


RECORD_LIMIT = 64 * 1024 * 1024  # characters one record of a streamed JSON array may take
_CHUNK = 1024 * 1024
_SPACE = " \t\r\n"
_NUMBER = frozenset("0123456789.eE+-")


def read_json_array_streamed(text: IO[str], path: Path) -> Iterator[Article]:
    """A JSON array of records, one record at a time: memory holds a record, never the array.

    Each record is decoded by the standard library's own JSON decoder (``raw_decode``), so a record
    means exactly what it means when the whole file is read with ``json.loads`` (big integers, NaN,
    duplicate keys and all). A record that is cut off by the end of what has been read so far is
    retried with more text, up to ``RECORD_LIMIT``.
    """
    decoder = json.JSONDecoder()
    buf, pos, lines_before, at_end = "", 0, 0, False

    def more() -> bool:
        nonlocal buf, pos, lines_before, at_end
        piece = "" if at_end else text.read(max(_CHUNK, len(buf) - pos))  # doubles while a record is incomplete
        if not piece:
            at_end = True
            return False
        lines_before += buf.count("\n", 0, pos)
        buf, pos = buf[pos:] + piece, 0
        return True

    def skip_space() -> str:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in _SPACE:
                pos += 1
            if pos < len(buf):
                return buf[pos]
            if not more():
                return ""

    def broken(problem: str, at: int, item: int | None = None) -> CatalogError:
        return CatalogError(path, f"is not valid JSON ({problem})", line=lines_before + buf.count("\n", 0, at) + 1,
                            item=item)

    if skip_space() != "[":
        raise broken("expected a JSON array", pos)
    pos += 1
    number = 0
    while True:
        ahead = skip_space()
        if ahead == "]":
            pos += 1
            if skip_space():
                raise broken("extra data after the array", pos)
            return
        if number:
            if ahead != ",":
                raise broken("expected ',' or ']' after a record" if ahead else "the array is not closed", pos)
            pos += 1
            skip_space()
        while True:
            try:
                record, end = decoder.raw_decode(buf, pos)
                # a number cut off by the end of the text read so far may go on ("1" of "12", "0." of "0.5")
                if not _may_go_on(record, buf, end) or not more():
                    break
                continue
            except json.JSONDecodeError as error:
                if len(buf) - pos > RECORD_LIMIT:
                    raise CatalogError(path, f"holds a record of more than {RECORD_LIMIT // 2**20} MB",
                                       item=number + 1) from None
                if not more():
                    raise broken(error.msg, error.pos, number + 1) from None
        number += 1
        pos = end
        yield _manifest_article(record, path, item=number)


def _may_go_on(value: Any, buf: str, end: int) -> bool:
    """Whether a number decoded up to ``end`` could be longer: it reaches the end, or a number's character follows."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False  # objects, arrays, strings and the literals end unmistakably
    return end >= len(buf) or buf[end] in _NUMBER


def read_json_lines(lines: Iterable[str], path: Path) -> Iterator[Article]:
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            raise CatalogError(path, f"is not valid JSON ({_json_problem(error)})", line=line_number) from None
        yield _manifest_article(record, path, line=line_number)


def _json_problem(error: ValueError) -> str:
    return getattr(error, "msg", None) or str(error)


def read_csv_manifest(data: bytes | IO[str], path: Path) -> Iterator[Article]:
    """A CSV (or TSV) manifest from its bytes, or from a text stream read row by row."""
    stream = io.StringIO(decode(data).lstrip("\ufeff"), newline="") if isinstance(data, bytes) else data
    first = stream.readline()
    first_line = first.rstrip("\r\n")
    delimiter = "\t" if path.suffix.lower() == ".tsv" or ("\t" in first_line and "," not in first_line) else ","
    reader = csv.DictReader(itertools.chain([first], stream), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error as error:
        raise CatalogError(path, f"is not valid CSV ({error})", line=1) from None
    if not {"url", "title"} & set(header):
        raise CatalogError(
            path,
            "is not a catalog: expected an RSS/Atom feed, JSON Lines, or CSV with a 'url' or 'title' column "
            f"(header is {first_line[:80]!r})",
            line=1,
        )
    reader.fieldnames = header
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CatalogError(path, f"is not valid CSV ({error})", line=reader.line_num) from None
        if None in row:
            raise CatalogError(
                path, f"row has {len(header) + len(row[None])} fields but the header names {len(header)}",
                line=reader.line_num,
            )
        record = {key: value for key, value in row.items() if value not in (None, "")}
        yield _manifest_article(record, path, line=reader.line_num)


def _manifest_article(
    record: Any, path: Path, *, line: int | None = None, item: int | None = None
) -> Article:
    def fail(problem: str, field: str | None = None) -> CatalogError:
        return CatalogError(path, problem, line=line, item=item, field=field)

    if not isinstance(record, Mapping):
        raise fail(f"must be a JSON object, not {type(record).__name__}")
    values = {key: record.get(key) for key in _MANIFEST_FIELDS}
    for key in ("url", "title", "published", "body", "body_file", "canonical"):
        if values[key] is not None and not isinstance(values[key], str):
            raise fail(f"must be a string, not {type(values[key]).__name__}", key)
    url = (values["url"] or "").strip() or None
    if url and not url.lower().startswith(("http://", "https://")):
        raise fail(f"must be an absolute http(s) URL, got {url[:80]!r}", "url")
    title = plain_text(values["title"]) if values["title"] else None
    if not url and not title:
        raise fail("every original needs a 'url' or a 'title'", "url")
    authors = _manifest_authors(values["authors"], fail)
    published = _manifest_date(values["published"], fail)
    article_id = values["article_id"]
    if article_id is not None and not isinstance(article_id, (str, int)) or isinstance(article_id, bool):
        raise fail(f"must be a string or a number, not {type(article_id).__name__}", "article_id")

    if values["body"] is not None and values["body_file"] is not None:
        raise fail("give either 'body' or 'body_file', not both", "body_file")
    paragraphs: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    if values["body"] is not None:
        paragraphs, links = body_from_text(values["body"], url)
    elif values["body_file"] is not None:
        page = decode(read_body_file(values["body_file"], path, fail))
        if _FULL_DOCUMENT.search(page[:4096]):
            try:
                found = extract_article(page, url)
            except ParserLimitError as exc:
                raise fail(str(exc).replace("the page", "the body file"), "body_file") from None
            paragraphs, links = found.paragraphs, found.links
            title = title or found.title
            authors = authors or found.authors
            published = published or found.published
        else:
            paragraphs, links = body_from_text(page, url)

    return Article(
        url=url,
        title=title,
        authors=authors,
        published=published,
        paragraphs=paragraphs,
        links=links,
        article_id=str(article_id).strip() if article_id not in (None, "") else article_id_from_url(url),
        canonical=(values["canonical"] or "").strip() or None,
        source=f"{path}:{line}" if line is not None else f"{path}#item{item}",
    )


def _manifest_authors(value: Any, fail: Callable[..., CatalogError]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return unique_names(name.strip() for name in value.split(";"))
    if isinstance(value, list) and all(isinstance(name, str) for name in value):
        return unique_names(name.strip() for name in value)
    raise fail("must be a list of names or one string of names separated by ';'", "authors")


def _manifest_date(value: str | None, fail: Callable[..., CatalogError]) -> str | None:
    if value is None or not value.strip():
        return None
    iso = iso_date(value)
    if iso is None:
        raise fail(
            f"is not a date (expected ISO 8601 such as 2024-05-03 or 2024-05-03T15:47:00Z), got {value[:40]!r}",
            "published",
        )
    return iso


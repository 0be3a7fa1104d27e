"""Load the licensor's originals from a feed or a manifest.

Licensors publish their stories as RSS or Atom feeds, or hand over a list
(JSON Lines or CSV) pointing at body files. Every format becomes the same
``Article`` records that ``extract_article`` makes from a page, so matching
and diffing need not know where an original came from.

Feeds are untrusted XML: they are parsed without loading DTDs, without
network access and without expanding entities, and a feed that declares its
own entities is refused outright. Feeds are read here, manifests in
``originals.manifests``; what both share is in ``originals.records``.
"""

from __future__ import annotations

import copy
import html as html_entities
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from compliance.document.article import Article, article_id_from_url, paragraphs_from_text, unique_names
from compliance.inputs.files import open_regular
from compliance.originals.manifests import (
    read_csv_manifest,
    read_json_array_streamed,
    read_json_lines,
    read_json_manifest,
)
from compliance.originals.records import CatalogError, body_from_html, decode, iso_date, plain_text
from compliance.text.names import split_names

__all__ = ["CatalogError", "body_from_html", "load_catalog"]

_ATOM = "http://www.w3.org/2005/Atom"
_CONTENT_MODULE = "http://purl.org/rss/1.0/modules/content/"
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_UTF16_STARTS = (
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)


def load_catalog(path: str | Path, data: bytes | None = None) -> list[Article]:
    """Read every original in a feed (RSS 2.0, RSS 1.0, Atom) or manifest
    (JSON Lines, CSV). The format is taken from the content, the file suffix
    only breaking ties. ``data`` replaces reading ``path`` (``path`` still
    names the catalog in errors and anchors relative ``body_file`` paths)."""
    path = Path(path)
    if data is None:
        try:
            with open_regular(path) as handle:  # a named pipe or a device is refused, never waited on
                if os.fstat(handle.fileno()).st_size > STREAM_ABOVE:
                    return _load_streamed(path)
                data = handle.read()
        except OSError as error:
            raise CatalogError(path, f"cannot be read ({error.strerror or error})") from None
    reader = _choose_reader(data, path)
    articles = list(reader(data, path))
    if not articles:
        raise CatalogError(path, "holds no articles (an empty catalog matches nothing)")
    return articles


# Local catalogs have no size limit. Up to this size a file is read whole (every encoding is detected);
# beyond it, JSON Lines and CSV manifests are read line by line as UTF-8, a JSON array record by record (as UTF-8)
# and feeds are parsed as they are read.
STREAM_ABOVE = 64 * 1024 * 1024


def _load_streamed(path: Path) -> list[Article]:
    """A large local catalog, read incrementally: memory holds the articles, never the whole file."""
    with open_regular(path) as handle:
        head = handle.read(2048)
        handle.seek(0)
        reader = _choose_reader(head, path)
        if reader is _read_feed:
            articles = list(_read_feed_streamed(handle, path))
        else:
            with io.TextIOWrapper(handle, "utf-8-sig", "replace", newline="") as text:
                if reader is read_csv_manifest:
                    articles = list(read_csv_manifest(text, path))
                elif head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
                    articles = list(read_json_array_streamed(text, path))
                else:
                    articles = list(read_json_lines(text, path))
    if not articles:
        raise CatalogError(path, "holds no articles (an empty catalog matches nothing)")
    return articles


def _read_feed_streamed(handle: Any, path: Path) -> Iterator[Article]:
    """RSS items and Atom entries as the parser reaches them (``compliance.inputs.xmlsafe``: no entities)."""
    from compliance.inputs.xmlsafe import XMLProblem, iter_end

    number = 0
    feed_meta: list[Any] | None = None
    try:
        for element in iter_end(handle, {"item", "entry"}):
            number += 1
            atom = _local(element) == "entry"
            if feed_meta is None:  # the feed's own author and link, before the parser drops them
                parent = element.getparent()
                feed_meta = [c for c in (() if parent is None else parent) if atom and _local(c) in ("author", "link")]
            holder = etree.Element(f"{{{_ATOM}}}feed" if atom else "channel")
            holder.extend(copy.deepcopy(e) for e in [*feed_meta, element])
            for article in (_read_atom if atom else _read_rss)(holder, path):
                yield replace(article, source=f"{path}#item{number}")
    except XMLProblem as problem:
        raise CatalogError(path, str(problem), line=problem.line) from None


def _choose_reader(data: bytes, path: Path) -> Callable[[bytes, Path], Iterator[Article]]:
    head = decode(data[:2048]).lstrip("\ufeff \t\r\n")
    suffix = path.suffix.lower()
    if head.startswith("<"):
        return _read_feed
    if head.startswith(("{", "[")):
        return read_json_manifest
    if not head:
        raise CatalogError(path, "is empty (an empty catalog matches nothing)")
    if suffix in (".jsonl", ".ndjson", ".json"):
        return read_json_manifest
    if suffix in (".xml", ".rss", ".atom", ".rdf"):
        return _read_feed
    return read_csv_manifest


# --------------------------------------------------------------------------
# Feeds


def _read_feed(data: bytes, path: Path) -> Iterator[Article]:
    root = _parse_untrusted_xml(data, path)
    kind = etree.QName(root).localname.lower()
    if kind == "feed":
        yield from _read_atom(root, path)
    elif kind in ("rss", "rdf"):
        yield from _read_rss(root, path)
    else:
        raise CatalogError(path, f"is XML but neither RSS nor Atom (root element <{kind}>)")


def _parse_untrusted_xml(data: bytes, path: Path) -> Any:
    if _declares_entities(data):
        raise CatalogError(path, "declares XML entities (<!ENTITY>); refused, because expanding them is unsafe")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        remove_comments=True, remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        # Sloppy feeds use HTML entity names (&nbsp;) that XML does not know;
        # spelling them as character references is a fixed table, not expansion.
        repaired = _html_entities_as_references(data)
        if repaired == data:
            raise CatalogError(path, f"is not well-formed XML ({error.msg})", line=error.lineno) from None
        try:
            root = etree.fromstring(repaired, parser)
        except etree.XMLSyntaxError as second:
            raise CatalogError(path, f"is not well-formed XML ({second.msg})", line=second.lineno) from None
    doctype = root.getroottree().docinfo.internalDTD
    if doctype is not None and any(True for _ in doctype.iterentities()):
        # Encodings the byte check above cannot read (UTF-16) end up here.
        raise CatalogError(path, "declares XML entities (<!ENTITY>); refused, because expanding them is unsafe")
    return root


def _declares_entities(data: bytes) -> bool:
    """An <!ENTITY declaration, looked for in the bytes and, for UTF-16
    documents, in their text."""
    if _ENTITY_DECLARATION.search(data):
        return True
    for mark, encoding in _UTF16_STARTS:
        if data.startswith(mark):
            return "<!ENTITY" in data.decode(encoding, errors="ignore").upper()
    return False


def _html_entities_as_references(data: bytes) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        name = match.group(1).decode("ascii")
        codepoint = html_entities.entities.name2codepoint.get(name)
        if codepoint is None or name in ("amp", "lt", "gt", "quot", "apos"):
            return match.group(0)
        return f"&#{codepoint};".encode("ascii")

    return re.sub(rb"&([A-Za-z][A-Za-z0-9]{1,31});", replace, data)


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: Any, name: str, namespace: str | None = None) -> list[Any]:
    return [
        child for child in element
        if _local(child) == name and (namespace is None or etree.QName(child).namespace == namespace)
    ]


def _child_text(element: Any, name: str, namespace: str | None = None) -> str | None:
    for child in _children(element, name, namespace):
        text = "".join(child.itertext()).strip()
        if text:
            return text
    return None


def _read_rss(root: Any, path: Path) -> Iterator[Article]:
    items = [e for e in root.iter() if _local(e) == "item"]
    for number, item in enumerate(items, start=1):
        link = next(
            (
                "".join(c.itertext()).strip()
                for c in _children(item, "link")
                if etree.QName(c).namespace != _ATOM and "".join(c.itertext()).strip()
            ),
            None,
        )
        guid_element = next(iter(_children(item, "guid")), None)
        guid = "".join(guid_element.itertext()).strip() if guid_element is not None else None
        guid_is_link = guid_element is not None and guid_element.get("isPermaLink", "true").lower() != "false"
        if not link and guid and guid_is_link and guid.lower().startswith(("http://", "https://")):
            link = guid
        title = plain_text(_child_text(item, "title"))
        if not link and not title:
            raise CatalogError(path, "has neither <link> nor <title>", line=item.sourceline, item=number, field="link")
        authors = [
            name
            for creator in _children(item, "creator") + _children(item, "author")
            for name in _feed_author_names("".join(creator.itertext()))
        ]
        published_raw = _child_text(item, "pubDate") or _child_text(item, "date") or _child_text(item, "published")
        body_html = _child_text(item, "encoded", _CONTENT_MODULE) or _child_text(item, "description") or ""
        paragraphs, links = body_from_html(body_html, link)
        article_id = guid if guid and not guid.lower().startswith(("http://", "https://")) else None
        yield Article(
            url=link,
            title=title,
            authors=unique_names(authors),
            published=iso_date(published_raw) or published_raw,
            paragraphs=paragraphs,
            links=links,
            article_id=article_id or article_id_from_url(link),
            source=f"{path}#item{number}",
        )


def _feed_author_names(text: str) -> list[str]:
    """RSS <author> is "jane@example.org (Jane Doe)"; dc:creator is a name."""
    text = text.strip()
    email_with_name = re.match(r"^\S+@\S+\s*\((.+)\)$", text)
    if email_with_name:
        text = email_with_name.group(1)
    elif re.match(r"^\S+@\S+$", text):
        return []
    return split_names(text)


def _read_atom(root: Any, path: Path) -> Iterator[Article]:
    feed_authors = _atom_authors(root)
    feed_base = _atom_link(root, None)
    entries = _children(root, "entry", _ATOM)
    for number, entry in enumerate(entries, start=1):
        base = entry.get("{http://www.w3.org/XML/1998/namespace}base") or feed_base
        link = _atom_link(entry, base)
        title = _atom_text(next(iter(_children(entry, "title", _ATOM)), None))
        if not link and not title:
            raise CatalogError(path, "has neither <link> nor <title>", line=entry.sourceline, item=number, field="link")
        content = next(iter(_children(entry, "content", _ATOM)), None)
        if content is None or content.get("src"):
            content = next(iter(_children(entry, "summary", _ATOM)), None)
        paragraphs, links = _atom_body(content, link)
        entry_id = _child_text(entry, "id", _ATOM)
        article_id = entry_id if entry_id and entry_id != link and not entry_id.lower().startswith("http") else None
        yield Article(
            url=link,
            title=title or None,
            authors=unique_names(_atom_authors(entry) or feed_authors),
            published=iso_date(_child_text(entry, "published", _ATOM) or _child_text(entry, "updated", _ATOM)),
            paragraphs=paragraphs,
            links=links,
            article_id=article_id or article_id_from_url(link),
            source=f"{path}#entry{number}",
        )


def _atom_authors(element: Any) -> list[str]:
    names: list[str] = []
    for author in _children(element, "author", _ATOM):
        name = _child_text(author, "name", _ATOM)
        if name:
            names.extend(split_names(name))
    return names


def _atom_link(element: Any, base: str | None) -> str | None:
    for link in _children(element, "link", _ATOM):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            href = link.get("href").strip()
            return urljoin(base, href) if base else href
    return None


def _atom_text(element: Any) -> str | None:
    if element is None:
        return None
    if element.get("type") == "xhtml":
        return plain_text(" ".join(element.itertext()))
    if element.get("type") == "html":
        return plain_text(element.text or "")
    return plain_text("".join(element.itertext()))


def _atom_body(content: Any, base: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if content is None:
        return (), ()
    kind = content.get("type", "text")
    if kind == "xhtml":
        markup = "".join(
            etree.tostring(child, encoding="unicode", with_tail=True) for child in content
        )
        markup = re.sub(r"\sxmlns(:\w+)?=\"[^\"]*\"", "", markup)
        markup = re.sub(r"<(/?)\w+:", r"<\1", markup)
        return body_from_html(markup, base)
    if kind == "html" or "html" in kind:
        return body_from_html(content.text or "", base)
    return paragraphs_from_text(content.text or ""), ()

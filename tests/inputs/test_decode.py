"""Decoding pages: the encoding must be right before lxml sees the text."""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.inputs.decode import Decoded, decode_html, not_html_reason

ARTICLE_JA = "東京都は本日、新しい条例を発表しました。市民の皆様には、ご理解とご協力をお願いいたします。"
ARTICLE_RU = "Правительство объявило о новых мерах поддержки малого бизнеса. Министр экономики рассказал журналистам о планах."
ARTICLE_FR = "Élégant café à Paris, où l'été est très chaud. Déjà vu ! Il était une fois une belle histoire."


def page(body: str, head: str = "", title: str = "Page") -> str:
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{body}</p></body></html>"
    )


# -- byte-order marks ---------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "codec", "expected_encoding"),
    [
        (b"\xef\xbb\xbf", "utf-8", "utf-8"),
        (b"\xff\xfe", "utf-16-le", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be", "utf-16-be"),
    ],
)
def test_bom_decides_and_is_removed(bom: bytes, codec: str, expected_encoding: str) -> None:
    html = page("Grüße aus Köln", head='<meta charset="iso-8859-1">')
    decoded = decode_html(bom + html.encode(codec), http_charset="windows-1251")
    assert decoded == Decoded(html, expected_encoding, "bom")


def test_utf16_page_parses_with_lxml() -> None:
    html = page("Grüße")
    decoded = decode_html(b"\xff\xfe" + html.encode("utf-16-le"))
    assert lxml.html.document_fromstring(decoded.text).findtext(".//p") == "Grüße"


# -- precedence: bytes, header, meta ------------------------------------------


def test_valid_utf8_wins_over_header_and_meta() -> None:
    html = page("Ünïcödé", head='<meta charset="windows-1251">')
    decoded = decode_html(html.encode("utf-8"), http_charset="iso-8859-1")
    assert (decoded.text, decoded.encoding, decoded.method) == (html, "utf-8", "utf-8")


def test_header_wins_over_meta() -> None:
    html = page("Привет, мир", head='<meta charset="iso-8859-1">')
    decoded = decode_html(html.encode("cp1251"), http_charset="windows-1251")
    assert (decoded.text, decoded.encoding, decoded.method) == (html, "cp1251", "http-header")


def test_meta_used_when_header_silent() -> None:
    html = page("Привет, мир", head='<meta charset="windows-1251">')
    decoded = decode_html(html.encode("cp1251"))
    assert (decoded.text, decoded.encoding, decoded.method) == (html, "cp1251", "meta")


def test_cp1252_page_with_accent_declared_in_meta() -> None:
    html = page("Le café est fermé.", head='<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
    decoded = decode_html(html.encode("cp1252"))
    assert decoded.method == "meta"
    assert decoded.encoding == "cp1252"
    assert "Le café est fermé." in decoded.text


def test_page_declaring_iso_8859_15_but_stored_as_utf8() -> None:
    html = page("España y Cataluña – “noticias”", head='<meta charset="iso-8859-15">')
    decoded = decode_html(html.encode("utf-8"))
    assert decoded.text == html
    assert decoded.method == "utf-8"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_meta_after_non_ascii_title(encoding: str) -> None:
    html = (
        '<html><head><title>Menü für Größen – Café</title>'
        f'<meta charset="{"utf-8" if encoding == "utf-8" else "windows-1252"}"></head>'
        "<body><p>Schöne Grüße</p></body></html>"
    )
    decoded = decode_html(html.encode(encoding))
    assert decoded.text == html
    root = lxml.html.document_fromstring(decoded.text)
    assert root.findtext(".//title") == "Menü für Größen – Café"


@pytest.mark.parametrize(
    "meta",
    [
        "<meta charset=windows-1252>",
        "<META CHARSET='Windows-1252'>",
        '<meta charset = " windows-1252 " />',
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; CHARSET=ISO-8859-1">',
        "<meta content='text/html;charset=\"latin1\"' http-equiv='content-type'>",
        '<meta http-equiv=content-type content=text/html;charset=us-ascii>',
        '<!-- <meta charset="koi8-r"> --><meta charset="windows-1252">',
        '<meta charset="x-no-such-thing"><meta charset="windows-1252">',
    ],
)
def test_meta_prescan_tolerates_odd_spelling(meta: str) -> None:
    html = page("Déjà vu – 5 €", head=meta)
    decoded = decode_html(html.encode("cp1252"))
    assert (decoded.text, decoded.encoding, decoded.method) == (html, "cp1252", "meta")


def test_meta_beyond_first_4kb_but_inside_head_is_honoured() -> None:
    filler = "<script>" + "var x = 1;\n" * 600 + "</script>"
    html = page("Déjà vu", head=filler + '<meta charset="windows-1252">')
    decoded = decode_html(html.encode("cp1252"))
    assert (decoded.text, decoded.method) == (html, "meta")


def test_xml_declaration_is_a_declaration_and_is_blanked_for_lxml() -> None:
    html = '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + page("Café crème")
    decoded = decode_html(html.encode("cp1252"))
    assert decoded.method == "meta"
    assert decoded.text.startswith('<?xml version="1.0" ')
    assert len(decoded.text) == len(html)
    assert lxml.html.document_fromstring(decoded.text).findtext(".//p") == "Café crème"


# -- WHATWG labels ------------------------------------------------------------


@pytest.mark.parametrize("label", ["iso-8859-1", "latin1", "ascii", "US-ASCII", '"ISO-8859-1"'])
def test_latin1_labels_mean_windows_1252(label: str) -> None:
    decoded = decode_html(b"<p>5 \x80 caf\xe9 \x93quoted\x94</p>", http_charset=label)
    assert (decoded.encoding, decoded.method) == ("cp1252", "http-header")
    assert decoded.text == "<p>5 € café “quoted”</p>"  # as browsers read them, not as Latin-1


def test_x_sjis_means_shift_jis() -> None:
    html = page(ARTICLE_JA)
    decoded = decode_html(html.encode("shift_jis"), http_charset="x-sjis")
    assert (decoded.text, decoded.encoding, decoded.method) == (html, "shift_jis", "http-header")


def test_shift_jis_with_microsoft_extensions_reads_as_cp932() -> None:
    html = page("①番目の記事～")
    decoded = decode_html(html.encode("cp932"), http_charset="Shift_JIS")
    assert (decoded.text, decoded.method) == (html, "http-header")


def test_gb2312_means_gb18030() -> None:
    html = page("今天，市政府宣布了新的交通规划。𠀀")  # the last one is outside GB2312
    decoded = decode_html(html.encode("gb18030"), http_charset="gb2312")
    assert (decoded.text, decoded.encoding, decoded.method) == (html, "gb18030", "http-header")


@pytest.mark.parametrize("label", ["rot13", "base64", "x-user-defined", "utf-7", "", "  "])
def test_unknown_or_unsafe_labels_are_ignored(label: str) -> None:
    html = page(ARTICLE_FR, head='<meta charset="windows-1252">')
    decoded = decode_html(html.encode("cp1252"), http_charset=label)
    assert (decoded.text, decoded.method) == (html, "meta")


def test_windows_1252_holes_do_not_fail() -> None:
    decoded = decode_html(b"<p>caf\xe9 \x81\x8d\x8f\x90\x9d</p>", http_charset="windows-1252")
    assert decoded.method == "http-header"
    assert decoded.text == "<p>café \x81\x8d\x8f\x90\x9d</p>"


def test_utf16_declared_in_meta_is_ignored() -> None:
    html = page(ARTICLE_FR, head='<meta charset="utf-16">')
    decoded = decode_html(html.encode("cp1252"))
    assert decoded.method != "meta"


def test_iso_2022_jp_is_not_mistaken_for_ascii() -> None:
    html = page(ARTICLE_JA, head='<meta charset="iso-2022-jp">')
    decoded = decode_html(html.encode("iso2022_jp"))
    assert (decoded.text, decoded.method) == (html, "meta")


# -- declarations that do not fit the bytes, and detection ---------------------


def test_declared_encoding_that_fails_falls_through() -> None:
    html = page(ARTICLE_FR, head='<meta charset="shift_jis">')
    decoded = decode_html(html.encode("cp1252"))
    assert decoded.method in ("detected", "fallback")
    assert ARTICLE_FR in decoded.text


def test_invalid_label_in_meta_falls_through_to_detection() -> None:
    html = page(ARTICLE_FR, head='<meta charset="iso-8859-99">')
    decoded = decode_html(html.encode("cp1252"))
    assert decoded.method in ("detected", "fallback")
    assert decoded.text == html


def test_shift_jis_without_declaration_is_detected() -> None:
    html = page(ARTICLE_JA, title="東京のニュース")
    decoded = decode_html(html.encode("shift_jis"))
    assert decoded.method == "detected"
    assert decoded.encoding in ("shift_jis", "cp932")
    assert decoded.text == html


def test_windows_1251_without_declaration_is_detected() -> None:
    html = page(ARTICLE_RU, title="Новости экономики")
    decoded = decode_html(html.encode("cp1251"))
    assert (decoded.text, decoded.encoding, decoded.method) == (html, "cp1251", "detected")


def test_western_page_without_declaration_prefers_windows_1252() -> None:
    html = page(ARTICLE_FR, title="Café à Paris")
    decoded = decode_html(html.encode("cp1252"))
    assert (decoded.text, decoded.encoding) == (html, "cp1252")


def test_utf8_page_with_a_few_stray_latin1_bytes() -> None:
    utf8 = page("Schöne Grüße aus der Küche, für alle Bürger. " * 5).encode("utf-8")
    stray = '<img alt="Hosting für Profit">'.encode("cp1252")
    decoded = decode_html(utf8.replace(b"<p>", b"<p>" + stray), http_charset=None)
    assert decoded.encoding == "utf-8"
    assert "Schöne Grüße aus der Küche" in decoded.text
    assert "Hosting für Profit" in decoded.text


def test_fallback_never_fails() -> None:
    decoded = decode_html(b"<p>\xff\xfe\xfd\x81</p>")
    assert isinstance(decoded.text, str)
    assert decoded.text.startswith("<p>")


# -- control characters -------------------------------------------------------


def test_control_characters_become_spaces_keeping_structure() -> None:
    raw = b"<p>a\x00b\x01c\x0bd\x0ce\x1bf\x7fg</p>\n<p>tab\there\r\nnext</p>"
    decoded = decode_html(raw)
    assert decoded.text == "<p>a b c d e f\x7fg</p>\n<p>tab\there\r\nnext</p>"
    assert len(decoded.text) == len(raw)


def test_control_characters_in_cp1252_page() -> None:
    decoded = decode_html(b"<p>caf\xe9\x02</p>", http_charset="iso-8859-1")
    assert decoded.text == "<p>café </p>"


# -- properties ---------------------------------------------------------------

# Characters a page can carry through unchanged: no C0 controls but tab, LF, CR.
page_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"),
    )
)


@given(st.binary(max_size=3000), st.one_of(st.none(), st.text(max_size=20)))
def test_any_bytes_decode_without_raising(data: bytes, charset: str | None) -> None:
    decoded = decode_html(data, http_charset=charset)
    assert isinstance(decoded.text, str)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", decoded.text)
    assert decoded.method in ("bom", "utf-8", "http-header", "meta", "detected", "fallback")


@given(page_text, st.sampled_from(["", '<meta charset="iso-8859-1">', '<meta charset="utf-8">']))
def test_utf8_text_round_trips(body: str, meta: str) -> None:
    html = page(body, head=meta)
    assert decode_html(html.encode("utf-8")).text == html


cp1252_text = st.text(
    alphabet=st.characters(codec="cp1252").filter(lambda c: c >= " " or c in "\t\n\r")
)


@given(cp1252_text)
def test_cp1252_text_with_correct_meta_round_trips(body: str) -> None:
    # "Café" followed by ASCII is never valid UTF-8, so the meta tag decides.
    html = page(body, head='<meta charset="windows-1252">', title="Café")
    decoded = decode_html(html.encode("cp1252"))
    assert (decoded.text, decoded.method) == (html, "meta")


# -- speed --------------------------------------------------------------------


def test_decoding_a_large_utf8_page_keeps_every_character() -> None:
    data = ("<p>Schöne Grüße – a line of news text.</p>\n" * 5000).encode("utf-8")[:200_000]
    data = data[: data.rfind(b"\n") + 1]
    decoded = decode_html(data)
    assert decoded.encoding == "utf-8" and decoded.text.encode("utf-8") == data


# -- not HTML -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the page is empty"),
        (b"  \n\t\r\n ", "the page is empty"),
        (b"\xef\xbb\xbf\n", "the page is empty"),
        (b"%PDF-1.7\n%\xe2\xe3", "the file is a PDF document, not HTML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "the file is a PNG image, not HTML"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "the file is a JPEG image, not HTML"),
        (b"GIF89a\x01\x00", "the file is a GIF image, not HTML"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "the file is a WebP image, not HTML"),
        (b"PK\x03\x04\x14\x00", "the file is a ZIP archive, not HTML"),
        (b"\x1f\x8b\x08\x00", "the file is a gzip-compressed file, not HTML"),
        (b"<html>\x00\x01\x02", "the file is binary data (it contains NUL bytes), not HTML"),
        (b"Just a plain note, 3 < 4 and nothing more.\n", "the file contains no HTML markup"),
        (b'{"title": "not a page"}', "the file contains no HTML markup"),
    ],
)
def test_not_html_reason(data: bytes, expected: str) -> None:
    assert not_html_reason(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><title>x</title>",
        b"<!doctype html>",
        b"\n\n  <p>fragment</p>",
        b"\xef\xbb\xbf<html><body>hi</body></html>",
        "\ufeff<html><body>ünï</body></html>".encode("utf-16-le"),
        "\ufeff<html><body>ünï</body></html>".encode("utf-16-be"),
        b"Some text first\n" * 100 + b"<div class='x'>then markup</div>",
    ],
)
def test_html_has_no_reason(data: bytes) -> None:
    assert not_html_reason(data) is None


def test_markup_beyond_64kb_does_not_count() -> None:
    assert not_html_reason(b"x" * 70_000 + b"<p>late</p>") == "the file contains no HTML markup"


# -- the shared real-world corpus ----------------------------------------------

# UTF-8 read as windows-1252 or Latin-1: German/French/Nordic letters, smart
# punctuation, Cyrillic, Central European letters, Arabic.
MOJIBAKE = re.compile(
    "Ã[¤¶¼©¨§¸¥±³¡º\xad„–œŸ]|â€[™œ“”¦\x9d]|Ð[°µ¾½¸]|Ñ€|Å[¡¾‚]|Ä[\x8d‡™]|Ø§Ù"
)


def is_misdecoded(decoded_text: str, raw: bytes) -> bool:
    """More mojibake than the bytes themselves hold when read as UTF-8."""
    found = len(MOJIBAKE.findall(decoded_text))
    return found > 0 and found > len(MOJIBAKE.findall(raw.decode("utf-8", errors="replace")))


def corpus_pages(corpus: Path) -> list[tuple[Path, dict]]:
    pages = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        manifest = folder / "manifest.jsonl"
        entries = {}
        if manifest.exists():
            for line in manifest.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    entry = json.loads(line)
                    entries[entry["file"]] = entry
        pages.extend((path, entries.get(path.name, {})) for path in sorted(folder.glob("*.html")))
    return pages


def normalise(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.corpus
def test_realworld_corpus_is_decoded_correctly(corpus_dir: Path) -> None:
    pages = corpus_pages(corpus_dir)
    assert pages, f"no pages under {corpus_dir}"

    misdecoded, titles_checked, titles_found = [], 0, 0
    for path, entry in pages:
        raw = path.read_bytes()
        decoded = decode_html(raw)

        assert not_html_reason(raw) is None, path
        if is_misdecoded(decoded.text, raw):
            misdecoded.append(path.name)
        if decoded.method != "utf-8" or decoded.text.startswith("<?xml"):
            lxml.html.document_fromstring(decoded.text)  # the unusual ones must still parse

        title = entry.get("title")
        if title and entry.get("title_found_in_page") is not False:
            titles_checked += 1
            if title in decoded.text or normalise(title) in normalise(html_lib.unescape(decoded.text)):
                titles_found += 1

    assert misdecoded == []
    assert titles_checked > 100
    assert titles_found / titles_checked >= 0.95, (titles_found, titles_checked)


def test_valid_utf8_input_is_handed_on_without_re_encoding() -> None:
    data = "<p>Grüße</p>".encode("utf-8")
    assert decode_html(data).utf8 is data
    assert decode_html(b"<p>\x01</p>").utf8 is None  # changed text: the bytes would disagree with it
    assert decode_html("<p>caf\u00e9</p>".encode("cp1252")).utf8 is None

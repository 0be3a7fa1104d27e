"""Turn the raw bytes of a page into text before lxml ever sees them.

lxml's own encoding guess mis-decodes about one real non-ASCII page in
fifteen (a non-ASCII ``<title>`` before ``<meta charset>``, a late or missing
declaration), and a mis-decoded byline never matches a licence's attribution
rule. So the encoding is decided here, in the order a careful browser would
trust the evidence:

1. a byte-order mark;
2. bytes that are valid UTF-8 (some publishers store UTF-8 pages whose meta
   tag still claims iso-8859-15: the bytes are the better witness);
3. the charset from the HTTP ``Content-Type`` header;
4. a ``<meta>`` declaration near the top of the page;
5. statistical detection (``charset_normalizer``, imported only here);
6. windows-1252 with replacement characters, which never fails.

Labels are read the way browsers read them (the WHATWG Encoding Standard):
``iso-8859-1`` and ``us-ascii`` mean windows-1252, ``gb2312`` means GB18030,
and a label nobody knows is ignored rather than trusted.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from compliance.text.regex import lazy

__all__ = ["Decoded", "decode_html", "not_html_reason"]


@dataclass(frozen=True)
class Decoded:
    """A page as text, with a record of how its encoding was chosen."""

    text: str
    encoding: str
    method: str  # "bom" | "utf-8" | "http-header" | "meta" | "detected" | "fallback"
    utf8: bytes | None = None  # the input itself when it already is exactly ``text`` in UTF-8 (saves re-encoding)


# -- encoding labels ---------------------------------------------------------

_WHATWG_LABELS: dict[str, tuple[str, ...]] = {
    # Python codec (its canonical name, so no codec is loaded at import): the
    # labels a page or server may use for it.
    "utf-8": ("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8",
              "x-unicode20utf8"),
    "cp866": ("866", "cp866", "csibm866", "ibm866"),
    "iso8859-2": ("csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592",
                  "iso_8859-2", "iso_8859-2:1987", "l2", "latin2"),
    "iso8859-3": ("csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593",
                  "iso_8859-3", "iso_8859-3:1988", "l3", "latin3"),
    "iso8859-4": ("csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594",
                  "iso_8859-4", "iso_8859-4:1988", "l4", "latin4"),
    "iso8859-5": ("csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5",
                  "iso88595", "iso_8859-5", "iso_8859-5:1988"),
    "iso8859-6": ("arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic",
                  "ecma-114", "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127",
                  "iso8859-6", "iso88596", "iso_8859-6", "iso_8859-6:1987"),
    "iso8859-7": ("csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7",
                  "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987",
                  "sun_eu_greek"),
    "iso8859-8": ("csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e",
                  "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988",
                  "visual", "csiso88598i", "iso-8859-8-i", "logical"),
    "iso8859-10": ("csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910",
                   "l6", "latin6"),
    "iso8859-13": ("iso-8859-13", "iso8859-13", "iso885913"),
    "iso8859-14": ("iso-8859-14", "iso8859-14", "iso885914"),
    "iso8859-15": ("csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15",
                   "l9"),
    "iso8859-16": ("iso-8859-16",),
    "koi8-r": ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"),
    "koi8-u": ("koi8-ru", "koi8-u"),
    "mac-roman": ("csmacintosh", "mac", "macintosh", "x-mac-roman"),
    "cp874": ("dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"),
    "cp1250": ("cp1250", "windows-1250", "x-cp1250"),
    "cp1251": ("cp1251", "windows-1251", "x-cp1251"),
    "cp1252": ("ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819",
               "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1",
               "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252"),
    "cp1253": ("cp1253", "windows-1253", "x-cp1253"),
    "cp1254": ("cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599",
               "iso_8859-9", "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254"),
    "cp1255": ("cp1255", "windows-1255", "x-cp1255"),
    "cp1256": ("cp1256", "windows-1256", "x-cp1256"),
    "cp1257": ("cp1257", "windows-1257", "x-cp1257"),
    "cp1258": ("cp1258", "windows-1258", "x-cp1258"),
    "mac-cyrillic": ("x-mac-cyrillic", "x-mac-ukrainian"),
    "gb18030": ("chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80",
                "gbk", "iso-ir-58", "x-gbk", "gb18030"),
    "big5hkscs": ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    "euc_jp": ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"),
    "iso2022_jp": ("csiso2022jp", "iso-2022-jp"),
    "shift_jis": ("csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis",
                  "windows-31j", "x-sjis"),
    "cp949": ("cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
              "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"),
    "utf-16-be": ("unicodefffe", "utf-16be"),
    "utf-16-le": ("csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16",
                  "utf-16le"),
}

_CODEC_BY_LABEL = {label: codec for codec, labels in _WHATWG_LABELS.items() for label in labels}

# Real Shift_JIS pages use Microsoft's extensions (circled digits, wave dash);
# cp932 is the superset that reads them when strict shift_jis cannot.
_WIDER_CODEC = {"shift_jis": "cp932"}

_UTF16 = frozenset({"utf-16-le", "utf-16-be"})


def _codec_for_label(label: str | None) -> str | None:
    """The Python codec a browser would use for ``label``, or None if unknown."""
    if not label:
        return None
    return _CODEC_BY_LABEL.get(label.strip().strip("\"'").strip().lower())


# -- decoding helpers --------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D have no cp1252 character; browsers
# read them as the C1 control of the same number, so a declared windows-1252
# page never fails to decode.
_CP1252_HOLES = {0xDC00 + byte: byte for byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def _decode_cp1252_like_browsers(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="surrogateescape").translate(_CP1252_HOLES)


def _decode_strict(data: bytes, codec: str) -> tuple[str, str] | None:
    """Decode with ``codec`` (or its wider sibling); None when the bytes do not fit."""
    if codec == "cp1252":
        return _decode_cp1252_like_browsers(data), codec
    for candidate in (codec, _WIDER_CODEC.get(codec)):
        if candidate is None:
            continue
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    return None


def _decode_declared(
    data: bytes, label: str | None, *, from_meta: bool
) -> tuple[str, str] | None:
    """Decode as a header or meta tag says, or None if the label is unknown or wrong."""
    codec = _codec_for_label(label)
    if codec is None:
        return None
    if codec in _UTF16:
        # A meta tag readable as ASCII cannot sit in a UTF-16 page, and a
        # UTF-16 page without a single NUL byte in its first KB is mislabelled.
        if from_meta or b"\x00" not in data[:1024]:
            return None
    return _decode_strict(data, codec)


# -- <meta> prescan ----------------------------------------------------------

_PRESCAN_BYTES = 4096
_HEAD_SCAN_BYTES = 65536
_COMMENT = lazy(rb"<!--.*?-->", re.S)
_META_CHARSET = lazy(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_.:()\-]+)""", re.I
)
_BODY_START = lazy(rb"<body\b", re.I)
_XML_DECLARATION = lazy(
    rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']\s*([a-z0-9_.:()\-]+)""", re.I
)


def _meta_charset_labels(data: bytes) -> list[str]:
    """Charset labels declared in ``<meta>`` tags, nearest the top first.

    The first 4 KB are searched first, as the declaration belongs there;
    browsers still honour a late one inside ``<head>``, so the rest of the
    head (up to 64 KB) is searched when the top holds nothing.
    """
    head = _COMMENT.sub(b"", data[:_PRESCAN_BYTES])
    labels = [m.group(1).decode("ascii") for m in _META_CHARSET.finditer(head)]
    if not labels and len(data) > _PRESCAN_BYTES:
        window = data[:_HEAD_SCAN_BYTES]
        body = _BODY_START.search(window)
        head = _COMMENT.sub(b"", window[: body.start()] if body else window)
        labels = [m.group(1).decode("ascii") for m in _META_CHARSET.finditer(head)]
    xml = _XML_DECLARATION.match(data)
    if xml:  # XHTML's own declaration, trusted after any <meta>
        labels.append(xml.group(1).decode("ascii"))
    return labels


# -- detection ---------------------------------------------------------------

_STRAY_BYTE = lazy("[\udc80-\udcff]")
_ISO2022_ESCAPE = lazy(rb"\x1b[$(][@ABDJ]")
_DETECTION_SAMPLE_BYTES = 512 * 1024
# charset_normalizer often ranks a Central European code page first for
# Western text; windows-1252 is the web's default, so it wins when it is
# nearly as plausible.
_CP1252_CHAOS_MARGIN = 0.05
# Names for the same decoding that read better in a report (the decoded text
# is identical whichever of the equivalent codecs is used).
_PREFERRED_EQUIVALENTS = ("utf_8", "cp1252", "shift_jis", "euc_jp", "gb18030", "cp1251",
                          "koi8_r", "cp1250", "cp1253")
_MAX_REPLACEMENT_RATIO = 0.001


def _decode_mostly_utf8(data: bytes) -> str | None:
    """Read UTF-8 with a few stray windows-1252 bytes (a template edited in two editors).

    Accepted only when valid multi-byte characters outnumber stray bytes four
    to one; a genuine single-byte page almost never forms valid UTF-8 pairs.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    strays = len(_STRAY_BYTE.findall(text))
    multibyte_extra = len(data) - len(text)  # bytes beyond the first of each UTF-8 character
    if strays == 0 or multibyte_extra < 4 * strays:
        return None
    return _STRAY_BYTE.sub(
        lambda m: _decode_cp1252_like_browsers(bytes([ord(m.group()) - 0xDC00])), text
    )


def _detected_codec(data: bytes) -> str | None:
    try:
        import charset_normalizer
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    matches = list(charset_normalizer.from_bytes(data[:_DETECTION_SAMPLE_BYTES]))
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        nearly_best = match.chaos <= best.chaos + _CP1252_CHAOS_MARGIN
        if nearly_best and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    for name in _PREFERRED_EQUIVALENTS:
        if name in best.could_be_from_charset:
            return name
    return best.encoding


_ASCII_PROBE = b"<!DOCTYPE html><meta charset='x'> =/;:&#09azAZ"


def _codec_for_python_name(name: str) -> str | None:
    """Canonical codec for a detector's answer, with Latin-1 read as browsers read it.

    Codecs that do not read ASCII markup as ASCII (EBCDIC, UTF-16/32 without
    a byte-order mark) are refused: a page whose tags we can see is not in one.
    """
    canonical = codecs.lookup(name).name
    if canonical in ("iso8859-1", "ascii"):
        return "cp1252"
    try:
        if _ASCII_PROBE.decode(canonical) != _ASCII_PROBE.decode("ascii"):
            return None
    except UnicodeDecodeError:
        return None
    return canonical


def _decode_detected(data: bytes) -> tuple[str, str] | None:
    mostly_utf8 = _decode_mostly_utf8(data)
    if mostly_utf8 is not None:
        return mostly_utf8, "utf-8"
    try:
        found = _detected_codec(data)
        codec = _codec_for_python_name(found) if found else None
    except (LookupError, ValueError, UnicodeError):
        return None
    if codec is None:
        return None
    decoded = _decode_strict(data, codec)
    if decoded is not None:
        return decoded
    # The sample fitted but the whole page has a few bad bytes: keep the
    # detected reading if the damage stays tiny.
    text = data.decode(codec, errors="replace")
    if text.count("\ufffd") <= max(1, len(text) * _MAX_REPLACEMENT_RATIO):
        return text, codec
    return None


# -- control characters ------------------------------------------------------

_BAD_CONTROLS = bytes(b for b in range(0x20) if b not in b"\t\n\r")
_EVERYTHING_BUT_BAD_CONTROLS = bytes(b for b in range(256) if b not in _BAD_CONTROLS)
_BAD_CONTROL_CHARS = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _has_control_bytes(data: bytes) -> bool:
    # Deleting every other byte is C-speed; a regex over 200 KB is eight times slower.
    return bool(data.translate(None, _EVERYTHING_BUT_BAD_CONTROLS))


def _blank_controls(text: str) -> str:
    """Swap control characters for spaces so offsets and lines stay where they were."""
    return _BAD_CONTROL_CHARS.sub(" ", text)


_XML_ENCODING_ATTRIBUTE = lazy(r"""^<\?xml[^>]*?(\s+encoding\s*=\s*["'][^"']*["'])""")


def _blank_xml_encoding(text: str) -> str:
    """Blank the encoding in ``<?xml ...?>``: lxml refuses str input that carries one."""
    found = _XML_ENCODING_ATTRIBUTE.match(text)
    if not found:
        return text
    start, end = found.span(1)
    return text[:start] + " " * (end - start) + text[end:]


# -- public API --------------------------------------------------------------


def decode_html(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode a page, deciding its encoding before any parser guesses."""
    has_controls = _has_control_bytes(data)
    text, encoding, method = _choose_decoding(data, http_charset, has_controls)
    # No codec chosen from a label maps bytes without control bytes to control characters, so the
    # fast byte check suffices; a guessed codec gets the slower, certain check on the text.
    if has_controls or method == "detected":
        text = _blank_controls(text)
    xml_declaration = text.startswith("<?xml")
    if xml_declaration:
        text = _blank_xml_encoding(text)
    same = method == "utf-8" and not has_controls and not xml_declaration
    return Decoded(text=text, encoding=encoding, method=method, utf8=data if same else None)


def _choose_decoding(
    data: bytes, http_charset: str | None, has_controls: bool
) -> tuple[str, str, str]:
    """The text, codec and method, trying the evidence from strongest to weakest."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace"), codec, "bom"

    # 7-bit ISO-2022-JP is valid UTF-8 too; its escape sequences say otherwise.
    if not (has_controls and _ISO2022_ESCAPE.search(data)):
        try:
            return data.decode("utf-8"), "utf-8", "utf-8"
        except UnicodeDecodeError:
            pass

    declared = _decode_declared(data, http_charset, from_meta=False)
    if declared is not None:
        return (*declared, "http-header")

    for label in _meta_charset_labels(data):
        declared = _decode_declared(data, label, from_meta=True)
        if declared is not None:
            return (*declared, "meta")

    detected = _decode_detected(data)
    if detected is not None:
        return (*detected, "detected")

    return data.decode("cp1252", errors="replace"), "cp1252", "fallback"


# -- is it HTML at all? ------------------------------------------------------

_MAGIC_NUMBERS = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip-compressed file"),
)
_MARKUP_WINDOW = 65536
_MARKUP = re.compile(rb"<(?:!doctype|[a-z][a-z0-9:-]*[\s/>])", re.I)
_MARKUP_TEXT = lazy(r"<(?:!doctype|[a-z][a-z0-9:-]*[\s/>])", re.I)


def _file_type(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image"
    for magic, name in _MAGIC_NUMBERS:
        if data.startswith(magic):
            return name
    return None


def not_html_reason(data: bytes) -> str | None:
    """Say in one sentence why ``data`` is not an HTML page, or None if it may be one."""
    utf16 = next((codec for bom, codec in _BOMS[1:] if data.startswith(bom)), None)
    body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    if utf16:
        window = data[2:_MARKUP_WINDOW].decode(utf16, errors="replace")
        if not window.strip():
            return "the page is empty"
        return None if _MARKUP_TEXT.search(window) else "the file contains no HTML markup"
    if not body or body.isspace():
        return "the page is empty"
    file_type = _file_type(data)
    if file_type:
        return f"the file is {file_type}, not HTML"
    if b"\x00" in data[:1024]:
        return "the file is binary data (it contains NUL bytes), not HTML"
    if not _MARKUP.search(data, 0, _MARKUP_WINDOW):
        return "the file contains no HTML markup"
    return None

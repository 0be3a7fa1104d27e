"""Assertions shared by the report tests: "nothing in this HTML can run" and "this Markdown keeps its shape"."""

from __future__ import annotations

import re

import lxml.html

# Every element the built-in HTML report uses; anything else came from a page and must not be there.
REPORT_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "main", "section", "article", "footer", "div",
    "h1", "h2", "h3", "p", "a", "span", "strong", "code", "pre", "br", "dl", "dt", "dd", "table", "thead",
    "tbody", "tr", "th", "td", "ol", "ul", "li", "details", "summary", "wbr",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "background", "xlink:href"}
_SCHEME_NOISE = re.compile(r"[\x00-\x20]")


def parse_html(text: str):
    return lxml.html.document_fromstring(text)


def assert_inert(text: str) -> None:
    """The HTML has no script, no event handler, no script URL, and a CSP that forbids scripts."""
    doc = parse_html(text)
    tags = {el.tag for el in doc.iter() if isinstance(el.tag, str)}
    assert tags <= REPORT_TAGS, f"unexpected elements: {sorted(tags - REPORT_TAGS)}"
    assert not doc.xpath("//script"), "a <script> element reached the report"
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), f"event handler {name}={value!r} on <{el.tag}>"
            if name.lower() in URL_ATTRIBUTES:
                url = _SCHEME_NOISE.sub("", value).lower()
                assert url.startswith(("http://", "https://", "#")), f"<{el.tag} {name}={value!r}> is not http(s)"
        if el.tag == "meta" and el.get("http-equiv", "").lower() == "refresh":
            raise AssertionError("a meta refresh reached the report")
    csp = doc.xpath("//meta[translate(@http-equiv, 'CONTENT-SECURITYPOLICY', 'content-securitypolicy')"
                    "='content-security-policy']/@content")
    assert len(csp) == 1, "the report must carry exactly one Content-Security-Policy meta"
    assert "script-src 'none'" in csp[0] and "default-src 'none'" in csp[0], csp[0]
    assert len(doc.xpath("//style")) == 1, "only the report's own stylesheet may appear"


_SCRIPT_LINK = re.compile(r"(?<!\\)\]\(\s*(javascript|data|vbscript):", re.I)
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`).*?(?<!`)\1(?!`)")  # a backslash-escaped backtick opens nothing


def markdown_outside_code(text: str) -> str:
    return _CODE_SPAN.sub("", text)


def assert_markdown_safe(text: str) -> None:
    """Outside code spans there is no raw HTML tag, no javascript: link, and every table row keeps its columns."""
    prose = markdown_outside_code(text)
    for line in prose.splitlines():
        if line.startswith("<sub>") and line.endswith("</sub>"):  # the template's own footer
            line = line[len("<sub>"):-len("</sub>")]
        assert "<" not in line, f"raw HTML in Markdown: {line!r}"
        assert not _SCRIPT_LINK.search(line), f"script link in Markdown: {line!r}"
    widths = []
    for line in text.splitlines():
        if line.startswith("|"):
            widths.append(len(re.findall(r"(?<!\\)\|", line)))
        elif widths:
            assert len(set(widths)) == 1, f"a table row lost or gained a column: {widths}"
            widths = []
    assert len(set(widths)) <= 1

"""URL normalisation for comparison, not for fetching.

License terms say "link to the original story"; a republisher's link rarely
spells the URL byte for byte the way the licensor's feed does (``http`` vs
``https``, ``www.``, a trailing slash, ``?utm_source=…``). ``normalize_url``
maps all spellings of one address to one string so that two links can be
compared with ``==``. The result is a comparison key: it may not be the exact
address a browser would request (tracking parameters and ``index.html`` are
gone, ``http`` becomes ``https``).
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, quote, urljoin, urlsplit, urlunsplit

from compliance.text.regex import lazy

__all__ = ["TRACKING_PARAMS", "normalize_url", "same_url"]

#: Query parameters that identify a campaign, a click or a sharer, never a page.
#: Compared case-insensitively; every ``utm_*`` parameter is dropped by prefix too.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        # Google Analytics / Ads
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
        "utm_id", "utm_name", "utm_reader", "utm_brand", "utm_social", "utm_social-type",
        "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "_ga", "_gl",
        # social networks and ad platforms
        "fbclid", "igshid", "igsh", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
        "ref_src", "ref_url", "ref", "s_cid", "sr_share",
        # e-mail tools
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "hsctatracking", "mkt_tok", "vero_id",
        "oly_enc_id", "oly_anon_id", "rb_clickid", "ml_subscriber", "ml_subscriber_hash",
        # publishers' own campaign codes
        "cmpid", "cmp", "ocid", "smid", "smtyp", "ncid", "icid", "intcmp", "partner_id",
        "wt.mc_id", "wt_mc_id", "ito", "taid", "sh", "spm", "share", "sharetype",
        "at_medium", "at_campaign", "at_link_id", "at_link_type", "at_link_origin",
        "at_ptr_name", "at_format", "at_bbc_team", "at_custom1", "at_custom2",
        "at_custom3", "at_custom4",
        "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
    }
)

_WEB_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = frozenset({"80", "443"})
# Final path segments that a web server serves for the directory itself.
_DIRECTORY_INDEXES = frozenset({"index.html", "index.htm"})
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT_ESCAPE = lazy(r"%([0-9A-Fa-f]{2})")
_SCHEME = lazy(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Browsers drop these anywhere in a URL typed into an href.
_TAB_OR_NEWLINE = lazy(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
# Characters left as they are when re-quoting a path or a query component.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_PART_SAFE = ":@!$'()*+,;/?-._~%"


def normalize_url(url: str, base: str | None = None) -> str:
    """Return a comparison key for ``url`` (resolved against ``base`` first).

    Never raises: input that cannot be parsed comes back trimmed, which still
    compares equal to itself.
    """
    text = _TAB_OR_NEWLINE.sub("", str(url)).strip(_C0_AND_SPACE)
    if base:
        try:
            text = urljoin(_TAB_OR_NEWLINE.sub("", str(base)).strip(_C0_AND_SPACE), text)
        except ValueError:
            pass
    scheme_match = _SCHEME.match(text)
    if scheme_match and scheme_match.group(1).lower() not in _WEB_SCHEMES:
        return scheme_match.group(1).lower() + text[scheme_match.end(1):]
    if text.startswith("//"):
        text = "https:" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    if not parts.netloc:
        # A relative reference with nothing to resolve it against: only the
        # fragment is certainly irrelevant.
        return _without_fragment(text)
    try:
        return _normalize_web_url(parts)
    except (ValueError, UnicodeError):
        return _without_fragment(text)


def same_url(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are spellings of the same page."""
    return normalize_url(a) == normalize_url(b)


def _without_fragment(text: str) -> str:
    return text.split("#", 1)[0].strip(_C0_AND_SPACE)


def _normalize_web_url(parts: SplitResult) -> str:
    netloc = _normalize_netloc(parts)
    path = _normalize_path(parts.path)
    query = _normalize_query(parts.query)
    return urlunsplit(("https", netloc, path, query, ""))


def _normalize_netloc(parts: SplitResult) -> str:
    userinfo, _, hostport = parts.netloc.rpartition("@")
    host, port = _split_host_port(hostport)
    host = _normalize_host(host)
    netloc = host if not port or port in _DEFAULT_PORTS else f"{host}:{port}"
    return f"{userinfo}@{netloc}" if userinfo else netloc


def _split_host_port(hostport: str) -> tuple[str, str]:
    if hostport.startswith("["):  # IPv6 literal
        end = hostport.find("]")
        if end != -1:
            rest = hostport[end + 1:]
            return hostport[: end + 1], rest[1:] if rest.startswith(":") else ""
        return hostport, ""
    host, sep, port = hostport.rpartition(":")
    if sep and (port.isdigit() or port == ""):
        return host, port.lstrip("0") or ("0" if port else "")
    return hostport, ""


def _normalize_host(host: str) -> str:
    host = _decode_unreserved(host).lower().rstrip(".")
    if host.startswith("[") or host.isascii():
        ascii_host = host
    else:
        ascii_host = ".".join(_idna_label(label) for label in host.split("."))
    while ascii_host.startswith("www.") and len(ascii_host) > 4:
        ascii_host = ascii_host[4:]
    return ascii_host


def _idna_label(label: str) -> str:
    if label.isascii():
        return label
    try:
        return label.encode("idna").decode("ascii")
    except UnicodeError:
        return quote(label, safe="")


def _normalize_path(path: str) -> str:
    path = _remove_dot_segments(_decode_unreserved(path))
    path = _requote(path, _PATH_SAFE).rstrip("/")
    while path.rsplit("/", 1)[-1].lower() in _DIRECTORY_INDEXES:
        path = path.rsplit("/", 1)[0].rstrip("/")
    return path or "/"


def _normalize_query(query: str) -> str:
    kept: list[tuple[str, str]] = []
    for field in query.replace(";", "&").split("&"):
        if not field:
            continue
        key, sep, value = field.partition("=")
        key = _requote(key, _QUERY_PART_SAFE)
        name = _decode_all(key).lower()
        if name in TRACKING_PARAMS or name.startswith("utm_"):
            continue
        kept.append((key, sep + _requote(value, _QUERY_PART_SAFE)))
    kept.sort()
    return "&".join(key + rest for key, rest in kept)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, on whole segments."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        is_last = index == len(segments) - 1
        if segment == ".":
            if is_last:
                output.append("")
            continue
        if segment == "..":
            if len(output) > 1:
                output.pop()
            if is_last:
                output.append("")
            continue
        output.append(segment)
    result = "/".join(output)
    if path.startswith("/") and not result.startswith("/"):
        result = "/" + result
    return result


def _requote(component: str, safe: str) -> str:
    """Decode escaped unreserved characters, upper-case the other escapes and
    percent-encode whatever may not appear raw (spaces, non-ASCII as UTF-8)."""
    component = _decode_unreserved(component)
    return quote(component, safe=safe, errors="surrogatepass")


def _decode_unreserved(component: str) -> str:
    def replace(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _PERCENT_ESCAPE.sub(replace, component)


def _decode_all(component: str) -> str:
    return _PERCENT_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), component)


def host(url: str) -> str:
    """Host part of a URL ('' for relative or non-web URLs)."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def site_of(url: str) -> str:
    """The site of a URL's host (see ``site_of_host``); "" for a URL without one."""
    return site_of_host(host(url))


def site_of_host(hostname: str) -> str:
    """The site a host belongs to: its last two labels (``static.example.com`` → ``example.com``), three
    under a country's second-level domain (``news.example.co.uk`` → ``example.co.uk``)."""
    labels = hostname.lower().rstrip(".").split(".")
    if hostname.count(":") or all(label.isdigit() for label in labels):
        return hostname.lower()  # an address is its own site: 10.0.0.1 is not 127.0.0.1's neighbour
    if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:]) if len(labels) >= 2 else hostname.lower()


def is_web_url(text: str) -> bool:
    """An http(s) address (any case of the scheme), as opposed to a file path."""
    return text[:8].lower().startswith(("http://", "https://"))

"""Requests and responses as the fetching code builds them (``compliance.inputs.messages``).

A URL of the usual shape is split by one regular expression, any other by ``httpx.URL``: whichever way,
the host connected to, the port, the request target and the URL string must be what httpx makes of it.
"""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.inputs.messages import Headers, Request, split_url


def httpx_split(url: str) -> tuple[str, str, int | None, str, str]:
    parsed = httpx.URL(url)
    return parsed.scheme, parsed.raw_host.decode("ascii"), parsed.port, parsed.raw_path.decode("ascii"), str(parsed)


_label = st.text("abcxyzABC019-", min_size=1, max_size=8)
_host = st.one_of(
    st.lists(_label, min_size=1, max_size=3).map(".".join),
    st.tuples(*[st.integers(0, 255)] * 4).map(lambda parts: ".".join(map(str, parts))),
    st.lists(st.sampled_from(["0", "00", "01", "0177", "127", "255", "256", "999", "1"]), min_size=3, max_size=5)
    .map(".".join),  # zero-padded, too large, too few or too many: httpx refuses some, reads others as names
    st.sampled_from(["[::1]", "[2001:db8::7]", "münchen.de", "xn--mnchen-3ya.de", "LOCALHOST", "a..b"]),
)
_port = st.one_of(st.just(""), st.sampled_from([":80", ":443", ":8080", ":0", ":08080", ":65535", ":1"]))
_segment = st.one_of(
    st.text("abz09-._~!$&'()*+,;=:@", max_size=6),
    st.sampled_from([".", "..", "%2F", "%zz", "%", "a b", "ä", "x|y", "{}", "\\", '"', "<>", "^`"]),
)
_path = st.lists(_segment, max_size=4).map(lambda parts: "".join("/" + p for p in parts))
_query = st.one_of(st.just(""), st.text("ab=&/?%:@ +ä", max_size=8).map(lambda q: "?" + q))
_fragment = st.one_of(st.just(""), st.just("#part"), st.just("#"))


@given(st.sampled_from(["http", "https", "HTTP"]), _host, _port, _path, _query, _fragment)
def test_every_url_is_split_as_httpx_splits_it(scheme: str, host: str, port: str, path: str, query: str,
                                               fragment: str) -> None:
    url = f"{scheme}://{host}{port}{path}{query}{fragment}"
    try:
        expected = httpx_split(url)
    except httpx.InvalidURL:
        with pytest.raises(httpx.InvalidURL):
            split_url(url)
        return
    assert split_url(url) == expected


@pytest.mark.parametrize("url", ["http://a.com", "http://a.com?x=1", "https://news.example.org:8443/2024/05/story.html?ref=feed"])
def test_usual_urls_take_the_quick_way_and_agree(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = httpx_split(url)
    monkeypatch.setattr(httpx, "URL", None)  # the quick way never asks httpx
    assert split_url(url) == expected


def test_a_request_sends_host_first_and_its_own_headers_over_the_clients() -> None:
    client_headers = {"user-agent": ("User-Agent", "compliance"), "accept": ("Accept", "text/html")}
    request = Request("GET", "http://[::1]:8080/a?b", {**client_headers, "accept": ("ACCEPT", "*/*")}, 5.0)
    assert request.headers.raw() == [("Host", "[::1]:8080"), ("User-Agent", "compliance"), ("ACCEPT", "*/*")]
    assert (request.host, request.port, request.target) == ("::1", 8080, "/a?b")
    assert Request("GET", "https://a.com:443/", {}, None).headers.raw() == [("Host", "a.com")]


def test_headers_are_found_in_any_case_and_repeats_are_kept() -> None:
    headers = Headers([("Set-Cookie", "a=1"), ("Content-Type", "text/html"), ("set-cookie", "b=2")])
    assert headers.get("SET-COOKIE") == "a=1, b=2" and headers["content-type"] == "text/html"
    assert "Content-type" in headers and "etag" not in headers and headers.get("etag") is None
    assert headers.multi_items() == [("set-cookie", "a=1"), ("content-type", "text/html"), ("set-cookie", "b=2")]
    assert headers.raw()[0] == ("Set-Cookie", "a=1")

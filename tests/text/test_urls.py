"""normalize_url: one comparison key for every spelling of an address."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.text.urls import TRACKING_PARAMS, normalize_url, same_url

ORIGINAL = "https://example-news.org/article/water-rates-1234567"


@pytest.mark.parametrize(
    "variant",
    [
        "http://example-news.org/article/water-rates-1234567",
        "https://www.example-news.org/article/water-rates-1234567",
        "HTTPS://WWW.Example-News.ORG/article/water-rates-1234567",
        "https://example-news.org/article/water-rates-1234567/",
        "https://example-news.org/article/water-rates-1234567#comments",
        "https://example-news.org:443/article/water-rates-1234567",
        "http://example-news.org:80/article/water-rates-1234567",
        "https://example-news.org/article/./water-rates-1234567",
        "https://example-news.org/news/../article/water-rates-1234567",
        "https://example-news.org/%61rticle/water-rates-1234567",
        "https://example-news.org/article/water-rates-1234567?utm_source=partner&utm_medium=syndication",
        "https://example-news.org/article/water-rates-1234567?fbclid=abc123&gclid=x&mc_cid=1&mc_eid=2",
        "https://example-news.org/article/water-rates-1234567?UTM_Campaign=Spring&ref=rss",
        "https://example-news.org/article/water-rates-1234567/index.html",
        "  https://example-news.org/article/water-rates-1234567\n",
        "//example-news.org/article/water-rates-1234567",
        "https://example-news.org./article/water-rates-1234567",
    ],
)
def test_spellings_of_one_address_normalise_equal(variant: str) -> None:
    assert normalize_url(variant) == normalize_url(ORIGINAL)
    assert same_url(variant, ORIGINAL)


@pytest.mark.parametrize(
    "other",
    [
        "https://example-news.org/article/water-rates-1234568",
        "https://example-news.org/Article/water-rates-1234567",  # paths are case-sensitive
        "https://example-news.org/article/water-rates-1234567?page=2",
        "https://news.example-news.org/article/water-rates-1234567",
        "https://example-news.org:8443/article/water-rates-1234567",
        "ftp://example-news.org/article/water-rates-1234567",
    ],
)
def test_different_addresses_stay_different(other: str) -> None:
    assert not same_url(other, ORIGINAL)


def test_remaining_query_is_sorted_and_escapes_are_upper_case() -> None:
    assert normalize_url("https://x.org/s?b=2&a=1&utm_term=t&c=%2f") == "https://x.org/s?a=1&b=2&c=%2F"


def test_root_and_empty_path_agree() -> None:
    assert normalize_url("https://example.org") == normalize_url("http://www.example.org/") == "https://example.org/"


def test_international_host_becomes_idna_and_path_is_utf8_escaped() -> None:
    assert normalize_url("https://Bücher.example/café") == "https://xn--bcher-kva.example/caf%C3%A9"
    assert same_url("https://xn--bcher-kva.example/caf%c3%a9", "http://bücher.example/café")


def test_relative_links_resolve_against_base() -> None:
    base = "https://www.example.org/news/2024/story.html"
    assert normalize_url("../2023/older?utm_source=x#top", base) == "https://example.org/news/2023/older"
    assert normalize_url("/about", base) == "https://example.org/about"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("MAILTO:Tips@Example.org?subject=Hi", "mailto:Tips@Example.org?subject=Hi"),
        ("JavaScript:void(0)", "javascript:void(0)"),
        ("tel:+1-555-0100", "tel:+1-555-0100"),
    ],
)
def test_non_web_urls_only_get_a_lower_case_scheme(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


@pytest.mark.parametrize("garbage", ["", "   ", "http://[", "http://[::1", "::::", "%zz", "#", "?", "\x00\x01"])
def test_garbage_comes_back_as_a_string(garbage: str) -> None:
    assert isinstance(normalize_url(garbage), str)


def test_tracking_parameters_include_the_usual_suspects() -> None:
    assert {"fbclid", "gclid", "dclid", "mc_cid", "mc_eid", "_ga", "igshid", "ref_src", "cmpid", "ocid", "smid"} <= TRACKING_PARAMS
    assert all(name == name.lower() for name in TRACKING_PARAMS)


# -- properties ---------------------------------------------------------------

hosts = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z][a-z0-9-]{0,10}){1,2}", fullmatch=True)
segments = st.lists(st.from_regex(r"[A-Za-z0-9._~-]{1,12}|%[0-9A-F]{2}", fullmatch=True), max_size=4)
query_fields = st.lists(
    st.tuples(st.from_regex(r"[a-z]{1,6}", fullmatch=True), st.from_regex(r"[A-Za-z0-9]{0,6}", fullmatch=True)),
    max_size=3,
)


@st.composite
def web_urls(draw: st.DrawFn) -> str:
    path = "/".join(draw(segments))
    fields = [(k, v) for k, v in draw(query_fields) if k not in TRACKING_PARAMS and not k.startswith("utm_")]
    query = "&".join(f"{k}={v}" for k, v in fields)
    return f"https://{draw(hosts)}/{path}" + (f"?{query}" if query else "")


@given(st.text())
def test_never_raises_and_is_idempotent_on_any_text(text: str) -> None:
    once = normalize_url(text)
    assert normalize_url(once) == once


@given(st.text(), st.text())
def test_never_raises_with_any_base(text: str, base: str) -> None:
    assert isinstance(normalize_url(text, base), str)


@given(web_urls())
def test_idempotent_on_web_urls(url: str) -> None:
    once = normalize_url(url)
    assert normalize_url(once) == once


@given(
    web_urls(),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["", "#", "#frag", "#!/route"]),
    st.lists(st.sampled_from(sorted(TRACKING_PARAMS) + ["utm_whatever"]), max_size=3),
)
def test_cosmetic_differences_do_not_matter(
    url: str, http: bool, www: bool, slash: bool, fragment: str, tracking: list[str]
) -> None:
    variant = url
    if http:
        variant = "http://" + variant.removeprefix("https://")
    if www:
        variant = variant.replace("://", "://www.", 1)
    base, _, query = variant.partition("?")
    if slash and not base.endswith("/"):
        base += "/"
    extra = "&".join(f"{name}=1" for name in tracking)
    query = "&".join(part for part in (query, extra) if part)
    variant = base + (f"?{query}" if query else "") + fragment
    assert normalize_url(variant) == normalize_url(url)

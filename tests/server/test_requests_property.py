"""Whatever a client sends, the answer is a result or a problem document, never a server error."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIELDS = ["html", "url", "policies", "authors", "original_url", "source", "extra"]
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                           max_size=3), max_leaves=8)
plausible = st.fixed_dictionaries({"policies": st.lists(st.sampled_from(["dcnf", "propublica", "x/../dcnf"]),
                                                        max_size=2)},
                                  optional={"html": st.text(max_size=200) | st.just("<p>By Jane Doe, DCNF</p>"),
                                            "authors": st.lists(st.text(max_size=20), max_size=2),
                                            "source": st.text(max_size=20),
                                            "url": st.sampled_from(["ftp://x", "https://", "http://[::1]/", "x"])})
bodies = plausible | st.dictionaries(st.sampled_from(FIELDS), values, max_size=5) | values
# each example is an HTTP round trip to a real server, so fewer than the suite's default
SLOW_OK = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def assert_answered(response) -> None:
    assert response.status_code != 500, response.text  # 502 (a URL that cannot be fetched) is an answer too
    if response.status_code != 200:
        doc = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert doc["status"] == response.status_code and doc["detail"]
    else:
        assert response.json()["schema_version"] == 1


@SLOW_OK
@given(body=bodies)
def test_any_json_body_gets_a_result_or_a_problem(server, body) -> None:
    with server.client() as c:
        assert_answered(c.post("/v1/check", content=json.dumps(body), headers={"content-type": "application/json"}))


@pytest.mark.slow
@SLOW_OK
@given(raw=st.binary(max_size=300))
def test_any_bytes_get_a_problem(server, raw) -> None:
    with server.client() as c:
        assert_answered(c.post("/v1/check", content=raw, headers={"content-type": "application/json"}))


@pytest.mark.slow
@SLOW_OK
@given(fields=st.dictionaries(st.sampled_from(["url", "html", "policy", "author", "original_url"]),
                              st.text(max_size=40), max_size=5))
def test_any_form_gets_a_page(server, fields) -> None:
    with server.client() as c:
        response = c.post("/", data=fields)
    assert response.status_code != 500 and response.headers["content-type"].startswith("text/html")

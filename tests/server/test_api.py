"""POST /v1/check answers exactly what `compliance check` prints; the other endpoints; problem documents."""

from __future__ import annotations

import pytest
from server.serving import EXAMPLES, assert_problem, cli_output

DCNF_PAGES = sorted((EXAMPLES / "dcnf").glob("*.html"))
QUICK = ("fail-wrong-author", "pass-standard")  # the default run compares two pages; `--all` every example
SLOW = pytest.mark.slow


def check(server, body: dict, fmt: str | None = None):
    with server.client() as c:
        return c.post("/v1/check", json=body, params={"format": fmt} if fmt else None)


@pytest.mark.parametrize("page", [pytest.param(p, id=p.stem, marks=() if p.stem in QUICK else SLOW)
                                  for p in DCNF_PAGES if "legacy" not in p.name])
def test_html_answer_equals_the_cli_json(server, page) -> None:
    response = check(server, {"html": page.read_text("utf-8"), "policies": ["dcnf"], "authors": ["Jane Doe"]})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.text == cli_output("-", "--policy", "dcnf", "--author", "Jane Doe", "--format", "json",
                                       stdin=page.read_bytes())


@pytest.mark.parametrize("name", ["pass-legacy-encoding.html", pytest.param("fail-wrong-author.html", marks=SLOW)])
def test_url_answer_equals_the_cli_json_byte_for_byte(server, site, name) -> None:
    url = f"{site}/dcnf/{name}"
    response = check(server, {"url": url, "policies": ["dcnf", "cc-by-4.0"]})
    assert response.status_code == 200
    assert response.text == cli_output(url, "--policy", "dcnf", "--policy", "cc-by-4.0", "--format", "json")


@SLOW
@pytest.mark.parametrize("fmt,media", [("markdown", "text/markdown"), ("sarif", "application/sarif+json"),
                                       ("junit", "application/xml"), ("html", "text/html")])
def test_other_formats_are_the_cli_reports(server, site, fmt, media) -> None:
    url = f"{site}/dcnf/fail-wrong-author.html"
    response = check(server, {"url": url, "policies": ["dcnf"], "authors": ["Jane Doe"]}, fmt)
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert response.text == cli_output(url, "--policy", "dcnf", "--author", "Jane Doe", "--format", fmt)


@SLOW
def test_original_url_is_the_cli_original(server, site) -> None:
    page, original = f"{site}/dcnf/pass-standard.html", f"{site}/dcnf/pass-no-author.html"
    response = check(server, {"url": page, "policies": ["dcnf"], "original_url": original})
    assert response.status_code == 200
    assert response.text == cli_output(page, "--policy", "dcnf", "--original", original, "--format", "json")


def test_policies_are_listed_and_explained_in_plain_words(server) -> None:
    with server.client() as c:
        listed = c.get("/v1/policies").json()["policies"]
        dcnf = c.get("/v1/policies/dcnf").json()
    assert "dcnf" in [p["id"] for p in listed] and all(p["title"] and p["terms_url"] for p in listed)
    assert dcnf["text"] == cli_policy_show("dcnf")
    byline = next(c for c in dcnf["clauses"] if c["id"] == "byline")
    assert byline["group"] == "must" and byline["requirement"] and byline["how_to_comply"]


def cli_policy_show(name: str) -> str:
    import subprocess
    import sys

    from server.serving import REPO

    return subprocess.run([sys.executable, "-m", "compliance", "policy", "show", name], capture_output=True,
                          text=True, cwd=REPO, timeout=60, check=True).stdout


def test_unknown_policy_is_a_problem(server) -> None:
    doc = assert_problem(check(server, {"html": "<p>x</p>", "policies": ["dcnf", "no-such"]}), 422, "unknown-policy")
    assert "no-such" in doc["detail"] and "dcnf" in doc["detail"]  # names the known ones
    with server.client() as c:
        assert_problem(c.get("/v1/policies/no-such"), 404, "unknown-policy")


def test_a_policy_path_is_never_loaded(server) -> None:
    policy = str(EXAMPLES.parent / "dcnf.yaml")
    doc = assert_problem(check(server, {"html": "<p>x</p>", "policies": [policy]}), 422, "unknown-policy")
    assert "dcnf.yaml" in doc["detail"]


@pytest.mark.parametrize("body,pointer", [
    ({"policies": ["dcnf"]}, ""),
    ({"html": "<p>x</p>", "url": "https://example.org/", "policies": ["dcnf"]}, ""),
    ({"html": "<p>x</p>"}, ""),
    ({"html": "<p>x</p>", "policies": "dcnf"}, "/policies"),
    ({"html": "<p>x</p>", "policies": ["dcnf"], "author": ["x"]}, ""),
    ({"url": "file:///etc/passwd", "policies": ["dcnf"]}, "/url"),
])
def test_invalid_requests_are_problems_pointing_at_the_field(server, body, pointer) -> None:
    doc = assert_problem(check(server, body), 400, "invalid-request")
    assert doc["errors"][0]["pointer"] == pointer


def test_not_json_and_wrong_media_type(server) -> None:
    with server.client() as c:
        assert_problem(c.post("/v1/check", content=b"{", headers={"content-type": "application/json"}), 400,
                       "invalid-request")
        assert_problem(c.post("/v1/check", content=b"html=x", headers={"content-type": "text/plain"}), 415,
                       "unsupported-media-type")


def test_not_html_and_fetch_failures_are_problems(server, site) -> None:
    assert "empty" in assert_problem(check(server, {"html": "  ", "policies": ["dcnf"]}), 422, "not-html")["detail"]
    doc = assert_problem(check(server, {"url": f"{site}/missing.html", "policies": ["dcnf"]}), 502,
                         "fetch-failed")
    assert "404" in doc["detail"]


def test_unknown_routes_and_methods_are_problems(server) -> None:
    with server.client() as c:
        assert_problem(c.get("/nope"), 404, "not-found")
        assert_problem(c.get("/v1/check"), 405, "method-not-allowed")


def test_healthz(server) -> None:
    with server.client(token=None) as c:
        assert c.get("/healthz").json() == {"status": "ok"}


def test_openapi_document_is_valid_and_describes_the_answers(server, site) -> None:
    openapi_spec_validator = pytest.importorskip("openapi_spec_validator")
    import jsonschema

    with server.client() as c:
        doc = c.get("/openapi.json").json()
    openapi_spec_validator.validate(doc)
    assert set(doc["paths"]) >= {"/v1/check", "/v1/policies", "/v1/policies/{id}", "/healthz"}
    answer = check(server, {"url": f"{site}/dcnf/fail-wrong-author.html", "policies": ["dcnf"]}).json()
    schema = {**doc["components"]["schemas"]["RunResult"], "components": doc["components"]}
    jsonschema.validate(answer, schema)

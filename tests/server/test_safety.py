"""Safe by default: tokens, loopback binding, no fetches into private networks, bounded bodies and time."""

from __future__ import annotations

import base64
import subprocess
import sys

import httpx
import pytest
from server.serving import REPO, TOKEN, assert_problem

PAGE = "<html><body><p class=byline>By Jane Doe, Daily Caller News Foundation</p></body></html>"
BODY = {"html": PAGE, "policies": ["dcnf"]}


@pytest.fixture(scope="module")
def secured(serve):
    return serve("--token", TOKEN)


def test_the_token_is_required_everywhere_but_healthz(secured) -> None:
    with secured.client(token=None) as c:
        doc = assert_problem(c.post("/v1/check", json=BODY), 401, "unauthorized")
        assert "Bearer" in doc["detail"]
        assert c.get("/v1/check").headers.get("www-authenticate", "").startswith("Bearer")
        for path in ("/v1/policies", "/v1/policies/dcnf", "/openapi.json"):
            assert_problem(c.get(path), 401, "unauthorized")
        assert c.get("/").status_code == 401
        assert c.get("/").headers["www-authenticate"].startswith("Basic")  # a browser asks for it
        assert c.get("/healthz").status_code == 200
    with secured.client(token="wrong-token-0123456789") as c:
        assert_problem(c.post("/v1/check", json=BODY), 401, "unauthorized")
    with secured.client() as c:
        assert c.post("/v1/check", json=BODY).status_code == 200
        assert c.get("/v1/policies").status_code == 200


def test_a_browser_signs_in_with_the_token_as_password(secured) -> None:
    basic = "Basic " + base64.b64encode(f"editor:{TOKEN}".encode()).decode()
    with httpx.Client(base_url=secured.url, headers={"Authorization": basic}, trust_env=False) as c:
        assert c.get("/").status_code == 200
        assert c.post("/v1/check", json=BODY).status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", pytest.param("::", marks=pytest.mark.slow),
                                  pytest.param("192.0.2.10", marks=pytest.mark.slow)])
def test_a_non_loopback_bind_without_a_token_is_refused(host) -> None:
    r = subprocess.run([sys.executable, "-m", "compliance", "serve", "--host", host, "--port", "0"],
                       capture_output=True, text=True, cwd=REPO, timeout=60)
    assert r.returncode == 2 and "listening" not in r.stdout
    assert "token" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_a_short_token_is_refused() -> None:
    r = subprocess.run([sys.executable, "-m", "compliance", "serve", "--token", "abc", "--port", "0"],
                       capture_output=True, text=True, cwd=REPO, timeout=60)
    assert r.returncode == 2 and "at least 16" in r.stderr


def test_urls_at_loopback_are_refused_without_allow_private(serve, site) -> None:
    strict = serve()
    url = f"{site}/dcnf/pass-standard.html"
    with strict.client() as c:
        doc = assert_problem(c.post("/v1/check", json={"url": url, "policies": ["dcnf"]}), 422,
                             "address-not-allowed")
        assert "127.0.0.1" in doc["detail"] and "--allow-private" in doc["detail"]
        localhost = url.replace("127.0.0.1", "localhost")
        assert_problem(c.post("/v1/check", json={"url": localhost, "policies": ["dcnf"]}), 422,
                       "address-not-allowed")
        assert_problem(c.post("/v1/check", json={"html": PAGE, "policies": ["dcnf"], "original_url": url}), 422,
                       "address-not-allowed")


def test_allow_private_lets_the_url_through(server, site) -> None:
    with server.client() as c:
        assert c.post("/v1/check", json={"url": f"{site}/dcnf/pass-standard.html",
                                         "policies": ["dcnf"]}).status_code == 200


def test_a_body_over_the_cap_is_413(serve) -> None:
    small = serve("--max-body", "0.02")  # megabytes: 20,971 bytes
    big = {"html": "<p>" + "x" * 30_000 + "</p>", "policies": ["dcnf"]}
    with small.client() as c:
        doc = assert_problem(c.post("/v1/check", json=big), 413, "body-too-large")
        assert "20,971 bytes" in doc["detail"]

        def chunks():  # no Content-Length: counted as it arrives
            yield b'{"html": "'
            for _ in range(40):
                yield b"x" * 1000
            yield b'", "policies": ["dcnf"]}'

        r = c.post("/v1/check", content=chunks(), headers={"content-type": "application/json"})
        assert_problem(r, 413, "body-too-large")
        assert c.post("/v1/check", json=BODY).status_code == 200  # the server is fine afterwards


@pytest.mark.slow
def test_a_check_over_its_time_budget_is_504_and_the_server_goes_on(serve) -> None:
    hurried = serve("--page-timeout", "0.001")
    with hurried.client() as c:
        doc = assert_problem(c.post("/v1/check", json=BODY), 504, "time-budget-exceeded")
        assert "0.001" in doc["detail"]
        assert c.get("/v1/policies").status_code == 200


@pytest.mark.slow
def test_a_check_over_its_memory_budget_is_422_and_the_server_goes_on(serve) -> None:
    # 250,000 bylines: about 8.5 MB of HTML, whose tree needs far more than the 64 MB a check may add
    big = ("<html><body><article><p>Daily Caller News Foundation</p>"
           + '<p class="byline">By Jane Doe</p>\n' * 250_000 + "</article></body></html>")
    frugal = serve("--page-memory", "64", "--max-body", "20")
    with frugal.client() as c:
        doc = assert_problem(c.post("/v1/check", json={"html": big, "policies": ["dcnf"]}), 422,
                             "memory-budget-exceeded")
        assert doc["detail"] == ("checking the page needed more than the 64 MB memory limit (--page-memory), "
                                 "so it was stopped")
        for _ in range(2):  # the worker was replaced: quick checks are answered, and the big page fails again
            assert c.post("/v1/check", json=BODY).status_code == 200
        assert_problem(c.post("/v1/check", json={"html": big, "policies": ["dcnf"]}), 422, "memory-budget-exceeded")
        assert c.post("/v1/check", json=BODY).json()["pages"][0]["source"] == "-"


def test_a_loopback_server_answers_only_to_loopback_names(server) -> None:
    with server.client() as c:
        r = c.get("/v1/policies", headers={"Host": "attacker.example"})
        assert_problem(r, 403, "forbidden")
        assert c.get("/v1/policies", headers={"Host": "localhost:1"}).status_code == 200


@pytest.mark.slow
def test_cors_is_off_unless_origins_are_listed(server, serve) -> None:
    origin = {"Origin": "https://cms.example.org"}
    with server.client() as c:
        assert "access-control-allow-origin" not in c.post("/v1/check", json=BODY, headers=origin).headers
    cors = serve("--cors-origin", "https://cms.example.org")
    with cors.client() as c:
        pre = c.options("/v1/check", headers={**origin, "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "authorization,content-type"})
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == origin["Origin"]
        other = c.post("/v1/check", json=BODY, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_a_form_post_from_another_site_is_refused(server) -> None:
    with server.client() as c:
        r = c.post("/", data={"html": PAGE, "policy": "dcnf"}, headers={"Origin": "https://evil.example"})
        assert r.status_code == 403 and "own page" in r.text


HOSTILE = ('<html><head><title>x</title></head><body><p class=byline>By <script>alert(1)</script>'
           '<img src=x onerror=alert(2)> Jane "Doe", Daily Caller News Foundation</p>'
           '<a href="javascript:alert(3)">DCNF</a></body></html>')


def test_page_content_is_never_reflected_as_markup(server) -> None:
    from server.serving import report_checks

    assert_inert, parse_html = report_checks().assert_inert, report_checks().parse_html

    with server.client() as c:
        report = c.post("/v1/check", json={"html": HOSTILE, "policies": ["dcnf"], "authors": ["<b>x</b>"]},
                        params={"format": "html"})
        page = c.post("/", data={"html": HOSTILE, "policy": "dcnf", "author": "<b>x</b>"})
    assert report.status_code == 200 and "default-src 'none'" in report.headers["content-security-policy"]
    assert_inert(report.text)
    assert page.status_code == 200
    doc = parse_html(page.text)
    assert doc.xpath("//textarea[@name='html']")[0].text == HOSTILE  # shown back as text, exactly
    assert len(doc.xpath("//script")) == 1 and "alert" not in doc.xpath("//script")[0].text  # only our own
    assert not doc.xpath("//b") and not doc.xpath("//img")
    assert not [a for el in doc.iter() if isinstance(el.tag, str) for a in el.attrib if a.lower().startswith("on")]
    assert not doc.xpath("//a[starts-with(@href, 'javascript')]")


def test_without_the_extra_the_message_says_what_to_install() -> None:
    code = ("import sys; sys.modules['uvicorn'] = None; sys.argv = ['compliance', 'serve', '--port', '0']\n"
            "from compliance.cli import main; main()")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert r.returncode == 2 and "pip install 'compliance[serve]'" in r.stderr and "Traceback" not in r.stderr


SLOW_POLICY = """\
id: slow-xpath
title: A policy whose XPath takes minutes on a page of a few thousand paragraphs
licensor: Test
terms_url: https://example.org/terms
clauses:
  nested:
    title: Nested count
    check:
      element: {selector: "//p[count(//p[count(//p) > 0]) > 0]"}
"""


@pytest.mark.slow
def test_a_slow_page_is_stopped_and_does_not_hold_up_the_others(serve, tmp_path_factory) -> None:
    from concurrent.futures import ThreadPoolExecutor

    folder = tmp_path_factory.mktemp("policies")
    (folder / "slow-xpath.yaml").write_text(SLOW_POLICY)
    pool = serve("--policy-dir", str(folder), "--workers", "2", "--page-timeout", "10")
    slow = {"html": "<html><body>" + "<p>x</p>" * 3000 + "</body></html>", "policies": ["slow-xpath"]}
    quick = {"html": "<html><body><p>x</p></body></html>", "policies": ["slow-xpath"]}
    with pool.client() as c, ThreadPoolExecutor(1) as background:
        stuck = background.submit(c.post, "/v1/check", json=slow)
        assert c.post("/v1/check", json=quick).status_code == 200
        assert not stuck.done()  # the quick page was answered while the slow one was still being checked
        assert_problem(stuck.result(), 504, "time-budget-exceeded")
        for _ in range(3):  # the stopped worker was replaced: the server still has two
            assert c.post("/v1/check", json=quick).status_code == 200
        assert {"dcnf", "slow-xpath"} <= {p["id"] for p in c.get("/v1/policies").json()["policies"]}

"""The editor's page in a real browser (Debian's Chromium driven by Playwright): paste, pick, check, read the fix."""

from __future__ import annotations

import shutil
import tempfile

import pytest
from server.serving import EXAMPLES

pytestmark = pytest.mark.slow  # a real browser: left out of the quick default run, in `pytest --all`

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FAILING = EXAMPLES / "dcnf" / "fail-wrong-author.html"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def playwright():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium to run the browser tests")
    with sync_api.sync_playwright() as pw:
        yield pw


@pytest.fixture(params=["scripts on", "scripts off"])
def browser_page(request, playwright):
    with tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=ARGS, headless=True, viewport=PHONE,
            java_script_enabled=request.param == "scripts on")
        page = context.new_page()
        page.set_default_timeout(30_000)
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: problems.append(f"request to {r.url}") if "127.0.0.1" not in r.url else None)
        yield page, problems
        context.close()


def check_failing_page(page, server) -> None:
    page.goto(server.url + "/")
    page.fill("#html", FAILING.read_text("utf-8"))
    page.select_option("#policy", "dcnf")
    page.fill("#author", "Jane Doe")
    page.click("button[type=submit]")
    page.wait_for_selector("#results")


def test_a_failing_page_shows_the_failing_clause_and_its_fix(browser_page, server) -> None:
    page, problems = browser_page
    check_failing_page(page, server)
    results = page.locator("#results")
    first = results.locator("article.clause").first  # failures first
    assert first.get_attribute("data-status") == "fail"
    assert "Reporter's byline" in first.inner_text()
    assert "How to fix" in first.locator(".fix").inner_text()
    assert "Jane Doe" in first.inner_text()
    assert page.input_value("#author") == "Jane Doe"  # the form keeps what was typed
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    assert not problems, problems  # no console errors, no CSP violations, nothing fetched from elsewhere


def test_a_dropped_or_chosen_file_is_checked(browser_page, server) -> None:
    page, problems = browser_page
    page.goto(server.url + "/")
    page.set_input_files("#file", str(FAILING))
    page.select_option("#policy", "dcnf")
    page.fill("#author", "Jane Doe")
    page.click("button[type=submit]")
    page.wait_for_selector("#results")
    assert FAILING.name in page.inner_text("#results")
    assert page.locator("#results article.clause[data-status=fail]").count() >= 1
    assert not problems, problems


def test_the_form_is_usable_with_the_keyboard_alone(playwright, server) -> None:
    with tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS,
                                                                headless=True, viewport=PHONE)
        page = context.new_page()
        page.goto(server.url + "/")
        reached = []
        for _ in range(12):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        assert {"url", "html", "file", "policy", "author", "submit"} <= set(reached), reached
        for control in ("url", "html", "file", "policy", "author"):  # each has a visible label
            assert page.locator(f"label[for={control}]").is_visible()
        page.focus("#html")
        page.keyboard.insert_text(FAILING.read_text("utf-8"))
        page.focus("#policy")
        page.keyboard.type("Daily Caller")  # a closed list picks the option typed
        assert page.input_value("#policy") == "dcnf"
        page.focus("#author")
        page.keyboard.type("Jane Doe")
        page.keyboard.press("Enter")  # Enter in a text field submits the form
        page.wait_for_selector("#results")
        assert page.evaluate("document.activeElement.id") == "results"  # focus moves to the answer
        context.close()


def test_the_license_must_be_picked(browser_page, server) -> None:
    page, _ = browser_page
    page.goto(server.url + "/")
    assert page.input_value("#policy") == ""  # nothing is picked for the editor
    page.fill("#html", FAILING.read_text("utf-8"))
    page.click("button[type=submit]")
    assert page.evaluate("document.getElementById('policy').validity.valueMissing")
    assert page.locator("#results").count() == 0  # the browser asks for the license before sending


def test_errors_are_explained_on_the_page(browser_page, server) -> None:
    page, _ = browser_page
    page.goto(server.url + "/")
    page.select_option("#policy", "dcnf")
    page.click("button[type=submit]")
    page.wait_for_selector("#results")
    assert "Give the page to check" in page.inner_text("#results [role=alert]")

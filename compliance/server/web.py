"""The editor's page at ``/``: a plain HTML form that posts back to itself; results laid out like the HTML report.

It works with scripts off: the form posts (multipart, so a file can come
along) and the answer is the whole page again, with the form as it was
filled in and the verdict below it, failures first with their fixes, drawn
by the HTML report's own macros. A small inline script only widens the drop
target for a file and says "Checking…" while the page is checked. Nothing is
loaded from elsewhere: the script is allowed by its hash in the page's
Content-Security-Policy, and page text is escaped like everywhere else.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from compliance.server.api import CheckRequest
from compliance.server.problems import Problem

FIELDS = ("url", "html", "policy", "author", "original_url")
TEMPLATE, SCRIPT = "editor.html.j2", "editor.js"


@lru_cache(maxsize=1)
def _script() -> tuple[str, str]:
    """The page's script and its CSP source expression."""
    from compliance.resources import data_dir

    text = (data_dir("reports") / SCRIPT).read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"'sha256-{digest}'"


def content_security_policy() -> str:
    return (f"default-src 'none'; script-src {_script()[1]}; style-src 'unsafe-inline'; img-src data:; "
            f"form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def render_page(state: Any, *, status: int = 200, headers: dict[str, str] | None = None,
                values: dict[str, str] | None = None, error: Problem | None = None, result: Any = None) -> Response:
    from compliance import __version__
    from compliance.reporters.data import template_data
    from compliance.reporters.templated import environment

    catalog = state.catalog
    html = environment().get_template(TEMPLATE).render(
        policies=[catalog.summary(p) for p in catalog.ids()],
        values={k: "" for k in FIELDS} | (values or {}),
        error={"title": error.title, "detail": error.detail} if error else None,
        result=template_data(result) if result is not None else None,
        script=_script()[0],
        tool={"name": "compliance", "version": __version__})
    return HTMLResponse(html, status_code=status,
                        headers={**(headers or {}), "Content-Security-Policy": content_security_policy()})


async def page(request: Request) -> Response:
    state = request.app.state
    if request.method == "GET":
        return render_page(state)
    _same_origin(request)
    form = await request.form(max_files=1, max_fields=len(FIELDS) + 2, max_part_size=state.settings.max_body)
    values = {k: str(form.get(k) or "")[: state.settings.max_body] for k in FIELDS}
    upload = form.get("file")
    data = name = None
    if upload is not None and not isinstance(upload, str) and upload.filename:
        data, name = await upload.read(), upload.filename
    from compliance.server.api import run_check

    try:
        result = await run_check(request_from_form(values, data, name), state)
    except Problem as problem:
        return render_page(state, status=problem.status, headers=problem.headers, values=values, error=problem)
    return render_page(state, values=values, result=result)


def request_from_form(values: dict[str, str], data: bytes | None, name: str | None) -> CheckRequest:
    """The form's fields as a check request, with the mistakes an editor can make said in their words."""
    from compliance.reporters.data import utf8_safe

    url, html = values["url"].strip(), values["html"]
    given = [what for what, value in (("a URL", url), ("HTML", html.strip()), ("a file", data)) if value]
    if not given:
        raise Problem("invalid-request", "Give the page to check: its preview URL, its HTML, or the saved file.")
    if len(given) > 1:
        raise Problem("invalid-request", f"Give only one page: you gave {' and '.join(given)}. Clear the other "
                                         f"fields and check again.")
    if not values["policy"]:
        raise Problem("invalid-request", "Pick the license to check against.")
    if url and not url.lower().startswith(("http://", "https://")):
        raise Problem("invalid-request", f"{url} is not a web address: it should start with https://")
    original = values["original_url"].strip()
    if original and not original.lower().startswith(("http://", "https://")):
        raise Problem("invalid-request", f"{original} is not a web address: it should start with https://")
    authors = tuple(utf8_safe(a.strip()) for a in values["author"].replace("\n", ";").split(";") if a.strip())
    return CheckRequest(policies=(values["policy"],), html=html if html.strip() else None, url=url or None,
                        source=utf8_safe(name or url or "pasted HTML"), authors=authors,
                        original_url=original or None, data=data)


def _same_origin(request: Request) -> None:
    """Refuse a post from another site's page: the browser would send the signed-in editor's credentials along."""
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    host = request.headers.get("host", "")
    if site in ("cross-site", "same-site") or (origin and origin != "null" and origin.split("://", 1)[-1] != host):
        raise Problem("forbidden", "This form only accepts posts from its own page.")

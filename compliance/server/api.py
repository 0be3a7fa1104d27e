"""The JSON API: what ``POST /v1/check`` accepts, how it runs, and what it answers.

The answer is the command line's: the same runner checks the page and the
same reporters render the result, so the JSON is byte for byte what
``compliance check --format json`` prints for the same page and policies
(``?format=`` picks another of its reports). A request's page is given as
``html`` (text; named ``-`` in the result, like standard input) or as ``url``
(fetched under the server's address policy and named by that URL, like a URL
on the command line).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from compliance.server.problems import Problem
from compliance.server.work import Job, Original

FORMATS = {  # ?format= -> media type of the answer
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "sarif": "application/sarif+json",
    "junit": "application/xml",
    "text": "text/plain; charset=utf-8",
}
MAX_POLICIES = 20

_URL = {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$", "maxLength": 8192}
CHECK_REQUEST: dict[str, Any] = {
    "type": "object",
    "description": "One page (html or url) and the policies to check it against.",
    "additionalProperties": False,
    "required": ["policies"],
    "properties": {
        "html": {"type": "string", "description": "The page's HTML. Give this or url."},
        "url": {**_URL, "description": "An http(s) URL for the server to fetch. Give this or html."},
        "policies": {"type": "array", "minItems": 1, "maxItems": MAX_POLICIES, "uniqueItems": True,
                     "items": {"type": "string", "maxLength": 200},
                     "description": "Policy ids, as listed by GET /v1/policies (like --policy)."},
        "authors": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 300},
                    "description": "The original reporter(s) (like --author)."},
        "original_url": {**_URL, "description": "The licensor's original story (like --original URL)."},
        "source": {"type": "string", "maxLength": 2048,
                   "description": "How the page is named in the result (default: the url, or '-' for html)."},
    },
}


@dataclass(frozen=True)
class CheckRequest:
    policies: tuple[str, ...]
    html: str | None = None
    url: str | None = None
    source: str = "-"
    authors: tuple[str, ...] = ()
    original_url: str | None = None
    data: bytes | None = None  # the page's own bytes (a file uploaded through the web page)


def parse_check_request(body: bytes) -> CheckRequest:
    """The request body, validated against ``CHECK_REQUEST``; a Problem (400) naming the first bad field."""
    from compliance.reporters.data import utf8_safe

    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise Problem("invalid-request", f"the body is not valid JSON ({exc})") from None
    errors = _schema_errors(data)
    if not errors and ("html" in data) == ("url" in data):
        detail = ("give either html (the page itself) or url (where to fetch it), not both" if "html" in data
                  else "give the page: html (the page itself) or url (where to fetch it)")
        errors = [{"pointer": "", "detail": detail}]
    if errors:
        raise Problem("invalid-request", errors[0]["detail"], errors=errors)
    url = data.get("url")
    return CheckRequest(
        policies=tuple(data["policies"]), html=data.get("html"), url=url,
        source=utf8_safe(data.get("source") or url or "-"),
        authors=tuple(utf8_safe(a) for a in data.get("authors", ()) if a.strip()),
        original_url=data.get("original_url"))


def _schema_errors(data: Any) -> list[dict[str, str]]:
    from jsonschema import Draft202012Validator

    out = []
    for err in sorted(Draft202012Validator(CHECK_REQUEST).iter_errors(data), key=lambda e: list(e.absolute_path)):
        pointer = "".join(f"/{p}" for p in err.absolute_path)
        where = pointer[1:] if pointer else "the body"
        if err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(CHECK_REQUEST["properties"]))
            detail = f"unknown field {extra[0]!r} (the fields are: {', '.join(CHECK_REQUEST['properties'])})"
        elif err.validator == "pattern":
            detail = f"{where}: not an http or https URL"
        else:
            detail = f"{where}: {err.message}"
        out.append({"pointer": pointer, "detail": detail[:500]})
    return out


async def run_check(request: CheckRequest, state: Any):
    """Fetch what must be fetched, check the page in a worker, and return the ``RunResult`` the CLI would make."""
    from compliance import __version__
    from compliance.inputs.decode import not_html_reason
    from compliance.inputs.fetch import FetchLimits
    from compliance.results.model import RunResult

    settings, catalog = state.settings, state.catalog
    unknown = catalog.unknown(request.policies)
    if unknown:
        raise Problem("unknown-policy", unknown, status=422)
    limits = FetchLimits(timeout=settings.timeout, max_bytes=settings.max_body)
    original = None
    if request.original_url:
        fetched = await _fetch(request.original_url, limits, settings.allow_private, "the original ")
        original = Original(request.original_url, fetched.data, fetched.http_charset)
    charset = url = None
    if request.data is not None:
        data = request.data
    elif request.url is not None:
        fetched = await _fetch(request.url, limits, settings.allow_private)
        data, charset, url = fetched.data, fetched.http_charset, fetched.final_url
    else:
        data = (request.html or "").encode("utf-8", "replace")  # a lone surrogate becomes "?"
    reason = not_html_reason(data)
    if reason:
        raise Problem("not-html", f"{reason[0].upper()}{reason[1:]}.")
    job = Job(source=request.source, data=data, policies=tuple(catalog.paths[p] for p in request.policies),
              authors=request.authors, http_charset=charset, url=url, original=original)
    pages = await state.pool.check(job)
    return RunResult(pages=tuple(pages), policies=tuple(catalog.policies[p].ref for p in request.policies),
                     tool_version=__version__)


async def _fetch(url: str, limits: Any, allow_private: bool, what: str = ""):
    from compliance.inputs.fetch import FetchError
    from compliance.server.fetching import AddressNotAllowed, fetch_async

    try:
        return await fetch_async(url, limits, allow_private)
    except AddressNotAllowed as exc:
        raise Problem("address-not-allowed", f"refused to fetch {what}{url}: {exc}") from None
    except FetchError as exc:
        raise Problem("fetch-failed", f"could not fetch {what}{url}: {exc}") from None


def render(run: Any, fmt: str) -> str:
    from compliance.reporters import ReportOptions, render as render_report

    return render_report(fmt, run, ReportOptions())

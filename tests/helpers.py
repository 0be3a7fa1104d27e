"""Small helpers for tests: build a check from a dict and run it on an HTML string."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import yaml

from compliance.checks.base import Context, Outcome
from compliance.document.page import Page
from compliance.inputs.yamlpos import load_located
from compliance.policy.load import Where, build_check


def compile_check(spec: dict[str, Any] | str):
    text = spec if isinstance(spec, str) else yaml.safe_dump(spec)
    located = load_located(text, "<test>")
    return build_check(located.data, Where(located, ()))


def run_check(html: str, spec: dict[str, Any] | str, authors: tuple[str, ...] = ()) -> Outcome:
    page = Page(html, "<test>")
    return compile_check(spec).evaluate(Context(page=page, authors=authors))


def status(html: str, spec: dict[str, Any] | str, authors: tuple[str, ...] = ()) -> str:
    return run_check(html, spec, authors).status.value


def doc(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title>{head}</head><body>{body}</body></html>"


@contextmanager
def loopback_server(handler: type, server_class: type | None = None) -> Iterator[str]:
    """A real HTTP server on a free 127.0.0.1 port, serving ``handler`` from a thread; yields its base URL."""
    import threading
    from http.server import ThreadingHTTPServer

    httpd = (server_class or ThreadingHTTPServer)(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)

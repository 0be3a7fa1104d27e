"""Errors as RFC 9457 problem documents: one exception, one JSON shape, one media type.

Every error a client can see is a ``Problem``: a stable ``type`` URI (a slug
under one base), a ``title`` that is the same for every occurrence of that
type, the HTTP ``status`` and a ``detail`` sentence about this request.
Invalid fields add an ``errors`` member (``pointer`` + ``detail``), as the
RFC's own example does. ``KINDS`` is the whole catalogue.
"""

from __future__ import annotations

import json
from typing import Any

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://compliance.invalid/problems/"

# slug -> (status, title)
KINDS: dict[str, tuple[int, str]] = {
    "invalid-request": (400, "The request is not valid"),
    "unauthorized": (401, "A valid token is required"),
    "forbidden": (403, "The request is not allowed"),
    "not-found": (404, "Nothing here"),
    "unknown-policy": (404, "No such policy"),
    "method-not-allowed": (405, "Method not allowed"),
    "body-too-large": (413, "The request body is too large"),
    "unsupported-media-type": (415, "Unsupported media type"),
    "not-html": (422, "The page is not HTML"),
    "address-not-allowed": (422, "The URL points at an address this server does not fetch from"),
    "memory-budget-exceeded": (422, "Checking the page needed too much memory"),
    "internal-error": (500, "The server could not check the page"),
    "fetch-failed": (502, "The page could not be fetched"),
    "overloaded": (503, "The server is busy"),
    "time-budget-exceeded": (504, "The check took too long"),
}


class Problem(Exception):
    """Raise anywhere in a request; it becomes the problem document of ``kind``."""

    def __init__(self, kind: str, detail: str, *, status: int | None = None,
                 headers: dict[str, str] | None = None, **extensions: Any):
        super().__init__(detail)
        self.kind = kind
        self.status = status or KINDS[kind][0]
        self.title = KINDS[kind][1]
        self.detail = detail
        self.headers = headers or {}
        self.extensions = extensions

    def document(self) -> dict[str, Any]:
        return {"type": TYPE_BASE + self.kind, "title": self.title, "status": self.status, "detail": self.detail,
                **self.extensions}

    def body(self) -> bytes:
        return json.dumps(self.document(), ensure_ascii=False).encode("utf-8")


def problem_schema() -> dict[str, Any]:
    """The JSON Schema of a problem document, for /openapi.json."""
    return {
        "type": "object",
        "description": "An RFC 9457 problem document.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string", "enum": [TYPE_BASE + k for k in KINDS]},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string", "description": "What went wrong with this request, in one sentence."},
            "errors": {"type": "array", "description": "The invalid fields (invalid-request).",
                       "items": {"type": "object", "properties": {"pointer": {"type": "string"},
                                                                  "detail": {"type": "string"}}}},
        },
    }

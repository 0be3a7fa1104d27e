"""The OpenAPI 3.1 description at /openapi.json, built from the schemas the server really uses.

The request schema is the one requests are validated against
(``api.CHECK_REQUEST``); the answer's schema is the JSON output's own
``compliance/schema/results.schema.json`` (its ``$defs`` moved under
``components``); problems are ``problems.problem_schema()``. Nothing here is
written twice.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from compliance.server import api
from compliance.server.problems import KINDS, MEDIA_TYPE, problem_schema

RESULT = "RunResult"


def results_components() -> dict[str, Any]:
    """results.schema.json as OpenAPI components: ``RunResult`` plus ``RunResult.<def>`` for each of its $defs."""
    from compliance.resources import SCHEMA_DIR

    schema = json.loads((SCHEMA_DIR / "results.schema.json").read_text("utf-8"))
    defs = schema.pop("$defs", {})
    components = {RESULT: {k: v for k, v in schema.items() if k not in ("$schema", "$id")},
                  **{f"{RESULT}.{name}": value for name, value in defs.items()}}
    return json.loads(json.dumps(components).replace('"#/$defs/', f'"#/components/schemas/{RESULT}.'))


def _problems(*statuses: int) -> dict[str, Any]:
    out = {}
    for status in statuses:
        kinds = sorted(k for k, (s, _) in KINDS.items() if s == status)
        out[str(status)] = {"description": "Problem document (RFC 9457): " + ", ".join(kinds) + ".",
                            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    return out


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    from compliance import __version__

    reports = {api.FORMATS[f].split(";")[0]: {"schema": {"type": "string"}} for f in api.FORMATS if f != "json"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "compliance", "version": __version__,
                 "description": "Check a republished news page against syndication license terms before it goes "
                                "live. POST /v1/check answers exactly what `compliance check` prints."},
        "security": [{"bearer": []}],
        "paths": {
            "/v1/check": {"post": {
                "summary": "Check one page against one or more policies",
                "operationId": "check",
                "parameters": [{"name": "format", "in": "query", "required": False,
                                "schema": {"enum": list(api.FORMATS), "default": "json"},
                                "description": "The report to answer with, as `compliance check --format`."}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/CheckRequest"},
                    "examples": {
                        "url": {"value": {"url": "https://example.org/news/story", "policies": ["dcnf"],
                                          "authors": ["Jane Doe"]}},
                        "html": {"value": {"html": "<html>…</html>", "policies": ["propublica"]}}}}}},
                "responses": {
                    "200": {"description": "The result (the JSON of `compliance check --format json`), or the "
                                           "report asked for with ?format=.",
                            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{RESULT}"}},
                                        **reports}},
                    **_problems(400, 401, 403, 413, 415, 422, 500, 502, 503, 504),
                },
            }},
            "/v1/policies": {"get": {
                "summary": "The policies this server checks against", "operationId": "listPolicies",
                "responses": {"200": {"description": "One summary per policy.",
                                      "content": {"application/json": {"schema": {"type": "object"}}}},
                              **_problems(401)}}},
            "/v1/policies/{id}": {"get": {
                "summary": "One policy, each clause in plain words", "operationId": "getPolicy",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The policy: its clauses grouped as must, should, info and "
                                                     "person, and the text of `compliance policy show`.",
                                      "content": {"application/json": {"schema": {"type": "object"}}}},
                              **_problems(401, 404)}}},
            "/healthz": {"get": {
                "summary": "Whether the server is up (needs no token)", "operationId": "health", "security": [],
                "responses": {"200": {"description": "Up.", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"status": {"const": "ok"}}}}}}}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "The server's token, when it was started with one."}},
            "schemas": {"CheckRequest": api.CHECK_REQUEST, "Problem": problem_schema(), **results_components()},
        },
    }

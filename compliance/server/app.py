"""The ASGI application: routes, errors as problem documents, and the worker pool's lifetime."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from compliance.server import api, web
from compliance.server.catalog import PolicyCatalog
from compliance.server.guard import WEB_PATHS, Guard
from compliance.server.problems import MEDIA_TYPE, Problem
from compliance.server.settings import ServeSettings

# a report fetched with ?format=html is shown as a page: no scripts, nothing from elsewhere
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"


def problem_response(scope: dict, problem: Problem) -> Response:
    """The problem as JSON; for the editor's form, as the page itself with the message in it."""
    app = scope.get("app")
    if scope.get("path") in WEB_PATHS and scope.get("method") == "POST" and app is not None:
        return web.render_page(app.state, status=problem.status, headers=problem.headers, error=problem)
    return Response(problem.body(), status_code=problem.status, media_type=MEDIA_TYPE, headers=problem.headers)


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return problem_response(request.scope, exc)


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    path = request.url.path
    kind, detail = {
        404: ("not-found", f"there is nothing at {path} (the API is described at /openapi.json)"),
        405: ("method-not-allowed", f"{request.method} is not allowed on {path}"),
    }.get(exc.status_code, ("invalid-request", str(exc.detail)))
    return problem_response(request.scope, Problem(kind, detail, status=exc.status_code, headers=exc.headers or {}))


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def policies(request: Request) -> Response:
    catalog: PolicyCatalog = request.app.state.catalog
    return JSONResponse({"policies": [catalog.summary(p) for p in catalog.ids()]})


async def policy(request: Request) -> Response:
    from compliance.policy.describe import as_data

    catalog: PolicyCatalog = request.app.state.catalog
    pid = request.path_params["id"]
    unknown = catalog.unknown((pid,))
    if unknown:
        raise Problem("unknown-policy", unknown)
    return JSONResponse(as_data(catalog.policies[pid]))


async def check(request: Request) -> Response:
    fmt = request.query_params.get("format", "json")
    if fmt not in api.FORMATS:
        raise Problem("invalid-request", f"unknown format {fmt!r} (the formats are: {', '.join(api.FORMATS)})")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise Problem("unsupported-media-type", "send the request as JSON, with Content-Type: application/json")
    run = await api.run_check(api.parse_check_request(await request.body()), request.app.state)
    body = api.render(run, fmt) if fmt == "json" else await asyncio.to_thread(api.render, run, fmt)
    headers = {"Content-Security-Policy": REPORT_CSP} if fmt == "html" else None
    return Response(body, media_type=api.FORMATS[fmt], headers=headers)


async def openapi(request: Request) -> Response:
    from compliance.server.openapi import document

    return JSONResponse(document())


def create_app(settings: ServeSettings, catalog: PolicyCatalog | None = None) -> Starlette:
    catalog = catalog if catalog is not None else PolicyCatalog.load(settings.policy_dir)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        from compliance.server.pool import CheckPool

        app.state.pool = CheckPool(settings.workers, settings.max_queue, settings.page_timeout, settings.page_memory)
        try:
            await app.state.pool.start()
            yield
        finally:
            app.state.pool.close()

    middleware = [Middleware(Guard, settings=settings, respond=problem_response)]
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        middleware.insert(0, Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                                        allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"],
                                        max_age=600))
    app = Starlette(
        routes=[
            Route("/", web.page, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/openapi.json", openapi, methods=["GET"]),
            Route("/v1/policies", policies, methods=["GET"]),
            Route("/v1/policies/{id}", policy, methods=["GET"]),
            Route("/v1/check", check, methods=["POST"]),
        ],
        middleware=middleware,
        exception_handlers={Problem: _on_problem, HTTPException: _on_http_exception},
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.catalog = catalog
    return app

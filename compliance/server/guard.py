"""Who may talk to the server, and how much they may send: ASGI middleware run before any route.

It is also the last line of defence: an exception no route handled becomes
a one-line log entry and a 500 problem document, never a traceback.

Order of checks: the Host header (a loopback server without a token answers
only to loopback names, which defeats DNS rebinding from a web page), then
the token (every path but /healthz), then the body size (a declared
Content-Length over the cap is refused before a byte is read; a chunked body
is counted as it arrives).
"""

from __future__ import annotations

import base64
import hmac
import logging
from typing import Any, Callable

from compliance.server.problems import Problem
from compliance.server.settings import LOOPBACK_NAMES, ServeSettings

log = logging.getLogger("compliance.serve")
OPEN_PATHS = frozenset({"/healthz"})
# on every answer: no sniffing, no framing, no referrer, no caching (results can be unpublished stories)
SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"), (b"cache-control", b"no-store")]
WEB_PATHS = frozenset({"/"})


class Guard:
    def __init__(self, app: Any, settings: ServeSettings, respond: Callable[[dict, Problem], Any]):
        self.app = app
        self.settings = settings
        self.respond = respond  # (scope, problem) -> ASGI response
        self.token = settings.token.encode() if settings.token else None
        hosts = set(LOOPBACK_NAMES) | {settings.host.lower()}
        self.hosts = None if self.token else {h if ":" not in h else f"[{h.strip('[]')}]" for h in hosts}

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracked(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        try:
            self._check(scope)
        except Problem as problem:
            return await self.respond(scope, problem)(scope, receive, tracked)
        try:
            await self.app(scope, self._limited(receive), tracked)
        except Exception as exc:  # noqa: BLE001 - a one-line log and a problem document, never a traceback
            log.error("internal error on %s %s: %s: %s", scope["method"], scope["path"], type(exc).__name__, exc)
            if not started:
                problem = Problem("internal-error", "an unexpected error stopped the check; the server log has "
                                                    "the details")
                await self.respond(scope, problem)(scope, receive, tracked)

    def _check(self, scope: dict) -> None:
        headers = {k.decode("latin-1").lower(): v for k, v in scope["headers"]}
        if self.hosts is not None:
            host = headers.get("host", b"").decode("latin-1").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in self.hosts:
                raise Problem("forbidden", f"this server answers only to {', '.join(sorted(self.hosts))} (the "
                                           f"request named {host or 'no host'}); start it with a --token to "
                                           f"serve other names")
        if self.token is not None and scope["path"] not in OPEN_PATHS and scope["method"] != "OPTIONS":
            if not self._authorized(headers.get("authorization", b"")):
                scheme = "Basic" if scope["path"] in WEB_PATHS else "Bearer"
                raise Problem("unauthorized", "send the server's token in the header 'Authorization: Bearer TOKEN'",
                              headers={"WWW-Authenticate": f'{scheme} realm="compliance", charset="UTF-8"'})
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.settings.max_body:
            raise self.too_large()

    def _authorized(self, value: bytes) -> bool:
        scheme, _, credentials = value.partition(b" ")
        scheme = scheme.lower()
        if scheme == b"bearer":
            offered = credentials.strip()
        elif scheme == b"basic":  # a browser's own sign-in dialog: any user name, the token as password
            try:
                offered = base64.b64decode(credentials.strip(), validate=True).partition(b":")[2]
            except ValueError:
                return False
        else:
            return False
        return hmac.compare_digest(offered, self.token)

    def too_large(self) -> Problem:
        return Problem("body-too-large", f"the request body is larger than this server's limit of "
                                         f"{self.settings.max_body:,} bytes (--max-body)")

    def _limited(self, receive: Any) -> Any:
        received = 0

        async def limited() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.settings.max_body:
                    raise self.too_large()
            return message

        return limited

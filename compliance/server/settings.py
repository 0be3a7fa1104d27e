"""What a server is started with, and the rules that keep a default start safe.

A server bound to anything but loopback can be reached by other machines, so
it refuses to start without a token. A loopback server without a token
answers only requests whose Host header is a loopback name, so that a web
page in the user's browser cannot reach it through DNS rebinding.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from compliance.errors import UsageError

MB = 1024 * 1024
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
MIN_TOKEN = 16
TOKEN_ENV = "COMPLIANCE_SERVE_TOKEN"


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ServeSettings:
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None
    workers: int = 1
    allow_private: bool = False      # fetch URLs on private, loopback and link-local addresses too
    max_body: int = 10 * MB          # request bodies, and pages fetched for a request
    page_timeout: float = 20.0       # seconds one check may run in its worker (as the CLI: runner.DEFAULT_*)
    page_memory: int | None = 2048 * MB  # bytes of memory one check may add to its worker
    timeout: float = 15.0            # seconds per network step when fetching a URL
    cors_origins: tuple[str, ...] = ()
    policy_dir: Path | None = None   # policies offered besides the built-in ones
    max_queue: int = 256             # checks waiting for a worker before the server answers 503

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def validate(settings: ServeSettings) -> ServeSettings:
    """Refuse unsafe or impossible settings with a message that says what to do (UsageError: exit 2)."""
    if not settings.loopback and not settings.token:
        raise UsageError(f"refusing to listen on {settings.host} without a token: anyone who can reach it could "
                         f"use the server. Set {TOKEN_ENV} (or give --token), or listen on 127.0.0.1")
    if settings.token is not None and len(settings.token) < MIN_TOKEN:
        raise UsageError(f"the token is too short: use at least {MIN_TOKEN} characters, for example the output "
                         f"of: python3 -c 'import secrets; print(secrets.token_urlsafe())'")
    for origin in settings.cors_origins:
        if not origin.startswith(("http://", "https://")) or origin.rstrip("/").count("/") > 2:
            raise UsageError(f"--cors-origin {origin!r}: give an origin such as https://cms.example.org")
    if settings.policy_dir is not None and not settings.policy_dir.is_dir():
        raise UsageError(f"--policy-dir {settings.policy_dir}: no such folder")
    return settings

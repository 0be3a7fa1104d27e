"""``compliance serve``: the checker as an HTTP API and an editor's web page (the ``serve`` extra).

Only the options live here; ``compliance.server`` does the rest, and it is
imported when the command runs, so the rest of the CLI starts without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from compliance.server.settings import MB, TOKEN_ENV, ServeSettings, default_workers

_D = ServeSettings()


def serve(
    host: str = typer.Option(_D.host, "--host", help="Address to listen on. Anything but loopback needs a token."),
    port: int = typer.Option(_D.port, "--port", min=0, max=65535, help="Port to listen on (0: any free port)."),
    token: Optional[str] = typer.Option(None, "--token", envvar=TOKEN_ENV, show_envvar=True,
                                        help="Require 'Authorization: Bearer TOKEN' on every request but /healthz "
                                             "(at least 16 characters). Prefer the environment variable: a "
                                             "command line is visible to other users."),
    workers: int = typer.Option(default_workers(), "--workers", min=1, max=64,
                                help="Worker processes that run checks (default: one per CPU)."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Also fetch URLs on loopback, private and link-local addresses (a "
                                            "staging site on your own network). Off by default: no SSRF."),
    max_body: float = typer.Option(_D.max_body / MB, "--max-body", min=0.001, metavar="MB",
                                 help="Largest request body, and largest fetched page, in megabytes."),
    page_timeout: float = typer.Option(_D.page_timeout, "--page-timeout", min=0.001, metavar="SECONDS",
                                       help="Time budget for one check; a check over it is stopped (504)."),
    page_memory: int = typer.Option(_D.page_memory // MB, "--page-memory", min=64, metavar="MB",
                                    help="Memory one check may add to its worker; a check over it is stopped."),
    timeout: float = typer.Option(_D.timeout, "--timeout", min=0.1, metavar="SECONDS",
                                  help="Network timeout when fetching a URL."),
    cors_origin: List[str] = typer.Option([], "--cors-origin", metavar="ORIGIN",
                                          help="Let pages from this origin call the API from a browser "
                                               "(repeatable; off by default)."),
    policy_dir: Optional[Path] = typer.Option(None, "--policy-dir", metavar="FOLDER",
                                              help="Also offer the policies (*.yaml) in this folder."),
) -> None:
    """Serve the checker over HTTP: a JSON API for a CMS's pre-publish hook and a web page for editors."""
    from compliance.server.run import serve as run

    run(ServeSettings(host=host, port=port, token=token or None, workers=workers, allow_private=allow_private,
                      max_body=int(max_body * MB), page_timeout=page_timeout, page_memory=page_memory * MB,
                      timeout=timeout, cors_origins=tuple(cors_origin), policy_dir=policy_dir))

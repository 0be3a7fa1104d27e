"""Starting a server: check the settings, load the policies, bind the socket ourselves, hand it to uvicorn.

Binding here (not in uvicorn) means a taken port or a bad address is our
one-line message and exit status 2, and ``--port 0`` works: the kernel picks
a free port and the line printed on start names it.
"""

from __future__ import annotations

import socket

from compliance.errors import UsageError
from compliance.server.settings import ServeSettings, validate

MISSING = "`compliance serve` needs the server extra; install it with: pip install 'compliance[serve]'"


def require_extra() -> None:
    try:
        import python_multipart  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise UsageError(MISSING) from None


def serve(settings: ServeSettings) -> None:
    validate(settings)
    require_extra()
    import uvicorn

    from compliance.server.app import create_app
    from compliance.server.catalog import PolicyCatalog

    catalog = PolicyCatalog.load(settings.policy_dir)
    sock = bind(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"compliance serve: listening on http://{shown}:{port}/ ({settings.workers} "
          f"{'worker' if settings.workers == 1 else 'workers'}, {len(catalog.paths)} policies, "
          f"{'token required' if settings.token else 'no token: loopback only'})", flush=True)
    config = uvicorn.Config(create_app(settings, catalog), log_level="warning", server_header=False,
                            timeout_graceful_shutdown=10, access_log=False, lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(2048)
    except (OSError, OverflowError) as exc:
        sock.close()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot listen on {host} port {port}: {reason}") from None
    return sock

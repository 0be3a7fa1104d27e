"""URL fetches for a request, under the server's address policy: no requests into private networks.

A server fetches what its callers ask for, so without a policy it could be
pointed at the CMS's own network (SSRF). By default every address a host
name resolves to must be public; loopback, private, link-local, shared and
reserved ranges are refused unless the server was started with
``--allow-private``. The check is made where the connection is opened: the
name is resolved once, every address is vetted, and the socket goes to a
vetted address, so a DNS answer that changes between a check and the connect
(rebinding) cannot slip through; each redirect hop opens its own connection
and is vetted the same way. Proxies from the environment are ignored, since
the vetting would otherwise see the proxy and not the target.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from compliance.inputs.fetch import FetchError, Fetched, FetchLimits


class AddressNotAllowed(FetchError):
    """The URL (or a redirect) leads to an address the server does not fetch from."""


def why_refused(ip: str) -> str | None:
    """Why a connection to ``ip`` is refused, or None for a public address."""
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    if addr.is_loopback:
        return "a loopback address"
    if addr.is_link_local:
        return "a link-local address"
    if addr.is_private:
        return "a private address"
    if addr.is_multicast or not addr.is_global:
        return "not a public address"
    return None


def _guarded_backend() -> Any:
    import anyio
    import httpcore

    class GuardedBackend(httpcore.AnyIOBackend):
        async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                              local_address: str | None = None, socket_options: Any = None) -> Any:
            try:
                infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError) as exc:
                raise httpcore.ConnectError(f"cannot resolve {host} ({exc})") from None
            addresses = [str(info[4][0]) for info in infos]
            for ip in addresses:
                why = why_refused(ip)
                if why:
                    shown = host if host == ip else f"{host} ({ip})"
                    raise AddressNotAllowed(f"{shown} is {why}; this server fetches only from public addresses "
                                            f"unless it is started with --allow-private")
            return await super().connect_tcp(addresses[0], port, timeout, local_address, socket_options)

    return GuardedBackend()


def fetch(url: str, limits: FetchLimits, allow_private: bool = False) -> Fetched:
    """``fetch_async`` for callers without an event loop."""
    import asyncio

    return asyncio.run(fetch_async(url, limits, allow_private))


async def fetch_async(url: str, limits: FetchLimits, allow_private: bool = False) -> Fetched:
    """``inputs.fetch``'s bounded download, with every connection (redirects too) vetted by the address policy."""
    from contextlib import asynccontextmanager

    import httpcore
    import httpx

    from compliance.inputs import fetch as bounded

    transport = httpx.AsyncHTTPTransport(trust_env=False)
    if not allow_private:
        transport._pool = httpcore.AsyncConnectionPool(network_backend=_guarded_backend(),
                                                       ssl_context=httpx.create_ssl_context())
    async with httpx.AsyncClient(transport=transport, headers=bounded.request_headers(),
                                 timeout=httpx.Timeout(limits.timeout), follow_redirects=False,
                                 trust_env=False) as client:

        @asynccontextmanager
        async def opener(target: str) -> Any:
            response = await client.send(client.build_request("GET", target), stream=True)
            try:
                yield response
            finally:
                await response.aclose()

        return await bounded.follow(opener, url, limits)

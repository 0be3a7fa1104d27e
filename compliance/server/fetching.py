"""URL fetches for a request, under the server's address policy: no requests into private networks.

A server fetches what its callers ask for, so without a policy it could be
pointed at the CMS's own network (SSRF). Every address a host name resolves to
must be public; loopback, private, link-local, shared and reserved ranges are
refused unless the server was started with ``--allow-private``. The policy and
its enforcement at the connect (so DNS rebinding cannot slip through, and every
redirect hop is vetted) are ``compliance.inputs.addresses``, the same as the
command line's; the server differs only in never widening it for the URL asked
for, since a caller's URL is not the operator's choice. Proxies from the
environment are ignored, since the vetting would otherwise see the proxy and
not the target.
"""

from __future__ import annotations

from dataclasses import replace

from compliance.inputs.addresses import AddressPolicy
from compliance.inputs.fetch import AddressRefused, FetchLimits, Fetched

AddressNotAllowed = AddressRefused  # the URL (or a redirect) leads to an address the server does not fetch from
SERVER_POLICY = AddressPolicy(hint="the server's --allow-private")


def why_refused(ip: str) -> str | None:
    """Why the server refuses a connection to ``ip``, or None for a public address."""
    return SERVER_POLICY.why_refused(ip)


def policy_for(allow_private: bool) -> AddressPolicy:
    return AddressPolicy.everything() if allow_private else SERVER_POLICY


def fetch(url: str, limits: FetchLimits, allow_private: bool = False, policy: AddressPolicy | None = None) -> Fetched:
    """``fetch_async`` for callers without an event loop."""
    import asyncio

    return asyncio.run(fetch_async(url, limits, allow_private, policy))


async def fetch_async(url: str, limits: FetchLimits, allow_private: bool = False,
                      policy: AddressPolicy | None = None) -> Fetched:
    """``inputs.fetch``'s bounded download, every connection (redirects too) vetted by the address policy."""
    from compliance.inputs import fetch as bounded
    from compliance.inputs.http11 import guarded_client

    bounded.require_web_scheme(url)
    limits = replace(limits, addresses=policy or policy_for(allow_private))
    async with guarded_client(bounded.request_headers(), limits.timeout, trust_env=False) as client:
        return await bounded.fetch_with(client, url, limits)

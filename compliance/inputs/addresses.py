"""The address policy: which network addresses a fetch may connect to, enforced where the socket opens.

A checker fetches URLs that others wrote, and every redirect is the server's choice, so without a policy a
public page could send it into the network it runs in (a cloud metadata service at 169.254.169.254, an
admin page on 10.0.0.1: SSRF). Public addresses are always allowed. Others fall into kinds (loopback,
private, link-local, other non-public) and are refused unless the policy allows that kind or a network
containing the address:

- ``AddressPolicy()``: public addresses only (the server's default);
- ``AddressPolicy.everything()``: no check (``--allow-private``: an internal staging site);
- ``policy.widened_for(urls)``: also the kinds of address the user's own URLs lead to, so that
  ``compliance check http://localhost:8000/story`` works while a public page that redirects to
  ``http://127.0.0.1/`` or to the metadata service is refused. A fetch given no policy
  (``FetchLimits.addresses`` None) uses ``AddressPolicy().widened_for([its URL])``: the URL asked for is
  fine, and its redirects may not lead anywhere more internal. URLs found on the web (sitemaps, feeds)
  must be fetched under the run's policy, widened only for what the user typed.

The check is made where the connection is opened (``compliance.inputs.http11``): the host name is resolved once,
every address it resolves to is vetted, and the socket goes to a vetted address, so a DNS answer that
changes between a check and the connect (rebinding) cannot slip through; each redirect hop opens its own
connection and is vetted the same way. The policy in force is the one ``applied`` last in the running
task (``compliance.inputs.fetch.follow`` applies it for each download), so one shared client serves
downloads under different policies (a kept-alive connection is reused only under the policy it was opened
under). No proxy is ever used, so the address vetted is the one connected to; ``check_literal`` refuses a
hop whose host is a refused literal address before any connection is tried.
"""

from __future__ import annotations

import ipaddress
import socket
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator
from urllib.parse import urlsplit

__all__ = ["AddressNotAllowed", "AddressPolicy", "applied", "active_policy", "check_literal", "kind_of"]

LOOPBACK, PRIVATE, LINK_LOCAL, NOT_PUBLIC = "loopback", "private", "link-local", "non-public"
KINDS = (LOOPBACK, PRIVATE, LINK_LOCAL, NOT_PUBLIC)
_DESCRIPTIONS = {LOOPBACK: "a loopback address", PRIVATE: "a private address", LINK_LOCAL: "a link-local address",
                 NOT_PUBLIC: "not a public address"}


@lru_cache(maxsize=4096)  # asked for every request of a run, of the same few addresses
def kind_of(ip: str) -> str | None:
    """The kind of a non-public address (``LOOPBACK``, ``PRIVATE``, ``LINK_LOCAL``, ``NOT_PUBLIC``), None if public.

    An IPv6 address that carries an IPv4 one (NAT64, 6to4, Teredo) is judged by that address when it is not
    public, since the network may deliver the connection there, and by its own kind otherwise (a Teredo
    address stays private whatever client it names)."""
    addr, carried = _addresses(ip)
    if addr.is_loopback or addr.is_unspecified:  # a connection to 0.0.0.0 or :: reaches this machine
        return LOOPBACK
    if carried is not None:
        kind = _kind(carried)
        if kind is not None:
            return kind
    if any(addr in network for network in _NOT_PUBLIC_IPV6):
        return NOT_PUBLIC
    return _kind(addr)


def _kind(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if addr.is_loopback or addr.is_unspecified:
        return LOOPBACK
    if addr.is_link_local:
        return LINK_LOCAL
    if addr.is_private:
        return PRIVATE
    if addr.is_multicast or not addr.is_global:
        return NOT_PUBLIC
    return None


@lru_cache(maxsize=4096)
def _addresses(ip: str) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, ipaddress.IPv4Address | None]:
    """The address, and the IPv4 address an IPv6 one carries (NAT64, 6to4, Teredo's client), if any; a mapped
    address (``::ffff:127.0.0.1``) is its IPv4 address."""
    addr = ipaddress.ip_address(ip.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0") names no other address
    if not isinstance(addr, ipaddress.IPv6Address):
        return addr, None
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped, None
    if addr in _NAT64:
        return addr, ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)  # 64:ff9b::7f00:1 reaches 127.0.0.1
    if addr.sixtofour is not None:
        return addr, addr.sixtofour
    if addr.teredo is not None:
        return addr, addr.teredo[1]
    return addr, None


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NOT_PUBLIC_IPV6 = (
    ipaddress.IPv6Network("64:ff9b:1::/48"),  # local-use NAT64: where it puts the IPv4 address is the network's choice
    ipaddress.IPv6Network("::/96"),  # IPv4-compatible (deprecated)
    ipaddress.IPv6Network("::ffff:0:0:0/96"),  # IPv4-translated
)


class AddressNotAllowed(Exception):
    """A URL (or a redirect) leads to an address the policy refuses; ``str()`` is one sentence."""


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses, plus the non-public ``kinds`` and ``networks`` (CIDR strings) allowed here."""

    kinds: frozenset[str] = frozenset()
    networks: tuple[str, ...] = ()
    hint: str = "--allow-private"  # how a user allows more, named in refusals

    @classmethod
    def everything(cls) -> AddressPolicy:
        return cls(kinds=frozenset(KINDS))

    @property
    def checks(self) -> bool:
        return set(self.kinds) != set(KINDS)

    def why_refused(self, ip: str) -> str | None:
        """Why a connection to ``ip`` is refused, or None when it is allowed."""
        kind = kind_of(ip)
        if kind is None or kind in self.kinds:
            return None
        addr, carried = _addresses(ip)
        for network in (ipaddress.ip_network(n, strict=False) for n in self.networks):
            if addr in network or (carried is not None and carried in network):
                return None
        return _DESCRIPTIONS[kind]

    def refusal(self, host: str, ip: str) -> AddressNotAllowed | None:
        why = self.why_refused(ip)
        if why is None:
            return None
        shown = host if host.strip("[]") == ip else f"{host} ({ip})"
        return AddressNotAllowed(f"{shown} is {why}: pages are fetched only from public addresses, and from the "
                                 f"kinds of address the URLs you gave lead to (use {self.hint} to allow any)")

    def widened_for(self, urls: Iterable[str]) -> AddressPolicy:
        """This policy, also allowing the kinds of address that these URLs (typed by the user) resolve to."""
        kinds = set(self.kinds)
        for url in urls:
            host = urlsplit(url).hostname
            if host:
                kinds.update(k for k in (kind_of(ip) for ip in _resolve(host)) if k is not None)
        return AddressPolicy(frozenset(kinds), self.networks, self.hint)

    async def widened_for_async(self, urls: Iterable[str]) -> AddressPolicy:
        """``widened_for`` resolving names on the running event loop instead of blocking it."""
        import asyncio

        kinds = set(self.kinds)
        for url in urls:
            host = urlsplit(url).hostname
            if not host:
                continue
            ip = _address_in(host)
            if ip is not None:
                ips = [ip]
            else:
                try:
                    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
                except (OSError, UnicodeError):
                    infos = []
                ips = [str(info[4][0]) for info in infos]
            kinds.update(k for k in (kind_of(ip) for ip in ips) if k is not None)
        return AddressPolicy(frozenset(kinds), self.networks, self.hint)


_ACTIVE: ContextVar[AddressPolicy] = ContextVar("compliance_address_policy", default=AddressPolicy())


@contextmanager
def applied(policy: AddressPolicy) -> Iterator[AddressPolicy]:
    """Within the block (and the tasks it awaits), guarded connections follow ``policy``."""
    token = _ACTIVE.set(policy)
    try:
        yield policy
    finally:
        _ACTIVE.reset(token)


def active_policy() -> AddressPolicy:
    """The policy ``applied`` last in the running task: the one a connection opened now must follow."""
    return _ACTIVE.get()


def _resolve(host: str) -> list[str]:
    ip = _address_in(host)
    if ip is not None:
        return [ip]
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)})
    except (OSError, UnicodeError):
        return []  # unresolvable now: it allows nothing more


_LONGEST_LITERAL = 64  # an IPv6 address with its zone; a longer host (a hostile redirect's) is not kept


def _address_in(host: str) -> str | None:
    """The address ``host`` writes out ("127.0.0.1", "[::1]"), None when it is a name."""
    return _known_literal(host) if len(host) <= _LONGEST_LITERAL else _parsed_literal(host)


@lru_cache(maxsize=4096)  # asked for every request of a run, of the same few hosts
def _known_literal(host: str) -> str | None:
    return _parsed_literal(host)


def _parsed_literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]").split("%", 1)[0]))
    except ValueError:
        return None


def check_literal(url: str, policy: AddressPolicy) -> None:
    """Refuse ``url`` at once when its host is an address the policy refuses (no DNS, no connection)."""
    host = urlsplit(url).hostname
    if not host or not policy.checks:
        return
    ip = _address_in(host)
    if ip is None:
        return  # a name: vetted where it is resolved, at the connect
    refusal = policy.refusal(host, ip)
    if refusal is not None:
        raise refusal

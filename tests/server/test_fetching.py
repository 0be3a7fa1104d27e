"""The server's address policy: which addresses it refuses, and that every redirect hop is vetted too."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from compliance.inputs.addresses import AddressPolicy
from compliance.inputs.fetch import FetchLimits
from compliance.server import fetching


@pytest.mark.parametrize("ip,refused", [
    ("127.0.0.1", "a loopback address"), ("::1", "a loopback address"), ("::ffff:127.0.0.1", "a loopback address"),
    ("10.1.2.3", "a private address"), ("192.168.1.1", "a private address"), ("172.16.0.1", "a private address"),
    ("fd00::1", "a private address"), ("169.254.169.254", "a link-local address"), ("fe80::1%eth0", "a link-local address"),
    ("100.64.0.1", "not a public address"), ("224.0.0.1", "not a public address"),
    ("0.0.0.0", "a loopback address"), ("::", "a loopback address"),  # a connection to either reaches this machine
    # IPv6 addresses that carry an IPv4 one are judged by it: NAT64, 6to4, Teredo (the client's, obfuscated)
    ("64:ff9b::7f00:1", "a loopback address"), ("64:ff9b::a01:203", "a private address"),
    ("64:ff9b::5db8:d70e", None), ("2002:a9fe:a9fe::1", "a link-local address"),
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "a loopback address"),
    ("2001:0:a00:1:8000:63bf:a2b8:2af1", "a private address"),  # Teredo with a public client stays private
    ("64:ff9b:1:7f00:0:100:808:808", "not a public address"),  # local-use NAT64: the IPv4 part could be anywhere
    ("::7f00:1", "not a public address"), ("::808:808", "not a public address"),  # IPv4-compatible
    ("::ffff:0:808:808", "not a public address"),  # IPv4-translated
    ("93.184.215.14", None), ("2606:4700::1111", None),
])
def test_which_addresses_are_refused(ip: str, refused: str | None) -> None:
    assert fetching.why_refused(ip) == refused


@pytest.mark.parametrize("ip,network", [("2002:a00:1::1", "2002::/16"), ("2002:a00:1::1", "10.0.0.0/8"),
                                        ("64:ff9b::a00:1", "10.0.0.0/8")])
def test_an_allowed_network_allows_an_address_by_itself_or_by_the_ipv4_address_it_carries(ip: str,
                                                                                          network: str) -> None:
    assert AddressPolicy().why_refused(ip) == "a private address"
    assert AddressPolicy(networks=(network,)).why_refused(ip) is None


@pytest.fixture
def two_sites():
    """A page on 127.0.0.1 that redirects to a page on 127.0.0.2 (both this machine)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.2:{inner.server_address[1]}/page")
                self.end_headers()
                return
            body = b"<html><body><p>Hello</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    try:
        inner = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    except OSError:
        pytest.skip("127.0.0.2 is not available on this machine")
    outer = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    for server in (inner, outer):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{outer.server_address[1]}"
    for server in (inner, outer):
        server.shutdown()
        server.server_close()


def test_a_redirect_into_a_refused_address_is_refused(two_sites) -> None:
    # for this test 127.0.0.1 stands for a public site and 127.0.0.2 for the CMS's own network
    public_here = AddressPolicy(networks=("127.0.0.1/32",))
    limits = FetchLimits(timeout=10)
    assert b"Hello" in fetching.fetch(f"{two_sites}/page", limits, policy=public_here).data  # the "public" site
    with pytest.raises(fetching.AddressNotAllowed, match="127.0.0.2"):
        fetching.fetch(f"{two_sites}/moved", limits, policy=public_here)
    with pytest.raises(fetching.AddressNotAllowed, match="127.0.0.1"):
        fetching.fetch(f"{two_sites}/page", limits)  # the server's own policy: loopback is refused
    assert b"Hello" in fetching.fetch(f"{two_sites}/moved", limits, allow_private=True).data

"""Behind a reverse proxy the operator trusts, the client is the one the proxy names.

``standby-server serve --trusted-proxy ADDRESS`` (an address or a network, repeatable): a
request that comes from one of them has its client address taken from ``X-Forwarded-For``
and its scheme from ``X-Forwarded-Proto``; from anywhere else both headers are ignored. The
limits per client address, the sign-in's audit rows and the console's ``Secure`` cookies all
read the result.

``X-Forwarded-For`` is read from the right, the hop nearest to the server: trusted proxies
are passed over, and the first address that is not one is the client. A value that is not
an address (``unknown``, a name, garbage a client sent for the proxy to pass on) ends the
walk: the client is then the last hop known, never a value nobody vouches for.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_address(value: str) -> Address | None:
    """An address as proxies write them (``1.2.3.4``, ``1.2.3.4:5678``, ``2001:db8::1``,
    ``[2001:db8::1]:443``), or None if it is not one."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def parse_networks(values: Iterable[str]) -> list[Network]:
    """``--trusted-proxy`` values as networks (an address is a network of one); a value that
    is neither raises ValueError."""
    return [ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip()]


class ForwardedFor:
    """The ASGI middleware: rewrites the scope's client and scheme for trusted proxies."""

    def __init__(self, app: ASGIApp, trusted: Iterable[str]) -> None:
        self.app = app
        self.trusted = parse_networks(trusted)

    def _trusts(self, address: Address | None) -> bool:
        return address is not None and any(address in network for network in self.trusted)

    def client(self, peer: str, forwarded: str) -> str:
        """The client of a request from ``peer`` whose ``X-Forwarded-For`` is ``forwarded``."""
        nearest = parse_address(peer)
        if not self._trusts(nearest):
            return peer
        assert nearest is not None
        for hop in reversed(forwarded.split(",")):
            address = parse_address(hop)
            if address is None:
                break
            nearest = address
            if not self._trusts(address):
                break
        return str(nearest)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client") if scope["type"] in ("http", "websocket") else None
        if not client or not self._trusts(parse_address(client[0])):
            await self.app(scope, receive, send)
            return
        peer, port = client
        headers = _headers(scope)
        changed: dict[str, Any] = {}
        forwarded = ",".join(headers.get(b"x-forwarded-for", []))
        if forwarded:
            changed["client"] = (self.client(peer, forwarded), port)
        proto = (headers.get(b"x-forwarded-proto") or [""])[-1].rsplit(",", 1)[-1].strip()
        if proto.lower() in ("http", "https"):
            secure = proto.lower() == "https"
            if scope["type"] == "websocket":
                changed["scheme"] = "wss" if secure else "ws"
            else:
                changed["scheme"] = "https" if secure else "http"
        await self.app({**scope, **changed} if changed else scope, receive, send)


def _headers(scope: Scope) -> dict[bytes, list[str]]:
    found: dict[bytes, list[str]] = {}
    for name, value in scope.get("headers", []):
        if name in (b"x-forwarded-for", b"x-forwarded-proto"):
            found.setdefault(name, []).append(value.decode("latin-1"))
    return found

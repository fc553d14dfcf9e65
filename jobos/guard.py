"""SSRF guard: which URLs and addresses the crawler and its browser may reach in normal mode.

One rule for every hop: only globally routable addresses (`ipaddress`'s is_global, with the
IPv4 carried by IPv4-mapped, 6to4, NAT64 and Teredo forms judged too). Scrapy's requests pass
through jobos.middlewares.SafeUrlMiddleware and connect through jobos.egress.GuardedResolver;
the browser's every request goes through jobos.egress.EgressProxy.
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Callable, Iterable
from urllib.parse import urlsplit

Resolver = Callable[[str], Iterable[str]]

BLOCKED_HOSTNAMES = {"localhost", "localhost.localdomain", "metadata.google.internal", "metadata"}


def system_resolver(host: str) -> list[str]:
    """Return the addresses a host name resolves to (empty when it does not resolve)."""
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})
    except OSError:
        return []


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_TEREDO = ipaddress.ip_network("2001::/32")
# Ranges that are no public destination whatever the running Python's is_global says (its
# tables grew over versions): IETF protocol assignments, 6to4 and its relay, Teredo and the
# other IETF IPv6 assignments, documentation, benchmarking, shared address space.
_NOT_GLOBAL = [ipaddress.ip_network(n) for n in (
    "100.64.0.0/10", "192.0.0.0/24", "192.88.99.0/24", "198.18.0.0/15", "2002::/16",
    "2001::/23", "2001:db8::/32", "64:ff9b:1::/48", "100::/64", "3fff::/20", "5f00::/16",
)]


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 transition form carries (mapped, 6to4, NAT64, Teredo)."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _TEREDO and ip.teredo:
        return ip.teredo[1]  # the client's address (the server's is public by design)
    return None


def ip_reason(address: str) -> str | None:
    """Return why an IP address must not be connected to, or None when it is globally routable.

    Only `ipaddress`'s is_global addresses pass; the reasons name the common cases
    ('loopback', 'link_local', 'private', 'reserved') and 'not_global' the rest (shared address
    space 100.64.0.0/10, 192.0.0.0/24, benchmarking, 6to4...). IPv6 forms that carry an IPv4
    address (IPv4-mapped, 6to4, NAT64, Teredo) are judged by that address first.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0].strip("[]"))
    except ValueError:
        return "bad_address"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = ip_reason(str(inner))
            if reason or ip.ipv4_mapped or ip in _NAT64:
                return reason
            # 6to4 and Teredo carrying a public address are still not destinations of their own.
    if ip.is_unspecified:  # 0.0.0.0 / :: reach the local host on Linux
        return "reserved"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"  # includes 169.254.169.254, the cloud metadata address
    if ip.is_multicast or ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global or any(ip in net for net in _NOT_GLOBAL if net.version == ip.version):
        return "not_global"
    return None


_ip_reason = ip_reason  # the name older callers used


def _parse_ip_literal(host: str) -> str | None:
    """Return the canonical address for a host that is an IP literal, incl. 0x7f.1 / 2130706433."""
    host = host.strip("[]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:  # inet_aton accepts the legacy forms browsers and resolvers accept too
        return socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return None


def refusal_reason(url: str, *, resolver: Resolver | None = None) -> str | None:
    """Return why a URL must not be fetched ('scheme', 'loopback', 'private', ...) or None.

    IP literals are always checked; host names are resolved with `resolver` when one is given
    (the crawler passes one only when it resolves names itself, i.e. with no proxy).
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "bad_url"
    if parts.scheme not in ("http", "https"):
        return "scheme"
    if not host:
        return "bad_url"
    host = host.rstrip(".").lower()
    if host in BLOCKED_HOSTNAMES or host.endswith(".localhost"):
        return "loopback"
    literal = _parse_ip_literal(host)
    if literal is not None:
        return ip_reason(literal)
    if resolver is not None:
        for address in resolver(host):
            reason = ip_reason(address)
            if reason:
                return f"resolves_{reason}"
    return None


def host_reason(host: str) -> str | None:
    """Return why a host (name or IP literal, no port) is refused before any lookup, or None."""
    host = host.strip("[]").rstrip(".").lower()
    if not host:
        return "bad_url"
    if host in BLOCKED_HOSTNAMES or host.endswith(".localhost"):
        return "loopback"
    literal = _parse_ip_literal(host)
    if literal is not None:
        return ip_reason(literal)
    return None


def checked_addresses(host: str, resolver: Resolver) -> tuple[list[str], str | None]:
    """Resolve `host` once and return (its addresses, None), or ([], why it is refused).

    A name is refused when any of its addresses is not globally routable (an attacker's DNS
    can mix one private answer among public ones) or when it does not resolve. The caller
    connects to the addresses returned, never looking the name up again.
    """
    reason = host_reason(host)
    if reason:
        return [], reason
    literal = _parse_ip_literal(host.strip("[]"))
    if literal is not None:
        return [literal], None
    addresses = list(resolver(host.rstrip(".").lower()))
    if not addresses:
        return [], "unresolved"
    for address in addresses:
        reason = ip_reason(address)
        if reason:
            return [], f"resolves_{reason}"
    return addresses, None

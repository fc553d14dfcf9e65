"""SSRF guard: which URLs the crawler may fetch in normal mode."""
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


def _ip_reason(address: str) -> str | None:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_unspecified:  # 0.0.0.0 / :: reach the local host on Linux
        return "reserved"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"  # includes 169.254.169.254, the cloud metadata address
    if ip.is_private:
        return "private"
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return "reserved"
    return None


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
        return _ip_reason(literal)
    if resolver is not None:
        for address in resolver(host):
            reason = _ip_reason(address)
            if reason:
                return f"resolves_{reason}"
    return None

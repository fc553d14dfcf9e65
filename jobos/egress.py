"""Where the crawler's connections may go: the browser's egress proxy and Scrapy's resolver.

The SSRF guard (jobos.guard) decides; this module makes every connection obey it, at every hop:

- EgressProxy: a small HTTP proxy on 127.0.0.1, started with the browser and given to Chromium
  as its only proxy (loopback included), so every navigation, redirect hop, subresource, fetch,
  beacon, iframe, worker and WebSocket handshake of every page is one request to it. It serves
  one request (or one CONNECT tunnel) per client connection, so nothing can ride on a checked
  connection; refuses what the guard refuses (names resolved once, every answer checked) and
  WebSocket upgrades; connects to the address it checked (no second lookup an attacker's DNS
  could answer differently); and forwards to the user's own proxy when one is configured.
- GuardedResolver: Scrapy's DNS resolver (installed on the reactor by SafeUrlMiddleware) when
  Scrapy connects by itself: it returns only checked, globally routable addresses, so the
  address Scrapy connects to is the one that was checked.

Behind the user's own proxy the proxy resolves names, and the guard can check only what it
sees: IP literals, local names, and names as this machine's resolver answers them when one is
configured for that (JOBOS_RESOLVER); the proxy must refuse internal destinations itself.
"""
from __future__ import annotations

import asyncio
import base64
import logging
import socket
from typing import Awaitable, Callable
from urllib.parse import unquote, urlsplit
from urllib.request import proxy_bypass_environment

from jobos.guard import Resolver, checked_addresses, host_reason, system_resolver

logger = logging.getLogger(__name__)

OnRefused = Callable[[str, str], None]
Connect = Callable[..., Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]

MAX_HEAD = 64 * 1024
# Hop-by-hop headers never forwarded: the proxy decides the connection's fate (one request).
_HOP_HEADERS = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate",
                "te", "trailer", "upgrade"}


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _split_host_port(authority: str, default_port: int | None) -> tuple[str, int]:
    """Return (host, port) of 'host:port' / '[v6]:port'; ValueError when unusable."""
    if authority.startswith("["):
        end = authority.index("]")
        host, rest = authority[1:end], authority[end + 1:]
        port = int(rest[1:]) if rest.startswith(":") else default_port
    elif authority.count(":") == 1:
        host, port_text = authority.split(":")
        port = int(port_text)
    else:
        host, port = authority, default_port
    if not host or port is None or not 0 < port < 65536:
        raise ValueError(f"bad authority {authority!r}")
    return host, port


class EgressProxy:
    """The browser's only way out (see the module docstring). Use `await start()`/`close()`.

    resolver: the guard's resolver; None means names are resolved only when connecting
    directly (system resolver), and left to the upstream proxy otherwise.
    upstream: the user's proxy URL (http://[user:pass@]host:port), or None to connect directly.
    no_proxy: NO_PROXY-style list of hosts reached directly even with an upstream proxy.
    allow_private: JOBOS_ALLOW_PRIVATE (development): nothing is refused.
    """

    def __init__(self, *, resolver: Resolver | None = None, upstream: str | None = None,
                 no_proxy: str | None = None, on_refused: OnRefused | None = None,
                 connect: Connect | None = None, allow_private: bool = False, timeout: float = 30.0):
        self.resolver = resolver
        self.upstream = urlsplit(upstream if "://" in upstream else f"http://{upstream}") if upstream else None
        if self.upstream is not None and self.upstream.scheme != "http":
            raise ValueError(f"the browser's upstream proxy must be an http:// proxy, got {upstream!r}")
        self.no_proxy = no_proxy or ""
        self.on_refused = on_refused
        self.connect = connect or asyncio.open_connection
        self.allow_private = allow_private
        self.timeout = timeout
        self.server: asyncio.base_events.Server | None = None
        self.port = 0
        self._tasks: set[asyncio.Task] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> "EgressProxy":
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0, limit=MAX_HEAD)
        self.port = self.server.sockets[0].getsockname()[1]
        logger.info("browser egress proxy on %s (upstream: %s)", self.url,
                    self.upstream.hostname if self.upstream else "none, direct")
        return self

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            for task in list(self._tasks):
                task.cancel()
            await self.server.wait_closed()
            self.server = None

    # --- decisions --------------------------------------------------------------------------
    def _direct(self, host: str) -> bool:
        return self.upstream is None or bool(self.no_proxy and proxy_bypass_environment(host, {"no": self.no_proxy}))

    async def _destination(self, host: str, port: int) -> tuple[list[str], int, bool]:
        """Return (hosts to connect to, in order; port; through the upstream proxy?) or raise
        Refused. Connecting directly, the hosts are the checked addresses themselves."""
        direct = self._direct(host)
        if self.allow_private:
            return [host], port, not direct
        reason = host_reason(host)
        if reason:
            raise Refused(reason)
        resolver = self.resolver or (system_resolver if direct else None)
        if resolver is None:  # the user's proxy resolves the name (see the module docstring)
            return [host], port, True
        loop = asyncio.get_running_loop()
        addresses, reason = await loop.run_in_executor(None, checked_addresses, host, resolver)
        if reason:
            raise Refused(reason)
        if direct:
            return addresses, port, False  # the checked addresses: no second lookup
        return [host], port, True

    def _refused(self, what: str, reason: str) -> None:
        if self.on_refused is not None:
            try:
                self.on_refused(what, reason)
            except Exception:  # counting must never break the proxy
                logger.exception("egress refusal callback failed")
        else:
            logger.warning("browser request refused %s (%s)", what, reason)

    def _upstream_auth(self) -> str:
        if self.upstream is None or not self.upstream.username:
            return ""
        token = f"{unquote(self.upstream.username)}:{unquote(self.upstream.password or '')}"
        return f"Proxy-Authorization: Basic {base64.b64encode(token.encode()).decode()}\r\n"

    async def _open(self, hosts: list[str], port: int, via_upstream: bool):
        if via_upstream:
            assert self.upstream is not None
            return await asyncio.wait_for(
                self.connect(self.upstream.hostname, self.upstream.port or 8080), self.timeout)
        error: Exception | None = None
        for host in hosts:  # each a checked address (IPv6 first may be unreachable here)
            try:
                return await asyncio.wait_for(self.connect(host, port), self.timeout)
            except (OSError, asyncio.TimeoutError) as exc:
                error = exc
        raise error or OSError("no address to connect to")

    # --- serving ----------------------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        upstream_writer = None
        try:
            try:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.timeout)
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            try:
                method, target, version = lines[0].split(" ", 2)
            except ValueError:
                await self._answer(writer, 400, "bad_request")
                return
            headers = []
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers.append((name.strip(), value.strip()))
            if method.upper() == "CONNECT":
                upstream_writer = await self._tunnel(target, reader, writer)
            else:
                upstream_writer = await self._forward(method, target, version, headers, reader, writer)
        except (ConnectionError, asyncio.TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            logger.debug("egress connection ended: %r", exc)
        except asyncio.CancelledError:
            raise
        except Exception:  # a malformed request ends its own connection, never the proxy
            logger.warning("egress proxy: a request could not be handled", exc_info=True)
        finally:
            for w in (writer, upstream_writer):
                if w is not None:
                    w.close()
            if task is not None:
                self._tasks.discard(task)

    async def _answer(self, writer: asyncio.StreamWriter, status: int, reason: str) -> None:
        text = {400: "Bad Request", 403: "Forbidden", 502: "Bad Gateway"}[status]
        writer.write(f"HTTP/1.1 {status} {text}\r\nContent-Length: 0\r\nConnection: close\r\n"
                     f"X-JobOS-Refused: {reason}\r\n\r\n".encode("latin-1"))
        try:
            await writer.drain()
        except ConnectionError:
            pass

    async def _forward(self, method, target, version, headers, reader, writer):
        """One plain-HTTP request in absolute form: check, send with its body, relay the answer."""
        try:
            parts = urlsplit(target)
            host, port = parts.hostname, parts.port or 80
        except ValueError:
            parts, host, port = None, None, 80
        if parts is None or parts.scheme.lower() != "http" or not host:
            reason = "scheme" if parts is not None and parts.scheme and parts.scheme.lower() != "http" else "bad_url"
            self._refused(target, reason)
            await self._answer(writer, 403 if reason == "scheme" else 400, reason)
            return None
        names = {name.lower(): value for name, value in headers}
        if "upgrade" in names or "websocket" in names.get("connection", "").lower():
            self._refused(target, "websocket")
            await self._answer(writer, 403, "websocket")
            return None
        try:
            dest_hosts, dest_port, via_upstream = await self._destination(host, port)
        except Refused as exc:
            self._refused(target, exc.reason)
            await self._answer(writer, 403, exc.reason)
            return None
        up_reader, up_writer = await self._open(dest_hosts, dest_port, via_upstream)
        path = target if via_upstream else ((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        out = [f"{method} {path} {version}"]
        out += [f"{name}: {value}" for name, value in headers if name.lower() not in _HOP_HEADERS]
        out.append("Connection: close")
        head = "\r\n".join(out) + "\r\n" + (self._upstream_auth() if via_upstream else "") + "\r\n"
        up_writer.write(head.encode("latin-1"))
        await self._copy_body(names, reader, up_writer)
        await up_writer.drain()
        # The answer: its head with the connection closed after it, then the rest as it comes.
        try:
            response_head = await asyncio.wait_for(up_reader.readuntil(b"\r\n\r\n"), self.timeout * 4)
        except asyncio.IncompleteReadError:
            return up_writer  # no answer: the browser sees the connection end, as from the server
        rlines = response_head.decode("latin-1").split("\r\n")
        kept = [rlines[0]] + [line for line in rlines[1:] if line and line.split(":", 1)[0].strip().lower()
                              not in ("connection", "keep-alive", "proxy-connection")]
        writer.write(("\r\n".join(kept) + "\r\nConnection: close\r\n\r\n").encode("latin-1"))
        await self._pipe(up_reader, writer)
        return up_writer

    async def _copy_body(self, names: dict[str, str], reader, up_writer) -> None:
        """Copy exactly the request's body (Content-Length or chunked), never what follows it."""
        if "chunked" in names.get("transfer-encoding", "").lower():
            while True:
                size_line = await reader.readuntil(b"\r\n")
                up_writer.write(size_line)
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while True:  # trailers, then the empty line
                        line = await reader.readuntil(b"\r\n")
                        up_writer.write(line)
                        if line == b"\r\n":
                            return
                up_writer.write(await reader.readexactly(size + 2))
                await up_writer.drain()
        length = int(names.get("content-length", "0") or 0)
        while length > 0:
            chunk = await reader.read(min(length, 65536))
            if not chunk:
                raise asyncio.IncompleteReadError(b"", length)
            up_writer.write(chunk)
            length -= len(chunk)
            await up_writer.drain()

    async def _tunnel(self, target, reader, writer):
        """CONNECT host:port (https, wss): check, open to the checked address, then only TLS."""
        try:
            host, port = _split_host_port(target, None)
        except ValueError:
            self._refused(target, "bad_url")
            await self._answer(writer, 400, "bad_url")
            return None
        try:
            dest_hosts, dest_port, via_upstream = await self._destination(host, port)
        except Refused as exc:
            self._refused(f"https://{target}/", exc.reason)
            await self._answer(writer, 403, exc.reason)
            return None
        up_reader, up_writer = await self._open(dest_hosts, dest_port, via_upstream)
        if via_upstream:
            authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            up_writer.write((f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n"
                             f"{self._upstream_auth()}\r\n").encode("latin-1"))
            await up_writer.drain()
            answer = await asyncio.wait_for(up_reader.readuntil(b"\r\n\r\n"), self.timeout)
            status = answer.split(b" ", 2)[1:2]
            if status != [b"200"]:
                await self._answer(writer, 502, "upstream_refused")
                return up_writer
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        first = await asyncio.wait_for(reader.read(65536), self.timeout)
        if first and first[0] != 0x16:  # not a TLS handshake: a plain ws:// or another protocol
            self._refused(f"tunnel {target}", "not_tls")
            return up_writer
        up_writer.write(first)
        await up_writer.drain()
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        return up_writer

    @staticmethod
    async def _pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        try:
            while True:
                data = await src.read(65536)
                if not data:
                    break
                dst.write(data)
                await dst.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            try:
                if dst.can_write_eof():
                    dst.write_eof()
            except (OSError, RuntimeError):
                pass


# --- Scrapy's side -------------------------------------------------------------------------
def proxy_hosts() -> set[str]:
    """Host names of the configured outbound proxies (Scrapy connects to these by name)."""
    from jobos import config

    hosts = set()
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        value = config.env(name)
        if value:
            parsed = urlsplit(value if "://" in value else f"http://{value}")
            if parsed.hostname:
                hosts.add(parsed.hostname.lower())
    return hosts


def _ipv4_first(addresses: list[str]) -> str | None:
    return next((a for a in addresses if ":" not in a), None)


def guarded_lookup(name: str, resolver: Resolver) -> tuple[str | None, str | None]:
    """Return (the IPv4 address Scrapy connects to, None) or (None, why it is refused)."""
    addresses, reason = checked_addresses(name, resolver)
    if reason:
        return None, reason
    address = _ipv4_first(addresses)
    return (address, None) if address else (None, "no_ipv4")


def _plain_lookup(name: str) -> str:
    return socket.gethostbyname(name)


def make_guarded_resolver(reactor, resolver: Resolver, exempt: set[str], on_refused: OnRefused):
    """Return a Twisted IResolverSimple that checks every answer with the guard (see above)."""
    from twisted.internet.error import DNSLookupError
    from twisted.internet.interfaces import IResolverSimple
    from twisted.internet.threads import deferToThreadPool
    from zope.interface import implementer

    @implementer(IResolverSimple)
    class GuardedResolver:
        def getHostByName(self, name: str, timeout=()):  # noqa: N802 (Twisted's interface)
            pool = reactor.getThreadPool()
            if name.lower() in exempt:  # the configured proxy itself
                return deferToThreadPool(reactor, pool, _plain_lookup, name)

            def checked(result):
                address, reason = result
                if reason:
                    on_refused(name, reason)
                    raise DNSLookupError(f"refused: {name} ({reason})")
                return address

            return deferToThreadPool(reactor, pool, guarded_lookup, name, resolver).addCallback(checked)

    return GuardedResolver()

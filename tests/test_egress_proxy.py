"""The browser's egress proxy (jobos.egress) and Scrapy's guarded DNS resolver, at the wire.

Every connection of the browser goes through EgressProxy: one request (or one CONNECT tunnel)
per client connection, each checked by the same guard as Scrapy's requests, names resolved
once and the connection made to the address that was checked. These tests speak raw HTTP to
it; a canary on 127.0.0.1 records anything that gets through. The browser end to end is
tests/test_egress_browser.py.
"""
from __future__ import annotations

import asyncio
import threading

import pytest

from tests.canary import Canary
from tests.crawl import run_crawl

PUBLIC = ["93.184.216.34"]
LOOPBACK_NAME = "loopback-alias.quillon-systems.com"


def fake_resolver(host: str) -> list[str]:
    return ["127.0.0.1"] if host == LOOPBACK_NAME else PUBLIC


async def _exchange(port: int, data: bytes, timeout: float = 10) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(-1), timeout)
    finally:
        writer.close()


def _run(coro):
    return asyncio.run(coro)


@pytest.fixture()
def canary():
    with Canary() as server:
        yield server


def test_requests_and_tunnels_to_inside_addresses_are_refused(canary):
    from jobos.egress import EgressProxy

    refused = []

    async def scenario():
        proxy = EgressProxy(resolver=fake_resolver, on_refused=lambda url, why: refused.append((url, why)))
        await proxy.start()
        try:
            answers = {}
            for name, raw in {
                "get": f"GET http://127.0.0.1:{canary.port}/x HTTP/1.1\r\nHost: 127.0.0.1:{canary.port}\r\n\r\n",
                "post": f"POST http://127.0.0.1:{canary.port}/schedule.json HTTP/1.1\r\nHost: x\r\n"
                        "Content-Length: 5\r\n\r\nx=1&y",
                "connect": f"CONNECT 127.0.0.1:{canary.port} HTTP/1.1\r\nHost: 127.0.0.1:{canary.port}\r\n\r\n",
                "connect6": f"CONNECT [::ffff:127.0.0.1]:{canary.port} HTTP/1.1\r\n\r\n",
                "name": f"GET http://{LOOPBACK_NAME}:{canary.port}/ HTTP/1.1\r\nHost: {LOOPBACK_NAME}\r\n\r\n",
                "connect_name": f"CONNECT {LOOPBACK_NAME}:{canary.port} HTTP/1.1\r\n\r\n",
                "cgnat": "CONNECT 100.64.0.1:443 HTTP/1.1\r\n\r\n",
                "sixtofour": "GET http://[2002:7f00:1::]/ HTTP/1.1\r\nHost: x\r\n\r\n",
                "scheme": "GET ftp://example.org/ HTTP/1.1\r\n\r\n",
                "origin_form": f"GET /x HTTP/1.1\r\nHost: 127.0.0.1:{canary.port}\r\n\r\n",
            }.items():
                answers[name] = await _exchange(proxy.port, raw.encode())
            return answers
        finally:
            await proxy.close()

    answers = _run(scenario())
    for name, answer in answers.items():
        assert answer.startswith(b"HTTP/1.1 403") or answer.startswith(b"HTTP/1.1 400"), (name, answer[:200])
    assert canary.hits == []
    reasons = dict((url.split("//")[-1].split("/")[0], why) for url, why in refused)
    assert reasons.get(f"127.0.0.1:{canary.port}") == "loopback", refused
    assert reasons.get(f"{LOOPBACK_NAME}:{canary.port}") == "resolves_loopback", refused


def test_one_checked_request_per_connection(web, canary):
    """A second request on a kept-alive connection would skip the check: it never goes anywhere."""
    from jobos.egress import EgressProxy

    async def scenario():
        proxy = EgressProxy(resolver=fake_resolver, upstream=web.proxy_url)
        await proxy.start()
        try:
            first = "GET http://careers.quillon-systems.com/jobs/platform-engineer HTTP/1.1\r\n" \
                    "Host: careers.quillon-systems.com\r\nConnection: keep-alive\r\n\r\n"
            second = f"GET http://127.0.0.1:{canary.port}/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            return await _exchange(proxy.port, (first + second).encode())
        finally:
            await proxy.close()

    answer = _run(scenario())
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
    assert b"Platform engineer" in answer
    assert answer.count(b"HTTP/1.1 ") == 1  # the connection closed after the one answer
    assert canary.hits == []
    assert [e["url"] for e in web.requests_seen()] == ["http://careers.quillon-systems.com/jobs/platform-engineer"]


def test_websocket_upgrades_are_refused(web):
    from jobos.egress import EgressProxy

    async def scenario():
        proxy = EgressProxy(resolver=fake_resolver, upstream=web.proxy_url)
        await proxy.start()
        try:
            return await _exchange(proxy.port, (
                "GET http://careers.quillon-systems.com/ws HTTP/1.1\r\nHost: careers.quillon-systems.com\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").encode())
        finally:
            await proxy.close()

    assert _run(scenario()).startswith(b"HTTP/1.1 403")
    assert web.requests_seen() == []


def test_the_connection_goes_to_the_address_that_was_checked(canary):
    """No second lookup: a name whose DNS answer changes after the check (rebinding) still
    reaches the address that was checked, and the resolver is asked once."""
    from jobos import egress

    calls, connects = [], []

    def rebinding_resolver(host):
        calls.append(host)
        return PUBLIC if len(calls) == 1 else ["127.0.0.1"]

    async def recording_connect(host, port, **kw):
        connects.append((host, port))
        return await asyncio.open_connection("127.0.0.1", canary.port)  # stands in for the public server

    async def scenario():
        proxy = egress.EgressProxy(resolver=rebinding_resolver, connect=recording_connect)
        await proxy.start()
        try:
            return await _exchange(proxy.port, (
                "GET http://rebind.quillon-systems.com/karriere/ HTTP/1.1\r\n"
                "Host: rebind.quillon-systems.com\r\n\r\n").encode())
        finally:
            await proxy.close()

    answer = _run(scenario())
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    assert calls == ["rebind.quillon-systems.com"]
    assert connects == [("93.184.216.34", 80)]
    # The server got an origin-form request for the name (virtual hosting keeps working).
    assert canary.hits and canary.hits[0].startswith("GET /karriere/ HTTP/1.1")
    assert "host: rebind.quillon-systems.com" in canary.hits[0].lower()


def rebinding_resolver(host: str) -> list[str]:
    """JOBOS_RESOLVER for the crawl below: the guard's check (on the reactor thread) gets a
    public answer, any later lookup (a resolver thread, as at connection time) the loopback."""
    if threading.current_thread() is threading.main_thread():
        return PUBLIC
    return ["127.0.0.1"]


def test_scrapy_connects_only_to_addresses_its_resolver_checked(canary):
    """Without a proxy Scrapy resolves names itself: its resolver applies the guard to the
    address it connects to, so DNS rebinding between the check and the connection fails."""
    url = f"http://rebind.quillon-systems.com:{canary.port}/karriere/"
    result = run_crawl(company="Quillon Systems", careers_url=url,
                       settings={"DOWNLOAD_TIMEOUT": "5", "RETRY_TIMES": "0", "DNS_TIMEOUT": "5"},
                       env={"JOBOS_RESOLVER": f"{__name__}.rebinding_resolver"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert canary.hits == []
    assert result.stats.get("jobos/refused/dns/loopback", 0) >= 1, sorted(
        (k, v) for k, v in result.stats.items() if "refused" in k or "error" in k)
    assert result.items == []


def test_request_bodies_are_forwarded_exactly(canary):
    """A POST's body (Content-Length or chunked) goes with its request, whole."""
    from jobos import egress

    async def to_canary(host, port, **kw):
        return await asyncio.open_connection("127.0.0.1", canary.port)

    async def scenario():
        proxy = egress.EgressProxy(resolver=lambda host: PUBLIC, connect=to_canary)
        await proxy.start()
        try:
            sized = await _exchange(proxy.port, (
                "POST http://careers.quillon-systems.com/apply HTTP/1.1\r\nHost: careers.quillon-systems.com\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\nname=Jo&x=1").encode())
            chunked = await _exchange(proxy.port, (
                "POST http://careers.quillon-systems.com/apply HTTP/1.1\r\nHost: careers.quillon-systems.com\r\n"
                "Transfer-Encoding: chunked\r\n\r\n4\r\nname\r\n3\r\n=Jo\r\n0\r\n\r\n").encode())
            return sized, chunked
        finally:
            await proxy.close()

    sized, chunked = _run(scenario())
    assert sized.startswith(b"HTTP/1.1 200") and chunked.startswith(b"HTTP/1.1 200")
    assert [h.split("\r\n", 1)[0] for h in canary.hits] == ["POST /apply HTTP/1.1"] * 2
    assert canary.bodies[0] == b"name=Jo&x=1"
    assert canary.bodies[1] == b"4\r\nname\r\n3\r\n=Jo\r\n0\r\n\r\n"

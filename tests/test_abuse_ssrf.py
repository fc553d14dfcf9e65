"""SSRF across the system: links, redirects, an embed and a JSON listing point at private targets.

tests/test_guard.py covers the guard itself (every literal form, schemes, resolved names) and
one crawl per route. Here one real crawl meets all of them on one page of the stand-in web
(www.flaky-standin-co.com/ssrf, tests/web/handlers/faults.py), with a resolver injected through
JOBOS_RESOLVER: nothing private is ever requested (the stand-in proxy, which every request of
the crawl goes through, logs none), each refusal is counted, and the page's real job is kept.
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

from tests.crawl import run_crawl

sys.path.insert(0, str(Path(__file__).resolve().parent / "web" / "handlers"))
from faults import SSRF_TARGETS  # noqa: E402  (the stand-in page's own list)

FAKE_DNS = {
    "intranet.flaky-standin-co.com": ["10.1.2.3"],
    "metadata.flaky-standin-co.com": ["169.254.169.254"],
}
PRIVATE_HOSTS = {"127.0.0.1", "10.20.30.40", "169.254.169.254", "[::1]", "::1", "2130706433",
                 "10.0.0.9", "intranet.flaky-standin-co.com", "metadata.flaky-standin-co.com"}


def fake_resolver(host: str) -> list[str]:
    """Resolver for JOBOS_RESOLVER: private answers for FAKE_DNS, a public one otherwise."""
    return FAKE_DNS.get(host, ["93.184.216.34"])


def test_private_targets_from_every_route_are_refused_before_download(web):
    result = run_crawl(
        web, company="Flaky Standin Co", careers_url="https://www.flaky-standin-co.com/ssrf",
        settings={"DOWNLOAD_TIMEOUT": "3", "RETRY_TIMES": "1", "AUTOTHROTTLE_ENABLED": "False"},
        env={"JOBOS_RESOLVER": f"{__name__}.fake_resolver"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen_hosts = {urlsplit(e["url"]).hostname for e in web.requests_seen()}
    assert not (seen_hosts & PRIVATE_HOSTS), seen_hosts
    assert seen_hosts <= {"www.flaky-standin-co.com"}, seen_hosts
    # The redirects were followed up to the guard, which refused each target.
    redirects = [e["url"] for e in web.requests_seen() if "/jobs/moved-" in e["url"]]
    assert len(redirects) >= 6, redirects
    stats = result.stats
    for reason in ("loopback", "private", "link_local", "resolves_private", "resolves_link_local"):
        assert stats.get(f"jobos/refused/{reason}", 0) >= 1, (reason, sorted(k for k in stats if "refused" in k))
    # Each http(s) target is refused by name in the log (file: never becomes a request at all).
    for target in SSRF_TARGETS:
        if target.startswith("http"):
            assert f"refused {target} (" in result.log, target
    assert stats.get("jobos/refused", 0) >= 7
    assert result.titles() == {"Fault case ok-1 engineer"}

"""SSRF guard: private, loopback, link-local and metadata targets are refused before download."""
from __future__ import annotations

import pytest

from jobos.guard import refusal_reason
from tests.crawl import run_crawl

# Names the injected resolver answers for (tests never resolve or connect for real).
FAKE_DNS = {
    "intranet.brightwave-energie.de": ["10.0.0.7"],
    "metadata.nordlicht-logistik.de": ["169.254.169.254"],
    "v6.nordlicht-logistik.de": ["2606:4700::1111", "::1"],
}
PUBLIC = ["93.184.216.34"]


def fake_resolver(host: str) -> list[str]:
    """Resolver injected with JOBOS_RESOLVER: private answers for FAKE_DNS, public otherwise."""
    return FAKE_DNS.get(host, PUBLIC)


RESOLVER = f"{__name__}.fake_resolver"


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1/", "loopback"),
    ("http://127.1/", "loopback"),
    ("http://2130706433/", "loopback"),  # 127.0.0.1 as one number
    ("http://0x7f000001/", "loopback"),
    ("http://[::1]:8080/x", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://localhost:6800/", "loopback"),
    ("http://10.1.2.3/jobs", "private"),
    ("https://192.168.0.10/", "private"),
    ("http://172.16.5.4/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link_local"),
    ("http://[fe80::1]/", "link_local"),
    ("http://0.0.0.0/", "reserved"),
    ("file:///etc/passwd", "scheme"),
    ("gopher://example.com/", "scheme"),
    ("ftp://example.com/jobs.txt", "scheme"),
    ("http:///nohost", "bad_url"),
    # Embedded IPv4 forms: the address inside decides.
    ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 of 127.0.0.1
    ("http://[2002:a9fe:a9fe::]/", "link_local"),  # 6to4 of 169.254.169.254
    ("http://[64:ff9b::a00:1]/", "private"),  # NAT64 of 10.0.0.1
    ("http://[64:ff9b::7f00:1]/", "loopback"),
    ("http://[::ffff:a9fe:a9fe]/", "link_local"),  # IPv4-mapped
])
def test_refusal_reason_for_literals_and_schemes(url, reason):
    assert refusal_reason(url) == reason


@pytest.mark.parametrize("url", [
    "http://100.64.0.1/",  # shared address space (carrier-grade NAT; a cloud metadata address sits here)
    "http://100.100.100.200/latest/meta-data/",
    "http://192.0.0.8/",  # IETF protocol assignments
    "http://192.0.0.192/",
    "http://198.18.0.1/",  # benchmarking
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
    "http://[2002:808:808::]/",  # 6to4 is a transition form, never a public destination
    "http://[2001::1]/",  # Teredo
    "http://[fc00::1]/",  # unique local
    "http://[100::1]/",  # discard-only
    "http://[64:ff9b:1::a00:1]/",  # local-use NAT64
])
def test_every_address_that_is_not_globally_routable_is_refused(url):
    assert refusal_reason(url) is not None, url


def test_names_resolving_to_addresses_that_are_not_global_are_refused():
    answers = {"cgnat.nordlicht-logistik.de": ["100.64.1.2"], "sixtofour.nordlicht-logistik.de": ["2002:7f00:1::"]}
    resolver = lambda host: answers.get(host, PUBLIC)  # noqa: E731
    assert refusal_reason("https://cgnat.nordlicht-logistik.de/", resolver=resolver).startswith("resolves_")
    assert refusal_reason("https://sixtofour.nordlicht-logistik.de/", resolver=resolver) == "resolves_loopback"


@pytest.mark.parametrize("url", [
    "https://www.brightwave-energie.de/karriere/",
    "https://boards-api.greenhouse.io/v1/boards/acme/jobs",
    "http://93.184.216.34/",
    "https://[2606:4700::1111]/",
])
def test_public_urls_are_allowed(url):
    assert refusal_reason(url, resolver=fake_resolver) is None


def test_resolved_names_are_checked_only_with_a_resolver():
    url = "https://intranet.brightwave-energie.de/"
    assert refusal_reason(url) is None  # behind a proxy the proxy resolves: literals only
    assert refusal_reason(url, resolver=fake_resolver) == "resolves_private"
    assert refusal_reason("http://metadata.nordlicht-logistik.de/", resolver=fake_resolver) == "resolves_link_local"
    # One private answer among several is enough to refuse.
    assert refusal_reason("http://v6.nordlicht-logistik.de/", resolver=fake_resolver) == "resolves_loopback"


def _refused(result) -> int:
    return result.stats.get("jobos/refused", 0)


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1:9/karriere/", "loopback"),
    ("http://10.20.30.40/karriere/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link_local"),
    ("http://[::1]:9/karriere/", "loopback"),
])
def test_careers_url_at_private_address_is_never_fetched(web, url, reason):
    result = run_crawl(web, company="Acme", careers_url=url)
    assert result.returncode == 0, result.stderr
    assert result.stats.get(f"jobos/refused/{reason}", 0) >= 1
    assert f"refused {url}" in result.log or "refused" in result.log
    host = url.split("/")[2]
    assert not [r for r in web.requests_seen() if host in r["url"]]
    assert result.stats.get("downloader/response_count", 0) == 0
    assert result.items == []


def test_name_resolving_to_private_address_is_refused_before_download(web):
    result = run_crawl(web, company="Brightwave", careers_url="https://intranet.brightwave-energie.de/karriere/",
                       env={"JOBOS_RESOLVER": RESOLVER})
    assert result.stats.get("jobos/refused/resolves_private", 0) >= 1
    assert not [r for r in web.requests_seen() if "intranet.brightwave-energie.de" in r["url"]]
    assert result.stats.get("downloader/response_count", 0) == 0


def test_redirect_to_loopback_is_refused(web):
    # RedirectMiddleware (600) builds a new request; it goes through every downloader
    # middleware again, SafeUrlMiddleware (50) included, so the target is never fetched.
    result = run_crawl(web, company="Nordlicht", careers_url="https://karriere.nordlicht-logistik.de/ssrf/umzug",
                       env={"JOBOS_RESOLVER": RESOLVER})
    seen = [r["url"] for r in web.requests_seen()]
    assert "https://karriere.nordlicht-logistik.de/ssrf/umzug" in seen  # the redirect itself was fetched
    assert result.stats.get("downloader/response_status_count/302") == 1
    assert result.stats.get("jobos/refused/loopback", 0) >= 1
    assert not [u for u in seen if "127.0.0.1" in u]


def test_embedded_endpoint_at_metadata_address_is_refused(web):
    result = run_crawl(web, company="Nordlicht", careers_url="https://karriere.nordlicht-logistik.de/ssrf/mehr",
                       env={"JOBOS_RESOLVER": RESOLVER})
    seen = [r["url"] for r in web.requests_seen()]
    assert result.stats.get("jobos/refused/link_local", 0) >= 1
    assert not [u for u in seen if "169.254" in u]
    # The page's own job was still read.
    assert result.titles() == {"Disponent Nahverkehr (m/w/d)"}


def test_allow_private_setting_turns_the_guard_off():
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from jobos.middlewares import SafeUrlMiddleware

    with pytest.raises(NotConfigured):
        SafeUrlMiddleware.from_crawler(get_crawler(settings_dict={"JOBOS_ALLOW_PRIVATE": True}))

"""Canonical URLs and registrable domains (offline Public Suffix List snapshot)."""
from __future__ import annotations

import socket

import pytest

from jobos.normalize.urls import canonical_url, registrable_domain

CASES = [
    ("HTTPS://Jobs.Acme.COM:443/job/1?utm_source=x&id=5&gh_src=abc&b=2#apply", "https://jobs.acme.com/job/1?id=5&b=2"),
    ("https://jobs.lever.co/acme/123?lever-source=LinkedIn", "https://jobs.lever.co/acme/123"),
    ("http://x.com/a?gclid=1&fbclid=2&mc_cid=3&mc_eid=4", "http://x.com/a"),
    ("https://acme.com/careers?gh_jid=4012345&source=linkedin&ref=abc", "https://acme.com/careers?gh_jid=4012345"),
    ("https://x.com:8443/a?z=1&a=2", "https://x.com:8443/a?z=1&a=2"),
    ("https://x.com", "https://x.com/"),
    ("https://x.com/a b?q=ä", "https://x.com/a%20b?q=%C3%A4"),
    ("https://münchen.de/jobs", "https://xn--mnchen-3ya.de/jobs"),
    ("javascript:alert(1)", "javascript:alert(1)"),  # left for validation to reject
    ("/relative/path", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize("url,expected", CASES)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        ("https://jobs.acme.co.uk/x", "acme.co.uk"),
        ("careers.example.com", "example.com"),
        ("boards.greenhouse.io", "greenhouse.io"),
        ("https://WWW.Acme.DE:8080/", "acme.de"),
        ("127.0.0.1", None),
        ("localhost", None),
        ("", None),
    ],
)
def test_registrable_domain(value, expected):
    assert registrable_domain(value) == expected


def test_registrable_domain_never_uses_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    registrable_domain.cache_clear()
    assert registrable_domain("https://a.b.example.com.au/") == "example.com.au"

"""Sitemaps, robots.txt Sitemap lines and job feeds (jobos.pages.sitemap): what they yield and
what they refuse (gzip bombs, entity bombs, oversize bodies)."""
from __future__ import annotations

import gzip

import pytest

from jobos.pages import sitemap as sm

SITE = "https://www.fjellvind-kraft.no"
CAREERS = f"{SITE}/karriere/ledige-stillinger"


def urlset(*locs: str) -> bytes:
    rows = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{rows}</urlset>").encode()


def test_robots_sitemap_lines_any_case_relative_and_deduplicated():
    text = "User-agent: *\nDisallow: /x\nSITEMAP: https://a.de/s1.xml\nsitemap:/s2.xml.gz\nSitemap: https://a.de/s1.xml\n"
    assert sm.robots_sitemaps(text, "https://a.de/robots.txt") == ["https://a.de/s1.xml", "https://a.de/s2.xml.gz"]
    assert sm.robots_sitemaps("", "https://a.de/robots.txt") == []


def test_urlset_gzip_and_index():
    plain = sm.read_sitemap(urlset(f"{SITE}/a", "/b"), f"{SITE}/sitemap.xml")
    assert plain.urls == [f"{SITE}/a", f"{SITE}/b"] and plain.sitemaps == []
    packed = sm.read_sitemap(gzip.compress(urlset(f"{SITE}/c")), f"{SITE}/s.xml.gz")
    assert packed.urls == [f"{SITE}/c"]
    index = (b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b"<sitemap><loc>https://www.fjellvind-kraft.no/s-jobs.xml</loc></sitemap></sitemapindex>")
    result = sm.read_sitemap(index, f"{SITE}/sitemap_index.xml")
    assert result.sitemaps == [f"{SITE}/s-jobs.xml"] and result.urls == []


def test_gzip_bomb_is_refused_before_it_is_unpacked():
    bomb = gzip.compress(b"<urlset>" + b" " * (40 * 1024 * 1024) + b"</urlset>")
    assert len(bomb) < 100_000
    with pytest.raises(sm.SitemapError, match="gzip bomb"):
        sm.read_sitemap(bomb, f"{SITE}/bomb.xml.gz")


def test_oversize_plain_body_and_broken_gzip_are_refused():
    with pytest.raises(sm.SitemapError, match="larger than"):
        sm.read_sitemap(b"<urlset>" + b" " * (sm.MAX_BYTES + 1), f"{SITE}/big.xml")
    with pytest.raises(sm.SitemapError, match="not valid gzip"):
        sm.read_sitemap(b"\x1f\x8b" + b"garbage" * 10, f"{SITE}/broken.xml.gz")


def test_entity_declarations_are_refused_and_never_expanded():
    lol = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
           b"<urlset><url><loc>https://x.no/&b;</loc></url></urlset>")
    with pytest.raises(sm.SitemapError, match="entities"):
        sm.read_sitemap(lol, f"{SITE}/lol.xml")
    # an external entity after the first 4 KB is not resolved either (lxml: resolve_entities=False)
    padded = (b'<?xml version="1.0"?>' + b"<!--" + b" " * 5000 + b"-->"
              + b'<!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]><urlset><url><loc>https://x.no/&x;</loc></url></urlset>')
    result = sm.read_sitemap(padded, f"{SITE}/xxe.xml")
    assert all("root:" not in u for u in result.urls)


def test_not_a_sitemap_is_refused():
    with pytest.raises(sm.SitemapError, match="not a sitemap"):
        sm.read_sitemap(b"<html><body>hi</body></html>", f"{SITE}/sitemap.xml")


def test_url_count_limit(monkeypatch):
    monkeypatch.setattr(sm, "MAX_URLS", 5)
    result = sm.read_sitemap(urlset(*[f"{SITE}/p{i}" for i in range(20)]), f"{SITE}/sitemap.xml")
    assert len(result.urls) == 5 and result.truncated


def test_job_urls_below_the_careers_path_or_a_jobs_segment_on_the_same_site():
    urls = [
        f"{SITE}/", f"{SITE}/om-oss", CAREERS, f"{CAREERS}/", f"{CAREERS}/driftstekniker",
        f"{SITE}/jobs/42-elektriker", f"{SITE}/jobs/", "https://other.no/karriere/ledige-stillinger/x",
        f"{SITE}/nyheter/vindpark", f"{CAREERS}/driftstekniker#apply", f"{SITE}/karriere/brosjyre.pdf",
    ]
    assert sm.job_urls(urls, CAREERS) == [f"{CAREERS}/driftstekniker", f"{SITE}/jobs/42-elektriker"]
    assert len(sm.job_urls([f"{CAREERS}/{i}" for i in range(30)], CAREERS, limit=7)) == 7


RSS_JOBS = """<?xml version="1.0"?><rss version="2.0"><channel><title>ACME – Lediga jobb</title>
<item><title>Truckförare</title><link>https://www.acme.se/lediga-jobb/truck/</link><pubDate>Mon, 01 Dec 2026 08:00:00 +0000</pubDate></item>
<item><title>Lagerchef</title><link>https://www.acme.se/lediga-jobb/lagerchef/</link></item>
<item><title>Elsewhere</title><link>https://evil.example/phish</link></item>
</channel></rss>"""
RSS_BLOG = """<?xml version="1.0"?><rss version="2.0"><channel><title>ACME</title>
<item><title>Ny terminal</title><link>https://www.acme.se/2026/11/terminal/</link></item>
<item><title>Lagerchef</title><link>https://www.acme.se/jobb/lagerchef-2/</link></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Careers</title>
<entry><title>Data Engineer</title><link href="https://www.acme.se/careers/data-engineer"/><updated>2026-11-30T10:00:00Z</updated></entry>
</feed>"""


def test_job_feed_entries_named_feed_and_blog_feed():
    page = "https://www.acme.se/lediga-jobb/"
    jobs = sm.read_feed(RSS_JOBS.encode(), "https://www.acme.se/lediga-jobb/feed/")
    assert [(e.title, e.url) for e in sm.job_entries(jobs, page)] == [
        ("Truckförare", "https://www.acme.se/lediga-jobb/truck/"),
        ("Lagerchef", "https://www.acme.se/lediga-jobb/lagerchef/"),
    ]
    blog = sm.read_feed(RSS_BLOG.encode(), "https://www.acme.se/feed/")
    # not named for jobs: only an entry whose link is a posting URL
    assert [e.url for e in sm.job_entries(blog, page)] == ["https://www.acme.se/jobb/lagerchef-2/"]
    atom = sm.read_feed(ATOM.encode(), "https://www.acme.se/careers.atom")
    assert [e.title for e in sm.job_entries(atom, "https://www.acme.se/careers")] == ["Data Engineer"]


def test_feed_links_job_feeds_first_no_comment_or_foreign_feeds():
    html = """<html><head>
    <link rel="alternate" type="application/rss+xml" title="ACME » Feed" href="/feed/">
    <link rel="alternate" type="application/rss+xml" title="ACME » Kommentarer" href="/comments/feed/">
    <link rel="alternate" type="application/atom+xml" title="Jobs" href="https://www.acme.se/jobs.atom">
    <link rel="alternate" type="application/rss+xml" href="https://feeds.elsewhere.example/acme">
    <link rel="stylesheet" href="/style.css"></head><body></body></html>"""
    assert sm.feed_links(html, "https://www.acme.se/jobs") == [
        ("https://www.acme.se/jobs.atom", "Jobs"), ("https://www.acme.se/feed/", "ACME » Feed")]


def test_broken_feed_is_refused_with_a_sentence():
    with pytest.raises(sm.SitemapError, match="not a readable feed"):
        sm.read_feed(b"\x00\x01 not xml at all <<<", "https://www.acme.se/feed/")

"""JSON-LD JobPosting parsing: every real corpus posting, and the shapes sites publish."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest

from jobos.ats.base import BoardContext
from jobos.pages.jsonld import parse_jsonld
from tests.corpus import corpus_files

CTX = BoardContext(company="Acme", crawl_time=datetime(2024, 1, 1, tzinfo=timezone.utc))
_BLOCK = re.compile(r"<script[^>]*type=[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.S | re.I)


def _count_postings(value) -> int:
    """Count JobPosting objects the way the corpus manifest does: walk nested and array values."""
    if isinstance(value, list):
        return sum(_count_postings(v) for v in value)
    if isinstance(value, dict):
        types = value.get("@type")
        types = types if isinstance(types, list) else [types]
        if "JobPosting" in types:
            return 1
        return sum(_count_postings(v) for v in value.values())
    return 0


def _expected_titles(html: str) -> list[str]:
    titles = []

    def walk(value):
        if isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            if value.get("@type") == "JobPosting":
                titles.append(" ".join(str(value["title"]).split()))
                return
            for v in value.values():
                walk(v)

    for block in _BLOCK.findall(html):
        try:
            walk(json.loads(block, strict=False))
        except ValueError:
            continue
    return titles


def _corpus_pages():
    return corpus_files("jsonld_html")


def test_corpus_has_postings():
    files = _corpus_pages()
    assert len(files) >= 10
    total = 0
    for path in files:
        html = path.read_text(encoding="utf-8", errors="replace")
        total += sum(_count_postings(json.loads(b, strict=False)) for b in _BLOCK.findall(html))
    assert total >= 20  # the manifest counts 28


@pytest.mark.parametrize("path", _corpus_pages(), ids=lambda p: p.name[:70])
def test_every_corpus_posting_parsed(path):
    html = path.read_text(encoding="utf-8", errors="replace")
    page_url = "https://careers.example-company.com/jobs/" + path.stem[-20:]
    expected = _expected_titles(html)
    assert expected, "the corpus file should hold at least one JobPosting"
    result = parse_jsonld(html, page_url, CTX)
    got = [item["title"] for item in result.items]
    assert result.bad_blocks == 0
    # The crawl time (2024-01-01) lies before every validThrough in the corpus: nothing expired.
    assert result.expired == 0
    assert sorted(got) == sorted(expected)
    for item in result.items:
        assert item["method"] == "jsonld"
        assert item["url"].startswith("https://")
        assert item["external_id"]
        assert item["source"] == "website"
        assert item["board"].startswith("website:")
    assert len({item["external_id"] for item in result.items}) == len(result.items)


def test_corpus_ashby_page_on_ats_host_gets_the_ats_board():
    path = next(p for p in _corpus_pages() if "ashby_openai_00207abc" in p.name)
    url = "https://jobs.ashbyhq.com/openai/00207abc-49b7-465c-a219-f7c1140f8047"
    [item] = parse_jsonld(path.read_text(encoding="utf-8"), url, CTX).items
    assert item["source"] == "ashby"
    assert item["board"] == "ashby:openai"
    assert item["external_id"] == "00207abc-49b7-465c-a219-f7c1140f8047"
    assert item["title"] == "Forward Deployed Software Engineer - SF"
    assert (item["salary_min"], item["salary_max"]) == (200000, 310000)
    assert item["salary_currency"] == "USD" and item["salary_period"] == "YEAR"
    assert (item["city"], item["region"], item["country"]) == ("San Francisco", "California", "US")
    assert item["company_domain"] == "openai.com"
    assert item["employment_type"] == "FULL_TIME"
    assert item["posted_at"] == "2025-11-15"
    assert item["description_html"].startswith("<p")


def test_corpus_listing_with_urlless_postings_links_each_to_its_page():
    path = next(p for p in _corpus_pages() if "avalanchefusion" in p.name)
    url = "https://www.avalanchefusion.com/careers/open-positions"
    items = parse_jsonld(path.read_text(encoding="utf-8"), url, CTX).items
    assert len(items) == 9
    assert len({i["url"] for i in items}) == 9
    assert all(i["url"].startswith("https://www.avalanchefusion.com/careers/") for i in items)
    assert {i["board"] for i in items} == {"website:avalanchefusion.com"}
    assert {i["country"] for i in items} == {"US"}


def test_corpus_remote_recruitee_posting():
    path = next(p for p in _corpus_pages() if "recruitee" in p.name)
    [item] = parse_jsonld(path.read_text(encoding="utf-8"), "https://hostaway.recruitee.com/o/ae", CTX).items
    assert item["workplace"] == "remote"
    assert item["source"] == "recruitee"
    assert item["country"] == "GB"
    assert item["external_id"] == "2424333"


def _page(*blocks: str) -> str:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return f"<html><head>{scripts}</head><body><h1>Jobs</h1></body></html>"


def test_graph_and_nested_and_lenient_blocks():
    graph = json.dumps({"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "name": "Acme"},
        {"@type": ["JobPosting"], "title": "Lagerist (m/w/d)", "url": "/jobs/lagerist",
         "identifier": {"@type": "PropertyValue", "value": "L-1"},
         "jobLocation": {"@type": "Place", "address": {"addressLocality": "Köln",
                                                          "addressCountry": {"@type": "Country", "name": "Germany"}}},
         "baseSalary": {"@type": "MonetaryAmount", "currency": "eur",
                        "value": {"@type": "QuantitativeValue", "value": "3.200", "unitText": "MONTH"}}},
    ]})
    # Trailing comma, a comment and a raw newline inside a string: published like this in the wild.
    sloppy = """{"@context": "https://schema.org", "@type": "JobPosting", // CMS comment
      "title": "Fahrer
      (m/w/d)", "url": "https://www.acme.de/jobs/fahrer",}"""
    broken = "{not json at all"
    result = parse_jsonld(_page(graph, sloppy, broken), "https://www.acme.de/karriere", CTX)
    assert result.bad_blocks == 1
    by_title = {i["title"]: i for i in result.items}
    assert set(by_title) == {"Lagerist (m/w/d)", "Fahrer (m/w/d)"}
    lager = by_title["Lagerist (m/w/d)"]
    assert lager["url"] == "https://www.acme.de/jobs/lagerist"
    assert lager["external_id"] == "L-1"
    assert lager["country"] == "DE" and lager["city"] == "Köln"
    assert lager["salary_currency"] == "EUR" and lager["salary_period"] == "MONTH"
    assert lager["salary_min"] == lager["salary_max"] == 3200
    assert lager["board"] == "website:acme.de"


def test_telecommute_with_applicant_location_and_expired_posting():
    remote = json.dumps({"@type": "JobPosting", "title": "Support Engineer", "url": "https://x.io/j/1",
                         "jobLocationType": "TELECOMMUTE",
                         "applicantLocationRequirements": {"@type": "Country", "name": "France"}})
    expired = json.dumps({"@type": "JobPosting", "title": "Old job", "url": "https://x.io/j/2",
                          "validThrough": "2023-06-30T23:59"})
    result = parse_jsonld(_page(json.dumps([json.loads(remote), json.loads(expired)])), "https://x.io/", CTX)
    assert result.expired == 1
    [item] = result.items
    assert item["workplace"] == "remote"
    assert item["country"] == "FR"
    assert item["location"] == "Remote - France"


def test_hiring_organization_profile_page_is_not_the_company_domain():
    posting = json.dumps({"@type": "JobPosting", "title": "Dev", "url": "https://board.example.net/j/9",
                          "hiringOrganization": {"name": "Foo", "sameAs": "https://board.example.net/company/foo"}})
    [item] = parse_jsonld(_page(posting), "https://board.example.net/j/9", CTX).items
    assert item["company_domain"] == "example.net"  # the site's domain, not a guess from a profile
    posting = json.dumps({"@type": "JobPosting", "title": "Dev", "url": "https://board.example.net/j/9",
                          "hiringOrganization": {"name": "Foo", "sameAs": "https://www.foo-gmbh.de/"}})
    [item] = parse_jsonld(_page(posting), "https://board.example.net/j/9", CTX).items
    assert item["company_domain"] == "foo-gmbh.de"


def test_apply_link_of_a_posting_page_with_jsonld():
    from datetime import datetime, timezone

    from jobos.ats.base import BoardContext
    from jobos.pages.jsonld import parse_jsonld

    ctx = BoardContext(company="Acme", crawl_time=datetime(2026, 1, 1, tzinfo=timezone.utc))
    posting = ('<script type="application/ld+json">{"@type": "JobPosting", "title": "Koch (m/w/d)", '
               '"url": "https://acme.de/jobs/koch"}</script>')
    page = f"<html><head>{posting}</head><body><h1>Koch (m/w/d)</h1><a href='/bewerben/koch'>Jetzt bewerben</a></body></html>"
    (item,) = parse_jsonld(page, "https://acme.de/jobs/koch", ctx).items
    assert item["apply_url"] == "https://acme.de/bewerben/koch"
    # On a listing (the posting's page is elsewhere) the page's buttons are not the posting's.
    (item,) = parse_jsonld(page, "https://acme.de/jobs/", ctx).items
    assert "apply_url" not in item

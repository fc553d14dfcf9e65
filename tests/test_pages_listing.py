"""Listing heuristics on real career pages (corpus) and on the shapes sites publish."""
from __future__ import annotations

from jobos.pages.listing import next_offset_url, parse_json_jobs, parse_listing
from tests.corpus import corpus_dir


def _page(name: str) -> str:
    return (corpus_dir() / "other" / name).read_text(encoding="utf-8", errors="replace")


def test_ui_city_lists_its_ten_jobs_and_no_navigation():
    # saint-net/open-jobs-searcher's test names these ten jobs for this page.
    listing = parse_listing(_page("saint-net__open-jobs-searcher__careers_ui_city_jobs.html"), "https://ui.city/jobs")
    titles = [j.title for j in listing.jobs]
    assert len(titles) == 10
    assert {"Software Engineer (m/w/d)", "DevOps Engineer (m/w/d)", "Elektromonteur (m/w/d)",
            "Berater/Beraterin Smart City (m/w/d)"} <= set(titles)
    assert all(j.url.startswith("https://ui.city/jobs/") for j in listing.jobs)
    assert not any(j.url.endswith(("/impressum", "/kontakt", "/datenschutz")) for j in listing.jobs)
    by_title = {j.title: j for j in listing.jobs}
    assert by_title["Elektromonteur (m/w/d)"].location == "München"


def test_german_sme_pages_find_gender_marked_jobs():
    listing = parse_listing(_page("saint-net__open-jobs-searcher__careers_711media_jobs.html"),
                            "https://www.711media.de/jobs")
    assert len(listing.jobs) >= 10
    assert all("(m/w/d)" in j.title.lower() or "(m/w/d)" in j.title for j in listing.jobs[:5])
    eight = parse_listing(_page("saint-net__open-jobs-searcher__careers_8com_jobs.html"), "https://www.8com.de/jobs")
    assert any(j.title == "Telemarketing-Agent (m/w/d)" for j in eight.jobs)


def test_apply_only_and_unsolicited_links_are_not_jobs():
    listing = parse_listing(_page("saint-net__open-jobs-searcher__careers_talention_jobs.html"),
                            "https://4u-at-work.talention.com/stellenangebote")
    assert not any("initiativ" in (j.title or "").lower() for j in listing.jobs)


def test_generic_link_text_takes_the_card_heading():
    listing = parse_listing(_page("ever-jobs__ever-jobs__careers_flymotionus_careers.html"),
                            "https://www.flymotionus.com/careers")
    assert [j.title for j in listing.jobs] == ["Event Coordinator"]


def test_pagination_load_more_and_endpoints():
    html = """<html><body><main><ul>
      <li><a href="/jobs/1-dev">Entwickler (m/w/d)</a></li></ul>
      <nav class="pager"><a href="?page=2">2</a> <a href="?page=3">3</a> <a href="/jobs?page=2">Suivant »</a></nav>
      <button class="js-more" data-url="/api/jobs?offset=10">Weitere Stellen laden</button>
      <script>fetch("/api/jobs.json?lang=de").then(r => r.json())</script></main></body></html>"""
    listing = parse_listing(html, "https://acme.de/jobs")
    assert [j.url for j in listing.jobs] == ["https://acme.de/jobs/1-dev"]
    assert listing.pages == ["https://acme.de/jobs?page=2", "https://acme.de/jobs?page=3"]
    assert listing.load_more.endpoint == "https://acme.de/api/jobs?offset=10"
    assert "https://acme.de/api/jobs.json?lang=de" in listing.endpoints


def test_json_jobs_and_next_offset():
    body = '{"data": {"items": [{"jobTitle": "Dev", "url": "/j/1", "location": {"name": "Lyon"}}]}, "hasMore": false}'
    result = parse_json_jobs(body, "https://acme.fr/api/jobs?offset=0")
    assert [(j.title, j.url, j.location) for j in result.jobs] == [("Dev", "https://acme.fr/j/1", "Lyon")]
    assert result.more is False and result.next_url is None
    assert next_offset_url("https://a.de/api?offset=10&limit=5", 5) == "https://a.de/api?limit=5&offset=15"
    assert next_offset_url("https://a.de/api?page=2", 20) == "https://a.de/api?page=3"

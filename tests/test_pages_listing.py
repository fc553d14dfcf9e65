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


def test_chrome_is_named_by_whole_class_tokens_not_by_states_of_other_blocks():
    from jobos.pages.listing import _chrome_token

    for token in ("site-footer", "nav-links", "pagination-wrapper", "builder-pagination", "menu-item-42",
                  "main-navigation", "lang-switcher", "cookie-notice", "elementor-location-header"):
        assert _chrome_token(token), token
    for token in ("grid-load-more-pagination-done", "posts--show-pagination", "has-sticky-header",
                  "card-header", "entry-footer", "job-detail__header", "jobs-list", "navigator-jobs",
                  "headerless", "e-loop-item"):
        assert not _chrome_token(token), token


def test_a_state_class_on_the_list_or_the_body_hides_no_job():
    cards = "".join(
        f'<div class="card"><h3 class="card-header"><a href="/jobs/{slug}">{title}</a></h3><p>Berlin · Vollzeit</p></div>'
        for slug, title in (("koch", "Koch (m/w/d)"), ("kellner", "Kellner (m/w/d)"), ("spueler", "Spülkraft (m/w/d)")))
    page = (f'<html><body class="home has-sticky-header header-transparent"><header class="site-header"><nav>'
            f'<a href="/about">About</a><a href="/jobs/">Jobs</a></nav></header>'
            f'<main><div class="widget-posts widget-posts--show-pagination grid-load-more-pagination-done">{cards}</div>'
            f'<div class="pagination"><a href="/jobs/?page=2">2</a></div></main>'
            f'<footer class="site-footer"><a href="/impressum">Impressum</a></footer></body></html>')
    listing = parse_listing(page, "https://www.gasthaus.example/jobs/")
    assert [(j.title, j.url) for j in listing.jobs] == [
        ("Koch (m/w/d)", "https://www.gasthaus.example/jobs/koch"),
        ("Kellner (m/w/d)", "https://www.gasthaus.example/jobs/kellner"),
        ("Spülkraft (m/w/d)", "https://www.gasthaus.example/jobs/spueler"),
    ]
    assert listing.pages == ["https://www.gasthaus.example/jobs/?page=2"]


def test_an_entry_header_inside_an_article_is_the_entry_s_own():
    posts = "".join(
        f'<article class="post type-job"><header class="entry-header"><h2 class="entry-title">'
        f'<a href="/job/{slug}/">{title}</a></h2></header><div class="entry-summary"><p>Remote, full-time</p></div>'
        f'<footer class="entry-footer"><a href="/job/{slug}/">Read more</a></footer></article>'
        for slug, title in (("backend-engineer", "Backend Engineer"), ("product-designer", "Product Designer")))
    page = f'<html><body><header><a href="/">Home</a></header><main>{posts}</main></body></html>'
    listing = parse_listing(page, "https://www.example-studio.test/careers/")
    assert [j.title for j in listing.jobs] == ["Backend Engineer", "Product Designer"]

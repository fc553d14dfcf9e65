"""The web page in a real headless Chromium against the app served on 127.0.0.1.

Sign in, search a company, start a crawl (scrapyd is down here: the page must say so), pin a
page, watch a crawl's progress change without reloading, filter jobs, open one and read its
history; a job full of script payloads runs nothing and makes no request outside the app.
Screenshots of every page at phone and desktop width go to tests/screenshots/.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from api import create_app
from api.testing import add_user, sample_jobs
from jobos.normalize.location import display_location
from tests.pg import free_port
from tests.ui.live import DESKTOP, PHONE, LiveServer, Watch, chromium, require_browser, screenshot

PASSWORD = "correct horse battery"
PLACES = {"DE": ("Rostock", "Mecklenburg-Vorpommern", "Rostock, MV, DE"), "US": ("Austin", "Texas", "Austin, TX"),
          "GB": ("London", "England", "London"), "FR": ("Paris", "Île-de-France", "Paris, France")}
EMAIL = "ada@example.org"
PAYLOAD_HTML = (
    '<p>Hello <b>team</b></p><script>alert("desc")</script>'
    '<img src="https://tracker.example/pixel.png" onerror="alert(1)">'
    '<p><a href="javascript:alert(2)">click me</a></p>'
    '<svg onload="alert(3)"><circle r="1"></circle></svg>'
    '<iframe src="https://evil.example/"></iframe>'
)


@pytest.fixture(scope="module")
def live(tmp_path_factory, standin):
    require_browser()
    # "Wrong page?" checks the pinned page live: through the stand-in web, as the crawler would.
    env = pytest.MonkeyPatch()
    for key, value in standin.env().items():
        env.setenv(key, value)
    env.setenv("JOBOS_RESOLVER", "tests.test_api_company_pin.fake_resolver")
    data = tmp_path_factory.mktemp("ui-live")
    app = create_app({
        "SECRET_KEY": "b" * 48, "DATA_DIR": str(data), "MONITOR_ENABLED": False,
        "RATELIMIT_DEFAULT": "5000 per minute",
        # Nothing listens here: starting a crawl must fail visibly (a real scrapyd is the other test).
        "SCRAPYD_URLS": f"http://127.0.0.1:{free_port()}", "OLLAMA_HOST": f"http://127.0.0.1:{free_port()}",
    })
    store = app.extensions["jobos_store"]
    uid = add_user(store, EMAIL, "user", PASSWORD)
    jobs = sample_jobs(30)
    for job in jobs:  # places as boards publish them (mixed formats), and their one display format
        city, region, published = PLACES[job["country"]]
        job.update(city=city, region=region, location=published,
                   location_display=display_location(city, region, job["country"], job["workplace"]))
    store.upsert_jobs(jobs)
    # Added by this user's crawl, so this user may re-point it ("Wrong page?").
    store.upsert_company("Acme Robotics", domain="acme.example", board="greenhouse:acme",
                         careers_url="https://boards.greenhouse.io/acme", reason="search result: official domain",
                         added_by=f"user:{uid}")
    jobs[3].update(title="Lead Python Developer 3", salary_min=70000, salary_max=90000,
                   salary_currency="EUR", salary_period="YEAR",
                   description="Build robots number 3. Python, ROS and Rust.")
    store.upsert_jobs(jobs)  # the second crawl: job 3 changed -> one history row
    evil = sample_jobs(1, company="Evil Corp", board="greenhouse:evil")[0]
    evil.update(external_id="666", url="https://boards.greenhouse.io/evil/jobs/666",
                title='<script>alert("title")</script> Payload Engineer', description_html=PAYLOAD_HTML,
                description='<script>alert("md")</script>', apply_url="javascript:alert(4)",
                location='<img src=x onerror="alert(5)">', city=None, country=None)  # shown as published
    store.upsert_jobs([evil])
    ids = {j["external_id"]: j["id"] for j in store.search_jobs(status="all", limit=100)["items"]}
    with LiveServer(app) as server:
        yield {"origin": server.origin, "store": store, "ids": ids,
               "company_id": store.list_companies(q="acme")["items"][0]["id"]}
    store.close()
    env.undo()


@pytest.fixture(scope="module")
def browser(live):
    with chromium() as b:
        yield b


def _context(browser, viewport):
    context = browser.new_context(viewport=viewport)
    watch = Watch(context)
    return context, watch


def _sign_in(page, origin, next_path="/jobs"):
    page.goto(f"{origin}{next_path}")
    assert "/login" in page.url
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{origin}{next_path}")


def test_sign_in_search_company_filter_jobs_open_one_with_history(browser, live):
    origin = live["origin"]
    context, watch = _context(browser, DESKTOP)
    page = context.new_page()
    page.goto(f"{origin}/jobs")
    page.wait_for_url(re.compile(r".*/login\?next=.*"))
    screenshot(page, "login", "desktop")
    _sign_in(page, origin)
    cookies = {c["name"]: c for c in context.cookies()}
    assert cookies["jobos_token"]["httpOnly"] is True
    assert page.evaluate("document.cookie").find("jobos_token") == -1  # the script cannot read it

    # Company search: name and a country picked from the list.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Companies").click()
    page.get_by_label("Company name").fill("acme")
    page.get_by_label("Country").fill("Germany")
    assert page.locator('#countries option[value="Germany"]').count() == 1
    page.get_by_role("button", name="Search known companies").click()
    page.wait_for_url(re.compile(r".*/companies\?q=acme.*"))
    card = page.locator(f"#company-{live['company_id']}")
    assert "greenhouse:acme" in card.inner_text()
    assert "search result: official domain" in card.inner_text()
    screenshot(page, "companies", "desktop")

    # "Find jobs" goes to POST /api/scrape/company with the CSRF header; scrapyd is down here,
    # so the API's 503 sentence must reach the page (a missing header would show csrf_failed).
    # The careers page a person knows (or one discovery missed) goes with the crawl.
    # Bad input is said in the API's words, which are the command line's (jobos.args' table).
    status = page.locator("#action-status")
    page.get_by_label("Company name").fill("")
    page.locator("#find-jobs").click()
    expect(status).to_have_text("company: is required")
    page.get_by_label("Company name").fill("acme")
    page.locator("#careers-url").fill("not-a-url")
    page.locator("#find-jobs").click()
    expect(status).to_have_text("careers_url: 'not-a-url' is not a web address: use a URL such as "
                                "https://acme.com/careers")
    assert live["store"].list_crawl_runs() == []  # refused before any run was made
    page.locator("#careers-url").fill("https://careers.acme-robotics.example/jobs")
    page.locator("#find-jobs").click()
    status.wait_for(state="visible")
    expect(status).to_contain_text("scrapyd")
    assert "No scrapyd node is available" in status.inner_text()
    run = live["store"].list_crawl_runs(limit=1)[0]
    assert run["status"] == "failed" and run["args"]["company"] == "acme" and run["country"] == "DE"
    assert run["args"]["careers_url"] == "https://careers.acme-robotics.example/jobs"

    # "Wrong page?" pins the right careers page through PATCH /api/companies/<id>, checked first:
    # a board of no known system is refused with the API's sentence, and nothing is saved.
    card.locator("summary", has_text="Wrong page?").click()
    card.get_by_label("or the board").fill("nosuchats:foo")
    card.get_by_role("button", name="Use this page").click()
    pin_status = card.locator(".pin-status")
    expect(pin_status).to_contain_text("'nosuchats' is not a job board system JobOS reads")
    assert pin_status.inner_text().startswith("board: ")
    screenshot(page, "companies-pin-refused", "desktop")
    assert live["store"].get_company(live["company_id"])["pinned"] is False
    card.get_by_label("or the board").fill("")
    card.get_by_label("The right careers page or job board URL").fill("http://169.254.169.254/latest/")
    card.get_by_role("button", name="Use this page").click()
    expect(pin_status).to_contain_text("points to a link-local address")
    card.get_by_label("The right careers page or job board URL").fill("https://www.northwind.dk/")
    with page.expect_navigation():
        card.get_by_role("button", name="Use this page").click()
    card = page.locator(f"#company-{live['company_id']}")
    assert "Pinned" in card.inner_text() and "https://www.northwind.dk/" in card.inner_text()
    assert live["store"].get_company(live["company_id"])["pinned"] is True

    # Jobs: full text plus a filter, counts, then open the changed job.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    page.get_by_label("Search titles and descriptions").fill("developer")
    page.get_by_label("Workplace").select_option("onsite")
    page.get_by_role("button", name="Show jobs").click()
    page.wait_for_url(re.compile(r".*q=developer.*workplace=onsite.*"))
    count = page.locator("#result-count").inner_text()
    rows = page.locator("table.jobs tbody tr")
    # sample_jobs: "Python Developer" titles are i % 5 == 3; onsite is i % 3 == 0 -> 3 and 18.
    assert rows.count() == 2, count
    assert re.search(r"Showing 1–2 of 2 jobs", count)
    assert "70,000–90,000 EUR a year" in rows.filter(has_text="Lead Python Developer 3").inner_text()
    screenshot(page, "jobs", "desktop")
    page.get_by_role("link", name="Lead Python Developer 3").click()
    page.wait_for_url(f"{origin}/jobs/{live['ids']['1003']}")
    history = page.locator("#history")
    assert history.locator("del", has_text="Python Developer 3").count() == 1
    assert history.locator("ins", has_text="Lead Python Developer 3").count() == 1
    assert history.locator("ins", has_text="Rust.").count() == 1
    apply = page.locator("#apply-link")
    assert apply.get_attribute("rel") == "noopener noreferrer"
    assert apply.get_attribute("href") == "https://boards.greenhouse.io/acme/jobs/1003"
    assert "First seen" in page.locator(".seen").inner_text()
    screenshot(page, "job", "desktop")

    assert watch.dialogs == []
    assert watch.foreign(origin) == []
    # Only the answers the test provoked: scrapyd down (503), the bad inputs and refused pins (422).
    assert all("503" in e or "422" in e for e in watch.console_errors), watch.console_errors
    context.close()


def test_job_with_script_payloads_runs_nothing_and_calls_nowhere(browser, live):
    origin = live["origin"]
    context, watch = _context(browser, DESKTOP)
    page = context.new_page()
    _sign_in(page, origin, next_path=f"/jobs/{live['ids']['666']}")
    title = page.locator("#job-title").inner_text()
    assert title.startswith('<script>alert("title")</script>')  # shown as text
    description = page.locator("#description")
    assert "Hello team" in description.inner_text()
    assert description.locator("script, img, svg, iframe").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert page.locator("#apply-link").get_attribute("href") == "https://boards.greenhouse.io/evil/jobs/666"
    description.get_by_text("click me").click()  # the neutered link goes nowhere
    page.goto(f"{origin}/jobs?company=Evil+Corp")
    assert "<img" in page.locator("table.jobs").inner_text()  # the location payload, as text
    page.wait_for_timeout(500)
    screenshot(page, "job-payload", "desktop")
    assert watch.dialogs == []
    assert watch.foreign(origin) == []
    assert all(not u.startswith(origin + "/api/") or "/api/" in u for u in watch.requests)
    context.close()


def test_crawl_progress_updates_without_reload(browser, live):
    origin, store = live["origin"], live["store"]
    crawl_id = store.create_crawl_run({"company": "Acme Robotics", "country": "DE"}, "user:1", "api")
    store.update_crawl_run(crawl_id, status="running", step="discovery", pages=1, found=0)
    context, watch = _context(browser, DESKTOP)
    page = context.new_page()
    _sign_in(page, origin, next_path=f"/crawls/{crawl_id}")
    page.evaluate("window.__sameDocument = 'yes'")
    assert page.locator("#count-pages").inner_text() == "1"

    store.update_crawl_run(crawl_id, step="board", pages=14, found=9, new=9,
                           error_summary="discovery/search/blocked/captcha: 1")
    expect(page.locator("#count-pages")).to_have_text("14", timeout=10_000)
    assert page.locator("#count-found").inner_text() == "9"
    expect(page.locator("#crawl-step")).to_contain_text("job board")
    messages = page.locator("#crawl-messages")
    expect(messages).to_contain_text("CAPTCHA")
    assert "DuckDuckGo asked for a CAPTCHA; tried the company's domain instead." in messages.inner_text()
    assert page.locator('.steps li[aria-current="step"]').inner_text().startswith("Reading the job board")
    assert page.locator("#crawl-spinner").is_visible()
    screenshot(page, "crawl-running", "desktop")

    store.update_crawl_run(crawl_id, status="finished", step="storing", pages=20, found=12, new=12)
    page.locator("#crawl-done").wait_for(state="visible", timeout=10_000)
    assert page.locator("#crawl-status").inner_text() == "Finished"
    assert page.locator("#count-found").inner_text() == "12"
    # The end is shown truthfully: no spinner (its display rule must not beat `hidden`), no
    # "updates by itself", the last step's words, every step done.
    expect(page.locator("#crawl-spinner")).to_be_hidden()
    assert page.evaluate("getComputedStyle(document.getElementById('crawl-spinner')).display") == "none"
    expect(page.locator("#crawl-live")).to_be_hidden()
    assert page.locator("#crawl-step").inner_text() == "Done"
    assert page.locator(".steps li.done").count() == 5
    assert page.evaluate("window.__sameDocument") == "yes"  # updated in place, never reloaded
    polls = [u for u in watch.requests if u.endswith(f"/api/scrape/{crawl_id}")]
    assert len(polls) >= 2
    n = len(polls)
    page.wait_for_timeout(2000)
    assert len([u for u in watch.requests if u.endswith(f"/api/scrape/{crawl_id}")]) == n  # stopped
    screenshot(page, "crawl-finished", "desktop")
    assert watch.foreign(origin) == [] and watch.dialogs == []
    context.close()


def test_a_crawl_that_found_nothing_says_so_and_shows_failed_and_skipped_steps(browser, live):
    origin, store = live["origin"], live["store"]
    crawl_id = store.create_crawl_run({"company": "Nowhere Ltd", "country": "GB"}, "user:1", "api")
    store.update_crawl_run(crawl_id, status="running", step="discovery", pages=1, found=0)
    context, watch = _context(browser, DESKTOP)
    page = context.new_page()
    _sign_in(page, origin, next_path=f"/crawls/{crawl_id}")
    store.update_crawl_run(crawl_id, status="partial", step="discovery", pages=9, found=0,
                           error_summary="discovery/not_found: 1; guess/downloadfailederror: 4")
    page.locator("#crawl-none").wait_for(state="visible", timeout=10_000)
    expect(page.locator("#crawl-done")).to_be_hidden()  # no "See the jobs" for 0 jobs
    expect(page.locator("#crawl-spinner")).to_be_hidden()
    assert page.locator('.steps li[data-step="discovery"]').get_attribute("data-state") == "failed"
    assert page.locator(".steps li.skipped").count() == 4 and page.locator(".steps li.done").count() == 0
    messages = page.locator("#crawl-messages").inner_text()
    assert "No career page" in messages and "downloadfailederror" not in messages.lower()
    screenshot(page, "crawl-not-found", "desktop")
    context.close()


# The elements that stick out past the page's right edge (tag#id.class and how far), for the message.
WIDER_THAN_PAGE = """() => { const w = document.documentElement.clientWidth; return Array.from(document.querySelectorAll('body *'))
  .map(e => [e, e.getBoundingClientRect().right - w]).filter(([e, d]) => d > 0.5).slice(0, 8)
  .map(([e, d]) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined
       ? '.' + String(e.className).split(' ').join('.') : '') + ' +' + Math.round(d) + 'px'); }"""


def test_every_page_fits_a_phone_and_is_keyboard_usable(browser, live):
    origin, store = live["origin"], live["store"]
    crawl_id = store.create_crawl_run({"company": "Acme Robotics"}, "user:1", "api")
    store.update_crawl_run(crawl_id, status="partial", step="board", pages=40, found=25,
                           error_summary="budget_exhausted: 1; llm/unavailable: 3")
    context, watch = _context(browser, PHONE)
    page = context.new_page()
    page.goto(f"{origin}/login")
    screenshot(page, "login", "phone")
    # Keyboard: the first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/companies$"))
    states = {}
    for state, fields in (("running", dict(status="running", step="board", pages=14, found=9, new=9)),
                          ("finished", dict(status="finished", step="storing", pages=20, found=12, new=12)),
                          ("not-found", dict(status="partial", step="discovery", pages=9, found=0,
                                             error_summary="discovery/not_found: 1; guess/downloadfailederror: 4"))):
        states[state] = store.create_crawl_run({"company": f"Phone {state} GmbH", "country": "DE"}, "user:1", "api")
        store.update_crawl_run(states[state], **fields)
    pages = {
        "companies": "/companies?q=acme", "jobs": "/jobs", "job": f"/jobs/{live['ids']['1003']}",
        "crawl-partial": f"/crawls/{crawl_id}", "job-payload": f"/jobs/{live['ids']['666']}",
        "crawls": "/crawls", **{f"crawl-{state}": f"/crawls/{run}" for state, run in states.items()},
    }
    for name, path in pages.items():
        page.goto(origin + path)
        page.wait_for_load_state("networkidle")
        # No sideways scroll on a phone, at the page or in any element that is not meant to.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        wide = page.evaluate(WIDER_THAN_PAGE)
        assert overflow <= 0, f"{name} is {overflow}px wider than a phone: {wide}"
        expect(page.locator("h1").first).to_be_visible()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        screenshot(page, name, "phone")
    for state in states:  # the crawl page's key parts are on screen in each state
        page.goto(origin + f"/crawls/{states[state]}")
        for part in ("#crawl-status", "#count-found", ".steps"):
            expect(page.locator(part)).to_be_visible()
    text = page.goto(origin + f"/crawls/{crawl_id}") and page.locator("#crawl-messages").inner_text()
    assert "request budget" in text and "descriptions will be structured later" in text
    assert watch.foreign(origin) == [] and watch.dialogs == []
    context.close()


def test_crawls_page_lists_crawls_and_leads_to_each_and_from_a_company(browser, live):
    origin, store = live["origin"], live["store"]
    running = store.create_crawl_run({"company": "Acme Robotics", "country": "DE"}, "user:1", "api")
    store.update_crawl_run(running, status="running", step="board", pages=5, found=3, new=3)
    context, watch = _context(browser, DESKTOP)
    page = context.new_page()
    _sign_in(page, origin, next_path="/companies?q=acme")
    page.locator("#company-%d a.crawl-history" % live["company_id"]).click()
    page.wait_for_url(re.compile(r".*/crawls\?company=Acme"))
    expect(page.locator("h1")).to_have_text("Crawls of Acme Robotics")
    item = page.locator(f"#run-{running}")
    expect(item).to_contain_text("Running")
    assert "3 new" in item.inner_text()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Crawls").click()
    page.wait_for_url(re.compile(r".*/crawls$"))
    screenshot(page, "crawls", "desktop")
    page.locator(f"#run-{running} h3 a").click()
    page.wait_for_url(re.compile(rf".*/crawls/{running}$"))
    assert page.locator("#count-found").inner_text() == "3"
    assert watch.foreign(origin) == [] and watch.dialogs == [] and watch.console_errors == []
    context.close()

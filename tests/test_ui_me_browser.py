"""A user's own pages in a real headless Chromium against the app served on 127.0.0.1.

Upload a resume through the page (a real PDF that Chromium itself prints from a resume written
by the test) and read the explained matches; save a search from the jobs list, see "new since
your last visit" after a crawl adds a job (the store's upsert, then the alerts worker's event
pass, as after a real crawl); set an alert (email digest and a webhook, whose key is shown once).
Screenshots at phone and desktop width go to tests/screenshots/.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from api import create_app
from api.testing import add_user, sample_jobs
from jobos.alerts.events import compute_events
from tests.pg import free_port
from tests.ui.live import DESKTOP, PHONE, LiveServer, Watch, chromium, require_browser, screenshot

PASSWORD = "correct horse battery"
EMAIL = "grace@example.org"
RESUME_HTML = """<!doctype html><html><body>
<h1>Grace Hopper</h1><p>Senior Robotics Engineer, Berlin, Germany</p>
<h2>Experience</h2><p>8 years building robots: motion planning in Python and ROS, firmware in Rust.</p>
<h2>Skills</h2><ul><li>Python</li><li>ROS</li><li>Rust</li><li>Robotics</li></ul></body></html>"""


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    require_browser()
    data = tmp_path_factory.mktemp("ui-me-live")
    mp = pytest.MonkeyPatch()
    mp.delenv("JOBOS_ALLOW_PRIVATE", raising=False)
    app = create_app({
        "SECRET_KEY": "c" * 48, "DATA_DIR": str(data), "MONITOR_ENABLED": False,
        "RATELIMIT_DEFAULT": "5000 per minute",
        "SCRAPYD_URLS": f"http://127.0.0.1:{free_port()}", "OLLAMA_HOST": f"http://127.0.0.1:{free_port()}",
    })
    store = app.extensions["jobos_store"]
    add_user(store, EMAIL, "user", PASSWORD)
    jobs = sample_jobs(12)
    jobs[5].update(title="Designer 5", description="Brand and print design. Figma and InDesign.")
    store.upsert_jobs(jobs)
    with LiveServer(app) as server:
        yield {"origin": server.origin, "store": store}
    store.close()
    mp.undo()


@pytest.fixture(scope="module")
def browser(live):
    with chromium() as b:
        yield b


def _signed_in(browser, origin, viewport=DESKTOP):
    context = browser.new_context(viewport=viewport)
    watch = Watch(context)
    page = context.new_page()
    page.goto(f"{origin}/me/resumes")
    page.wait_for_url(re.compile(r".*/login\?next=.*"))
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{origin}/me/resumes")
    return context, watch, page


def test_upload_a_pdf_resume_and_read_the_explained_matches(browser, live, tmp_path):
    origin = live["origin"]
    # A real PDF, printed by Chromium from the resume above.
    printer = browser.new_page()
    printer.set_content(RESUME_HTML)
    pdf = tmp_path / "grace-hopper.pdf"
    pdf.write_bytes(printer.pdf())
    printer.close()
    assert pdf.read_bytes().startswith(b"%PDF-")

    context, watch, page = _signed_in(browser, origin)
    # A file that is not a resume: the page says why in a sentence and keeps nothing.
    junk = tmp_path / "photo.pdf"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    page.get_by_label("Resume (PDF, Word DOCX or plain text)").set_input_files(str(junk))
    page.get_by_role("button", name="Upload and find jobs").click()
    expect(page.locator("#upload-error")).to_contain_text("The resume was not uploaded: Only PDF, DOCX")
    assert live["store"].list_resumes(1) == []

    page.get_by_label("Resume (PDF, Word DOCX or plain text)").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload and find jobs").click()
    page.wait_for_url(re.compile(r".*/me/resumes/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jobs for grace-hopper.pdf")
    expect(page.locator("#resume-level")).to_contain_text("senior")  # from its 8 years
    first = page.locator("#matches > li").first
    expect(first).to_contain_text("Robotics Engineer")
    shared = first.locator(".shared-terms").inner_text()
    assert "robotics" in shared and "python" in shared
    assert first.locator(".seniority").inner_text().startswith("Mid-level")
    assert first.locator(".location-fit").inner_text() in ("In a city your resume names", "Remote")
    assert "Designer 5" not in page.locator("#matches").inner_text()  # shares no word with it
    screenshot(page, "me-resume-matches", "desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "me-resume-matches", "phone")
    assert watch.foreign(origin) == [] and watch.dialogs == []

    # Delete it: gone from the list and from the store.
    page.get_by_role("button", name="Delete this resume").click()
    page.wait_for_url(re.compile(r".*/me/resumes\?done=deleted$"))
    expect(page.locator(".notice-ok")).to_have_text("Resume deleted.")
    assert live["store"].list_resumes(1) == []
    context.close()


def test_save_a_search_see_new_since_last_visit_and_set_an_alert(browser, live):
    origin, store = live["origin"], live["store"]
    context, watch, page = _signed_in(browser, origin)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    page.get_by_label("Search titles and descriptions").fill("python")
    page.get_by_label("Country").fill("Germany")
    page.get_by_role("button", name="Show jobs").click()
    page.wait_for_url(re.compile(r".*/jobs\?q=python.*"))
    screenshot(page, "me-save-search", "desktop")
    page.get_by_label("Save this search as").fill("Python in Germany")
    page.get_by_role("button", name="Save this search").click()
    page.wait_for_url(re.compile(r".*/me/searches\?done=saved$"))
    card = page.locator(".saved-search", has_text="Python in Germany")
    expect(card.locator(".new-count")).to_have_text("Nothing new since your last visit")

    # A crawl adds a job this search lists; the alerts pass records it.
    job = sample_jobs(1)[0]
    job.update(external_id="3001", title="Python Robotics Lead", country="DE",
               url="https://boards.greenhouse.io/acme/jobs/3001")
    store.upsert_jobs([job])
    assert compute_events(store) == 1
    page.reload()
    expect(card.locator(".new-count")).to_have_text("1 new since your last visit")
    screenshot(page, "me-searches", "desktop")

    # Its page lists the new job, then counts it as seen.
    card.get_by_role("link", name="Alerts and settings").click()
    expect(page.locator("#new-count")).to_have_text("1 new since your last visit.")
    expect(page.locator(".alert-events")).to_contain_text("Python Robotics Lead")

    # Set an alert: a daily digest by email and a webhook; the signing key is shown once.
    page.get_by_label("A daily digest").check()
    page.get_by_label("Email address").fill("grace@example.org")
    page.get_by_label("Webhook URL").fill("https://hooks.example.org/jobos")
    page.get_by_role("button", name="Save alert settings").click()
    expect(page.locator(".notice-ok")).to_have_text("Alert settings saved.")
    key = page.locator("#webhook-secret").inner_text()
    (search,) = store.list_saved_searches()
    assert search["email_mode"] == "daily" and search["email"] == "grace@example.org"
    assert search["webhook_url"] == "https://hooks.example.org/jobos" and search["webhook_secret"] == key
    screenshot(page, "me-search-alerts", "desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "me-search-alerts", "phone")
    page.goto(f"{origin}/me/searches/{search['id']}")  # a later visit
    expect(page.locator("#webhook-secret")).to_have_count(0)
    expect(page.get_by_label("A daily digest")).to_be_checked()
    expect(page.locator("#new-count")).to_have_text("Nothing new since your last visit.")

    # A webhook to this machine is refused with a sentence; the saved one stays.
    page.get_by_label("Webhook URL").fill("http://127.0.0.1:9/hook")
    page.get_by_role("button", name="Save alert settings").click()
    expect(page.locator(".notice-error")).to_contain_text("The settings were not saved. Webhook url:")
    assert store.list_saved_searches()[0]["webhook_url"] == "https://hooks.example.org/jobos"
    assert watch.foreign(origin) == [] and watch.dialogs == []
    assert [e for e in watch.console_errors if "422" not in e] == []  # only the refused form's status

    # Every page of one's own fits a phone (nothing wider than the screen).
    page.set_viewport_size(PHONE)
    for path in ("/me/searches", f"/me/searches/{search['id']}", "/me/resumes", "/jobs?q=python"):
        page.goto(origin + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a phone"
    screenshot(page, "me-save-search", "phone")
    context.close()

"""A user's own pages through the Flask test client against a real (SQLite) store: save the jobs
list's query, "new since your last visit" after a crawl adds a job, follow a company, alert
settings (email, webhook with its key shown once, feed), resume upload with errors as sentences,
matches with their explanation, deletion, CSRF and another user's things as 404."""
from __future__ import annotations

import html
import io
import re

import pytest

from api.testing import add_user, sample_jobs
from jobos.alerts.events import compute_events
from tests.apptest import PASSWORD, close_app, make_app, store  # noqa: F401 - store: a fixture

RESUME = (b"Ada Lovelace - Senior Python Developer, Berlin, Germany.\n"
          b"7 years building robots with Python and ROS; Rust on embedded boards.\n")


@pytest.fixture()
def app(tmp_path, monkeypatch):
    monkeypatch.delenv("JOBOS_ALLOW_PRIVATE", raising=False)
    app = make_app(tmp_path, ui=True)
    app.extensions["jobos_store"].upsert_jobs(sample_jobs(10))
    yield app
    close_app(app)


def _client(app, store, email="ada@example.org", role="user"):
    client = app.test_client()
    if not store.get_user_by_email(email):
        add_user(store, email, role, PASSWORD)
    client.get("/login")
    resp = client.post("/login", data={"email": email, "password": PASSWORD, "next": "/jobs",
                                       "csrf_token": client.get_cookie("jobos_csrf").value})
    assert resp.status_code == 303
    return client


def _csrf(client) -> str:
    return client.get_cookie("jobos_csrf").value


def _text(resp) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True))))


def _save(client, **fields):
    return client.post("/me/searches", data={"csrf_token": _csrf(client), **fields})


def test_pages_need_a_signed_in_user(app, store):
    anonymous = app.test_client()
    for path in ("/me/searches", "/me/resumes", "/me/resumes/1", "/me/searches/1"):
        resp = anonymous.get(path)
        assert resp.status_code == 302 and "/login?next=" in resp.headers["Location"], path
    viewer = _client(app, store, "viewer@example.org", role="viewer")
    resp = viewer.get("/me/resumes")
    assert resp.status_code == 403 and "need a user account" in _text(resp)
    assert "Saved searches" not in _text(viewer.get("/jobs"))  # no links to pages it cannot use


def test_save_the_jobs_query_and_see_new_since_last_visit(app, store):
    client = _client(app, store)
    jobs_page = client.get("/jobs?q=python&country=Germany&workplace=remote").get_data(as_text=True)
    form = re.search(r'<form[^>]*id="save-search".*?</form>', jobs_page, re.S).group(0)
    hidden = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert hidden["q"] == "python" and hidden["country"] == "Germany" and hidden["workplace"] == "remote"

    assert _save(client, **{k: v for k, v in hidden.items() if k != "csrf_token"}, csrf_token="forged").status_code == 403
    assert store.list_saved_searches() == []
    resp = _save(client, **{k: v for k, v in hidden.items() if k != "csrf_token"}, name="Remote Python")
    assert resp.status_code == 303
    (search,) = store.list_saved_searches()
    assert search["name"] == "Remote Python"
    assert search["query"] == {"q": "python", "country": "DE", "workplace": "remote"}
    assert "Nothing new since your last visit" in _text(client.get("/me/searches"))

    # A crawl adds a matching job; the alerts worker records it; the list counts it once.
    new = sample_jobs(1)[0]
    new.update(external_id="2001", title="Python Platform Engineer", country="DE", workplace="remote",
               url="https://boards.greenhouse.io/acme/jobs/2001")
    store.upsert_jobs([new])
    assert compute_events(store) == 1
    page = _text(client.get("/me/searches"))
    assert "1 new since your last visit" in page
    detail = _text(client.get(f"/me/searches/{search['id']}"))
    assert "1 new since your last visit" in detail and "Python Platform Engineer" in detail
    assert "Nothing new since your last visit" in _text(client.get("/me/searches"))  # seen now

    # "Show the jobs" opens the saved query in the jobs list.
    resp = client.get(f"/me/searches/{search['id']}/jobs")
    assert resp.status_code == 303 and "q=python" in resp.headers["Location"]
    assert "country=DE" in resp.headers["Location"]


def test_a_bad_saved_query_is_refused_with_a_sentence(app, store):
    client = _client(app, store)
    resp = _save(client, q="python", country="Atlantis")
    assert resp.status_code == 422
    assert "The search was not saved. Country:" in _text(resp)
    assert store.list_saved_searches() == []


def test_follow_and_delete_and_another_users_search_is_404(app, store):
    ada, bob = _client(app, store), _client(app, store, "bob@example.org")
    assert ada.post("/me/follows", data={"csrf_token": _csrf(ada), "company": "Acme Robotics"}).status_code == 303
    (follow,) = store.list_saved_searches()
    assert follow["kind"] == "company" and follow["query"] == {"company": "Acme Robotics"}
    assert "Acme Robotics" in _text(ada.get("/me/searches"))
    assert bob.get(f"/me/searches/{follow['id']}").status_code == 404
    resp = bob.post(f"/me/searches/{follow['id']}/delete", data={"csrf_token": _csrf(bob)})
    assert resp.status_code == 404 and store.list_saved_searches()
    assert ada.post(f"/me/searches/{follow['id']}/delete", data={"csrf_token": _csrf(ada)}).status_code == 303
    assert store.list_saved_searches() == []


def test_alert_settings_email_webhook_key_once_and_feed(app, store):
    client = _client(app, store)
    _save(client, q="python", name="Python")
    (search,) = store.list_saved_searches()
    url = f"/me/searches/{search['id']}/alerts"

    resp = client.post(url, data={"csrf_token": _csrf(client), "email_mode": "daily", "email": ""})
    assert resp.status_code == 422 and "give the address" in _text(resp)
    resp = client.post(url, data={"csrf_token": _csrf(client), "email_mode": "daily", "email": "not-an-address"})
    assert resp.status_code == 422 and "Email: must be an email address" in _text(resp)
    resp = client.post(url, data={"csrf_token": _csrf(client), "email_mode": "daily", "email": "ada@example.org"})
    assert resp.status_code == 200 and "Alert settings saved" in _text(resp)
    assert store.get_saved_search(search["id"])["email_mode"] == "daily"

    resp = client.post(url, data={"csrf_token": _csrf(client), "email_mode": "daily", "email": "ada@example.org",
                                  "webhook_url": "http://127.0.0.1:9/hook"})
    assert resp.status_code == 422 and "may not reach" in _text(resp)
    assert store.get_saved_search(search["id"])["webhook_url"] is None

    old_key = store.get_saved_search(search["id"])["webhook_secret"]
    resp = client.post(url, data={"csrf_token": _csrf(client), "email_mode": "daily", "email": "ada@example.org",
                                  "webhook_url": "https://hooks.example.org/jobs"})
    shown = re.search(r'id="webhook-secret"[^>]*>([^<]+)<', resp.get_data(as_text=True)).group(1)
    saved = store.get_saved_search(search["id"])
    assert saved["webhook_url"] == "https://hooks.example.org/jobs"
    assert shown == saved["webhook_secret"] != old_key
    again = client.get(f"/me/searches/{search['id']}").get_data(as_text=True)
    assert shown not in again and 'id="webhook-secret"' not in again  # shown once
    feed = re.search(r'id="feed-url"[^>]*>([^<]+)<', again).group(1)
    assert saved["feed_token"] in feed
    anonymous = app.test_client()
    assert anonymous.get(feed.replace("http://localhost", "")).mimetype == "application/atom+xml"


def test_upload_a_resume_see_explained_matches_and_delete(app, store):
    ada, bob = _client(app, store), _client(app, store, "bob@example.org")
    resp = ada.post("/me/resumes", data={"csrf_token": _csrf(ada), "file": (io.BytesIO(RESUME), "cv.txt")},
                    content_type="multipart/form-data")
    assert resp.status_code == 303
    (resume,) = store.list_resumes(store.get_user_by_email("ada@example.org")["id"])
    page = ada.get(resp.headers["Location"])
    body = page.get_data(as_text=True)
    first = re.search(r'<li class="card match".*?</li>', body, re.S).group(0)
    assert "Python Developer" in first  # the title sharing the resume's words ranks first
    text = _text(page)
    assert "Your resume reads as senior" in text
    assert "python" in _text_of(first, "shared-terms")
    assert _text_of(first, "location-fit") in ("In a city your resume names", "Remote",
                                               "In a country your resume names")
    us_only = ada.get(f"/me/resumes/{resume['id']}?country=US").get_data(as_text=True)
    shown = [int(i) for i in re.findall(r'id="match-(\d+)"', us_only)]
    assert shown and all(store.get_job(i)["country"] == "US" for i in shown)
    assert "Country:" in _text(ada.get(f"/me/resumes/{resume['id']}?country=Atlantis"))
    ada.post("/me/searches", data={"csrf_token": _csrf(ada), "q": "designer", "name": "Design"})
    (design,) = [s for s in store.list_saved_searches() if s["name"] == "Design"]
    within = ada.get(f"/me/resumes/{resume['id']}?search_id={design['id']}").get_data(as_text=True)
    within_ids = re.findall(r'id="match-(\d+)"', within)
    assert within_ids and all("Designer" in store.get_job(int(i))["title"] for i in within_ids)
    assert bob.get(f"/me/resumes/{resume['id']}?search_id={design['id']}").status_code == 404
    assert bob.get(f"/me/resumes/{resume['id']}").status_code == 404
    assert bob.post(f"/me/resumes/{resume['id']}/delete", data={"csrf_token": _csrf(bob)}).status_code == 404
    assert ada.post(f"/me/resumes/{resume['id']}/delete", data={"csrf_token": "forged"}).status_code == 403
    assert store.get_resume(resume["id"]) is not None
    assert ada.post(f"/me/resumes/{resume['id']}/delete", data={"csrf_token": _csrf(ada)}).status_code == 303
    assert store.get_resume(resume["id"]) is None


def _text_of(fragment: str, cls: str) -> str:
    return html.unescape(re.search(rf'class="{cls}[^"]*">([^<]*)<', fragment).group(1)).strip()


@pytest.mark.parametrize("content, sentence", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "Only PDF, DOCX and plain-text (UTF-8) resumes are read"),
    (b"", "No file was sent, or it is empty"),
    (b"%PDF-1.4 this is not really a pdf", "PDF"),
])
def test_a_refused_upload_says_why_in_a_sentence(app, store, content, sentence):
    client = _client(app, store)
    resp = client.post("/me/resumes", data={"csrf_token": _csrf(client), "file": (io.BytesIO(content), "cv.pdf")},
                       content_type="multipart/form-data")
    assert resp.status_code in (413, 422)
    message = _text(resp)
    assert "The resume was not uploaded:" in message and sentence.lower() in message.lower()
    assert store.list_resumes(store.get_user_by_email("ada@example.org")["id"]) == []


def test_a_resume_larger_than_a_json_body_is_taken_and_one_over_the_limit_is_refused(app, store, monkeypatch):
    # The app's body limit (1 MB) is for JSON; a resume may be up to JOBOS_RESUME_MAX_BYTES.
    monkeypatch.setenv("JOBOS_RESUME_MAX_BYTES", str(3 * 1024 * 1024))
    client = _client(app, store)
    big = RESUME + b"Python and ROS robotics. " * 80_000  # about 2 MB of text
    assert len(big) > app.config["MAX_CONTENT_LENGTH"]
    resp = client.post("/me/resumes", data={"csrf_token": _csrf(client), "file": (io.BytesIO(big), "long.txt")},
                       content_type="multipart/form-data")
    assert resp.status_code == 303, _text(resp)[:300]
    owner = store.get_user_by_email("ada@example.org")["id"]
    assert [r["size"] for r in store.list_resumes(owner)] == [len(big)]
    huge = big * 2  # over 3 MB
    resp = client.post("/me/resumes", data={"csrf_token": _csrf(client), "file": (io.BytesIO(huge), "huge.txt")},
                       content_type="multipart/form-data")
    assert resp.status_code == 413 and "larger than 3 MB" in _text(resp)
    assert len(store.list_resumes(owner)) == 1

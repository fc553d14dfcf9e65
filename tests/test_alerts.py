"""Saved searches and follows through the API; alerts computed from the store's history and
delivered by `jobos alerts send` to a real SMTP server and a real webhook receiver on 127.0.0.1;
the Atom feed read with feedparser."""
from __future__ import annotations

import email
import hashlib
import hmac
import http.server
import json
import threading
from email import policy

import feedparser
import pytest
from aiosmtpd.controller import Controller

from api.testing import add_user, assert_error_shape, sample_jobs
from jobos.cli import main as jobos_main
from tests.apptest import SECRET, close_app, make_app, signed_in
from tests.pg import free_port, pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures


@pytest.fixture()
def app(store_backend, tmp_path, monkeypatch):
    """The API on each backend; `jobos alerts send` opens the same store from the environment."""
    if store_backend["database_url"]:
        monkeypatch.setenv("DATABASE_URL", store_backend["database_url"])
    monkeypatch.delenv("JOBOS_ALLOW_PRIVATE", raising=False)
    monkeypatch.setenv("JOBOS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JOBOS_SECRET_KEY", SECRET)
    monkeypatch.setenv("JOBOS_PUBLIC_URL", "http://jobos.test")
    app = make_app(tmp_path, store_backend["database_url"])
    store = app.extensions["jobos_store"]
    add_user(store, "ada@example.org", "user")
    add_user(store, "bob@example.org", "user")
    yield app
    close_app(app)


def _jobs():
    jobs = sample_jobs(4)
    jobs[0].update(title="Python Developer <script>alert(1)</script>", country="DE", description="Python & Django")
    jobs[1].update(title="Python Data Engineer", country="DE", description="Python pipelines")
    jobs[2].update(title="Python Developer", country="US", description="Python")  # other country
    jobs[3].update(title="Designer", country="DE", description="Figma")  # other words
    return jobs


def _send() -> None:
    assert jobos_main(["alerts", "send"]) == 0


# ---- saved searches: the owner's only ------------------------------------------------------

def test_saved_searches_belong_to_their_owner(app):
    client = app.test_client()
    ada, bob = signed_in(client, "ada@example.org"), signed_in(client, "bob@example.org")
    assert_error_shape(app.test_client().get("/api/alerts/searches"), 401)  # signed out
    add_user(app.extensions["jobos_store"], "vic@example.org", "viewer")  # a read-only account
    assert_error_shape(client.post("/api/alerts/searches", headers=signed_in(client, "vic@example.org"),
                                   json={"name": "x"}), 403)
    resp = client.post("/api/alerts/searches", headers=ada, json={
        "name": "Python in Germany", "query": {"q": "python", "country": "Germany"},
        "email": "ada@example.org", "email_mode": "immediate"})
    assert resp.status_code == 201, resp.get_json()
    search = resp.get_json()
    assert search["query"] == {"q": "python", "country": "DE"} and search["email_mode"] == "immediate"
    assert search["feed_url"].startswith("http://localhost/api/alerts/feeds/")
    follow = client.post("/api/alerts/searches", headers=ada, json={
        "kind": "company", "name": "Acme", "query": {"company": "Acme Robotics GmbH"}}).get_json()
    assert [s["id"] for s in client.get("/api/alerts/searches", headers=ada).get_json()["items"]] == [
        search["id"], follow["id"]]
    # Another user sees none of it and can change none of it.
    assert client.get("/api/alerts/searches", headers=bob).get_json()["items"] == []
    for method, path in (("get", ""), ("patch", ""), ("delete", ""), ("get", "/events")):
        kwargs = {"json": {"name": "mine"}} if method == "patch" else {}
        resp = getattr(client, method)(f"/api/alerts/searches/{search['id']}{path}", headers=bob, **kwargs)
        assert_error_shape(resp, 404)
    resp = client.patch(f"/api/alerts/searches/{search['id']}", headers=ada, json={"email_mode": "daily"})
    assert resp.status_code == 200 and resp.get_json()["email_mode"] == "daily"
    # Refused with a sentence: a follow without a company, a mail mode without an address,
    # a webhook to the loopback address.
    for body in ({"kind": "company", "name": "x"}, {"name": "x", "email_mode": "daily"},
                 {"name": "x", "webhook_url": "http://127.0.0.1:9/hook"}):
        assert_error_shape(client.post("/api/alerts/searches", headers=ada, json=body), 422)
    assert client.delete(f"/api/alerts/searches/{search['id']}", headers=ada).status_code == 204
    assert_error_shape(client.get(f"/api/alerts/searches/{search['id']}", headers=ada), 404)


# ---- mail ------------------------------------------------------------------------------------

class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture()
def smtp(monkeypatch):
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("JOBOS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("JOBOS_SMTP_PORT", str(port))
    monkeypatch.setenv("JOBOS_SMTP_TLS", "off")
    monkeypatch.setenv("JOBOS_SMTP_FROM", "alerts@jobos.test")
    yield inbox
    controller.stop()


def test_new_changed_and_closed_jobs_are_mailed_once(app, smtp):
    store = app.extensions["jobos_store"]
    client = app.test_client()
    ada = signed_in(client, "ada@example.org")
    before = sample_jobs(1, board="greenhouse:old")
    before[0].update(title="Python Developer (old)", country="DE")
    store.upsert_jobs(before)  # there before the search was saved: no alert
    search = client.post("/api/alerts/searches", headers=ada, json={
        "name": "Python DE", "query": {"q": "python", "country": "DE"},
        "email": "ada@example.org", "email_mode": "immediate"}).get_json()
    jobs = _jobs()
    store.upsert_jobs(jobs)
    _send()
    assert len(smtp.messages) == 1
    rcpt, msg = smtp.messages[0]
    assert rcpt == ["ada@example.org"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "New: Python Developer <script>alert(1)</script> at Acme Robotics" in text
    assert "New: Python Data Engineer" in text
    assert "Designer" not in text and "(old)" not in text and text.count("New:") == 2
    assert "<script>" not in html and "&lt;script&gt;" in html
    # Sent once: a second run finds nothing new and sends nothing.
    _send()
    assert len(smtp.messages) == 1
    # A title change and a closing are alerts too, each once.
    changed = [dict(jobs[1], title="Senior Python Data Engineer")]
    store.upsert_jobs(changed)
    store.close_missing("greenhouse:acme", {j["external_id"] for j in jobs} - {jobs[0]["external_id"]})
    _send()
    _send()
    assert len(smtp.messages) == 2
    text = smtp.messages[1][1].get_body(("plain",)).get_content()
    assert ("Changed: Senior Python Data Engineer at Acme Robotics (Berlin, Germany) [title]"
            " (was: Python Data Engineer)") in text
    assert "Closed: Python Developer <script>" in text
    # Listed again after closing: news like a new job, once.
    store.upsert_jobs([jobs[0]])
    _send()
    _send()
    assert len(smtp.messages) == 3
    assert "New: Python Developer <script>" in smtp.messages[2][1].get_body(("plain",)).get_content()
    # The unsubscribe link works without signing in, and stops the mails.
    link = msg["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://jobos.test/api/alerts/unsubscribe/")
    resp = app.test_client().get(link.removeprefix("http://jobos.test"))  # signed out
    assert resp.status_code == 200 and resp.get_json()["unsubscribed"] is True
    assert store.get_saved_search(search["id"])["email_mode"] == "off"
    assert_error_shape(client.get(link.removeprefix("http://jobos.test")[:-3] + "xyz"), 404)
    # "New since your last visit" on the search's alerts.
    page = client.get(f"/api/alerts/searches/{search['id']}/events", headers=ada).get_json()
    assert page["new_since_last_visit"] == 5 and len(page["items"]) == 5
    assert {e["change"] for e in page["items"]} == {"new", "changed", "closed"}
    page = client.get(f"/api/alerts/searches/{search['id']}/events", headers=ada).get_json()
    assert page["new_since_last_visit"] == 0


def test_two_workers_at_once_send_each_alert_once(app, smtp):
    store = app.extensions["jobos_store"]
    client = app.test_client()
    client.post("/api/alerts/searches", headers=signed_in(client, "ada@example.org"), json={
        "name": "Python DE", "query": {"q": "python", "country": "DE"},
        "email": "ada@example.org", "email_mode": "immediate"})
    store.upsert_jobs(_jobs())
    threads = [threading.Thread(target=_send) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bodies = [m.get_body(("plain",)).get_content() for _, m in smtp.messages]
    assert sum(b.count("New:") for b in bodies) == 2
    assert store.delivery_counts() == {"email/sent": 2}


def test_a_claim_is_held_by_one_worker_until_its_lease_ends(app):
    from datetime import timedelta

    from jobos.alerts.events import compute_events

    store = app.extensions["jobos_store"]
    _hook_search(store, "https://hooks.example.org/x")
    store.upsert_jobs(_jobs()[:2])
    assert compute_events(store) == 2 and compute_events(store) == 0
    first = store.claim_deliveries("webhook", "worker-a", timedelta(minutes=5))
    assert len(first) == 2 and store.claim_deliveries("webhook", "worker-b", timedelta(minutes=5)) == []
    # worker-a died holding an expired lease: worker-b takes the deliveries over.
    with store._write() as cur:
        cur.execute("UPDATE alert_deliveries SET claimed_until = %s", [store._ts_in(
            __import__("datetime").datetime(2000, 1, 1, tzinfo=__import__("datetime").timezone.utc))])
    assert len(store.claim_deliveries("webhook", "worker-b", timedelta(minutes=5))) == 2
    assert store.claim_deliveries("webhook", "worker-a", timedelta(minutes=5)) == []


def test_daily_digest_waits_for_its_day(app, smtp):
    store = app.extensions["jobos_store"]
    client = app.test_client()
    ada = signed_in(client, "ada@example.org")
    search = client.post("/api/alerts/searches", headers=ada, json={
        "name": "Python DE", "query": {"q": "python", "country": "DE"},
        "email": "ada@example.org", "email_mode": "daily"}).get_json()
    store.upsert_jobs(_jobs())
    _send()
    assert smtp.messages == []
    assert store.delivery_counts() == {"email/pending": 2}
    # A day later (the due time moved back), one digest carries both.
    with store._write() as cur:
        cur.execute("UPDATE alert_deliveries SET next_attempt_at = %s", [store._ts_in(
            __import__("datetime").datetime(2000, 1, 1, tzinfo=__import__("datetime").timezone.utc))])
    _send()
    assert len(smtp.messages) == 1 and smtp.messages[0][1].get_body(("plain",)).get_content().count("New:") == 2
    assert store.get_saved_search(search["id"])["last_digest_at"] is not None


# ---- webhook ---------------------------------------------------------------------------------

class _Receiver:
    """An HTTP server on 127.0.0.1 answering POSTs with the statuses given, then 200."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.requests = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append((self.path, dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if status in (301, 302, 307, 308):
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def _hook_search(store, url):
    user = store.get_user_by_email("ada@example.org")
    return store.create_saved_search(user["id"], "company", "Acme", {"company": "Acme Robotics"}, webhook_url=url)


def test_webhook_is_signed_retried_after_a_500_and_sent_once(app, monkeypatch):
    monkeypatch.setenv("JOBOS_ALLOW_PRIVATE", "1")  # the receiver is on the loopback address
    monkeypatch.setenv("JOBOS_WEBHOOK_BACKOFF", "0")
    receiver = _Receiver([500])
    try:
        store = app.extensions["jobos_store"]
        search = _hook_search(store, f"http://127.0.0.1:{receiver.port}/hook?x=1")
        jobs = _jobs()[:1]
        store.upsert_jobs(jobs)
        _send()
        assert len(receiver.requests) == 1  # answered 500
        assert store.delivery_counts() == {"webhook/pending": 1}
        _send()
        assert len(receiver.requests) == 2  # the retry, answered 200
        _send()
        assert len(receiver.requests) == 2 and store.delivery_counts() == {"webhook/sent": 1}
        path, headers, body = receiver.requests[1]
        assert path == "/hook?x=1" and headers["Content-Type"] == "application/json"
        expected = hmac.new(search["webhook_secret"].encode(),
                            headers["X-JobOS-Timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
        assert headers["X-JobOS-Signature"] == "sha256=" + expected
        assert headers["X-JobOS-Delivery"] == receiver.requests[0][1]["X-JobOS-Delivery"]
        payload = json.loads(body)
        assert payload["change"] == "new" and payload["job"]["title"] == jobs[0]["title"]
        assert payload["saved_search"] == {"id": search["id"], "name": "Acme"}
    finally:
        receiver.stop()


def test_webhook_redirect_is_not_followed_and_failures_disable_it(app, monkeypatch):
    monkeypatch.setenv("JOBOS_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("JOBOS_WEBHOOK_BACKOFF", "0")
    monkeypatch.setenv("JOBOS_WEBHOOK_MAX_FAILURES", "2")
    receiver = _Receiver([302, 500, 500, 500])
    try:
        store = app.extensions["jobos_store"]
        search = _hook_search(store, f"http://127.0.0.1:{receiver.port}/hook")
        store.upsert_jobs(_jobs())
        _send()
        _send()
        paths = [r[0] for r in receiver.requests]
        assert "/elsewhere" not in paths and paths[0] == "/hook"
        assert store.get_saved_search(search["id"])["webhook_disabled"] is True
        seen = len(receiver.requests)
        _send()
        assert len(receiver.requests) == seen  # nothing more goes to a disabled webhook
        assert store.delivery_counts().get("webhook/sent", 0) == 0
    finally:
        receiver.stop()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "10.0.0.1", "169.254.169.254", "hooks.example.test"])
def test_webhook_to_loopback_or_private_address_is_refused(app, host, capsys, monkeypatch):
    # A name is resolved and its addresses checked: this one answers the loopback address, where
    # the receiver listens, so a delivery that skipped the check would arrive.
    from jobos.alerts import webhook

    real = webhook.system_resolver
    monkeypatch.setattr(webhook, "system_resolver",
                        lambda name: ["127.0.0.1"] if name == "hooks.example.test" else real(name))
    receiver = _Receiver()
    try:
        store = app.extensions["jobos_store"]
        _hook_search(store, f"http://{host}:{receiver.port}/hook")
        store.upsert_jobs(_jobs()[:1])
        _send()
        stats = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        assert stats["webhook_refused"] == 1 and stats.get("webhook_sent", 0) == 0
        assert receiver.requests == []
        assert store.delivery_counts() == {"webhook/pending": 1}
    finally:
        receiver.stop()


# ---- Atom feed -------------------------------------------------------------------------------

def test_atom_feed_at_its_secret_url(app):
    store = app.extensions["jobos_store"]
    client = app.test_client()
    ada = signed_in(client, "ada@example.org")
    search = client.post("/api/alerts/searches", headers=ada, json={
        "name": "Python <DE>", "query": {"q": "python", "country": "DE"}}).get_json()
    store.upsert_jobs(_jobs())
    _send()
    feed_path = search["feed_url"].removeprefix("http://localhost")
    resp = app.test_client().get(feed_path)  # signed out: the URL is the secret
    assert resp.status_code == 200 and resp.mimetype == "application/atom+xml"
    assert b"<script>" not in resp.data
    parsed = feedparser.parse(resp.data)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.title == "JobOS: Python <DE>"
    titles = sorted(e.title for e in parsed.entries)
    assert titles == ["New: Python Data Engineer at Acme Robotics (Berlin, Germany)",
                      "New: Python Developer <script>alert(1)</script> at Acme Robotics (Berlin, Germany)"]
    assert {e.link for e in parsed.entries} == {j["url"] for j in _jobs()[:2]}
    assert_error_shape(client.get(feed_path[:-4] + "zzzz"), 404)


def test_the_webhook_key_is_shown_once_and_a_new_address_gets_a_new_key(app):
    store = app.extensions["jobos_store"]
    client = app.test_client()
    ada = signed_in(client, "ada@example.org")
    created = client.post("/api/alerts/searches", headers=ada, json={
        "name": "Python", "query": {"q": "python"}, "webhook_url": "https://hooks.example.org/a"}).get_json()
    first = created["webhook_secret"]
    assert first and first == store.get_saved_search(created["id"])["webhook_secret"]
    url = f"/api/alerts/searches/{created['id']}"
    assert client.get(url, headers=ada).get_json()["webhook_secret"] is None
    assert all(s["webhook_secret"] is None for s in client.get("/api/alerts/searches", headers=ada).get_json()["items"])
    same = client.patch(url, headers=ada, json={"webhook_url": "https://hooks.example.org/a"}).get_json()
    assert same["webhook_secret"] is None and store.get_saved_search(created["id"])["webhook_secret"] == first
    moved = client.patch(url, headers=ada, json={"webhook_url": "https://hooks.example.org/b"}).get_json()
    assert moved["webhook_secret"] not in (None, first)
    assert moved["webhook_secret"] == store.get_saved_search(created["id"])["webhook_secret"]

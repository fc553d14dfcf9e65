"""Resumes through the API: type by content, limits against bombs, the owner's and admins' only,
deleted with their text; open jobs ranked for one (BM25) with the shared terms."""
from __future__ import annotations

import io
import zipfile

import pytest

from api.testing import add_user, assert_error_shape, sample_jobs
from tests.apptest import close_app, make_app, signed_in
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures

RESUME = ("Ada Lovelace. Python developer: Django, PostgreSQL, robotics with ROS. "
          "Seven years building data pipelines in Berlin.")


def make_pdf(text: str, pages: int = 1) -> bytes:
    """Return a small valid PDF whose pages show the text (written by hand: offsets computed)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    font = 3 + 2 * pages
    for i in range(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R"
                       f" /Resources << /Font << /F1 {font} 0 R >> >> >>".encode())
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.fixture()
def app(store_backend, tmp_path, monkeypatch):
    app = make_app(tmp_path, store_backend["database_url"])
    store = app.extensions["jobos_store"]
    for email, role in (("ada@example.org", "user"), ("bob@example.org", "user"), ("root@example.org", "admin")):
        add_user(store, email, role)
    yield app
    close_app(app)


def _upload(client, headers, content: bytes, name: str = "cv.pdf"):
    return client.post("/api/resumes", headers=headers, data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_pdf_docx_and_text_are_read_by_content(app):
    client = app.test_client()
    ada = signed_in(client, "ada@example.org")
    for content, name, media_type in ((make_pdf(RESUME), "cv.txt", "application/pdf"),
                                      (make_docx(RESUME), "cv.pdf", "application/vnd.openxmlformats-officedocument"
                                                                    ".wordprocessingml.document"),
                                      (RESUME.encode(), "cv.docx", "text/plain")):
        resp = _upload(client, ada, content, name)  # the name lies each time: the content decides
        assert resp.status_code == 201, resp.get_json()
        assert resp.get_json()["media_type"] == media_type
        text = client.get(f"/api/resumes/{resp.get_json()['id']}", headers=ada).get_json()["text"]
        assert "Python developer" in text and "ROS" in text


def test_bad_uploads_are_refused_with_a_sentence(app, monkeypatch):
    client = app.test_client()
    ada = signed_in(client, "ada@example.org")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    err = assert_error_shape(_upload(client, ada, png, "cv.pdf"), 422)
    assert "PDF, DOCX and plain-text" in err["message"]
    # A zip bomb dressed as a DOCX: small on disk, hundreds of MB unpacked.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\x00" * (200 * 1024 * 1024))
    assert len(buf.getvalue()) < 1024 * 1024
    err = assert_error_shape(_upload(client, ada, buf.getvalue(), "cv.docx"), 422)
    assert "30 MB" in err["message"]
    # A PDF whose one content stream inflates to 100 MB.
    import zlib

    stream = zlib.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET " + b" " * (100 * 1024 * 1024), 9)
    bomb = make_pdf("x").replace(b"<< /Length 32 >>\nstream\nBT /F1 12 Tf 72 720 Td (x) Tj ET\nendstream",
                                 b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
                                 + b"\nendstream")
    assert b"FlateDecode" in bomb and len(bomb) < 1024 * 1024
    err = assert_error_shape(_upload(client, ada, bomb), 422)
    assert "unpacks" in err["message"]
    assert_error_shape(_upload(client, ada, b"%PDF-1.4\n garbage"), 422)
    err = assert_error_shape(_upload(client, ada, make_pdf("page", pages=31)), 422)
    assert "31 pages" in err["message"]
    monkeypatch.setenv("JOBOS_RESUME_MAX_BYTES", "1000")
    assert_error_shape(_upload(client, ada, b"x" * 2000, "cv.txt"), 413)
    monkeypatch.delenv("JOBOS_RESUME_MAX_BYTES")
    assert_error_shape(client.post("/api/resumes", headers=ada, json={"file": "x"}), 415)
    assert_error_shape(_upload(client, ada, b"", "cv.txt"), 422)
    assert client.get("/api/resumes", headers=ada).get_json()["items"] == []


def test_a_resume_is_its_owners_and_admins_and_deleted_with_its_text(app):
    client = app.test_client()
    ada, bob, root = (signed_in(client, e) for e in ("ada@example.org", "bob@example.org", "root@example.org"))
    resume = _upload(client, ada, RESUME.encode(), "cv.txt").get_json()
    rid = resume["id"]
    for method, path in (("get", ""), ("get", "/matches"), ("delete", "")):
        assert_error_shape(getattr(client, method)(f"/api/resumes/{rid}{path}", headers=bob), 404)
    assert client.get("/api/resumes", headers=bob).get_json()["items"] == []
    assert_error_shape(app.test_client().get(f"/api/resumes/{rid}"), 401)
    assert client.get(f"/api/resumes/{rid}", headers=root).get_json()["text"].startswith("Ada Lovelace")
    assert client.delete(f"/api/resumes/{rid}", headers=ada).status_code == 204
    assert_error_shape(client.get(f"/api/resumes/{rid}", headers=ada), 404)
    store = app.extensions["jobos_store"]
    with store._read() as cur:
        cur.execute("SELECT count(*) AS n FROM resumes")
        assert cur.fetchone()["n"] == 0


def test_matches_rank_fitting_jobs_first_and_say_why(app):
    store = app.extensions["jobos_store"]
    jobs = sample_jobs(4)
    jobs[0].update(title="Python Developer", country="DE", description="Django and PostgreSQL, data pipelines.")
    jobs[1].update(title="Robotics Engineer", country="DE", description="ROS and C++ for robotics.")
    jobs[2].update(title="Graphic Designer", country="DE", description="Figma, typography, branding.")
    jobs[3].update(title="Python Developer", country="US", description="Django and PostgreSQL.")
    store.upsert_jobs(jobs)
    store.close_missing("greenhouse:acme", {j["external_id"] for j in jobs[1:]})  # the first closes
    client = app.test_client()
    ada = signed_in(client, "ada@example.org")
    rid = _upload(client, ada, RESUME.encode(), "cv.txt").get_json()["id"]
    items = client.get(f"/api/resumes/{rid}/matches?country=DE", headers=ada).get_json()["items"]
    assert [i["title"] for i in items] == ["Robotics Engineer"]  # the closed one and the US one are out
    assert {"robotics", "ros"} <= set(items[0]["explanation"]["shared_terms"])
    assert items[0]["explanation"]["in_title"] == ["robotics"]
    items = client.get(f"/api/resumes/{rid}/matches", headers=ada).get_json()["items"]
    assert items[0]["title"] == "Python Developer" and items[0]["country"] == "US"
    assert {"python", "django", "postgresql"} <= set(items[0]["explanation"]["shared_terms"])
    assert "Graphic Designer" not in [i["title"] for i in items]
    # Within a saved search of one's own (another user's is a 404).
    user = store.get_user_by_email("ada@example.org")
    search = store.create_saved_search(user["id"], "search", "robots", {"q": "ros"})
    items = client.get(f"/api/resumes/{rid}/matches?search_id={search['id']}", headers=ada).get_json()["items"]
    assert [i["title"] for i in items] == ["Robotics Engineer"]
    bob = signed_in(client, "bob@example.org")
    bob_rid = _upload(client, bob, RESUME.encode(), "cv.txt").get_json()["id"]
    assert_error_shape(client.get(f"/api/resumes/{bob_rid}/matches?search_id={search['id']}", headers=bob), 404)


@pytest.mark.parametrize("title, level", [
    ("Senior Backend Engineer", "senior"), ("Werkstudent Data Analytics (m/w/d)", "intern"),
    ("Junior Frontend Developer", "junior"), ("Team Lead Platform", "lead"),
    ("Senior Lead Designer", "lead"), ("Python Developer", None), ("Principal Cloud Architect", "lead"),
])
def test_the_title_says_the_jobs_seniority(title, level):
    from jobos.resumes.match import title_level

    assert title_level(title) == level


@pytest.mark.parametrize("text, level", [
    ("Python developer with 3 years of experience", "mid"),
    ("12+ years building payment systems", "lead"),
    ("Graduate in computer science looking for a junior position", "junior"),
    ("Senior engineer at Acme; before that junior developer", "senior"),
    ("I like robots", None),
])
def test_a_resume_reads_as_a_level(text, level):
    from jobos.resumes.match import resume_level

    assert resume_level(text) == level


def test_a_match_says_how_its_place_and_level_fit():
    from jobos.resumes.match import rank

    jobs = [
        {"id": 1, "title": "Senior Python Developer", "description": "Python", "location": "Munich, Germany",
         "country": "DE", "workplace": "onsite"},
        {"id": 2, "title": "Python Developer", "description": "Python", "location": "Berlin", "country": "DE"},
        {"id": 3, "title": "Junior Python Developer", "description": "Python", "location": "Paris, France",
         "country": "FR", "workplace": "onsite"},
        {"id": 4, "title": "Python Lead", "description": "Python", "location": "Anywhere", "country": "US",
         "workplace": "remote"},
    ]
    resume = "Python developer from Berlin, Germany. 6 years of Python."
    why = {m["job_id"]: m["explanation"] for m in rank(resume, jobs, limit=10)}
    assert why[1]["resume_level"] == "senior"
    assert (why[1]["seniority"], why[1]["location"]) == ("same", "same country")
    assert (why[2]["job_level"], why[2]["seniority"], why[2]["location"]) == ("mid", "job below", "same city")
    assert (why[3]["seniority"], why[3]["location"]) == ("job below", "elsewhere")
    assert (why[4]["seniority"], why[4]["location"]) == ("job above", "remote")
    unknown = rank("Python", jobs[:1], limit=1)[0]["explanation"]
    assert (unknown["seniority"], unknown["location"]) == (None, "unknown")


def test_the_api_takes_a_resume_larger_than_a_json_body(app):
    client = app.test_client()
    big = b"Python developer. " * 120_000  # about 2 MB, over the app's 1 MB body limit
    assert len(big) > app.config["MAX_CONTENT_LENGTH"]
    resp = _upload(client, signed_in(client, "ada@example.org"), big, "cv.txt")
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["size"] == len(big)

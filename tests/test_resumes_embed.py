"""The optional semantic matching: the packaged all-MiniLM-L6-v2 (int8 ONNX on onnxruntime), job
vectors written once at upsert when JOBOS_EMBEDDINGS is on (again only when a job's text changes),
and the hybrid ranker of the resume matches. Needs requirements-embed.txt (part of the test
requirements)."""
from __future__ import annotations

import io

import pytest

from api.testing import sample_jobs
from jobos.resumes import embed
from tests.apptest import bearer, close_app, make_app
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(not embed.available(), reason="requirements-embed.txt is not installed")


def test_the_model_puts_similar_texts_closer_than_unrelated_ones():
    vectors = embed.shared().embed([
        "Backend developer: Python, Django and PostgreSQL",
        "Senior Python engineer for our Django web platform",
        "Hotel housekeeping: cleaning guest rooms on weekends",
    ])
    assert vectors.shape == (3, embed.DIMENSION)
    assert abs(float(vectors[0] @ vectors[0]) - 1.0) < 1e-4  # unit vectors: a dot is the cosine
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.3
    # A batch gives each text the vector it gets alone (padding does not leak into the mean).
    alone = embed.shared().embed(["Hotel housekeeping: cleaning guest rooms on weekends"])[0]
    assert float(alone @ vectors[2]) > 0.999


def test_rank_by_vectors_and_fusion():
    import numpy as np

    matrix = np.eye(4, dtype=np.float32)
    assert [i for i, _ in embed.rank_by_vectors(np.array([0, 0.2, 1, 0.5], dtype=np.float32),
                                                [10, 11, 12, 13], matrix, limit=3)] == [12, 13, 11]
    # An item second in both rankings beats items first in one and absent from the other.
    assert embed.fuse([[1, 2, 3], [4, 2, 5]], limit=2)[0] == 2


@pytest.fixture()
def store(store_backend):
    from jobos.store import open_store

    store = open_store(**store_backend)
    yield store
    store.close()


def _vector_rows(store) -> dict[int, tuple[str, bytes]]:
    with store._read() as cur:
        cur.execute("SELECT job_id, content_hash, vector FROM job_embeddings")
        return {r["job_id"]: (r["content_hash"], bytes(r["vector"])) for r in cur.fetchall()}


def test_jobs_are_embedded_once_at_upsert_and_again_when_their_text_changes(store, monkeypatch):
    store.upsert_jobs(sample_jobs(4, company="Old Corp", board="greenhouse:old"))
    assert _vector_rows(store) == {}  # off by default

    monkeypatch.setenv("JOBOS_EMBEDDINGS", "1")
    store.upsert_jobs(sample_jobs(6))  # only this batch's jobs are embedded at this upsert
    assert len(_vector_rows(store)) == 6
    assert store.embed_jobs() == 4 and len(_vector_rows(store)) == 10  # the backfill takes the rest
    before = _vector_rows(store)

    store.upsert_jobs(sample_jobs(6))  # nothing changed: nothing embedded again
    assert _vector_rows(store) == before and store.embed_jobs() == 0

    changed = sample_jobs(6)
    changed[0]["description"] = "Hotel housekeeping: cleaning rooms on weekends."
    store.upsert_jobs(changed)
    after = _vector_rows(store)
    job_id = next(j["id"] for j in store.search_jobs(status="all", limit=20)["items"]
                  if j["external_id"] == "1000" and j["company"] == "Acme Robotics")
    assert after[job_id] != before[job_id]
    assert {k: v for k, v in after.items() if k != job_id} == {k: v for k, v in before.items() if k != job_id}
    vectors = store.job_vectors([job_id, 999999])
    assert list(vectors) == [job_id] and vectors[job_id].shape == (embed.DIMENSION,)


def test_a_failing_embedder_loses_no_job(store, monkeypatch):
    monkeypatch.setenv("JOBOS_EMBEDDINGS", "1")

    def broken(*args, **kwargs):
        raise RuntimeError("the model crashed")

    monkeypatch.setattr(store, "embed_jobs", broken)
    result = store.upsert_jobs(sample_jobs(3))
    assert result.new == 3 and store.search_jobs(limit=10)["total"] in (3, "3")


def test_hybrid_matches_through_the_api(tmp_path, monkeypatch):
    monkeypatch.setenv("JOBOS_EMBEDDINGS", "1")
    app = make_app(tmp_path)
    store = app.extensions["jobos_store"]
    try:
        jobs = sample_jobs(6)
        jobs[1].update(title="Backend Developer", description="Django services and PostgreSQL. Python.")
        store.upsert_jobs(jobs)
        client = app.test_client()
        headers = bearer(client, store, "ada@example.org", "user")
        resume = client.post("/api/resumes", headers=headers, data={
            "file": (io.BytesIO(b"Python web developer: Django, PostgreSQL, REST APIs."), "cv.txt")},
            content_type="multipart/form-data").get_json()
        lexical = client.get(f"/api/resumes/{resume['id']}/matches", headers=headers).get_json()["items"]
        monkeypatch.setenv("JOBOS_MATCH_RANKER", "hybrid")
        hybrid = client.get(f"/api/resumes/{resume['id']}/matches", headers=headers).get_json()["items"]
        assert {m["job_id"] for m in hybrid} == {m["job_id"] for m in lexical}  # the same candidates
        assert hybrid[0]["title"] == "Backend Developer"  # first by both measures
        assert all(m["explanation"]["shared_terms"] for m in hybrid)
    finally:
        close_app(app)


def test_an_unknown_ranker_is_a_sentence(monkeypatch):
    monkeypatch.setenv("JOBOS_MATCH_RANKER", "magic")
    with pytest.raises(ValueError, match="JOBOS_MATCH_RANKER must be one of lexical, hybrid"):
        embed.ranker()
    monkeypatch.delenv("JOBOS_MATCH_RANKER")
    assert embed.ranker() == "lexical"


def test_jobos_resumes_embed_fills_in_the_missing_vectors(tmp_path, monkeypatch, capsys):
    import json

    from jobos.cli import main as jobos_main
    from jobos.store import open_store

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("JOBOS_DATA_DIR", str(tmp_path))
    with open_store() as store:
        store.upsert_jobs(sample_jobs(3))  # JOBOS_EMBEDDINGS off: no vector yet
    assert jobos_main(["resumes", "embed"]) == 0
    assert json.loads(capsys.readouterr().out) == {"embedded": 3}
    assert jobos_main(["resumes", "embed"]) == 0
    assert json.loads(capsys.readouterr().out) == {"embedded": 0}

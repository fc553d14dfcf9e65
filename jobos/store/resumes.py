"""Resumes: stored per user with their extracted text; open jobs read for matching."""
from __future__ import annotations

import logging
from typing import Any, Iterator

from jobos.store.common import utcnow

logger = logging.getLogger(__name__)

_META = "id, owner_id, filename, media_type, size, created_at"


class ResumesMixin:
    """Resumes: stored per user with their extracted text; open jobs read for matching."""

    def add_resume(self, owner_id: int, filename: str, media_type: str, content: bytes, text: str) -> dict:
        """Store a resume with its text; return its metadata."""
        with self._write() as cur:
            cur.execute(
                "INSERT INTO resumes (owner_id, filename, media_type, size, content, text, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
                [int(owner_id), filename, media_type, len(content), content, text, self._ts_in(utcnow())],
            )
            resume_id = int(cur.fetchone()["id"])
        return self.get_resume(resume_id)

    def get_resume(self, resume_id: int, owner_id: int | None = None, with_text: bool = False) -> dict | None:
        """Return a resume's metadata (and text) — only the owner's when owner_id is given."""
        cols = _META + (", text" if with_text else "")
        sql, params = f"SELECT {cols} FROM resumes WHERE id = %s", [int(resume_id)]
        if owner_id is not None:
            sql += " AND owner_id = %s"
            params.append(int(owner_id))
        with self._read() as cur:
            cur.execute(sql, params)
            row = cur.fetchone()
        return self._row_out(row, ts_fields=("created_at",)) if row else None

    def list_resumes(self, owner_id: int) -> list[dict]:
        with self._read() as cur:
            cur.execute(f"SELECT {_META} FROM resumes WHERE owner_id = %s ORDER BY id", [int(owner_id)])
            return [self._row_out(r, ts_fields=("created_at",)) for r in cur.fetchall()]

    def delete_resume(self, resume_id: int, owner_id: int | None = None) -> bool:
        """Delete a resume with its text; False when there is none (of that owner)."""
        sql, params = "DELETE FROM resumes WHERE id = %s", [int(resume_id)]
        if owner_id is not None:
            sql += " AND owner_id = %s"
            params.append(int(owner_id))
        with self._write() as cur:
            cur.execute(sql, params)
            return cur.rowcount > 0

    def candidate_jobs(self, words: list[str], country: str | None = None, limit: int = 1000) -> list[dict]:
        """Return up to `limit` open jobs holding any of the words, best first by the database's
        own full-text rank (FTS5 bm25 / ts_rank): the few a resume's ranking needs to read."""
        words = [w for w in dict.fromkeys(words) if w.isalnum()][:64]
        if not words:
            return []
        cols = ("j.id, j.title, j.company, j.location, j.country, j.workplace, j.employment_type, j.url,"
                " j.description")
        extra, params = "", []
        if country:
            extra = " AND j.country = %s"
            params.append(country.upper())
        with self._read() as cur:
            if self.dialect == "pg":
                query = " | ".join(words)
                cur.execute(
                    f"SELECT {cols} FROM jobs j, to_tsquery('simple', %s) q WHERE j.search @@ q"
                    f" AND j.status = 'open'{extra} ORDER BY ts_rank(j.search, q) DESC, j.id LIMIT %s",
                    [query, *params, int(limit)],
                )
            else:
                match = " OR ".join(f'"{w}"' for w in words)
                cur.execute(
                    f"SELECT {cols} FROM jobs_fts f JOIN jobs j ON j.id = f.rowid WHERE jobs_fts MATCH %s"
                    f" AND j.status = 'open'{extra} ORDER BY bm25(jobs_fts), j.id LIMIT %s",
                    [match, *params, int(limit)],
                )
            return [dict(r) for r in cur.fetchall()]

    def iter_open_jobs(self, country: str | None = None, batch: int = 2000) -> Iterator[dict]:
        """Yield open jobs (id, title, company, location, country, url, description), by id."""
        last = 0
        while True:
            sql = ("SELECT id, title, company, location, country, url, description FROM jobs"
                   " WHERE status = 'open' AND id > %s")
            params: list[Any] = [last]
            if country:
                sql += " AND country = %s"
                params.append(country.upper())
            with self._read() as cur:
                cur.execute(sql + " ORDER BY id LIMIT %s", [*params, batch])
                rows = cur.fetchall()
            if not rows:
                return
            yield from (dict(r) for r in rows)
            last = rows[-1]["id"]

    # ---- job embeddings (the optional semantic matching) -----------------------------------
    def embed_after_upsert(self, keys: list[tuple[str, str]]) -> None:
        """Embed an upserted batch's new and changed open jobs when JOBOS_EMBEDDINGS is on.

        A vector is never a reason to lose a crawl's jobs: the jobs are already committed, and
        any failure here is logged (jobs left without a vector are embedded by a later upsert
        of theirs or by embed_jobs())."""
        from jobos.resumes.embed import EmbeddingsUnavailable, enabled

        if not keys or not enabled():
            return
        try:
            self.embed_jobs(keys)
        except EmbeddingsUnavailable as exc:
            if not getattr(self, "_embed_warned", False):
                self._embed_warned = True
                logger.warning("JOBOS_EMBEDDINGS is on but %s", exc)
        except Exception:  # noqa: BLE001 - see the docstring
            logger.warning("store: embedding %d upserted jobs failed", len(keys), exc_info=True)

    def embed_jobs(self, keys: list[tuple[str, str]] | None = None, embedder: Any = None,
                   batch: int = 64) -> int:
        """Embed the open jobs (of these (board, external_id) keys, or every one) whose vector is
        missing, of another model, or older than their text; return how many were embedded."""
        from jobos.resumes.embed import MODEL_ID, job_text, shared

        embedder = embedder or shared()
        stale = ("SELECT j.id, j.title, j.description, j.content_hash FROM jobs j"
                 " LEFT JOIN job_embeddings e ON e.job_id = j.id WHERE j.status = 'open'"
                 " AND (e.job_id IS NULL OR e.content_hash <> j.content_hash OR e.model <> %s)")
        rows: list[dict] = []
        with self._read() as cur:
            if keys is None:
                cur.execute(stale + " ORDER BY j.id", [MODEL_ID])
                rows = [dict(r) for r in cur.fetchall()]
            else:
                by_board: dict[str, list[str]] = {}
                for board, external_id in keys:
                    by_board.setdefault(board, []).append(external_id)
                for board, ids in by_board.items():
                    for start in range(0, len(ids), 500):
                        part = ids[start:start + 500]
                        cur.execute(stale + f" AND j.board = %s AND j.external_id IN ({', '.join(['%s'] * len(part))})",
                                    [MODEL_ID, board, *part])
                        rows += [dict(r) for r in cur.fetchall()]
        for start in range(0, len(rows), batch):
            part = rows[start:start + batch]
            vectors = embedder.embed([job_text(r) for r in part])
            now = self._ts_in(utcnow())
            with self._write() as cur:
                cur.executemany(
                    "INSERT INTO job_embeddings (job_id, model, content_hash, vector, created_at)"
                    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (job_id) DO UPDATE SET model = excluded.model,"
                    " content_hash = excluded.content_hash, vector = excluded.vector, created_at = excluded.created_at",
                    [(r["id"], MODEL_ID, r["content_hash"], vectors[i].astype("<f4").tobytes(), now)
                     for i, r in enumerate(part)],
                )
        return len(rows)

    def job_vectors(self, job_ids: list[int]) -> dict[int, Any]:
        """Return {job id: unit vector} of the jobs that have one of the current model."""
        import numpy as np

        from jobos.resumes.embed import MODEL_ID

        out: dict[int, Any] = {}
        ids = [int(i) for i in dict.fromkeys(job_ids)]
        with self._read() as cur:
            for start in range(0, len(ids), 500):
                part = ids[start:start + 500]
                cur.execute(f"SELECT job_id, vector FROM job_embeddings WHERE model = %s"
                            f" AND job_id IN ({', '.join(['%s'] * len(part))})", [MODEL_ID, *part])
                for row in cur.fetchall():
                    out[int(row["job_id"])] = np.frombuffer(bytes(row["vector"]), dtype="<f4")
        return out

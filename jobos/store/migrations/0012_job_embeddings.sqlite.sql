-- Job embeddings for the optional semantic matching (JOBOS_EMBEDDINGS=1; SQLite; twin of
-- 0012_job_embeddings.pg.sql): one unit vector per job (384 float32, little-endian) with the
-- model and the job's content_hash it was computed from, so a job is embedded once and again
-- only when its text changed. Deleting a job deletes its vector.
CREATE TABLE job_embeddings (
    job_id INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    created_at TEXT NOT NULL
);

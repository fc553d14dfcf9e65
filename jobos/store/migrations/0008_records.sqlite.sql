-- Records that hold on real data. See the .pg.sql twin. SQLite's FTS5 has no per-row stemming
-- language (its porter tokenizer is English only), so full-text search stays unstemmed here;
-- the language filter works the same on both backends.
ALTER TABLE jobs ADD COLUMN location_display TEXT;
ALTER TABLE jobs ADD COLUMN remote_scope TEXT;
ALTER TABLE jobs ADD COLUMN salary_min_yearly REAL;
ALTER TABLE jobs ADD COLUMN salary_max_yearly REAL;
ALTER TABLE jobs ADD COLUMN language TEXT;
ALTER TABLE jobs ADD COLUMN duplicate_of INTEGER REFERENCES jobs (id) ON DELETE SET NULL;
CREATE INDEX jobs_language_idx ON jobs (language);
CREATE INDEX jobs_duplicate_of_idx ON jobs (duplicate_of) WHERE duplicate_of IS NOT NULL;

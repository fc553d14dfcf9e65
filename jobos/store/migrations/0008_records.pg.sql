-- Records that hold on real data. New contract fields: the display form of the place, a remote
-- job's reach, yearly pay, the posting's language. duplicate_of links the same job found on
-- another board of the same company (lists show it once). Full-text search adds the posting's
-- own language's stemmed lexemes next to the 'simple' ones, so a search in that language
-- finds "engineers" under "engineer" (jobs_regconfig maps ISO 639-1 to a text search config).
ALTER TABLE jobs
    ADD COLUMN location_display text,
    ADD COLUMN remote_scope text,
    ADD COLUMN salary_min_yearly double precision,
    ADD COLUMN salary_max_yearly double precision,
    ADD COLUMN language text,
    ADD COLUMN duplicate_of bigint REFERENCES jobs (id) ON DELETE SET NULL;

CREATE INDEX jobs_language_idx ON jobs (language);
CREATE INDEX jobs_duplicate_of_idx ON jobs (duplicate_of) WHERE duplicate_of IS NOT NULL;

CREATE FUNCTION jobs_regconfig(lang text) RETURNS regconfig LANGUAGE sql IMMUTABLE AS $$
    SELECT (CASE lang
        WHEN 'ar' THEN 'arabic' WHEN 'da' THEN 'danish' WHEN 'de' THEN 'german'
        WHEN 'el' THEN 'greek' WHEN 'en' THEN 'english' WHEN 'es' THEN 'spanish'
        WHEN 'fi' THEN 'finnish' WHEN 'fr' THEN 'french' WHEN 'hu' THEN 'hungarian'
        WHEN 'id' THEN 'indonesian' WHEN 'it' THEN 'italian' WHEN 'lt' THEN 'lithuanian'
        WHEN 'nb' THEN 'norwegian' WHEN 'no' THEN 'norwegian' WHEN 'nl' THEN 'dutch'
        WHEN 'pt' THEN 'portuguese' WHEN 'ro' THEN 'romanian' WHEN 'ru' THEN 'russian'
        WHEN 'sv' THEN 'swedish' WHEN 'tr' THEN 'turkish'
        ELSE 'simple' END)::regconfig
$$;

CREATE OR REPLACE FUNCTION jobs_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cfg regconfig := jobs_regconfig(NEW.language);
BEGIN
    NEW.search := setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A')
               || setweight(to_tsvector('simple', coalesce(NEW.description, '')), 'B');
    IF cfg <> 'simple'::regconfig THEN
        NEW.search := NEW.search
               || setweight(to_tsvector(cfg, coalesce(NEW.title, '')), 'A')
               || setweight(to_tsvector(cfg, coalesce(NEW.description, '')), 'B');
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER jobs_search_trigger ON jobs;
CREATE TRIGGER jobs_search_trigger BEFORE INSERT OR UPDATE OF title, description, language ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_search_update();

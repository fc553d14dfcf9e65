-- Upserts of changed jobs compute the search vector in their own statement
-- (PostgresStore._merge_jobs) with the same function the trigger uses; the trigger then stands
-- back. It still fills in the vector for any other writer: on INSERT when none was
-- given, on UPDATE when title, description or language changed and the vector did not. Before,
-- it fired for every row an UPDATE listed those columns for, changed or not.
CREATE FUNCTION jobs_search_of(title text, description text, language text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    cfg regconfig := jobs_regconfig(language);  -- once: the name lookup costs as much as a title
    search tsvector := setweight(to_tsvector('simple', coalesce(title, '')), 'A')
                    || setweight(to_tsvector('simple', coalesce(description, '')), 'B');
BEGIN
    IF cfg <> 'simple'::regconfig THEN
        search := search
            || setweight(to_tsvector(cfg, coalesce(title, '')), 'A')
            || setweight(to_tsvector(cfg, coalesce(description, '')), 'B');
    END IF;
    RETURN search;
END
$$;

CREATE OR REPLACE FUNCTION jobs_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := jobs_search_of(NEW.title, NEW.description, NEW.language);
    RETURN NEW;
END
$$;

DROP TRIGGER jobs_search_trigger ON jobs;
CREATE TRIGGER jobs_search_insert_trigger BEFORE INSERT ON jobs
    FOR EACH ROW WHEN (NEW.search IS NULL) EXECUTE FUNCTION jobs_search_update();
CREATE TRIGGER jobs_search_trigger BEFORE UPDATE OF title, description, language ON jobs
    FOR EACH ROW WHEN (NEW.search IS NOT DISTINCT FROM OLD.search
        AND (NEW.title, NEW.description, NEW.language) IS DISTINCT FROM (OLD.title, OLD.description, OLD.language))
    EXECUTE FUNCTION jobs_search_update();

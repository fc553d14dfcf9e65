"""Job search: full text and filters, a capped total, keyset (cursor) pages."""
from __future__ import annotations

import base64
import json
import math
import time
from datetime import date, datetime
from typing import Any

from jobos.store import records
from jobos.store.names import normalize_company
from jobos.store.common import TOTAL_CAP, MAX_LIMIT, SORTS, InvalidCursor, iso_ts, search_words


class SearchMixin:
    """search_jobs and its helpers (the page's columns, the capped count, cursors)."""

    def search_jobs(self, q: str | None = None, company: str | None = None,
                    country: str | None = None, workplace: str | None = None,
                    employment_type: str | None = None, posted_since: Any = None,
                    status: str | None = "open", sort: str = "posted_at", order: str = "desc",
                    cursor: str | None = None, limit: int = 50,
                    company_id: int | None = None, language: str | None = None,
                    unknown_country: bool = True, include_duplicates: bool = False) -> dict:
        """Return {items, total, next_cursor}: one page of matching jobs, newest first by default.

        total is exact up to TOTAL_CAP (1,000) and the string '1000+' beyond; next_cursor is None on the
        last page. status None or 'all' matches open and closed jobs. With country, jobs whose
        country is unknown are included unless unknown_country is False (as the crawl's country
        filter does). language keeps postings in that ISO 639-1 language, and on Postgres the
        words of q are then stemmed in it. A job found again on another board of its company
        (duplicate_of an open job) is left out unless include_duplicates.
        """
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        if order not in ("asc", "desc"):
            raise ValueError("order must be asc or desc")
        limit = max(1, min(int(limit), MAX_LIMIT))
        where, params = [], []
        words = search_words(q)
        lang = language.strip().lower() if isinstance(language, str) and language.strip() else None
        if lang:
            where.append("j.language = %s")
            params.append(lang)
        if not include_duplicates:
            # A scalar subquery, not NOT EXISTS: the planner turned that into a hash of every
            # open job's id (800,000 at 1,000,000 jobs, half a second) whenever work_mem held it.
            where.append("(j.duplicate_of IS NULL OR (SELECT c.status FROM jobs c"
                         " WHERE c.id = j.duplicate_of) IS DISTINCT FROM 'open')")
        if company:
            where.append("j.company_norm = %s")
            params.append(normalize_company(company))
        if company_id is not None:
            where.append("j.company_id = %s")
            params.append(int(company_id))
        if country:
            # coalesce(country, ''), as the full-text index holds it (migration 0014): an unknown
            # country is then a value the index finds, not a condition each row is read for.
            # On Postgres a one-element array (0021): "this country or unknown" is then one
            # overlap that one index scan answers, not two scans ORed.
            wanted = [country.upper(), ""] if unknown_country else [country.upper()]
            if self.dialect == "pg":
                where.append("ARRAY[coalesce(j.country, '')] && %s::text[]")
                params.append(wanted)
            elif unknown_country:
                where.append("(coalesce(j.country, '') = %s OR coalesce(j.country, '') = '')")
                params.append(wanted[0])
            else:
                where.append("coalesce(j.country, '') = %s")
                params.append(wanted[0])
        for column, value in (("workplace", workplace), ("employment_type", employment_type)):
            if value:
                where.append(f"j.{column} = %s")
                params.append(value.upper() if column in ("country", "employment_type") else value.lower())
        if posted_since:
            since = posted_since.isoformat()[:10] if isinstance(posted_since, (date, datetime)) else str(posted_since)[:10]
            # The date sort's own expression (equal here: the stand-in for no date is before
            # any since), so walking the date index stops at the since day.
            # A placeholder: the date index's own expression where a page walks that index (it
            # then starts or stops at the since day), an expression no index holds where the
            # matches come from the full-text index (_SINCE).
            where.append("{since} >= %s")
            params.append(self._date_in(date.fromisoformat(since).isoformat()))
        if status and status != "all":
            if status not in ("open", "closed"):
                raise ValueError("status must be open, closed or all")
            where.append("j.status = %s")
            params.append(status)
        elif self.dialect == "pg":
            # Always true (status is open or closed), but it lets the planner read the two
            # per-status full-text indexes (migration 0014) instead of none.
            where.append("(j.status = 'open' OR j.status = 'closed')")
        if words:
            # Last, so SQLite and a planner that keeps the written order check the cheap
            # filters before reading the tsvector (often out of line, in TOAST). Postgres
            # orders conditions by its own cost figures and may still check it first.
            if lang and self.dialect == "pg":
                # The row's search vector holds its language's stems too (migration *_records).
                clause, p = "j.search @@ plainto_tsquery(jobs_regconfig(%s), %s)", [lang, " ".join(words)]
            else:
                clause, p = self._fts_clause(words)
            where.append(clause)
            params += p
        joined = " AND ".join(where) if where else "1=1"
        indexed_since = "COALESCE(j.posted_at, '0001-01-01')"
        expr, kind = SORTS[sort]
        if sort == "posted_at":  # undated jobs last in both directions (a non-null key keeps cursors working)
            expr = f"COALESCE(j.posted_at, '{'0001-01-01' if order == 'desc' else '9999-12-31'}')"
        cursor_sql, cursor_params = "", []
        if cursor:
            value, last_id = self._decode_cursor(cursor, sort, order)
            op = "<" if order == "desc" else ">"
            cursor_sql = f" AND ({{sort}}, {{id}}) {op} (%s, %s)"
            cursor_params = [self._cursor_value_in(kind, value), last_id]
        direction = "DESC" if order == "desc" else "ASC"
        pg = self.dialect == "pg"
        with self._read() as cur:
            columns = self._list_columns(cur)
            if pg:
                # These short reads never gain from JIT compilation, which the planner starts
                # above its cost threshold (one to two seconds a search at 1,000,000 jobs); a
                # bitmap of the matches stays exact (a lossy one rechecks every row's tsvector).
                # The capped count reads the matches in the table's order (a bitmap or a plain
                # scan, no index walk): how far into the table the cap was reached then tells
                # how dense the matches are (_pg_matches). A plan is made for each
                # search's own values: psycopg prepares a statement run five times, and the
                # server's generic plan for it (any company, any word) took a company's
                # search from 0.2 to 1 s.
                cur.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true),"
                            " set_config('enable_indexscan', 'off', true),"
                            " set_config('plan_cache_mode', 'force_custom_plan', true),"
                            # the matches' cursor (_pg_matches) is planned for reading every
                            # row, not the first tenth (the default)
                            " set_config('cursor_tuple_fraction', '1', true)")
            bounded = None
            indexed = words or company or company_id is not None or country or workplace or employment_type or lang
            if pg and indexed:
                # posted_since kept from the date index (_SINCE) only where words or a company
                # find the matches more cheaply; with coarser filters the day range may be the
                # rarest condition.
                since_sql = self._SINCE if words or company or company_id is not None else indexed_since
                pg_where = joined.replace("{since}", since_sql)
                proven, walk, keys, share = False, False, [], 0.0
                if status == "open" and self._pg_samples_hold(cur, bool(words)):
                    proven, walk, keys, share = self._pg_samples(cur, pg_where, params, expr, limit + 1)
                if proven and walk:
                    count, page_ids = TOTAL_CAP + 1, None  # certainly more than the cap: walk
                elif proven and (bounded := self._pg_bounded_page(
                        cur, columns, pg_where, params, expr, direction, cursor_sql, cursor_params,
                        limit + 1, keys, share)) is not None:
                    count, page_ids, rows = TOTAL_CAP + 1, [], bounded
                else:
                    count, page_ids = self._pg_matches(cur, pg_where, params, expr, kind, direction,
                                                       cursor_sql, cursor_params, limit + 1)
            else:
                # No filter the full-text index holds (a listing, a date range, status alone):
                # the capped scan (LIMIT: the planner reads the table, or the date index for
                # a short range, until the cap) and above the cap a walk, whose first rows
                # match.
                count, page_ids = self._capped_matches(cur, joined.replace("{since}", indexed_since), params,
                                                       expr, direction, cursor_sql, cursor_params, limit + 1)
                if count > TOTAL_CAP:
                    page_ids = None  # more than the cap: the page walks the sort order
            if bounded is not None:
                pass  # the page's rows came with the bound (_pg_bounded_page)
            elif page_ids is not None:
                # The page's ids came with the count: fetch those rows by primary key instead
                # of searching a second time.
                rows = self._rows_by_ids(cur, columns, expr, direction, page_ids)
            else:
                # Dense matches, more than the cap: walking the sort order finds a page after
                # few rows.
                page_where = joined.replace("{since}", indexed_since) + cursor_sql.format(sort=expr, id="j.id")
                if pg:
                    # The planner multiplies the filters' selectivities and expects a few
                    # hundred matches where we know there are many: it would read them all
                    # from the full-text index and sort them. The date indexes (0011) give
                    # the walk; other sorts walk where an index has them.
                    cur.execute("SELECT set_config('enable_indexscan', 'on', true),"
                                " set_config('enable_bitmapscan', %s, true)",
                                ["off" if sort == "posted_at" else "on"])
                cur.execute(
                    f"SELECT {columns}, {expr} AS _sort FROM jobs j WHERE {page_where}"
                    f" ORDER BY {expr} {direction}, j.id {direction} LIMIT %s",
                    [*params, *cursor_params, limit + 1],
                )
                rows = cur.fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = None
        if more and rows:
            last = rows[-1]
            next_cursor = self._encode_cursor(sort, order, self._cursor_value_out(kind, last["_sort"]), last["id"])
        items = []
        for row in rows:
            row = dict(row)
            row.pop("_sort", None)
            items.append(self._job_out(row))
        total = f"{TOTAL_CAP}+" if count > TOTAL_CAP else str(count)
        return {"items": items, "total": total, "next_cursor": next_cursor}

    def _rows_by_ids(self, cur: Any, columns: str, expr: str, direction: str, ids: list[int]) -> list[dict]:
        """Return the list rows of these jobs in the page's order."""
        if not ids:
            return []
        clause, p = self._in("j.id", ids)
        cur.execute(f"SELECT {columns}, {expr} AS _sort FROM jobs j WHERE {clause}"
                    f" ORDER BY {expr} {direction}, j.id {direction}", p)
        return cur.fetchall()

    _LIST_SKIPPED = frozenset({"search", "sort_date", "content_hash"})  # never in a list item
    _list_columns_sql: str | None = None

    def _list_columns(self, cur: Any) -> str:
        """Return the select list of a search page: every jobs column but the skipped ones.

        Not j.*: the tsvector alone is as large as the description and would be read back
        from TOAST and sent for every row only to be dropped. Read from the table once, so a
        column a later migration adds is listed without a change here.
        """
        if self._list_columns_sql is None:
            if self.dialect == "pg":
                cur.execute("SELECT column_name AS name FROM information_schema.columns WHERE"
                            " table_schema = current_schema() AND table_name = 'jobs' ORDER BY ordinal_position")
            else:
                cur.execute("SELECT name FROM pragma_table_info('jobs') ORDER BY cid")
            names = [row["name"] for row in cur.fetchall()]
            self._list_columns_sql = ", ".join(f"j.{n}" for n in names if n not in self._LIST_SKIPPED)
        return self._list_columns_sql

    # Postgres would inline a CTE referenced once; this one is referenced twice and must be
    # computed once. SQLite (3.35+) takes the same keyword.
    _MATERIALIZED = "MATERIALIZED"

    # posted_since where the matches come from the full-text index: the date index's expression
    # plus nothing, which no index holds. With the plain expression the planner ANDed the
    # company's bitmap with that of every job since the day (300,000 rows, a third of a second
    # at 1,000,000 jobs) and then read the rows to check the words.
    _SINCE = "(COALESCE(j.posted_at, '0001-01-01') + 0)"

    def _capped_matches(self, cur: Any, where: str, params: list[Any], expr: str, direction: str,
                        cursor_sql: str, cursor_params: list[Any], page_size: int) -> tuple[int, list[int]]:
        """Return (matches counted up to TOTAL_CAP + 1, ids of the page from that capped set).

        One scan of the filters (through the full-text index when q is given) yields the total
        and, whenever the total is within the cap, the page too. The page ids are only
        meaningful when the count is at most TOTAL_CAP (the set then holds every match).
        """
        page_cursor = cursor_sql.format(sort="m._sort", id="m.id")
        cur.execute(
            f"WITH m AS {self._MATERIALIZED} (SELECT j.id AS id, {expr} AS _sort FROM jobs j"
            f" WHERE {where} LIMIT {TOTAL_CAP + 1})"
            f" SELECT c.n AS n, p.id AS id FROM (SELECT count(*) AS n FROM m) c LEFT JOIN"
            f" (SELECT m.id AS id, m._sort AS _sort FROM m WHERE 1=1{page_cursor}"
            f" ORDER BY m._sort {direction}, m.id {direction} LIMIT %s) p ON 1=1"
            f" ORDER BY p._sort {direction}, p.id {direction}",
            [*params, *cursor_params, page_size],
        )
        rows = cur.fetchall()
        count = int(rows[0]["n"]) if rows else 0
        return count, [r["id"] for r in rows if r["id"] is not None]

    _PG_TYPES = {"date": "date", "ts": "timestamptz", "text": "text"}

    def _pg_matches(self, cur: Any, where: str, params: list[Any], expr: str, kind: str, direction: str,
                    cursor_sql: str, cursor_params: list[Any], page_size: int) -> tuple[int, list[int] | None]:
        """Postgres: return (matches counted up to TOTAL_CAP + 1, the page's ids, or None when
        the matches are dense and the page should walk the sort order).

        One server-side cursor reads the matches' ids and sort keys in the table's order (a
        bitmap of the full-text index, or a plain scan; no index walk). Its first TOTAL_CAP + 1
        rows give the count; when there are more, the block the last of them came from, out
        of the table's blocks, scales the cap to an estimate of all matches, M. A walk reads
        about page_size * rows / M rows, reading every match about M (_walk_pays): dense
        matches close the cursor and walk; sparse ones go on reading the same cursor (the
        full-text index is not read twice). The page is the top of those keys after the cursor:
        sorted here for dates and timestamps, by the database for text (its collation).
        """
        cur.execute(f"DECLARE jobos_matches NO SCROLL CURSOR FOR SELECT j.id AS id, {expr} AS _sort,"
                    f" (j.ctid::text::point)[0] AS blk FROM jobs j WHERE {where}", params)
        cur.execute(f"FETCH {TOTAL_CAP + 1} FROM jobos_matches")
        found = cur.fetchall()
        count = len(found)
        if count > TOTAL_CAP:
            blocks, rows = self._jobs_size(cur)
            last_block = int(max(r["blk"] for r in found))
            if self._walk_pays(count, last_block, blocks, rows, page_size):
                return count, None  # the cursor closes with the transaction
            cur.execute("FETCH ALL FROM jobos_matches")
            found += cur.fetchall()
        if not found:
            return 0, []
        if kind in ("date", "ts"):  # dates and timestamps order alike here and there
            keys = [(r["_sort"], r["id"]) for r in found]
            if cursor_params:
                after = (cursor_params[0], int(cursor_params[1]))
                keys = [k for k in keys if (k < after if direction == "DESC" else k > after)]
            keys.sort(reverse=direction == "DESC")
            return count, [k[1] for k in keys[:page_size]]
        page_cursor = cursor_sql.format(sort="t._sort", id="t.id")
        cur.execute(
            f"SELECT t.id AS id FROM unnest(%s::bigint[], %s::{self._PG_TYPES[kind]}[]) AS t(id, _sort)"
            f" WHERE 1=1{page_cursor} ORDER BY t._sort {direction}, t.id {direction} LIMIT %s",
            [[r["id"] for r in found], [r["_sort"] for r in found], *cursor_params, page_size],
        )
        return count, [r["id"] for r in cur.fetchall()]

    # The sample indexes of open jobs (migration 0022): one job in 16 (id % 16 = 0), and three
    # more in 16 (id % 16 between 1 and 3), disjoint from the first.
    _SAMPLES = ((16, "j.id %% 16 = 0"), (16 / 3, "j.id %% 16 BETWEEN 1 AND 3"))

    _samples_hold: str | None = None

    def _pg_samples_hold(self, cur: Any, words: bool) -> bool:
        """Return whether the sample indexes hold this search's conditions: all of them (the
        columns of 0021, with btree_gin), or the words alone (without it: a search without
        words would then read the table for its sample). Read from the catalog once."""
        if self._samples_hold is None:
            cur.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                        " AND indexname = 'jobs_open_search_sample3_idx'")
            row = cur.fetchone()
            self._samples_hold = "" if row is None else ("all" if "workplace" in row["indexdef"] else "words")
        return self._samples_hold == "all" or (self._samples_hold == "words" and words)

    def _pg_samples(self, cur: Any, where: str, params: list[Any], expr: str,
                    page_size: int) -> tuple[bool, bool, list[Any], float]:
        """Postgres, open jobs: return (the sample indexes (0022) prove more than TOTAL_CAP
        matches, the page should then walk the sort order, the sort keys of the samples'
        matches, the share of the jobs the samples read hold).

        A GIN scan builds the list of all its matches before the first row is read; for common
        words and filters that is most of a search (tens of thousands of matches, 50-70 ms at
        1,000,000 jobs). Reading the matches of one job in 16 (up to TOTAL_CAP + 1) reads a
        sixteenth of those lists; when that count says the second sample (three in 16) likely
        brings the sum past the cap, it is read too. Matches in the samples are real matches,
        so past the cap the total "1000+" is certain, never estimated; the samples' share scales
        their count to an estimate of all matches for the walk's choice (_walk_pays). Not proven:
        the full index answers as before (_pg_matches), having cost the samples' small scans.
        """
        keys: list[Any] = []
        share, guess = 0.0, 0.0
        for every, predicate in self._SAMPLES:
            if share:  # a second sample only when it likely proves more than the cap
                guess = len(keys) / share
                if len(keys) + guess / every <= TOTAL_CAP:
                    return False, False, keys, share
            cur.execute(f"SELECT {expr} AS _sort FROM jobs j WHERE {where} AND {predicate}"
                        f" LIMIT {TOTAL_CAP + 1 - len(keys)}", params)
            keys += [r["_sort"] for r in cur.fetchall()]
            share += 1 / every
            if len(keys) > TOTAL_CAP:
                # A sample stopped at the cap counts fewer than it holds: the estimate is the
                # larger of its own and that of the samples read whole before it.
                return True, self._walk_guess(cur, max(len(keys) / share, guess), page_size), keys, share
        return False, False, keys, share

    def _pg_bounded_page(self, cur: Any, columns: str, where: str, params: list[Any], expr: str,
                         direction: str, cursor_sql: str, cursor_params: list[Any], page_size: int,
                         keys: list[Any], share: float) -> list[dict] | None:
        """Postgres: return the page's rows read from the full-text index's matches at or above
        a bound of the sort key, or None (then every match is read, _pg_matches).

        For matches too sparse to walk to (a few thousand of a million), the page would read
        every match's row and sort them all. The samples' keys (a quarter of the jobs) give a
        bound that about three pages of matches reach (their share scales it); the page is the top of the matches
        within it, and is right whenever the bound holds a full page (whatever was left out
        sorts after all of it); otherwise None. Keys before the cursor are dropped first
        (ordered here: only the bound's choice depends on that order, never the page).
        """
        desc = direction == "DESC"
        try:
            if cursor_params:
                after = cursor_params[0]
                keys = [k for k in keys if k is not None and (k <= after if desc else k >= after)]
            keys = sorted((k for k in keys if k is not None), reverse=desc)
        except TypeError:  # a key of another type than the cursor's: no bound
            return None
        nth = max(1, math.ceil(3 * page_size * share))
        if len(keys) < nth:
            return None
        bound = keys[nth - 1]
        page_cursor = cursor_sql.format(sort=expr, id="j.id")
        cur.execute(
            f"SELECT {columns}, {expr} AS _sort FROM jobs j WHERE {where}{page_cursor}"
            f" AND {expr} {'>=' if desc else '<='} %s"
            f" ORDER BY {expr} {direction}, j.id {direction} LIMIT %s",
            [*params, *cursor_params, bound, page_size],
        )
        rows = cur.fetchall()
        return rows if len(rows) >= page_size else None

    def _walk_guess(self, cur: Any, matches: float, page_size: int) -> bool:
        """Return whether a page should walk the sort order for about this many matches."""
        _blocks, rows = self._jobs_size(cur)
        return matches * matches > page_size * max(rows, matches)

    _SIZE_SECONDS = 60.0
    _jobs_size_at: tuple[float, int, float] | None = None

    def _jobs_size(self, cur: Any) -> tuple[int, float]:
        """Return (blocks, rows) of the jobs table, read at most once a minute (a statement less
        a search: the table grows by crawls, not between two searches)."""
        now = time.monotonic()
        cached = self._jobs_size_at
        if cached is None or now - cached[0] > self._SIZE_SECONDS:
            cur.execute("SELECT pg_relation_size('jobs') / current_setting('block_size')::int AS blocks,"
                        " reltuples AS rows FROM pg_class WHERE oid = 'jobs'::regclass")
            row = cur.fetchone()
            cached = (now, int(row["blocks"] or 1), float(row["rows"] or 0))
            self._jobs_size_at = cached
        return cached[1], cached[2]

    @staticmethod
    def _walk_pays(count: int, last_block: int, blocks: int, table_rows: float, page_size: int) -> bool:
        """Return whether a page should walk the sort order (see _pg_matches).

        count matches were found in the table's blocks 0..last_block; table_rows is the
        planner's row count (unknown before the table's first ANALYZE: then four rows a block,
        what a jobs page holds at fill factor 60 with descriptions of a few hundred words).
        """
        blocks = max(blocks, last_block + 1, 1)
        matches = count * blocks / (last_block + 1)
        rows = max(table_rows if table_rows > 0 else 4.0 * blocks, matches)
        return matches * matches > page_size * rows

    def _cursor_value_out(self, kind: str, value: Any) -> Any:
        if kind == "date":
            return self._date_out(value)
        if kind == "ts":
            return iso_ts(value)
        return value

    def _cursor_value_in(self, kind: str, value: Any) -> Any:
        if kind == "date":
            return self._date_in(value)
        if kind == "ts":
            return self._ts_in(records.parse_timestamp(value))
        return value

    @staticmethod
    def _encode_cursor(sort: str, order: str, value: Any, last_id: int) -> str:
        raw = json.dumps([sort, order, value, last_id], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def _decode_cursor(cursor: str, sort: str, order: str) -> tuple[Any, int]:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            c_sort, c_order, value, last_id = json.loads(raw)
            last_id = int(last_id)
        except Exception:
            raise InvalidCursor("cursor is not one this API issued") from None
        if c_sort != sort or c_order != order:
            raise InvalidCursor("cursor belongs to a different sort order")
        return value, last_id

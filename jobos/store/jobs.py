"""Jobs: batched upsert with history, closing, search and reading."""
from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from jobos.store import records
from jobos.store.records import CONTENT_FIELDS, PreparedJob
from jobos.store.scope import CrawlScope
from jobos.store.common import (
    _UPDATE_FIELDS, _content_of, _POSTED_AT, UpsertResult, utcnow, iso_ts, _chunks,
)

logger = logging.getLogger(__name__)


class JobsMixin:
    """Jobs: batched upsert with history, closing, search and reading."""

    # ---- jobs: writing -------------------------------------------------------------------
    def upsert_jobs(self, items: list[dict], crawl_id: int | None = None) -> UpsertResult:
        """Return counts after writing one batch of items in one transaction."""
        prepared: dict[tuple[str, str], PreparedJob] = {}
        invalid = 0
        for item in items:
            job = records.prepare(item)
            if job is None:
                invalid += 1
                logger.warning("store: item without board/external_id/title/url skipped: %s",
                               {k: item.get(k) for k in ("board", "external_id", "url")})
                continue
            prepared[job.key] = job  # last one wins within a batch
        if not prepared:
            return UpsertResult(invalid=invalid)
        now = utcnow()
        boards = sorted({job.board for job in prepared.values()})
        with self._write() as cur:
            self._lock_boards(cur, boards)
            company_ids = self._company_ids(cur, boards, prepared.values())
            new, updated, unchanged, reopened = self._merge_jobs(cur, prepared, company_ids, now, crawl_id)
        if new or updated or reopened:  # the optional job vectors (JOBOS_EMBEDDINGS), after the commit
            self.embed_after_upsert(list(prepared))
        return UpsertResult(new=new, updated=updated, unchanged=unchanged, reopened=reopened,
                            invalid=invalid)

    def _merge_jobs(self, cur: Any, prepared: dict[tuple[str, str], PreparedJob],
                    company_ids: dict[str, int], now: datetime,
                    crawl_id: int | None) -> tuple[int, int, int, int]:
        """Return (new, updated, unchanged, reopened) after writing the batch's jobs and history.

        Read what is stored, decide in Python, then insert, touch and update in a few
        statements. PostgreSQL replaces this with a staged merge (PostgresStore._merge_jobs).
        """
        now_db = self._ts_in(now)  # converted once per batch, not once per row
        today_db = self._date_in(now.date().isoformat())
        existing = self._fetch_existing(cur, list(prepared))
        new_rows: list[tuple] = []
        touch_ids: list[int] = []
        flag_updates: list[tuple] = []
        changed: list[tuple[dict, PreparedJob]] = []
        for key, job in prepared.items():
            ex = existing.get(key)
            if ex is None:
                new_rows.append(self._insert_row(job, company_ids.get(job.board), now_db,
                                                 today_db, crawl_id))
                continue
            if job.posted_relative:
                records.anchor_posted_at(job, self._date_out(ex["posted_at"]))
            if ex["content_hash"] == job.content_hash and ex["status"] == "open":
                touch_ids.append(ex["id"])
                if bool(ex["extraction_pending"]) != job.extraction_pending:
                    flag_updates.append((self._bool_in(job.extraction_pending), ex["id"]))
            else:
                changed.append((ex, job))
        self._insert_jobs(cur, new_rows)
        self._touch(cur, touch_ids, now_db, crawl_id)
        if flag_updates:
            cur.executemany("UPDATE jobs SET extraction_pending = %s WHERE id = %s", flag_updates)
        reopened = self._apply_changes(cur, changed, company_ids, now, crawl_id)
        return len(new_rows), len(changed) - reopened, len(touch_ids), reopened

    def _anchor_relative_dates(self, cur: Any, prepared: dict[tuple[str, str], PreparedJob]) -> None:
        """Keep the stored posted_at of jobs dated from relative text (records.anchor_posted_at).

        Backends that compare content hashes in SQL call this first: anchoring changes the hash.
        """
        by_board: dict[str, list[str]] = {}
        for job in prepared.values():
            if job.posted_relative and job.values.get("posted_at"):
                by_board.setdefault(job.board, []).append(job.external_id)
        for board, exts in by_board.items():
            for chunk in _chunks(exts, self._IN_CHUNK):
                clause, params = self._in("external_id", chunk)
                cur.execute("SELECT external_id, posted_at FROM jobs WHERE board = %s AND " + clause,
                            [board, *params])
                for row in cur.fetchall():
                    records.anchor_posted_at(prepared[(board, row["external_id"])],
                                             self._date_out(row["posted_at"]))

    def _fetch_existing(self, cur: Any, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        by_board: dict[str, list[str]] = {}
        for board, ext in keys:
            by_board.setdefault(board, []).append(ext)
        found: dict[tuple[str, str], dict] = {}
        for board, exts in by_board.items():
            for chunk in _chunks(exts, self._IN_CHUNK):
                clause, params = self._in("external_id", chunk)
                cur.execute(
                    "SELECT id, external_id, content_hash, status, posted_at, first_seen,"
                    " extraction_pending FROM jobs WHERE board = %s AND " + clause,
                    [board, *params],
                )
                for row in cur.fetchall():
                    found[(board, row["external_id"])] = row
        return found

    def _company_ids(self, cur: Any, boards: list[str], jobs: Any = ()) -> dict[str, int]:
        """Return {board: company id}; jobs of a known company take its stored name.

        A crawl is started under whatever name a user typed: reading a company's board under
        another name must not rename that company's jobs (nor the company: upsert_company).
        """
        clause, params = self._in("board", boards)
        cur.execute("SELECT id, board, name, normalized_name FROM companies WHERE " + clause, params)
        rows = {row["board"]: row for row in cur.fetchall()}
        for job in jobs:
            row = rows.get(job.board)
            if row is not None and job.values["company"] != row["name"]:
                job.values["company"] = row["name"]
                job.company_norm = row["normalized_name"]
                job.rehash()
        return {board: row["id"] for board, row in rows.items()}

    def _insert_row(self, job: PreparedJob, company_id: int | None, now_db: Any, today_db: Any,
                    crawl_id: int | None) -> tuple:
        """Return the JOB_INSERT_COLUMNS values of a new job (now_db, today_db already converted)."""
        content = _content_of(job.values)
        posted = content[_POSTED_AT]
        posted_db = self._date_in(posted) if posted is not None else None
        return (
            job.board,
            company_id,
            job.company_norm,
            *content[:_POSTED_AT],
            posted_db,
            *content[_POSTED_AT + 1:],
            self._ts_in(job.scraped_at),
            self._bool_in(job.extraction_pending),
            self._json_in(job.provenance) if job.provenance is not None else None,
            job.content_hash,
            "open",
            now_db,
            now_db,
            posted_db if posted_db is not None else today_db,  # sort_date: see records.sort_date
            crawl_id,
        )

    def _touch(self, cur: Any, ids: list[int], now_db: Any, crawl_id: int | None) -> None:
        for chunk in _chunks(ids, self._IN_CHUNK):
            clause, params = self._in("id", chunk)
            cur.execute(
                "UPDATE jobs SET last_seen = %s, last_crawl_id = COALESCE(%s, last_crawl_id)"
                " WHERE " + clause,
                [now_db, crawl_id, *params],
            )

    def _apply_changes(self, cur: Any, changed: list[tuple[dict, PreparedJob]],
                       company_ids: dict[str, int], now: datetime, crawl_id: int | None) -> int:
        """Write changed and reopened jobs with one history row each; return how many reopened.

        Each row's UPDATE sets only the columns whose stored value differs (plus the
        bookkeeping ones, which no index holds): a column left out of SET keeps its index
        entries and, for title and description, its full-text row untouched. Setting every
        content column rewrote every index of the row (and the full-text row) for a one-word
        change. Rows that change the same columns share one statement.
        """
        if not changed:
            return 0
        stored = self._fetch_content(cur, [ex["id"] for ex, _ in changed])
        groups: dict[tuple[str, ...], list[tuple]] = {}
        history = []
        reopened = 0
        now_db = self._ts_in(now)
        for ex, job in changed:
            row = stored[ex["id"]]
            history.append(self._history_row(ex["id"], self._content_out(row), ex["status"], job,
                                             now, crawl_id))
            reopened += ex["status"] == "closed"
            first_seen = records.parse_timestamp(ex["first_seen"]) or now
            cols: list[str] = []
            params: list[Any] = []
            for f in _UPDATE_FIELDS:
                value = job.values[f]
                if f == "posted_at" and value is not None:
                    value = self._date_in(value)
                if row[f] != value or row[f].__class__ is not value.__class__:
                    cols.append(f)
                    params.append(value)
            company_id = company_ids.get(job.board)
            if company_id is not None and company_id != row["company_id"]:
                cols.append("company_id")
                params.append(company_id)
            if job.company_norm != row["company_norm"]:
                cols.append("company_norm")
                params.append(job.company_norm)
            if row["status"] != "open":
                cols.append("status")
                params.append("open")
            if row["closed_at"] is not None:
                cols.append("closed_at")
                params.append(None)
            params += (
                self._ts_in(job.scraped_at),
                self._bool_in(job.extraction_pending),
                self._json_in(job.provenance) if job.provenance is not None else None,
                job.content_hash,
                now_db,
                self._date_in(records.sort_date(job, first_seen)),
                crawl_id,
                ex["id"],
            )
            groups.setdefault(tuple(cols), []).append(tuple(params))
        for cols, rows in groups.items():
            sets = "".join(f"{c} = %s, " for c in cols)
            cur.executemany(
                f"UPDATE jobs SET {sets}scraped_at = %s, extraction_pending = %s, provenance = %s,"
                " content_hash = %s, last_seen = %s, sort_date = %s,"
                " last_crawl_id = COALESCE(%s, last_crawl_id) WHERE id = %s",
                rows,
            )
        self._insert_history(cur, history)
        return reopened

    def _history_row(self, job_id: int, old: dict, status: str, job: PreparedJob, now: datetime,
                     crawl_id: int | None) -> tuple:
        """Return the job_history row of a changed or reopened job (old: _content_out values)."""
        fields, old_values = records.diff(old, job.values)
        if status == "closed":
            fields.append("status")
            old_values["status"] = "closed"
            old_values["closed_at"] = old.get("_closed_at")
        return (job_id, self._ts_in(now), crawl_id, self._json_in(fields), self._json_in(old_values))

    def _insert_history(self, cur: Any, rows: list[tuple]) -> None:
        cur.executemany(
            "INSERT INTO job_history (job_id, changed_at, crawl_id, changed_fields, old_values)"
            " VALUES (%s, %s, %s, %s, %s)",
            rows,
        )

    def _fetch_content(self, cur: Any, ids: list[int]) -> dict[int, dict]:
        """Return {id: stored row}: content, company and status columns as the driver gives them."""
        cols = ", ".join(CONTENT_FIELDS)
        out: dict[int, dict] = {}
        for chunk in _chunks(ids, self._IN_CHUNK):
            clause, params = self._in("id", chunk)
            cur.execute(f"SELECT id, status, closed_at, company_id, company_norm, {cols} FROM jobs"
                        " WHERE " + clause, params)
            for row in cur.fetchall():
                out[row["id"]] = row
        return out

    def _content_out(self, row: dict) -> dict:
        """Return a stored row's content as canonical values (what records.diff compares)."""
        values = {f: records.canonical(f, row[f]) for f in CONTENT_FIELDS}
        values["posted_at"] = self._date_out(row["posted_at"])
        values["_closed_at"] = iso_ts(row["closed_at"])
        return values

    def close_missing(self, board: str, seen_external_ids: set[str], country: str | None = None,
                      crawl_id: int | None = None, since: datetime | None = None,
                      scope: CrawlScope | None = None) -> int:
        """Return how many open jobs of the board, in scope, were closed for not being seen.

        Scope: with no country, every open job of the board; with a country, only jobs stored
        with that country. Jobs of unknown country are closed only by a crawl without a country
        filter: a country-filtered crawl may not list them (an ATS's country facet hides them),
        and closing a live job is worse than keeping a gone one until the next full crawl.
        scope (a website crawl's CrawlScope) narrows it to the jobs the crawl's listing covers.
        since (the crawl's start) keeps every job seen since then: an overlapping crawl that
        saw it is newer news than this crawl's listing. The board lock (Postgres advisory lock,
        SQLite's write lock) makes the check and the close one step against concurrent upserts.
        """
        if scope is not None and scope.closes_nothing:
            return 0
        seen = {str(e) for e in seen_external_ids}
        now = utcnow()
        with self._write() as cur:
            self._lock_boards(cur, [board])
            sql = "SELECT id, external_id, url FROM jobs WHERE board = %s AND status = 'open'"
            params: list[Any] = [board]
            if country:
                sql += " AND country = %s"
                params.append(country.upper())
            if since is not None:
                sql += " AND last_seen < %s"
                params.append(self._ts_in(records.parse_timestamp(since)))
            cur.execute(sql, params)
            gone = [row["id"] for row in cur.fetchall()
                    if row["external_id"] not in seen and (scope is None or scope.covers(row["url"]))]
            for chunk in _chunks(gone, 900):
                clause, cparams = self._in("id", chunk)
                cur.execute(
                    "UPDATE jobs SET status = 'closed', closed_at = %s,"
                    " last_crawl_id = COALESCE(%s, last_crawl_id) WHERE " + clause,
                    [self._ts_in(now), crawl_id, *cparams],
                )
        if gone:
            logger.info("store: closed %d jobs of %s no longer listed", len(gone), board)
        return len(gone)

    def link_duplicates(self, boards: list[str]) -> int:
        """Return how many links changed after linking the open jobs of the boards' companies
        that another board of the same company also lists (jobos.normalize.duplicates).

        The oldest job of a group is the one shown; the others get duplicate_of = its id. A
        link whose jobs no longer match is removed. Never across companies.
        """
        boards = sorted({b for b in boards if b})
        if not boards:
            return 0
        changed = 0
        with self._write() as cur:
            norms: set[str] = set()
            for chunk in _chunks(boards, self._IN_CHUNK):
                clause, params = self._in("board", chunk)
                cur.execute("SELECT DISTINCT company_norm FROM jobs WHERE status = 'open' AND " + clause, params)
                norms |= {row["company_norm"] for row in cur.fetchall() if row["company_norm"]}
            for norm in sorted(norms):
                cur.execute(
                    "SELECT id, board, title, city, country, workplace, posted_at, first_seen,"
                    " duplicate_of FROM jobs WHERE company_norm = %s AND status = 'open' ORDER BY id",
                    [norm],
                )
                rows = cur.fetchall()
                if len({row["board"] for row in rows}) < 2 and not any(r["duplicate_of"] for r in rows):
                    continue
                updates = [(new, job_id) for job_id, new in self._duplicate_links(rows).items()]
                if updates:
                    cur.executemany("UPDATE jobs SET duplicate_of = %s WHERE id = %s", updates)
                    changed += len(updates)
        if changed:
            logger.info("store: %d duplicate links changed for %d boards", changed, len(boards))
        return changed

    def _duplicate_links(self, rows: list[dict]) -> dict[int, int | None]:
        """Return {job id: new duplicate_of} for the rows whose link must change."""
        from jobos.normalize.duplicates import dates_close, place_key, title_key

        def day(row: dict) -> date | None:
            value = self._date_out(row["posted_at"])
            if value:
                return date.fromisoformat(value)
            seen = records.parse_timestamp(row["first_seen"])
            return seen.date() if seen else None

        groups: dict[tuple, list[dict]] = {}
        for row in rows:
            key = (title_key(row["title"], row["city"]), *place_key(row["city"], row["country"], row["workplace"]))
            if key[0]:
                groups.setdefault(key, []).append(row)
        wanted: dict[int, int | None] = {row["id"]: None for row in rows}
        for group in groups.values():
            first = group[0]  # rows come in id order: the oldest is shown
            for row in group[1:]:
                if row["board"] != first["board"] and dates_close(day(row), day(first)):
                    wanted[row["id"]] = first["id"]
        return {row["id"]: wanted[row["id"]] for row in rows if row["duplicate_of"] != wanted[row["id"]]}

    # ---- jobs: reading -------------------------------------------------------------------
    _JOB_TS = ("scraped_at", "first_seen", "last_seen", "closed_at")

    def _job_out(self, row: dict) -> dict:
        out = self._row_out(row, json_fields=("provenance",), ts_fields=self._JOB_TS,
                            bool_fields=("extraction_pending",), date_fields=("posted_at",))
        out.pop("search", None)
        out.pop("sort_date", None)
        out.pop("content_hash", None)
        return out

    def get_job(self, job_id: int) -> dict | None:
        """Return a job with its meta fields, provenance and history (oldest change first)."""
        with self._read() as cur:
            cur.execute("SELECT * FROM jobs WHERE id = %s", [int(job_id)])
            row = cur.fetchone()
            if row is None:
                return None
            cur.execute(
                "SELECT changed_at, crawl_id, changed_fields, old_values FROM job_history"
                " WHERE job_id = %s ORDER BY changed_at, id",
                [int(job_id)],
            )
            history = [
                self._row_out(h, json_fields=("changed_fields", "old_values"), ts_fields=("changed_at",))
                for h in cur.fetchall()
            ]
        job = self._job_out(row)
        job["history"] = history
        return job

    def job_count(self, status: str | None = None) -> int:
        """Return how many jobs are stored (optionally with one status)."""
        with self._read() as cur:
            if status:
                cur.execute("SELECT count(*) AS n FROM jobs WHERE status = %s", [status])
            else:
                cur.execute("SELECT count(*) AS n FROM jobs")
            return int(cur.fetchone()["n"])

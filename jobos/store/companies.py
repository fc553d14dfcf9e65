"""Companies: identity by board or domain, listing, refresh."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from jobos.store.names import normalize_company
from jobos.store.records import company_board, is_website_board
from jobos.store.common import MAX_LIMIT, COMPANY_UPDATE_FIELDS, utcnow, _like_escape


class CompaniesMixin:
    """Companies: identity by board or domain, listing, refresh."""

    # ---- companies -----------------------------------------------------------------------
    def upsert_company(self, name: str, domain: str | None = None, board: str | None = None,
                       careers_url: str | None = None, reason: str | None = None,
                       added_by: str | None = None) -> int:
        """Return the company's id, found by board or else domain (never by the typed name).

        A crawl never renames a company: the stored name stays (the crawl's name is whatever
        a user typed). A domain match joins only a company of the same (normalized) name: a
        crawl under another name on a company's domain is another company, so it cannot
        re-point that company's careers page or attach its own jobs there. Only a crawl of
        the company's own board updates its careers page and reason (unless a person pinned
        them). added_by (the crawl's requester) is kept from the first time the company is
        added: that user and admins may change its careers page in the API.
        """
        if not board and not domain:
            raise ValueError("a company is identified by its domain or board; got neither")
        domain = domain.lower().strip() if domain else None
        norm = normalize_company(name or domain or board)
        now = self._ts_in(utcnow())
        with self._write() as cur:
            # Look, then INSERT ... ON CONFLICT DO NOTHING: when another crawl added the same
            # company in the same moment, the insert does nothing (no error) and the next look
            # finds that crawl's row. Each round ends in a found row or an insert; a third round
            # covers a namesake's row taking the domain and then a twin taking the board.
            for _ in range(3):
                row, by_board, domain_taken = self._find_company(cur, name, norm, domain, board)
                if row is not None:
                    company_id = row["id"]
                    self._refresh_company(cur, row, by_board, domain, board, careers_url, reason, now)
                    break
                cur.execute(
                    "INSERT INTO companies (name, normalized_name, domain, board, careers_url,"
                    " reason, pinned, last_crawl_at, created_at, updated_at, created_by)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT DO NOTHING RETURNING id",
                    [name or domain or board, norm, None if domain_taken else domain,
                     board, careers_url, reason, self._bool_in(False), now, now, now, added_by],
                )
                inserted = cur.fetchone()
                if inserted is not None:
                    company_id = inserted["id"]
                    break
            else:
                raise RuntimeError(f"company {name!r} ({board or domain}) could not be stored:"
                                   " its board or domain kept changing hands")
            if board:
                cur.execute("UPDATE jobs SET company_id = %s WHERE board = %s AND company_id IS NULL",
                            [company_id, board])
        return int(company_id)

    def _find_company(self, cur: Any, name: str | None, norm: str, domain: str | None,
                      board: str | None) -> tuple[dict | None, bool, bool]:
        """Return (row, found by board, domain owned by another company) for upsert_company."""
        if board:
            cur.execute("SELECT * FROM companies WHERE board = %s", [board])
            row = cur.fetchone()
            if row is not None:
                return row, True, False
        if domain:
            cur.execute("SELECT * FROM companies WHERE domain = %s", [domain])
            row = cur.fetchone()
            if row is not None and board and name and row["normalized_name"] != norm:
                return None, False, True  # another company's domain: keep rows apart
            return row, False, False
        return None, False, False

    def _refresh_company(self, cur: Any, row: dict, by_board: bool, domain: str | None,
                         board: str | None, careers_url: str | None, reason: str | None, now: Any) -> None:
        """Update a found company from a crawl: fill its board and domain, move its page if it is its own."""
        pinned = bool(row["pinned"])
        # A pinned company keeps the board and page a person chose.
        new_board = row["board"] if (pinned or row["board"]) else board
        own = by_board or not row["board"]
        new_url = row["careers_url"] if (pinned or not own) else (careers_url or row["careers_url"])
        new_reason = row["reason"] if (pinned or not own) else (reason or row["reason"])
        new_domain = row["domain"] or domain
        if new_domain != row["domain"] and domain:
            cur.execute("SELECT id FROM companies WHERE domain = %s AND id <> %s", [domain, row["id"]])
            if cur.fetchone():
                new_domain = row["domain"]  # another row owns it; keep rows apart
        cur.execute(
            "UPDATE companies SET domain = %s, board = %s, careers_url = %s, reason = %s,"
            " last_crawl_at = %s, updated_at = %s WHERE id = %s",
            [new_domain, new_board, new_url, new_reason, now, now, row["id"]],
        )

    _COMPANY_SELECT = (
        "SELECT c.*, (SELECT count(*) FROM jobs j WHERE j.company_id = c.id AND j.status = 'open')"
        " AS open_jobs FROM companies c"
    )

    def _company_out(self, row: dict) -> dict:
        return self._row_out(row, ts_fields=("last_crawl_at", "created_at", "updated_at"),
                             bool_fields=("pinned",))

    def list_companies(self, q: str | None = None, country: str | None = None, limit: int = 50,
                       cursor: str | None = None) -> dict:
        """Return {items, next_cursor}: companies by name, optionally matching q and a job country."""
        limit = max(1, min(int(limit), MAX_LIMIT))
        where, params = [], []
        if q and q.strip():
            norm = normalize_company(q)
            where.append("(c.normalized_name LIKE %s OR c.domain LIKE %s)")
            params += [f"%{_like_escape(norm)}%", f"%{_like_escape(q.strip().lower())}%"]
        if country:
            where.append("EXISTS (SELECT 1 FROM jobs j WHERE j.company_id = c.id AND j.country = %s)")
            params.append(country.upper())
        if cursor:
            value, last_id = self._decode_cursor(cursor, "name", "asc")
            where.append("(c.normalized_name, c.id) > (%s, %s)")
            params += [value, last_id]
        sql = self._COMPANY_SELECT
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY c.normalized_name, c.id LIMIT %s"
        with self._read() as cur:
            cur.execute(sql, [*params, limit + 1])
            rows = cur.fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = None
        if more and rows:
            next_cursor = self._encode_cursor("name", "asc", rows[-1]["normalized_name"], rows[-1]["id"])
        return {"items": [self._company_out(r) for r in rows], "next_cursor": next_cursor}

    def get_company(self, company_id: int) -> dict | None:
        """Return a company with its open job count and its latest crawl run, or None."""
        with self._read() as cur:
            cur.execute(self._COMPANY_SELECT + " WHERE c.id = %s", [int(company_id)])
            row = cur.fetchone()
            if row is None:
                return None
            cur.execute(
                "SELECT * FROM crawl_runs WHERE normalized_company = %s ORDER BY id DESC LIMIT 1",
                [row["normalized_name"]],
            )
            last = cur.fetchone()
        company = self._company_out(row)
        company["last_crawl"] = self._crawl_out(last) if last else None
        return company

    def update_company(self, company_id: int, **fields: Any) -> dict | None:
        """Return the company after changing the given fields; setting board or careers_url pins it."""
        unknown = set(fields) - COMPANY_UPDATE_FIELDS
        if unknown:
            raise ValueError(f"cannot update company fields: {', '.join(sorted(unknown))}")
        if ("board" in fields or "careers_url" in fields) and "pinned" not in fields:
            fields["pinned"] = True
        if "name" in fields:
            fields["normalized_name"] = normalize_company(fields["name"])
        if "pinned" in fields:
            fields["pinned"] = self._bool_in(bool(fields["pinned"]))
        if fields.get("domain"):
            fields["domain"] = fields["domain"].lower().strip()
        if fields:
            fields["updated_at"] = self._ts_in(utcnow())
            with self._write() as cur:
                if fields.get("board") and is_website_board(fields["board"]):
                    # A site's board is this company's on that site (records.company_board).
                    cur.execute("SELECT name FROM companies WHERE id = %s", [int(company_id)])
                    row = cur.fetchone()
                    if row is not None:
                        fields["board"] = company_board(fields["board"], fields.get("name") or row["name"])
                for key in ("board", "domain"):
                    if fields.get(key):
                        cur.execute(f"SELECT id FROM companies WHERE {key} = %s AND id <> %s",
                                    [fields[key], int(company_id)])
                        other = cur.fetchone()
                        if other is not None:
                            raise ValueError(f"{key} {fields[key]} belongs to company {other['id']}")
                sets = ", ".join(f"{k} = %s" for k in fields)
                cur.execute(f"UPDATE companies SET {sets} WHERE id = %s", [*fields.values(), int(company_id)])
                if fields.get("board"):
                    cur.execute("UPDATE jobs SET company_id = %s WHERE board = %s AND company_id IS NULL",
                                [int(company_id), fields["board"]])
        return self.get_company(company_id)

    def companies_due_for_refresh(self, older_than: timedelta) -> list[dict]:
        """Return companies last crawled longer ago than older_than (or never), oldest first."""
        cutoff = self._ts_in(utcnow() - older_than)
        with self._read() as cur:
            cur.execute(
                self._COMPANY_SELECT
                + " WHERE c.last_crawl_at IS NULL OR c.last_crawl_at < %s"
                " ORDER BY c.last_crawl_at IS NOT NULL, c.last_crawl_at, c.id",
                [cutoff],
            )
            return [self._company_out(r) for r in cur.fetchall()]

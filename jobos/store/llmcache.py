"""The LLM cache by content hash and the pending-extraction queue."""
from __future__ import annotations

import json

from jobos.store import records
from jobos.store.common import utcnow, iso_ts


class LlmCacheMixin:
    """The LLM cache by content hash and the pending-extraction queue."""

    # ---- LLM cache and pending extraction ------------------------------------------------
    def llm_cache_get(self, content_hash: str) -> dict | None:
        """Return the cached extraction {model, result, created_at} for a page hash, or None."""
        with self._read() as cur:
            cur.execute("SELECT model, result, created_at FROM llm_cache WHERE content_hash = %s",
                        [content_hash])
            row = cur.fetchone()
        return self._row_out(row, json_fields=("result",), ts_fields=("created_at",)) if row else None

    def llm_cache_put(self, content_hash: str, model: str, result: dict) -> None:
        """Store (or replace) the extraction result for a page hash."""
        with self._write() as cur:
            cur.execute(
                "INSERT INTO llm_cache (content_hash, model, result, created_at) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (content_hash) DO UPDATE SET model = excluded.model,"
                " result = excluded.result, created_at = excluded.created_at",
                [content_hash, model, self._json_in(result), self._ts_in(utcnow())],
            )

    def add_pending(self, item: dict) -> None:
        """Keep a record (with url and page_markdown) for LLM extraction later, keyed by board+id."""
        board, ext = records.board_for(item), records.external_id_for(item)
        if not board or not ext:
            raise ValueError("a pending record needs a board and an external_id (or url)")
        data = json.loads(json.dumps(dict(item), default=str))
        with self._write() as cur:
            cur.execute(
                "INSERT INTO pending_extractions (board, external_id, url, page_markdown, item,"
                " attempts, created_at) VALUES (%s, %s, %s, %s, %s, 0, %s)"
                " ON CONFLICT (board, external_id) DO UPDATE SET url = excluded.url,"
                " page_markdown = excluded.page_markdown, item = excluded.item,"
                " attempts = pending_extractions.attempts + 1",
                [board, ext, data.get("url"), data.get("page_markdown"), self._json_in(data),
                 self._ts_in(utcnow())],
            )

    def list_pending(self, limit: int = 100) -> list[dict]:
        """Return pending records (the item as stored, with board and external_id), oldest first."""
        with self._read() as cur:
            cur.execute(
                "SELECT board, external_id, url, page_markdown, item, attempts, created_at"
                " FROM pending_extractions ORDER BY created_at, board, external_id LIMIT %s",
                [max(1, int(limit))],
            )
            rows = cur.fetchall()
        out = []
        for row in rows:
            item = self._json_out(row["item"]) or {}
            item.update(board=row["board"], external_id=row["external_id"], url=row["url"],
                        page_markdown=row["page_markdown"])
            item["_pending"] = {"attempts": row["attempts"], "created_at": iso_ts(row["created_at"])}
            out.append(item)
        return out

    def resolve_pending(self, board: str, external_id: str) -> None:
        """Forget a pending record (extraction done or given up)."""
        with self._write() as cur:
            cur.execute("DELETE FROM pending_extractions WHERE board = %s AND external_id = %s",
                        [board, str(external_id)])

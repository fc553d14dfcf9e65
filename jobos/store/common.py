"""Shared pieces of the store: constants, result types and value helpers used by every area."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from operator import itemgetter
from typing import Any, Iterator, Sequence

from jobos.store import records
from jobos.store.records import CONTENT_FIELDS


TOTAL_CAP = 1_000
MAX_LIMIT = 500
ROLES = ("viewer", "user", "admin")
CRAWL_STATUSES = ("pending", "running", "finished", "partial", "failed", "cancelled")
ACTIVE_STATUSES = ("pending", "running")

# Columns written when a job is inserted, in order (COPY and INSERT use the same list).
JOB_INSERT_COLUMNS: tuple[str, ...] = (
    "board",
    "company_id",
    "company_norm",
    *CONTENT_FIELDS,
    "scraped_at",
    "extraction_pending",
    "provenance",
    "content_hash",
    "status",
    "first_seen",
    "last_seen",
    "sort_date",
    "last_crawl_id",
)
_UPDATE_FIELDS = [f for f in CONTENT_FIELDS if f != "external_id"]
_content_of = itemgetter(*CONTENT_FIELDS)  # a job's content values as a tuple, at C speed
_POSTED_AT = CONTENT_FIELDS.index("posted_at")

CRAWL_UPDATE_FIELDS = frozenset(
    """status step pages found new updated unchanged closed dropped llm_calls errors
    scrapyd_job_id node started_at finished_at error_summary attempts""".split()
)
_CRAWL_TS = frozenset({"started_at", "finished_at"})
COMPANY_UPDATE_FIELDS = frozenset({"name", "domain", "board", "careers_url", "reason", "pinned"})

# Sort keys the API may ask for -> (SQL expression, kind of value in the cursor).
SORTS: dict[str, tuple[str, str]] = {
    "posted_at": ("j.sort_date", "date"),
    "first_seen": ("j.first_seen", "ts"),
    "last_seen": ("j.last_seen", "ts"),
    "title": ("j.title", "text"),
    "company": ("j.company_norm", "text"),
}
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class UpsertResult:
    """What one upsert batch did."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    reopened: int = 0
    invalid: int = 0

    def __add__(self, other: UpsertResult) -> UpsertResult:
        return UpsertResult(
            self.new + other.new,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.reopened + other.reopened,
            self.invalid + other.invalid,
        )


class InvalidCursor(ValueError):
    """A pagination cursor that this query did not issue."""


def close_quietly(store: Any) -> None:
    """Close a store (or None) at the end of a crawl, where a failing close has nothing left to lose."""
    if store is not None:
        try:
            store.close()
        except Exception:  # noqa: BLE001
            pass


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso_ts(value: Any) -> str | None:
    """Return a timestamp as ISO 8601 UTC text with a Z, microseconds always present."""
    if value is None:
        return None
    dt = records.parse_timestamp(value)
    if dt is None:
        return str(value)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def search_words(q: str | None) -> list[str]:
    """Return the words of a full-text query (both backends AND them)."""
    return _WORDS.findall(q or "")[:32]




def _chunks(seq: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def _like_escape(text: str) -> str:
    # Our LIKE patterns have no ESCAPE clause; drop the wildcards a user might type.
    return text.replace("%", "").replace("_", "")

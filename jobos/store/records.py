"""Turn pipeline items into stored job rows: canonical values, content hash, identity, diffs."""
from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from operator import itemgetter
from typing import Any, Mapping
from urllib.parse import urlsplit

from jobos.items import CONTRACT_FIELDS
from jobos.store.names import normalize_company

logger = logging.getLogger(__name__)

# Fields whose change makes a new version of a job. scraped_at changes every crawl and
# extraction_pending is bookkeeping, so neither is content.
CONTENT_FIELDS: tuple[str, ...] = tuple(
    f for f in CONTRACT_FIELDS if f not in ("scraped_at", "extraction_pending")
)
NUMBER_FIELDS = frozenset({"salary_min", "salary_max", "salary_min_yearly", "salary_max_yearly"})
UPPER_FIELDS = frozenset({"country", "salary_currency"})
_SPECIAL = NUMBER_FIELDS | UPPER_FIELDS | {"posted_at"}

# A posted_at derived from relative text ("Posted 3 days ago") is kept as stored unless the
# new value is more than this many days earlier. Relative texts round ("2 weeks ago") and
# saturate ("30+ days ago"), so the derived date only drifts later as a job ages; moving it
# would make an unchanged job look changed on every crawl.
POSTED_AT_SLACK_DAYS = 7


@dataclass
class PreparedJob:
    """One item ready to be written: identity, canonical content, bookkeeping."""

    board: str
    external_id: str
    values: dict[str, Any]  # CONTENT_FIELDS, canonical
    scraped_at: datetime | None
    extraction_pending: bool
    provenance: dict | None
    posted_relative: bool
    company_norm: str = ""
    content_hash: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.board, self.external_id)

    def rehash(self) -> None:
        self.content_hash = content_hash(self.values)


def canonical(name: str, value: Any) -> Any:
    """Return a field value in the one form used for hashing, storing and comparing."""
    if value is None:
        return None
    if type(value) is str and name not in _SPECIAL:  # the common case, kept fast
        return value or None
    if isinstance(value, (date, datetime)) and name == "posted_at":
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    if name in NUMBER_FIELDS:
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            return None
        return number if math.isfinite(number) else None
    if isinstance(value, (list, tuple, dict)):
        # Producers should send scalars; keep odd shapes as JSON text rather than fail.
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if not isinstance(value, str):
        value = str(value)
    if value == "":
        return None
    if name == "posted_at":
        return _iso_date(value)
    if name in UPPER_FIELDS:
        return value.strip().upper() or None
    return value


@lru_cache(maxsize=4096)
def _iso_date(text: str) -> str | None:
    text = text.strip()
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        logger.debug("posted_at %r is not an ISO date; stored as unknown", text)
        return None


def content_hash(values: Mapping[str, Any]) -> str:
    """Return the sha256 hex digest over the canonical content fields."""
    return _hash_list(list(map(values.get, CONTENT_FIELDS)))


# The content fields up to description_html are hashed alone when none of the fields added
# after them has a value: a job stored before they existed keeps its digest.
_LEGACY_COUNT = CONTENT_FIELDS.index("description_html") + 1


def _hash_list(vals: list[Any]) -> str:
    # Unit separators between fields and a marker for None: unambiguous, since canonical
    # values are None, non-empty str or float (repr is stable), and much faster than JSON.
    # The digest must never change for the same content: stored hashes decide "unchanged".
    if len(vals) > _LEGACY_COUNT and vals[_LEGACY_COUNT:].count(None) == len(vals) - _LEGACY_COUNT:
        vals = vals[:_LEGACY_COUNT]
    payload = "\x1f".join([v if v.__class__ is str else "\x00" if v is None else repr(v)
                           for v in vals])
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def parse_timestamp(value: Any) -> datetime | None:
    """Return an aware UTC datetime from an ISO string or datetime, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif value.__class__ is str:
        return _parse_ts_text(value)
    else:
        return _parse_ts_text(str(value))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


@lru_cache(maxsize=8192)
def _parse_ts_text(text: str) -> datetime | None:
    # Cached: a crawl's items share few distinct scraped_at strings per second, and a batch
    # of 1,000 parses each one once instead of once per item.
    try:
        dt = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


WEBSITE_PREFIX = "website:"


def board_for(item: Mapping[str, Any]) -> str | None:
    """Return the item's board, or one derived from source and site when a producer left it out.

    A company's own site is the board of that company on that site (see company_board).
    """
    board = item.get("board")
    if not board:
        host = item.get("company_domain") or urlsplit(str(item.get("url") or "")).hostname
        if not host:
            return None
        board = f"{item.get('source') or 'website'}:{host}"
    return company_board(str(board), item.get("company"))


def company_board(board: str, company: Any) -> str:
    """Return 'website:<domain>/<normalized company>' for a site board; other boards as they are.

    Page parsers name a site's board by its domain alone; several companies can share a host
    (a hosting provider, a group's common site), so the store keys a site's jobs by the company
    the crawl was for too: one company's crawl never closes or claims another's jobs there.
    An ATS board is already one company's (its token), whatever name a crawl was given.
    """
    if not board.startswith(WEBSITE_PREFIX) or "/" in board:
        return board
    norm = normalize_company(company) if company else ""
    return f"{board}/{norm}" if norm else board


def is_website_board(board: str | None) -> bool:
    """Return True for a company's own-site board (closed only within a crawl's scope)."""
    return bool(board) and board.startswith(WEBSITE_PREFIX)


def external_id_for(item: Mapping[str, Any]) -> str | None:
    """Return the item's external id, or a hash of its URL (the contract's fallback)."""
    ext = item.get("external_id")
    if ext not in (None, ""):
        return str(ext)
    url = item.get("url")
    if not url:
        return None
    return hashlib.sha1(str(url).encode("utf-8")).hexdigest()[:20]


_PLAIN_AT = [i for i, f in enumerate(CONTENT_FIELDS) if f not in _SPECIAL]
_SPECIAL_AT = [(i, f, "number" if f in NUMBER_FIELDS else "date" if f == "posted_at" else "upper")
               for i, f in enumerate(CONTENT_FIELDS) if f in _SPECIAL]
_plain_of = itemgetter(*_PLAIN_AT)
_STR_OR_NONE = frozenset({str, type(None)})
_EXTERNAL_ID_AT = CONTENT_FIELDS.index("external_id")


def canonical_list(item: Mapping[str, Any]) -> list[Any]:
    """Return the item's canonical CONTENT_FIELDS values, in order."""
    # The hot path of every upsert. Most fields of most items are already canonical strings
    # or None: check that for all of them at C speed, and call canonical() only where needed.
    vals = list(map(item.get, CONTENT_FIELDS))
    plain = _plain_of(vals)
    if not set(map(type, plain)) <= _STR_OR_NONE or "" in plain:
        for i in _PLAIN_AT:
            v = vals[i]
            if v is not None and (v.__class__ is not str or not v):
                vals[i] = canonical(CONTENT_FIELDS[i], v)
    for i, f, kind in _SPECIAL_AT:
        # canonical()'s answer for the usual types, inline; anything else goes through it.
        v = vals[i]
        if v is None:
            continue
        cls = v.__class__
        if cls is float and kind == "number":
            vals[i] = v if v - v == 0.0 else None  # NaN and infinities are not amounts
        elif cls is int and kind == "number" and -2**53 <= v <= 2**53:
            vals[i] = float(v)
        elif cls is str and kind == "upper":
            vals[i] = v.strip().upper() or None
        elif cls is str and kind == "date":
            vals[i] = _iso_date(v) if v else None
        else:
            vals[i] = canonical(f, v)
    return vals


_TITLE_AT = CONTENT_FIELDS.index("title")
_URL_AT = CONTENT_FIELDS.index("url")
_COMPANY_AT = CONTENT_FIELDS.index("company")


def prepare(item: Mapping[str, Any]) -> PreparedJob | None:
    """Return the item as a PreparedJob, or None when it lacks what identifies a job."""
    # Per row on every backend: the usual item (an ATS board, a string id) skips the general
    # board_for/external_id_for, whose answer for it is the value itself.
    get = item.get
    board = get("board")
    if board.__class__ is not str or not board or board.startswith(WEBSITE_PREFIX):
        board = board_for(item)
    external_id = get("external_id")
    if external_id.__class__ is not str or not external_id:
        external_id = external_id_for(item)
    vals = canonical_list(item)
    if not board or not external_id or not vals[_TITLE_AT] or not vals[_URL_AT]:
        return None
    vals[_EXTERNAL_ID_AT] = external_id
    provenance = get("provenance")
    return PreparedJob(
        board,
        external_id,
        dict(zip(CONTENT_FIELDS, vals)),
        parse_timestamp(get("scraped_at")),
        bool(get("extraction_pending")),
        provenance if isinstance(provenance, dict) and provenance else None,
        bool(get("posted_text")),
        normalize_company(vals[_COMPANY_AT]),
        _hash_list(vals),
    )


def anchor_posted_at(job: PreparedJob, stored_posted_at: str | None) -> None:
    """Keep the stored posted_at when the new one is a relative-date estimate of the same day."""
    new = job.values.get("posted_at")
    if not job.posted_relative or not stored_posted_at or not new or new == stored_posted_at:
        return
    try:
        new_d, old_d = date.fromisoformat(new), date.fromisoformat(stored_posted_at)
    except ValueError:
        return
    if new_d >= old_d - timedelta(days=POSTED_AT_SLACK_DAYS):
        job.values["posted_at"] = stored_posted_at
        job.rehash()


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """Return (changed field names, their old values) between two canonical content dicts."""
    changed = [f for f in CONTENT_FIELDS if old.get(f) != new.get(f)]
    return changed, {f: old.get(f) for f in changed}


def sort_date(job: PreparedJob, first_seen: datetime) -> str:
    """Return the job's sort key: posted_at, else the day it was first seen."""
    return job.values.get("posted_at") or first_seen.date().isoformat()

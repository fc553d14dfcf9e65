"""Request and response bodies as pydantic models; the OpenAPI document is built from them."""
from __future__ import annotations

import base64
import datetime as dt
import json
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from jobos.args import CONTROL_RULE, COUNTRY_RULE, COUNTRY_TYPE_RULE, URL_RULE, CrawlArgs
from jobos.normalize.countries import country_code
from jobos.normalize.location import place_of
from jobos.passwords import password_problem

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+-]*):(?!\d)")
_QUERY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
ROLES = ("viewer", "user", "admin")
Role = Literal["viewer", "user", "admin"]
WORKPLACES = ("onsite", "hybrid", "remote")
EMPLOYMENT_TYPES = (
    "FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER",
)


def _iso(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


Timestamp = Annotated[str | None, BeforeValidator(_iso)]


def clean_text(value: str, *, allow_newlines: bool = False) -> str:
    """Return NFC text, or raise ValueError for control characters and lone surrogates."""
    pattern = _CONTROL if allow_newlines else _QUERY_CONTROL
    if pattern.search(value):
        raise ValueError(CONTROL_RULE)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return unicodedata.normalize("NFC", value)


def _country_value(value: object) -> object:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValueError(COUNTRY_TYPE_RULE)
    clean_text(value)
    code = country_code(value)
    if code is None:
        raise ValueError(COUNTRY_RULE)
    return code


MAX_ID = 10**18 - 1


def check_cursor(cursor: str, sort: str, order: str, kind: str) -> str:
    """Return the cursor when it has the shape the store issues, else raise ValueError.

    The store's cursor is base64url JSON [sort, order, last sort value, last id]; a tampered one
    (an id past any row, a value of the wrong type, a NUL) must be refused here, as the caller's
    mistake, before it reaches SQL.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parts = json.loads(raw)
    except (ValueError, TypeError, RecursionError):
        raise ValueError("cursor is not one this API issued") from None
    if not isinstance(parts, list) or len(parts) != 4:
        raise ValueError("cursor is not one this API issued")
    c_sort, c_order, value, last_id = parts
    if c_sort != sort or c_order != order:
        raise ValueError("cursor belongs to a different sort order")
    if type(last_id) is not int or not 0 <= last_id <= MAX_ID:
        raise ValueError("cursor is not one this API issued")
    if value is None:
        return cursor
    if not isinstance(value, str) or "\x00" in value or len(value) > 1000:
        raise ValueError("cursor is not one this API issued")
    try:
        value.encode("utf-8")
        if kind == "date":
            dt.date.fromisoformat(value)
        elif kind == "ts":
            dt.datetime.fromisoformat(value)
    except (ValueError, UnicodeEncodeError):
        raise ValueError("cursor is not one this API issued") from None
    return cursor


# --- Requests ---------------------------------------------------------------------------------

def _drop_crawl_id(schema: dict[str, Any]) -> None:
    schema.get("properties", {}).pop("crawl_id", None)



def with_place(item: dict[str, Any]) -> dict[str, Any]:
    """Return the job with location_display: records stored before it existed get the one format."""
    if item.get("location_display"):
        return item
    return {**item, "location_display": place_of(item)}

class ScrapeCompanyRequest(CrawlArgs):
    """A crawl to start: the `careers` spider's own arguments (crawl_id is set by the API)."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=_drop_crawl_id
    )

    @model_validator(mode="before")
    @classmethod
    def _no_crawl_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("crawl_id") is not None:
            raise ValueError("crawl_id is set by the API, not by the client")
        return data

    @field_validator("company", "careers_url", mode="before")
    @classmethod
    def _unicode(cls, value: Any) -> Any:
        if isinstance(value, str):
            clean_text(value)
        return value

    @field_validator("careers_url", mode="before")
    @classmethod
    def _scheme(cls, value: Any) -> Any:
        # "javascript:x" has no "://", so the shared model would make it https://javascript:x;
        # a scheme other than http(s) (a word and a colon not followed by a port) is refused here.
        if isinstance(value, str):
            match = _SCHEME.match(value.strip())
            if match and match.group(1).lower() not in ("http", "https"):
                raise ValueError(URL_RULE)
        return value


class BatchRequest(BaseModel):
    """Several crawls at once: one per company."""

    model_config = ConfigDict(extra="forbid")
    companies: list[ScrapeCompanyRequest] = Field(min_length=1, max_length=1000)


class JobsQuery(BaseModel):
    """Search parameters of GET /api/jobs."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    q: str | None = Field(default=None, max_length=200, description="Full-text search on title and description.")
    company: str | None = Field(default=None, max_length=200, description="Company name (case-insensitive).")
    country: str | None = Field(default=None, description="ISO alpha-2 code or English name.")
    workplace: Literal["onsite", "hybrid", "remote"] | None = None
    employment_type: Literal[
        "FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"
    ] | None = None
    posted_since: dt.date | None = Field(default=None, description="Only jobs posted on or after this date.")
    lang: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$",
                             description="ISO 639-1 language of the posting (e.g. de); full-text search "
                                         "then stems in that language where the database can.")
    unknown_country: Literal["include", "exclude"] = Field(
        default="include", description="With country: keep (default) or drop jobs whose country is unknown.")
    duplicates: Literal["hide", "show"] = Field(
        default="hide", description="Jobs found again on another board of the same company (duplicate_of set).")
    status: Literal["open", "closed", "all"] = "open"
    sort: Literal["posted_at", "first_seen", "last_seen", "title", "company"] = "posted_at"
    order: Literal["asc", "desc"] = "desc"
    cursor: str | None = Field(default=None, max_length=500, description="next_cursor of the previous page.")
    limit: int = Field(default=50, ge=1, le=200)
    format: Literal["json", "csv"] = "json"

    @field_validator("q", "company", "cursor", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return clean_text(value) if isinstance(value, str) else value

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        return _country_value(value)

    @field_validator("employment_type", "workplace", mode="before")
    @classmethod
    def _case(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            return value.upper() if value.upper() in EMPLOYMENT_TYPES else value.lower()
        return value


class CompaniesQuery(BaseModel):
    """Search parameters of GET /api/companies."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    q: str | None = Field(default=None, max_length=200, description="Part of the company name.")
    country: str | None = None
    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=50, ge=1, le=200)

    @field_validator("q", "cursor", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return clean_text(value) if isinstance(value, str) else value

    @field_validator("cursor")
    @classmethod
    def _cursor(cls, value: str | None) -> str | None:
        # Companies page by name, ascending (the store's only company order).
        return None if value is None else check_cursor(value, "name", "asc", "text")

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        return _country_value(value)


class CrawlRunsQuery(BaseModel):
    """Filters of GET /api/scrape."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["pending", "running", "finished", "failed", "cancelled"] | None = None
    limit: int = Field(default=50, ge=1, le=200)


class CompanyPatch(BaseModel):
    """Fix a company's board when discovery chose wrong: pin a careers page or board URL."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    careers_url: str | None = Field(default=None, max_length=2000, description="The right careers page or ATS board URL.")
    board: str | None = Field(
        default=None, max_length=300, pattern=r"^[a-z]+:[^\s]+$",
        description="A board identity such as greenhouse:acme (ATS and token).",
    )
    pinned: bool | None = Field(default=None, description="Keep this board; discovery then uses it.")

    @field_validator("careers_url", mode="before")
    @classmethod
    def _url(cls, value: Any) -> Any:
        if value is None:
            return None
        # The crawl arguments' own URL rules, so a pinned URL is one the spider accepts.
        if isinstance(value, str):
            clean_text(value)
            match = _SCHEME.match(value.strip())
            if match and match.group(1).lower() not in ("http", "https"):
                raise ValueError(URL_RULE)
        return CrawlArgs._careers_url(value)

    @model_validator(mode="after")
    def _something(self) -> "CompanyPatch":
        if self.careers_url is None and self.pinned is None and self.board is None:
            raise ValueError("give careers_url, board or pinned")
        return self


class RefreshRequest(BaseModel):
    """Options of a company refresh (re-crawl)."""

    model_config = ConfigDict(extra="forbid")
    country: str | None = Field(default=None, description="Limit the re-crawl to a country.")

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        return _country_value(value)


class LoginRequest(BaseModel):
    """Local account credentials."""

    model_config = ConfigDict(extra="forbid")
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1024)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = clean_text(value.strip()).lower()
        if "@" not in value:
            raise ValueError("must be an email address")
        return value


class UserCreate(LoginRequest):
    """A new local account (admin only)."""

    role: Role = "viewer"

    @field_validator("password")
    @classmethod
    def _strong(cls, value: str) -> str:
        problem = password_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class AccountStatus(BaseModel):
    """Disable or enable a local account."""

    model_config = ConfigDict(extra="forbid")
    disabled: bool = Field(description="True stops the account and every token it has, at once.")


class RoleChange(BaseModel):
    """A new role for an account or external profile."""

    model_config = ConfigDict(extra="forbid")
    role: Role


class AuditQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    limit: int = Field(default=100, ge=1, le=1000)


# --- Responses --------------------------------------------------------------------------------

class ErrorDetail(BaseModel):
    code: str = Field(description="Machine-readable error code, e.g. validation_error.")
    message: str = Field(description="One sentence for a person.")
    detail: Any = Field(default=None, description="For validation: a list of {field, reason, location}.")


class ErrorResponse(BaseModel):
    """The one error shape every error uses."""

    error: ErrorDetail


class CrawlAccepted(BaseModel):
    """A crawl was accepted (or the same one was already running)."""

    crawl_id: int
    status: str
    existing: bool = Field(description="True when the same company and country was already running.")
    url: str = Field(description="Where to follow it.")


class CrawlRun(BaseModel):
    """A crawl run: status, progress counts, errors, where it runs."""

    model_config = ConfigDict(extra="ignore")
    id: int
    status: str
    step: str | None = None
    args: dict[str, Any] | None = None
    requested_by: str | None = None
    source: str | None = Field(default=None, description="What started it: cli, api, scrapyd, or scheduler"
                               " (the refresh scheduler; the crawls page says scheduled).")
    pages: int | None = 0
    found: int | None = 0
    new: int | None = 0
    updated: int | None = 0
    unchanged: int | None = 0
    closed: int | None = 0
    dropped: int | None = 0
    llm_calls: int | None = 0
    errors: Any = None
    error_summary: str | None = None
    scrapyd_job_id: str | None = None
    node: str | None = None
    attempts: int | None = None
    created_at: Timestamp = None
    started_at: Timestamp = None
    finished_at: Timestamp = None


class CrawlRunList(BaseModel):
    items: list[CrawlRun]


class BatchItemResult(BaseModel):
    company: str
    country: str | None = None
    crawl_id: int | None = None
    existing: bool = False
    status: str | None = None
    error: ErrorDetail | None = None


class BatchAccepted(BaseModel):
    """One result per company, in the order given."""

    crawls: list[BatchItemResult]


class Job(BaseModel):
    """A stored job: the record contract plus its life in the store."""

    model_config = ConfigDict(extra="allow")
    id: int
    title: str
    url: str
    company: str | None = None
    status: str | None = None
    first_seen: Timestamp = None
    last_seen: Timestamp = None
    closed_at: Timestamp = None
    posted_at: Timestamp = None
    scraped_at: Timestamp = None
    location_display: str | None = Field(default=None, description="The place, one format: city, region, country.")
    remote_scope: str | None = Field(default=None, description="A remote job's reach: ISO countries or an area.")
    language: str | None = Field(default=None, description="ISO 639-1 language of the posting.")
    duplicate_of: int | None = Field(default=None, description="The id of the same job on another board.")

    @model_validator(mode="before")
    @classmethod
    def _place(cls, data: Any) -> Any:
        return with_place(data) if isinstance(data, dict) else data


class JobDetail(Job):
    """A job with its history (previous versions) and per-field provenance."""

    history: list[dict[str, Any]] = Field(default_factory=list)
    provenance: dict[str, Any] | None = None


class JobsPage(BaseModel):
    items: list[Job]
    total: str = Field(description="The number of matching jobs: exact up to 1,000, then '1000+'.")
    next_cursor: str | None = None


class Company(BaseModel):
    """A company: its board, why it was chosen, last crawl, open jobs."""

    model_config = ConfigDict(extra="allow")
    id: int
    name: str | None = None
    last_crawl_at: Timestamp = None
    refresh_interval: int | None = Field(default=None, description="Its own refresh interval in seconds (null: the default).")
    effective_refresh_interval: int | None = Field(default=None, description="The interval the scheduler uses, seconds.")
    next_refresh_at: Timestamp = Field(default=None, description="When the scheduler next re-crawls it.")
    refresh_failures: int | None = Field(default=None, description="Scheduled refreshes failed in a row.")
    backoff_until: Timestamp = Field(default=None, description="After failures: no scheduled refresh before this.")


class CompaniesPage(BaseModel):
    items: list[Company]
    next_cursor: str | None = None


class NodeHealth(BaseModel):
    url: str | None = Field(default=None, description="Admins only.")
    ok: bool
    pending: int | None = None
    running: int | None = None
    finished: int | None = None
    error: str | None = None


class ServiceHealth(BaseModel):
    ok: bool
    error: str | None = None
    url: str | None = None


class Health(BaseModel):
    """Reachability of the database, the scrapyd nodes and the LLM server."""

    status: Literal["ok", "degraded", "down"]
    database: ServiceHealth
    scrapyd: list[NodeHealth]
    llm: ServiceHealth


class Token(BaseModel):
    """A short-lived access token (also set as an HttpOnly cookie with a CSRF cookie)."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    role: Role
    csrf_token: str = Field(description="Send back as X-CSRF-Token on unsafe requests that use the cookie.")


class Me(BaseModel):
    subject: str
    email: str | None = None
    role: Role
    kind: Literal["local", "external", "anonymous"]


class User(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: int
    email: str | None = None
    role: Role
    created_at: Timestamp = None


class AuditEntry(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int | None = None
    at: Timestamp = None
    actor: str | None = None
    action: str
    target: str | None = None
    detail: Any = None


class AuditPage(BaseModel):
    items: list[AuditEntry]


class Message(BaseModel):
    message: str

"""Saved searches and followed companies (the signed-in user's own), their alerts, Atom feeds
and unsubscribe links (the last two work without signing in: the secret is in the URL)."""
from __future__ import annotations

import re
from typing import Any, Literal

from flask import Blueprint, Response, current_app, jsonify
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from api.auth import current_identity, require
from api.errors import ApiError
from api.ext import store
from api.models import _country_value, clean_text
from api.spec import doc, parse_body
from jobos.alerts.feed import build_feed
from jobos.alerts.tokens import read_unsubscribe_token
from jobos.config import env_bool
from jobos.guard import refusal_reason

bp = Blueprint("alerts", __name__, url_prefix="/api/alerts")

_EMAIL = re.compile(r"^[^@\s<>,;\"']{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")
EmailMode = Literal["off", "immediate", "daily"]


class SavedQuery(BaseModel):
    """The jobs query a saved search stands for (the filters of GET /api/jobs)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    q: str | None = Field(default=None, max_length=200)
    company: str | None = Field(default=None, max_length=200)
    country: str | None = None
    workplace: Literal["onsite", "hybrid", "remote"] | None = None
    employment_type: Literal[
        "FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"
    ] | None = None

    @field_validator("q", "company", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return clean_text(value) if isinstance(value, str) else value

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        return _country_value(value)


def _check_email(value: Any) -> Any:
    if value is not None and (not isinstance(value, str) or not _EMAIL.match(value) or len(value) > 254):
        raise ValueError("must be an email address such as ada@example.org")
    return value


def _check_webhook(value: Any) -> Any:
    if value is None:
        return value
    if not isinstance(value, str) or not value.startswith(("http://", "https://")) or len(value) > 2000:
        raise ValueError("must be an http or https URL")
    clean_text(value)
    # Names are resolved again at each delivery; here the literal address and the name are refused early.
    if not env_bool("JOBOS_ALLOW_PRIVATE", False):
        reason = refusal_reason(value)
        if reason:
            raise ValueError(f"is an address webhooks may not reach ({reason})")
    return value


class SavedSearchCreate(BaseModel):
    """A saved search (kind 'search') or a followed company (kind 'company', query.company set)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    kind: Literal["search", "company"] = "search"
    name: str = Field(min_length=1, max_length=100)
    query: SavedQuery = Field(default_factory=SavedQuery)
    email: str | None = Field(default=None, max_length=254, description="Where alert mails go.")
    email_mode: EmailMode = Field(default="off", description="Mail each run's alerts, a daily digest, or none.")
    webhook_url: str | None = Field(default=None, max_length=2000, description="Receives each alert as signed JSON.")

    _name = field_validator("name", mode="before")(lambda v: clean_text(v) if isinstance(v, str) else v)
    _email = field_validator("email", mode="before")(_check_email)
    _hook = field_validator("webhook_url", mode="before")(_check_webhook)

    @model_validator(mode="after")
    def _consistent(self) -> SavedSearchCreate:
        if self.kind == "company" and not self.query.company:
            raise ValueError("a company follow needs query.company")
        if self.email_mode != "off" and not self.email:
            raise ValueError("email_mode needs an email address")
        return self


class SavedSearchPatch(BaseModel):
    """Fields to change; others stay."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str | None = Field(default=None, min_length=1, max_length=100)
    email: str | None = Field(default=None, max_length=254)
    email_mode: EmailMode | None = None
    webhook_url: str | None = Field(default=None, max_length=2000, description="Empty string removes it.")

    _name = field_validator("name", mode="before")(lambda v: clean_text(v) if isinstance(v, str) else v)
    _email = field_validator("email", mode="before")(_check_email)
    _hook = field_validator("webhook_url", mode="before")(lambda v: v if v == "" else _check_webhook(v))


class SavedSearch(BaseModel):
    id: int
    kind: str
    name: str
    query: dict[str, Any]
    email: str | None = None
    email_mode: str
    webhook_url: str | None = None
    webhook_secret: str | None = Field(default=None, description=(
        "Key of the X-JobOS-Signature HMAC: only in the answer that set the webhook URL (a new URL gets "
        "a new key); null on later reads."))
    webhook_disabled: bool = False
    webhook_failures: int = 0
    feed_url: str = Field(description="Secret Atom feed URL: anyone holding it can read the alerts.")
    created_at: str | None = None
    last_visit_at: str | None = None


class SavedSearchList(BaseModel):
    items: list[SavedSearch]


class AlertEvent(BaseModel):
    id: int
    change: Literal["new", "changed", "closed"]
    job_id: int
    payload: dict[str, Any]
    created_at: str | None = None


class AlertEventsPage(BaseModel):
    items: list[AlertEvent]
    new_since_last_visit: int = Field(description="Alerts recorded after the previous call.")
    last_visit_at: str | None = None


class Unsubscribed(BaseModel):
    unsubscribed: bool
    name: str


def _owner_id() -> int:
    subject = current_identity().subject
    kind, _, number = subject.partition(":")
    if kind not in ("user", "profile") or not number.isdigit():
        raise ApiError(403, "forbidden", "Saved searches belong to signed-in users")
    return int(number)


def _out(search: dict[str, Any], secret: str | None = None) -> dict[str, Any]:
    """Return a saved search as the API shows it: the webhook's key only in the answer that set
    the webhook's address (`secret`), never on later reads."""
    from flask import url_for

    feed_url = url_for("alerts.feed", token=search["feed_token"], _external=True)
    return SavedSearch.model_validate({**search, "webhook_secret": secret, "feed_url": feed_url}).model_dump(mode="json")


def apply_patch(search: dict[str, Any], patch: SavedSearchPatch) -> tuple[dict[str, Any], str | None]:
    """Return (the saved search changed by a validated patch, the new webhook key or None).

    The rules the API and the page share: an empty webhook URL removes it; removing the email
    switches mails off; mails need an address (ApiError 422); a new webhook URL gets a new key."""
    fields = patch.model_dump(exclude_unset=True)
    fields = {k: v for k, v in fields.items() if v is not None or k in ("email", "webhook_url")}
    if fields.get("webhook_url") == "":
        fields["webhook_url"] = None
    if "email" in fields and fields["email"] is None:
        fields["email_mode"] = "off"
    if fields.get("email_mode", "off") != "off" and not (fields.get("email") or search.get("email")):
        raise ApiError(422, "validation_error", "email_mode: needs an email address",
                       [{"field": "email_mode", "reason": "needs an email address", "location": "body"}])
    secret = None
    if fields.get("webhook_url") and fields["webhook_url"] != search.get("webhook_url"):
        secret = store().new_webhook_secret(search["id"])
    return store().update_saved_search(search["id"], search["owner_id"], **fields), secret


def _own_or_404(search_id: int) -> dict[str, Any]:
    search = store().get_saved_search(search_id, owner_id=_owner_id())
    if search is None:  # another user's saved search is as absent as a missing one
        raise ApiError(404, "not_found", f"No saved search {search_id}")
    return search


def new_since_visit(search: dict[str, Any], events: list[dict[str, Any]]) -> int:
    """Return how many of a saved search's alerts came after its owner's last visit (all of
    them before the first visit); the API's events call and the page count the same way."""
    last = search.get("last_visit_at")
    return sum(1 for e in events if last is None or (e.get("created_at") or "") > last)


@bp.get("/searches")
@require("user")
@doc("Your saved searches and followed companies", "alerts", response=SavedSearchList)
def list_searches():
    items = [_out(s) for s in store().list_saved_searches(_owner_id())]
    return jsonify({"items": items})


@bp.post("/searches")
@require("user")
@doc("Save a jobs query or follow a company, with its alert deliveries", "alerts", body=SavedSearchCreate,
     response=SavedSearch, status=201)
def create_search():
    body = parse_body(SavedSearchCreate)
    search = store().create_saved_search(
        _owner_id(), body.kind, body.name, body.query.model_dump(exclude_none=True), email=body.email,
        email_mode=body.email_mode, webhook_url=body.webhook_url)
    return jsonify(_out(search, secret=search["webhook_secret"] if body.webhook_url else None)), 201


@bp.get("/searches/<id:search_id>")
@require("user")
@doc("One of your saved searches", "alerts", response=SavedSearch)
def get_search(search_id: int):
    return jsonify(_out(_own_or_404(search_id)))


@bp.patch("/searches/<id:search_id>")
@require("user")
@doc("Change a saved search's name or deliveries", "alerts", body=SavedSearchPatch, response=SavedSearch)
def patch_search(search_id: int):
    updated, secret = apply_patch(_own_or_404(search_id), parse_body(SavedSearchPatch))
    return jsonify(_out(updated, secret=secret))


@bp.delete("/searches/<id:search_id>")
@require("user")
@doc("Delete a saved search with its alerts", "alerts", status=204)
def delete_search(search_id: int):
    if not store().delete_saved_search(search_id, _owner_id()):
        raise ApiError(404, "not_found", f"No saved search {search_id}")
    return Response(status=204)


@bp.get("/searches/<id:search_id>/events")
@require("user")
@doc("A saved search's alerts, newest first, and how many are new since your last visit", "alerts",
     response=AlertEventsPage)
def list_events(search_id: int):
    search = _own_or_404(search_id)
    events = store().list_alert_events(search_id, limit=100)
    last = search.get("last_visit_at")
    new = new_since_visit(search, events)
    store().mark_search_visited(search_id)
    return jsonify(AlertEventsPage(items=events, new_since_last_visit=new, last_visit_at=last).model_dump(mode="json"))


@bp.get("/feeds/<token>")
@doc("A saved search's alerts as an Atom feed (the URL is the secret)", "alerts",
     raw_response={"application/atom+xml": {"schema": {"type": "string"}}})
def feed(token: str):
    search = store().get_saved_search_by_feed_token(token) if len(token) <= 100 else None
    if search is None:
        raise ApiError(404, "not_found", "No such feed")
    from flask import url_for

    body = build_feed(search, store().list_alert_events(search["id"], limit=50),
                      url_for("alerts.feed", token=token, _external=True))
    return Response(body, mimetype="application/atom+xml")


@bp.get("/unsubscribe/<token>")
@doc("Stop a saved search's mails (the link in every alert mail; no sign-in)", "alerts", response=Unsubscribed)
def unsubscribe(token: str):
    search_id = read_unsubscribe_token(current_app.config["SECRET_KEY"], token) if len(token) <= 200 else None
    search = store().get_saved_search(search_id) if search_id is not None else None
    if search is None:
        raise ApiError(404, "not_found", "This unsubscribe link is not valid (or its saved search is gone)")
    store().update_saved_search(search_id, None, email_mode="off")
    return jsonify({"unsubscribed": True, "name": search["name"]})

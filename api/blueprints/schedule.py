"""The refresh scheduler in the API: a company's refresh interval, and the scheduler's status."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, current_app, jsonify
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.auth import current_identity, require
from api.errors import ApiError
from api.ext import audit, store
from api.models import Company, Timestamp
from api.spec import doc, parse_body
from jobos.scheduler import LEASE_NAME, SchedulePolicy
from jobos.store.schedule import MAX_INTERVAL, MIN_INTERVAL

bp = Blueprint("schedule", __name__, url_prefix="/api")


def _seconds(value: Any) -> Any:
    """Return seconds from a number or a duration such as 12h, 1d, 2w (None stays None)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        from jobos.cli import parse_duration

        text = value.strip()
        if text.isdigit():
            return int(text)
        try:
            return int(parse_duration(text).total_seconds())
        except Exception:  # argparse's error type: the sentence below says what is wanted
            raise ValueError("must be a number of seconds or a duration such as 12h, 1d or 2w") from None
    return value


class RefreshIntervalBody(BaseModel):
    """A company's own refresh interval; null returns it to the default (JOBOS_REFRESH_INTERVAL)."""

    model_config = ConfigDict(extra="forbid")
    refresh_interval: int | None = Field(
        description=f"Seconds ({MIN_INTERVAL} to {MAX_INTERVAL}), or a duration such as 12h, 1d, 2w; null: the default.",
    )

    @field_validator("refresh_interval", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("must be a number of seconds or a duration such as 12h, 1d or 2w")
        return _seconds(value)

    @field_validator("refresh_interval")
    @classmethod
    def _range(cls, value: int | None) -> int | None:
        if value is not None and not MIN_INTERVAL <= value <= MAX_INTERVAL:
            raise ValueError(f"must be between {MIN_INTERVAL} seconds and {MAX_INTERVAL // 86400} days")
        return value


class SchedulerStatus(BaseModel):
    """The refresh scheduler: is it on, who leads it, what its last pass did, how many are due."""

    enabled: bool = Field(description="Whether this API's workers run the scheduler (JOBOS_SCHEDULER_ENABLED).")
    default_refresh_interval: int = Field(description="Seconds (JOBOS_REFRESH_INTERVAL).")
    leader: str | None = Field(default=None, description="The process holding the scheduler's lease (admins only).")
    leader_active: bool = Field(description="Whether some process holds an unexpired lease now.")
    leader_since: Timestamp = None
    lease_expires_at: Timestamp = None
    last_tick_at: Timestamp = None
    last_tick: dict[str, Any] | None = Field(default=None, description="What the last pass did: due, started, failed, ...")
    companies: int
    due: int | None = Field(default=None, description="Companies due at the last pass (null before any pass).")
    backing_off: int = Field(description="Companies whose scheduled refreshes failed and are waiting to retry.")


@bp.put("/companies/<id:company_id>/refresh-interval")
@require("user")
@doc("Set how often the scheduler re-crawls this company (the user who added it, or an admin)",
     "companies", body=RefreshIntervalBody, response=Company, errors=(403,))
def set_refresh_interval(company_id: int):
    before = store().get_company(company_id)
    if not before:
        raise ApiError(404, "not_found", f"No company {company_id}")
    body = parse_body(RefreshIntervalBody)
    identity = current_identity()
    if not identity.at_least("admin") and (not before.get("created_by")
                                           or before.get("created_by") != identity.subject):
        audit("company.refresh_interval_denied", f"company:{company_id}", {"attempted": body.refresh_interval})
        raise ApiError(403, "forbidden",
                       "Only the user who added this company, or an admin, can change how often it is refreshed")
    company = store().set_refresh_interval(company_id, body.refresh_interval)
    if company is None:
        raise ApiError(404, "not_found", f"No company {company_id}")
    audit("company.refresh_interval", f"company:{company_id}",
          {"before": before.get("refresh_interval"), "after": body.refresh_interval})
    return jsonify(Company.model_validate(company).model_dump(mode="json"))


@bp.get("/scheduler")
@require(None)
@doc("The refresh scheduler: leader, last pass and the companies due then, companies backing off", "companies", response=SchedulerStatus)
def scheduler_status():
    db = store()
    try:
        interval = SchedulePolicy.from_env().interval
    except ValueError:
        interval = SchedulePolicy().interval
    counts = db.schedule_counts(dt.datetime.now(dt.timezone.utc))
    lease = db.get_lease(LEASE_NAME) or {}
    info = lease.get("info") or {}
    try:
        admin = current_identity().at_least("admin")
    except ApiError:
        admin = False
    status = SchedulerStatus(
        enabled=bool(current_app.config["SCHEDULER_ENABLED"]),
        default_refresh_interval=interval,
        leader=lease.get("holder") if admin and lease.get("held") else None,
        leader_active=bool(lease.get("held")),
        leader_since=lease.get("acquired_at") if lease.get("held") else None,
        lease_expires_at=lease.get("expires_at"),
        last_tick_at=info.get("last_tick_at"),
        last_tick=info.get("result"),
        companies=counts["companies"],
        due=(info.get("result") or {}).get("due"),
        backing_off=counts["backing_off"],
    )
    return jsonify(status.model_dump(mode="json"))

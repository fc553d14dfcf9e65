"""The API's background duties (the refresh scheduler, the immediate-alerts sender), one leader each."""
from __future__ import annotations

import logging
from typing import Any

from jobos.leader import BackgroundWorkers, Duty
from jobos.scheduler import LEASE_NAME as SCHEDULER_LEASE, Scheduler, SchedulePolicy

logger = logging.getLogger(__name__)

ALERTS_LEASE = "alerts"


def background_workers(config: Any, store: Any, service: Any) -> BackgroundWorkers:
    """Return the (not yet started) duties the configuration enables; bad settings raise RuntimeError."""
    duties: list[Duty] = []
    if config["SCHEDULER_ENABLED"]:
        try:
            scheduler = Scheduler(store, service, SchedulePolicy.from_env())
        except ValueError as exc:
            raise RuntimeError(f"the scheduler cannot start: {exc} (or set JOBOS_SCHEDULER_ENABLED=0)") from None
        duties.append(Duty(SCHEDULER_LEASE, float(config["SCHEDULER_INTERVAL"]), scheduler.tick))
    if config["ALERTS_WORKER_ENABLED"]:
        from jobos.alerts.settings import AlertSettings
        from jobos.alerts.worker import run_once

        try:
            settings = AlertSettings.from_env()
        except ValueError as exc:
            raise RuntimeError(f"the alerts sender cannot start: {exc} (or set JOBOS_ALERTS_WORKER_ENABLED=0)") from None
        duties.append(Duty(ALERTS_LEASE, float(config["ALERTS_INTERVAL"]),
                           lambda keep_going: run_once(store, settings)))
    for key in ("SCHEDULER_INTERVAL", "ALERTS_INTERVAL", "LEASE_TTL"):
        if float(config[key]) <= 0:
            raise RuntimeError(f"JOBOS_{key} must be a positive number of seconds")
    return BackgroundWorkers(store, duties, ttl=float(config["LEASE_TTL"]))

"""Prometheus metrics: crawls started/finished/failed, jobs stored, request latency."""
from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class _StoreCollector:
    """Reads the jobs-stored count from the store at scrape time."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        gauge = GaugeMetricFamily("jobos_jobs_stored", "Jobs in the store, by status", labels=["status"])
        store = self.app.extensions.get("jobos_store")
        for status in ("open", "closed"):
            try:
                value = float(store.job_count(status=status))
            except Exception:  # metrics must answer even when the database does not
                logger.debug("jobs count failed", exc_info=True)
                continue
            gauge.add_metric([status], value)
        yield gauge


class Metrics:
    """One registry per app, so several test apps never share counts."""

    def __init__(self, app: Flask):
        self.registry = CollectorRegistry()
        self.crawls = Counter(
            "jobos_crawls", "Crawl runs by event (started, finished, failed)", ["event"], registry=self.registry
        )
        for event in ("started", "finished", "failed"):
            self.crawls.labels(event=event)
        self.latency = Histogram(
            "jobos_http_request_duration_seconds",
            "API request latency",
            ["method", "endpoint", "status"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.registry.register(_StoreCollector(app))
        app.before_request(self._before)
        app.after_request(self._after)

    def crawl_event(self, event: str) -> None:
        self.crawls.labels(event=event).inc()

    @staticmethod
    def _before() -> None:
        g.jobos_t0 = time.perf_counter()

    def _after(self, response: Any) -> Any:
        t0 = g.get("jobos_t0")
        if t0 is not None:
            # The rule, not the path, so /api/jobs/123 does not make a series per job; any
            # method name a client can send collapses to "other" (a label value per request
            # would grow the registry without bound).
            endpoint = request.url_rule.rule if request.url_rule else "unmatched"
            method = request.method if request.method in METHODS else "other"
            self.latency.labels(method, endpoint, str(response.status_code)).observe(
                time.perf_counter() - t0
            )
        return response

    def render(self) -> bytes:
        return generate_latest(self.registry)

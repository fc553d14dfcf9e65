"""Health for load balancers, Prometheus metrics, the OpenAPI document."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import requests
from flask import Blueprint, Response, current_app, jsonify

from api.auth import current_identity
from api.errors import ApiError
from api.ext import crawls, metrics, store
from api.models import Health, NodeHealth, ServiceHealth
from api.spec import build_openapi, doc

logger = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


def _database(db) -> ServiceHealth:
    try:
        db.ping()
        return ServiceHealth(ok=True)
    except Exception as exc:  # any failure means "down" for a load balancer
        return ServiceHealth(ok=False, error=f"{type(exc).__name__}: {str(exc)[:200]}")


def _llm(host: str, timeout: float) -> ServiceHealth:
    url = str(host).rstrip("/")
    if "://" not in url:
        url = "http://" + url
    try:
        resp = requests.get(f"{url}/api/tags", timeout=timeout)
        resp.raise_for_status()
        return ServiceHealth(ok=True, url=url)
    except requests.RequestException as exc:
        return ServiceHealth(ok=False, url=url, error=type(exc).__name__)


def _is_admin() -> bool:
    try:
        return current_identity().at_least("admin")
    except ApiError:  # a stale token: health still answers, without the detail
        return False


@bp.get("/api/health")
@doc("Database, scrapyd nodes and LLM server reachability (503 when the database or every node is down); "
     "addresses and errors for admins only",
     "health", response=Health, errors=(503,))
def health():
    with ThreadPoolExecutor(max_workers=3) as pool:
        # Worker threads have no app context: hand them what they need.
        db_f = pool.submit(_database, store())
        nodes_f = pool.submit(crawls().cluster.statuses)
        llm_f = pool.submit(_llm, current_app.config["OLLAMA_HOST"], float(current_app.config["HEALTH_TIMEOUT"]))
        database, nodes, llm = db_f.result(), nodes_f.result(), llm_f.result()
    node_health = [NodeHealth(url=n.url, ok=n.ok, pending=n.pending if n.ok else None,
                              running=n.running if n.ok else None, finished=n.finished if n.ok else None,
                              error=n.error) for n in nodes]
    any_node = any(n.ok for n in node_health)
    # The LLM server is optional (records wait for it), so it only degrades.
    if not database.ok or not any_node:
        status = "down"
    elif not llm.ok or not all(n.ok for n in node_health):
        status = "degraded"
    else:
        status = "ok"
    if not _is_admin():
        # Node addresses, the LLM server's URL and error texts are for admins only.
        database = ServiceHealth(ok=database.ok)
        node_health = [NodeHealth(ok=n.ok) for n in node_health]
        llm = ServiceHealth(ok=llm.ok)
    body = Health(status=status, database=database, scrapyd=node_health, llm=llm).model_dump(
        mode="json", exclude_none=True)
    if status == "down":
        what = "the database" if not database.ok else "every scrapyd node"
        # Still the one error shape; the full report is the detail.
        raise ApiError(503, "unavailable", f"JobOS is down: {what} does not answer", body)
    return jsonify(body)


@bp.get("/metrics")
@doc("Prometheus metrics (text format)", "health",
     raw_response={"text/plain": {"schema": {"type": "string"}}})
def prometheus():
    return Response(metrics().render(), mimetype="text/plain; version=0.0.4; charset=utf-8")


@bp.get("/api/openapi.json")
@doc("This document", "health", raw_response={"application/json": {"schema": {"type": "object"}}})
def openapi():
    spec = current_app.extensions.get("jobos_openapi")
    if spec is None:
        spec = current_app.extensions["jobos_openapi"] = build_openapi(current_app)
    return jsonify(spec)

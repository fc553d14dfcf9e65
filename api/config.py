"""API configuration: defaults, then the instance file, then JOBOS_-prefixed environment."""
from __future__ import annotations

import logging
import os
import secrets
from typing import Any

from flask import Flask

from jobos import config as jobos_config

logger = logging.getLogger(__name__)

# Keys are the environment names without the JOBOS_ prefix (JOBOS_RETRY_DELAY -> RETRY_DELAY).
DEFAULTS: dict[str, Any] = {
    "ENV": "development",  # JOBOS_ENV=production: secret key required, cookies Secure
    "SECRET_KEY": None,  # signs local tokens; generated in development
    "DATABASE_URL": None,  # DATABASE_URL (unprefixed, as everywhere in JobOS)
    "DATA_DIR": None,  # JOBOS_DATA_DIR
    "AUTO_MIGRATE": True,
    "SCRAPYD_URLS": "http://127.0.0.1:6800",  # comma-separated nodes
    "SCRAPYD_PROJECT": "jobos",
    "SCRAPYD_SPIDER": "careers",
    "SCRAPYD_TIMEOUT": 5.0,  # seconds per scrapyd HTTP call
    "SCRAPYD_USERNAME": None,  # basic auth for every node (else this install's, see api/nodes.py)
    "SCRAPYD_PASSWORD": None,
    "RETRY_DELAY": 60.0,  # seconds before a failed crawl run is retried (once)
    "MONITOR_INTERVAL": 10.0,  # seconds between scrapyd listjobs polls
    "MONITOR_ENABLED": True,
    # Background duties, each run by one leader among the API's workers (a lease in the store).
    "SCHEDULER_ENABLED": True,  # re-crawl companies when due (jobos/scheduler.py)
    "SCHEDULER_INTERVAL": 60.0,  # seconds between scheduler passes
    "ALERTS_WORKER_ENABLED": True,  # send immediate alerts (what `jobos alerts send` does)
    "ALERTS_INTERVAL": 60.0,  # seconds between alert passes
    "LEASE_TTL": 30.0,  # seconds a leader's lease lives without renewal (renewed every third)
    "JWT_SECRET": None,  # HS256 secret of an external issuer (Supabase legacy secret)
    "JWKS_URL": None,  # JWKS of an external issuer (RS256/ES256)
    "JWT_AUDIENCE": "authenticated",
    "JWT_ISSUER": None,  # optional: require this `iss` on external tokens
    "JWT_ROLE_CLAIM": "app_metadata.role",
    "TOKEN_TTL": 900,  # seconds a local access token lives
    "SESSION_MAX": 12 * 3600,  # seconds a page session may be renewed for after sign-in
    "PUBLIC_READ": False,  # reading jobs and companies without a token; triggering never
    "COOKIE_NAME": "jobos_token",
    "CSRF_COOKIE_NAME": "jobos_csrf",
    "CSRF_HEADER": "X-CSRF-Token",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_DEFAULT": "300 per minute",  # every endpoint, per IP and per token
    "RATELIMIT_TRIGGER": "20 per minute",  # starting, refreshing, batch
    "RATELIMIT_LOGIN": "10 per minute",
    "RATELIMIT_LOGIN_ACCOUNT": "10 per 15 minutes",  # failed sign-ins per account, from any address
    "RATELIMIT_UNMATCHED": "60 per minute",  # requests to no route (404/405), per IP
    "RATELIMIT_HEALTH": "120 per minute",  # /api/health, per IP
    "QUOTA_CONCURRENT": 100,  # a user's pending+running crawls (0: no limit; admins have none)
    "QUOTA_PER_HOUR": 300,  # crawls a user may start per hour (0: no limit; admins have none)
    "MAX_CONTENT_LENGTH": 1024 * 1024,  # request body bytes (Flask's own key): 413 beyond
    "JSON_MAX_DEPTH": 20,  # nesting of a JSON body: 422 beyond
    "BATCH_MAX": 100,  # companies per batch request
    "LOG_FORMAT": "text",
    "OLLAMA_HOST": "http://127.0.0.1:11434",  # OLLAMA_HOST (unprefixed, the client's name)
    "HEALTH_TIMEOUT": 2.0,
    "UI_ENABLED": True,  # the web page blueprint (api/blueprints/ui/) when present
}

ENVIRONMENTS = ("development", "production")

# Variables read without the JOBOS_ prefix because other tools share them.
UNPREFIXED = ("DATABASE_URL", "OLLAMA_HOST")


def coerce(raw: str, default: Any, name: str) -> Any:
    """Return an environment string converted to the type of the default."""
    if isinstance(default, bool):
        return raw.strip().lower() in jobos_config.TRUE
    try:
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        raise ValueError(f"JOBOS_{name} must be a number, got {raw!r}") from None
    return raw


def env_overrides(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return config values given in the environment (JOBOS_X -> X)."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for key, default in DEFAULTS.items():
        name = key if key in UNPREFIXED else f"JOBOS_{key}"
        raw = environ.get(name)
        if raw not in (None, ""):
            values[key] = coerce(raw, default, key)
    return values


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config: defaults, instance file `jobos.cfg`, environment, then test_config."""
    app.config.update(DEFAULTS)
    app.config.from_pyfile("jobos.cfg", silent=True)
    app.config.update(env_overrides())
    if test_config:
        app.config.update(test_config)
    cfg = app.config
    if isinstance(cfg["SCRAPYD_URLS"], str):
        cfg["SCRAPYD_URLS"] = [u.strip().rstrip("/") for u in cfg["SCRAPYD_URLS"].split(",") if u.strip()]
    env_name = str(cfg["ENV"]).strip().lower()
    if env_name not in ENVIRONMENTS:
        raise RuntimeError(
            f"JOBOS_ENV must be 'development' or 'production', got {str(cfg['ENV'])!r}: "
            "an unknown value is refused rather than run with development defaults"
        )
    production = env_name == "production"
    cfg["PRODUCTION"] = production
    if not cfg.get("SECRET_KEY"):
        if production:
            raise RuntimeError(
                "JOBOS_SECRET_KEY is not set: in production mode (JOBOS_ENV=production) the API "
                "refuses to start without a secret key; set it to a long random string"
            )
        # Development only: tokens stop working when the process restarts, which is fine there.
        cfg["SECRET_KEY"] = secrets.token_urlsafe(48)
        logger.warning("JOBOS_SECRET_KEY not set: generated a development key (tokens die on restart)")
    if production and len(str(cfg["SECRET_KEY"])) < 32:
        raise RuntimeError("JOBOS_SECRET_KEY must be at least 32 characters in production mode")
    cfg["SESSION_COOKIE_SECURE"] = production

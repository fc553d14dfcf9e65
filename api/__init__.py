"""JobOS HTTP API: `create_app()` builds the Flask app (one blueprint per resource)."""
from __future__ import annotations

import importlib
import importlib.util
import logging
from typing import Any

from flask import Flask, current_app, request
from flask_limiter import Limit, Limiter

from api import limits, quotas
from api.auth import token_key
from api.config import load_config
from api.crawls import CrawlService
from api.errors import register_error_handlers
from api.logs import configure_logging, install_access_log
from api.metrics import Metrics
from api.monitor import CrawlMonitor
from api.nodes import ScrapydCluster
from api.spec import IdConverter, JsonProvider

logger = logging.getLogger(__name__)

# Views with tighter limits on top of the defaults: config key of the limit.
TIGHT_LIMITS = {
    "auth.login": "RATELIMIT_LOGIN",
    "scrape.start_company": "RATELIMIT_TRIGGER",
    "scrape.start_batch": "RATELIMIT_TRIGGER",
    "companies.refresh": "RATELIMIT_TRIGGER",
}


def _ip_key() -> str:
    return "ip:" + (request.remote_addr or "unknown")


def _limit(name: str):
    return lambda: current_app.config[name]


def _make_limiter(app: Flask) -> Limiter:
    limiter = Limiter(
        key_func=_ip_key,
        default_limits=[
            Limit(_limit("RATELIMIT_DEFAULT"), key_function=_ip_key),
            Limit(_limit("RATELIMIT_DEFAULT"), key_function=token_key, scope="token"),
        ],
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        enabled=bool(app.config["RATELIMIT_ENABLED"]),
        headers_enabled=False,
    )
    limiter.init_app(app)
    for endpoint, key in TIGHT_LIMITS.items():
        view = app.view_functions[endpoint]
        view = limiter.limit(_limit(key), key_func=_ip_key, override_defaults=False, scope="tight-ip")(view)
        view = limiter.limit(_limit(key), key_func=token_key, override_defaults=False, scope="tight-token")(view)
        app.view_functions[endpoint] = view
    # Health answers load balancers, but costs three outbound checks: its own limit per IP.
    app.view_functions["health.health"] = limiter.limit(
        _limit("RATELIMIT_HEALTH"), key_func=_ip_key, override_defaults=True, scope="health",
    )(app.view_functions["health.health"])
    app.extensions["jobos_limiter"] = limiter

    @app.before_request
    def _limit_unmatched() -> None:
        # Flask-Limiter skips requests that match no route; scanners probing paths are counted here.
        if request.url_rule is None and not limits.hit("RATELIMIT_UNMATCHED", "unmatched", _ip_key()):
            raise limits.too_many("RATELIMIT_UNMATCHED", "unmatched", _ip_key())

    return limiter


def _open_store(app: Flask) -> Any:
    if app.config.get("STORE") is not None:
        return app.config["STORE"]
    from jobos.store import open_store

    return open_store(
        database_url=app.config.get("DATABASE_URL"),
        data_dir=app.config.get("DATA_DIR"),
        auto_migrate=app.config.get("AUTO_MIGRATE"),
    )


def _scrapyd_auth(app: Flask):
    """The scrapyd nodes' credentials: SCRAPYD_USERNAME/PASSWORD, else this install's (read,
    or generated, when the first node is called)."""
    from api.nodes import node_credentials

    user, password = app.config.get("SCRAPYD_USERNAME"), app.config.get("SCRAPYD_PASSWORD")
    if user and password:
        return str(user), str(password)
    data_dir = app.config.get("DATA_DIR")
    return lambda: node_credentials(data_dir)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Return the configured API app: config, store, scrapyd nodes, auth, limits, blueprints."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, test_config)
    app.json = JsonProvider(app)  # request bodies parsed with a nesting limit
    if app.config["LOG_FORMAT"] == "json" and not app.config.get("TESTING"):
        configure_logging("json")
    app.json.sort_keys = False
    app.url_map.converters["id"] = IdConverter
    app.url_map.strict_slashes = False

    store = _open_store(app)
    app.extensions["jobos_store"] = store
    metrics = Metrics(app)
    app.extensions["jobos_metrics"] = metrics
    cluster = ScrapydCluster(
        urls=list(app.config["SCRAPYD_URLS"]),
        project=app.config["SCRAPYD_PROJECT"],
        timeout=float(app.config["SCRAPYD_TIMEOUT"]),
        auth=_scrapyd_auth(app),
    )
    service = CrawlService(store, cluster, spider=app.config["SCRAPYD_SPIDER"], on_event=metrics.crawl_event)
    app.extensions["jobos_crawls"] = service

    from api.blueprints import auth, companies, health, jobs, scrape

    for module in (scrape, jobs, companies, auth, health):
        app.register_blueprint(module.bp)
    app.register_blueprint(importlib.import_module("api.blueprints.alerts").bp)
    app.register_blueprint(importlib.import_module("api.blueprints.resumes").bp)
    app.register_blueprint(importlib.import_module("api.blueprints.schedule").bp)
    # The web page is another part's; the API runs without it, but a broken page is not hidden.
    if app.config["UI_ENABLED"] and importlib.util.find_spec("api.blueprints.ui") is not None:
        ui = importlib.import_module("api.blueprints.ui")
        app.register_blueprint(ui.bp)

    register_error_handlers(app)
    install_access_log(app)
    quotas.install(app)
    _make_limiter(app)

    monitor = CrawlMonitor(
        service, retry_delay=float(app.config["RETRY_DELAY"]),
        interval=float(app.config["MONITOR_INTERVAL"]), metrics=metrics,
    )
    app.extensions["jobos_monitor"] = monitor
    if app.config["MONITOR_ENABLED"] and not app.config.get("TESTING"):
        monitor.start()
    # The scheduler and the alerts sender, built here and started by the server (`jobos serve`,
    # or a WSGI server's worker start hook): every worker may start them, one leader runs each.
    from api.background import background_workers

    app.extensions["jobos_background"] = background_workers(app.config, store, service)
    return app

"""The `jobos` command: db upgrade, users, extract-pending, refresh, scheduler, scrapyd, serve, demo."""
from __future__ import annotations

import argparse
import getpass
import json
import logging
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Sequence

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
ROLES = ("viewer", "user", "admin")
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class UsageError(Exception):
    """A bad argument: one sentence, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear sentence instead of the usage dump
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def parse_duration(text: str) -> timedelta:
    """Return a timedelta for '7d', '12h', '30m', '2w', '90s'."""
    match = _DURATION.match(text or "")
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration such as 7d, 12h or 30m")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port (1-65535)")
    return int(text)


def _open_store(check_schema: bool = True) -> Any:
    from jobos.store import open_store

    return open_store(check_schema=check_schema)


# --- commands ------------------------------------------------------------------------------------

def cmd_db_upgrade(args: argparse.Namespace) -> int:
    store = _open_store(check_schema=False)
    try:
        applied = store.upgrade()
        print(f"schema at version {store.schema_version()}" + (f" (applied: {', '.join(applied)})" if applied else " (up to date)"))
    finally:
        store.close()
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        if not sys.stdin.isatty():
            raise UsageError("no terminal to ask for the password: pipe it with --password-stdin")
        try:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Repeat: ") != password:
                raise UsageError("the two passwords differ")
        except EOFError:  # Ctrl-D at the prompt: stop cleanly, nothing created
            print(file=sys.stderr)
            raise UsageError("no password given; no account created") from None
    from jobos.passwords import password_problem

    problem = password_problem(password)
    if problem:
        raise UsageError(f"the password {problem}")
    return password


def cmd_users_create(args: argparse.Namespace) -> int:
    from api.auth import hash_password

    email = args.email.strip().lower()
    if "@" not in email or any(ord(c) < 32 for c in email):
        raise UsageError(f"{args.email!r} is not an email address")
    password = _read_password(args)
    store = _open_store()
    try:
        if store.get_user_by_email(email):
            raise UsageError(f"an account with email {email} exists already")
        user_id = store.create_user(email, hash_password(password), args.role)
        store.audit("cli", "user.create", f"user:{user_id}", {"email": email, "role": args.role})
    finally:
        store.close()
    print(f"created {args.role} {email} (id {user_id})")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    store = _open_store()
    try:
        users = store.list_users()
        print("id\tkind\trole\temail or subject")
        for user in users:
            print(f"{user['id']}\t{user.get('kind')}\t{user.get('role')}\t{user.get('email') or user.get('subject')}")
        if not users:
            print("(no accounts yet: jobos users create --email ... --role admin)")
    finally:
        store.close()
    return 0


def cmd_users_set_role(args: argparse.Namespace) -> int:
    store = _open_store()
    try:
        if not store.set_role(args.id, args.role):
            raise UsageError(f"no account or profile with id {args.id}")
        store.audit("cli", "role.change", f"principal:{args.id}", {"role": args.role})
    finally:
        store.close()
    print(f"role of {args.id} set to {args.role}")
    return 0


def cmd_extract_pending(args: argparse.Namespace) -> int:
    import asyncio

    from jobos.llm.models import LlmConfig, make_chat_model_from_config
    from jobos.llm.pending import extract_pending

    config = LlmConfig.load()
    store = _open_store()
    try:
        counts = asyncio.run(extract_pending(
            store, make_chat_model_from_config(config), args.limit,
            budget=config.token_budget, model_name=config.model,
        ))
    finally:
        store.close()
    print(json.dumps(counts))
    return 0


def _crawl_service() -> tuple[Any, Any]:
    from api.config import env_overrides
    from api.crawls import CrawlService
    from api.nodes import ScrapydCluster, node_credentials

    cfg = {"SCRAPYD_URLS": "http://127.0.0.1:6800", "SCRAPYD_PROJECT": "jobos", "SCRAPYD_SPIDER": "careers",
           **env_overrides()}
    urls = [u.strip().rstrip("/") for u in str(cfg["SCRAPYD_URLS"]).split(",") if u.strip()]
    store = _open_store()
    cluster = ScrapydCluster(urls, project=cfg["SCRAPYD_PROJECT"], auth=lambda: node_credentials())
    return store, CrawlService(store, cluster, spider=cfg["SCRAPYD_SPIDER"])


def cmd_refresh(args: argparse.Namespace) -> int:
    from api.blueprints.companies import refresh_args
    from api.crawls import CrawlUnavailable

    store, service = _crawl_service()
    started = failed = existing = 0
    try:
        due = store.companies_due_for_refresh(args.older_than)
        if args.limit:
            due = due[: args.limit]
        for company in due:
            try:
                crawl_args = refresh_args(company)
            except ValueError as exc:
                print(f"skipped company {company['id']}: {exc}", file=sys.stderr)
                continue
            if args.dry_run:
                print(f"would re-crawl {company['id']}\t{company.get('name')}")
                continue
            try:
                result = service.start(crawl_args, requested_by="cli:refresh", source="cli")
            except CrawlUnavailable as exc:
                failed += 1
                print(f"company {company['id']} {company.get('name')}: {exc.message}", file=sys.stderr)
                continue
            existing += result.existing
            started += not result.existing
            print(f"{'running' if result.existing else 'started'} crawl {result.crawl_id}\t{company.get('name')}")
            if not result.existing:
                store.audit("cli:refresh", "company.refresh", f"company:{company['id']}", {"crawl_id": result.crawl_id})
    finally:
        store.close()
    print(f"{len(due)} companies due; {started} crawls started, {existing} already running, {failed} failed")
    return 1 if failed and not started else 0


def _standin():
    """Return a StandinWeb from the checkout's tests/web (the bundled offline web)."""
    web_dir = REPO / "tests" / "web"
    if not (web_dir / "standin.py").exists():
        raise UsageError("the stand-in web (tests/web) is not in this installation: run from a checkout")
    sys.path.insert(0, str(web_dir))
    from standin import StandinWeb  # type: ignore[import-not-found]

    return StandinWeb()


def _start_scrapyd(port: int, env: dict[str, str]) -> Any:
    from jobos import config
    from api.scrapyd_local import LocalScrapyd, build_egg, deploy_egg

    # Bound to 127.0.0.1, with this install's credentials (api.nodes.node_credentials).
    node = LocalScrapyd(config.data_dir() / "scrapyd", port=port, env=env)
    node.start()
    print(f"scrapyd on {node.url} (files in {node.workdir}; basic auth, credentials in "
          f"{config.data_dir()}/scrapyd-credentials.json unless JOBOS_SCRAPYD_USERNAME/_PASSWORD are set)", flush=True)
    egg = build_egg(REPO)
    deploy_egg(node.url, egg, auth=node.auth)
    print("deployed the jobos egg", flush=True)
    return node


def _wait_for_interrupt() -> None:
    """Make SIGINT and SIGTERM raise KeyboardInterrupt in the main thread.

    SIGINT is set explicitly: a command started in the background of a script (`jobos serve &`
    in a non-interactive shell) inherits SIGINT ignored, and Python then keeps ignoring it.
    """
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))


def cmd_scrapyd(args: argparse.Namespace) -> int:
    _wait_for_interrupt()
    node = _start_scrapyd(args.port, {})
    try:
        node.proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        node.stop()
    return 0


def _quiet_request_handler() -> type:
    """Return werkzeug's request handler without its own request line: the API's access log
    (api.logs) already logs each request once, with its status and duration."""
    from werkzeug.serving import WSGIRequestHandler

    class QuietRequestHandler(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            pass

    return QuietRequestHandler


def cmd_serve(args: argparse.Namespace) -> int:
    from werkzeug.serving import make_server

    from api import create_app
    from api.logs import configure_logging

    configure_logging(os.environ.get("JOBOS_LOG_FORMAT", "text"))
    _wait_for_interrupt()
    web = node = server = app = None
    try:
        env: dict[str, str] = {}
        if args.demo:
            web = _standin().start()
            env.update(web.env())
            print(f"stand-in web on {web.proxy_url}: crawls go through it", flush=True)
        node = _start_scrapyd(args.scrapyd_port, env)
        os.environ["JOBOS_SCRAPYD_URLS"] = node.url
        app = create_app()
        app.extensions["jobos_background"].start()  # the scheduler and alerts sender, if this process leads
        server = make_server(args.host, args.port, app, threaded=True, request_handler=_quiet_request_handler())
        print(f"JobOS API on http://{args.host}:{args.port}/ (Ctrl-C stops everything)", flush=True)
        server.serve_forever()  # werkzeug's returns on KeyboardInterrupt (Ctrl-C, SIGINT, SIGTERM)
        print("stopping", flush=True)
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        if app is not None:  # the scheduler and alerts threads end their step and release their leases
            app.extensions["jobos_background"].stop()
            app.extensions["jobos_monitor"].stop()
        if server is not None:
            server.server_close()
        if node is not None:
            node.stop()
        if web is not None:
            web.stop()
    return 0


def cmd_scheduler(args: argparse.Namespace) -> int:
    """Re-crawl companies when they are due, as the leader among schedulers (or one pass)."""
    from jobos.leader import BackgroundWorkers, Duty, Lease, record_pass
    from jobos.scheduler import LEASE_NAME, Scheduler, SchedulePolicy

    try:
        policy = SchedulePolicy.from_env()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    store, service = _crawl_service()
    scheduler = Scheduler(store, service, policy)
    try:
        if args.once:
            lease = Lease(store, LEASE_NAME, ttl=args.lease_ttl)
            with lease.kept() as held:
                if not held:
                    other = store.get_lease(LEASE_NAME) or {}
                    print(f"jobos: another scheduler leads ({other.get('holder')}, lease until "
                          f"{other.get('expires_at')}); nothing done", file=sys.stderr)
                    return 1
                started = datetime.now(timezone.utc)
                result = scheduler.tick(lease.held)
                record_pass(store, LEASE_NAME, lease.holder, started, result)
            print(json.dumps(result))
            return 1 if result.get("error") and not result.get("started") else 0
        _wait_for_interrupt()
        workers = BackgroundWorkers(store, [Duty(LEASE_NAME, args.interval, scheduler.tick)], ttl=args.lease_ttl)
        print(f"scheduler: a pass every {args.interval:g} s while this process leads (Ctrl-C stops it)", flush=True)
        workers.start()
        try:
            while workers.running():
                workers.wait(1.0)
        except KeyboardInterrupt:
            print("stopping", flush=True)
        finally:
            workers.stop()
    finally:
        store.close()
    return 0


def _seconds_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def cmd_demo(args: argparse.Namespace) -> int:
    from jobos import config

    out = Path(tempfile.mkdtemp(prefix="jobos-demo-")) / "jobs.jsonl"
    with _standin() as web:
        env = {**os.environ, **web.env(), "JOBOS_DATA_DIR": str(config.data_dir() / "demo")}
        cmd = [sys.executable, "-m", "jobos.cli", "crawl", args.company,
               *([args.country] if args.country else []), "-o", str(out)]
        print(f"jobos: demo: {args.company!r} through the bundled stand-in web (offline)", flush=True)
        result = subprocess.run(cmd, cwd=REPO, env=env)  # progress and summary of `jobos crawl`
    jobs = [json.loads(line) for line in out.read_text().splitlines() if line.strip()] if out.exists() else []
    for job in jobs[:20]:
        print(f"  {job.get('title')} | {job.get('location') or ''} | {job.get('url')}")
    if len(jobs) > 20:
        print(f"  ... and {len(jobs) - 20} more in {out}")
    return result.returncode


# --- parser -------------------------------------------------------------------------------------

def cmd_ats(args: argparse.Namespace) -> int:
    """Print the supported applicant tracking systems: URL shapes and fields each fills."""
    from jobos.ats import describe

    systems = describe()
    if args.json:
        print(json.dumps(systems, indent=2))
        return 0
    for system in systems:
        print(f"{system['name']}: {system['summary']}")
        print(f"  slug probe: {'yes' if system['probes'] else 'no'}")
        print("  URL shapes:")
        for shape in system["url_shapes"]:
            print(f"    {shape}")
        print(f"  fields: {', '.join(system['fields'])}")
    print(f"{len(systems)} systems")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jobos", description="JobOS: find a company's jobs, keep them current.")
    from jobos import __version__

    parser.add_argument("--version", action="version", version=f"jobos {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    from jobos import crawlcmd
    from jobos.alerts import cli as alerts_cli
    from jobos.resumes import cli as resumes_cli

    crawlcmd.add_parser(sub, _Parser)
    alerts_cli.add_parser(sub, _Parser)
    resumes_cli.add_parser(sub, _Parser)

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    db_sub.add_parser("upgrade", help="apply pending migrations").set_defaults(func=cmd_db_upgrade)

    users = sub.add_parser("users", help="local accounts")
    u_sub = users.add_subparsers(dest="users_command", required=True, parser_class=_Parser)
    create = u_sub.add_parser("create", help="create a local account (asks for the password)")
    create.add_argument("--email", required=True)
    create.add_argument("--role", choices=ROLES, default="viewer")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    create.set_defaults(func=cmd_users_create)
    u_sub.add_parser("list", help="list accounts and profiles").set_defaults(func=cmd_users_list)
    set_role = u_sub.add_parser("set-role", help="change the role of an account or profile")
    set_role.add_argument("id", type=int)
    set_role.add_argument("role", choices=ROLES)
    set_role.set_defaults(func=cmd_users_set_role)

    ep = sub.add_parser("extract-pending", help="run LLM extraction for records left pending")
    ep.add_argument("--limit", type=int, default=None)
    ep.set_defaults(func=cmd_extract_pending)

    refresh = sub.add_parser("refresh", help="re-crawl companies last crawled longer ago than a given age")
    refresh.add_argument("--older-than", type=parse_duration, required=True, help="e.g. 7d, 12h")
    refresh.add_argument("--limit", type=int, default=None)
    refresh.add_argument("--dry-run", action="store_true")
    refresh.set_defaults(func=cmd_refresh)

    sched = sub.add_parser("scheduler", help="re-crawl companies when due (runs until stopped; one leader)",
                           description="Re-crawl each company every refresh interval (JOBOS_REFRESH_INTERVAL, "
                                       "or its own), spread over the interval, on the least busy scrapyd node; "
                                       "failing companies back off. Several may run: one leads at a time.")
    sched.add_argument("--once", action="store_true", help="one pass, then exit (for cron)")
    sched.add_argument("--interval", type=_seconds_arg, default=60.0, help="seconds between passes (default 60)")
    sched.add_argument("--lease-ttl", type=_seconds_arg, default=30.0,
                       help="seconds the leader's lease lives without renewal (default 30)")
    sched.set_defaults(func=cmd_scheduler)

    sd = sub.add_parser("scrapyd", help="run a local scrapyd (scrapyd/scrapyd.conf) and deploy the egg")
    sd.add_argument("--port", type=_port, default=6800)
    sd.set_defaults(func=cmd_scrapyd)

    serve = sub.add_parser("serve", help="run the API with a local scrapyd, the refresh scheduler and the alerts "
                                          "sender (Ctrl-C stops them all)")
    serve.add_argument("--port", type=_port, default=5000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--scrapyd-port", type=_port, default=6800)
    serve.add_argument("--demo", action="store_true", help="crawl through the bundled stand-in web")
    serve.set_defaults(func=cmd_serve)

    ats = sub.add_parser("ats", help="list the supported applicant tracking systems")
    ats.add_argument("--json", action="store_true", help="print them as JSON")
    ats.set_defaults(func=cmd_ats)

    demo = sub.add_parser(
        "demo", help="crawl a bundled demo company through the stand-in web",
        description="Crawl a demo company offline, found from its name through the bundled "
                    "stand-in web. Demo companies: 'Tulpen Software B.V.' (NL, the default), "
                    "'Fjord Labs AS' (NO), 'Orbital Kinetics SAS' (FR), 'Northwind A/S' (DK).")
    # A stand-in company found from its name alone: search (with an ad, aggregators and a
    # namesake in the results) -> its careers page -> the Recruitee board it links.
    demo.add_argument("company", nargs="?", default="Tulpen Software B.V.")
    demo.add_argument("--country", default="NL")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit status (2 for bad arguments)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"jobos: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""`jobos alerts send`: compute and deliver alerts (run it from cron after crawls)."""
from __future__ import annotations

import argparse
import json
from typing import Any


def cmd_send(args: argparse.Namespace) -> int:
    from jobos.alerts.settings import AlertSettings
    from jobos.alerts.worker import run_once
    from jobos.store import open_store

    try:
        settings = AlertSettings.from_env()
    except ValueError as exc:
        print(f"jobos: alerts: {exc}")
        return 2
    with open_store() as store:
        stats = run_once(store, settings)
    print(json.dumps(stats, sort_keys=True))
    return 0


def add_parser(sub: Any, parser_class: type) -> None:
    alerts = sub.add_parser("alerts", help="alerts of saved searches and followed companies")
    a_sub = alerts.add_subparsers(dest="alerts_command", required=True, parser_class=parser_class)
    a_sub.add_parser("send", help="compute new alerts and send due mails and webhooks (for cron)").set_defaults(
        func=cmd_send)

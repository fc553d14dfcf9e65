"""`jobos serve` started from a script: stops on SIGINT, stops its background duties, logs each request once."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from jobos.store import open_store
from tests.pg import free_port

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent


def test_serve_in_the_background_of_a_script_stops_on_sigint_and_logs_each_request_once(tmp_path):
    api_port, scrapyd_port = free_port(), free_port()
    pidfile = tmp_path / "serve.pid"
    env = {**os.environ, "JOBOS_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO),
           "JOBOS_SCHEDULER_INTERVAL": "1"}
    env.pop("DATABASE_URL", None)
    # A non-interactive shell starts background jobs with SIGINT ignored; Python keeps it so
    # unless told otherwise.
    script = (f"{sys.executable} -m jobos.cli serve --port {api_port} --scrapyd-port {scrapyd_port} &"
              f" echo $! > {pidfile}; wait $!; echo \"serve exited with $?\"")
    shell = subprocess.Popen(["bash", "-c", script], cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    pid = None
    try:
        deadline = time.monotonic() + 240
        answered = False
        while time.monotonic() < deadline and shell.poll() is None:
            try:
                answered = requests.get(f"http://127.0.0.1:{api_port}/api/health", timeout=2).status_code in (200, 503)
                break
            except requests.RequestException:
                time.sleep(0.5)
        assert answered, shell.communicate(timeout=30)[0] if shell.poll() is not None else "no answer"
        pid = int(pidfile.read_text())
        ignored = int(next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                           if line.startswith("SigIgn:")).split()[1], 16)
        assert not ignored & (1 << (signal.SIGINT - 1)), "serve still ignores SIGINT"
        assert requests.get(f"http://127.0.0.1:{api_port}/api/companies/424242", timeout=5).status_code == 401
        # The background duties take their leases (the scheduler passes every second here).
        store = open_store(data_dir=str(tmp_path / "data"))
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not (store.get_lease("scheduler") or {}).get("info"):
                time.sleep(0.5)
            lease = store.get_lease("scheduler")
            assert lease and lease["held"] and lease["info"]["last_tick_at"], lease
        finally:
            store.close()
        os.kill(pid, signal.SIGINT)
        out, _ = shell.communicate(timeout=120)
    finally:
        if shell.poll() is None:
            if pid:
                os.kill(pid, signal.SIGKILL)
            shell.kill()
            shell.communicate()
    assert "serve exited with 0" in out, out
    assert "stopping" in out, out
    request_lines = [line for line in out.splitlines() if "/api/companies/424242" in line]
    assert len(request_lines) == 1, request_lines
    assert "401" in request_lines[0]
    with pytest.raises(requests.RequestException):
        requests.get(f"http://127.0.0.1:{scrapyd_port}/daemonstatus.json", timeout=2)
    store = open_store(data_dir=str(tmp_path / "data"))
    try:
        assert store.get_lease("scheduler")["held"] is False  # released on the way out, not left to expire
        assert store.get_lease("alerts")["held"] is False
    finally:
        store.close()


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_scheduler_command_runs_passes_as_leader_and_stops_on_a_signal(tmp_path, how):
    env = {**os.environ, "JOBOS_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO),
           "JOBOS_SCRAPYD_URLS": f"http://127.0.0.1:{free_port()}"}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "jobos.cli", "scheduler", "--interval", "0.5"], cwd=REPO,
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    store = None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if (tmp_path / "jobos.sqlite3").exists():
                store = store or open_store(data_dir=str(tmp_path))
                lease = store.get_lease("scheduler")
                if lease and lease["info"].get("last_tick_at"):
                    break
            time.sleep(0.3)
        assert store is not None and store.get_lease("scheduler")["held"], proc.poll()
        proc.send_signal(how)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    try:
        assert proc.returncode == 0 and "stopping" in out, out
        assert store.get_lease("scheduler")["held"] is False
    finally:
        store.close()

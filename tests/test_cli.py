"""The `jobos` command line: users, db upgrade, refresh, bad arguments (exit 2, one sentence)."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
import requests

from api.auth import verify_password
from jobos.cli import main, parse_duration
from jobos.store import open_store
from tests.pg import free_port


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("JOBOS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return tmp_path


def _run(*args, stdin: str = "", env_dir=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "JOBOS_DATA_DIR": str(env_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "jobos.cli", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120)


def test_users_create_with_password_stdin(data_dir):
    result = _run("users", "create", "--email", "Admin@Example.org", "--role", "admin", "--password-stdin",
                  stdin="a long password\n", env_dir=data_dir)
    assert result.returncode == 0, result.stderr
    store = open_store(data_dir=str(data_dir))
    user = store.get_user_by_email("admin@example.org")
    assert user["role"] == "admin" and verify_password(user["password_hash"], "a long password")
    assert store.list_audit()[0]["action"] == "user.create"
    store.close()
    again = _run("users", "create", "--email", "admin@example.org", "--password-stdin", stdin="another long passphrase\n", env_dir=data_dir)
    assert again.returncode == 2 and "exists" in again.stderr


@pytest.mark.parametrize("args,stdin,fragment", [
    (["users", "create", "--email", "a@b.c", "--role", "root", "--password-stdin"], "longpassword\n", "invalid choice"),
    (["users", "create", "--email", "a@b.c", "--password-stdin"], "short\n", "at least 12"),
    (["users", "create", "--email", "a@b.c", "--password-stdin"], "password123456\n", "common"),
    (["users", "create", "--email", "nope", "--password-stdin"], "longpassword\n", "not an email"),
    (["users", "create", "--email", "a@b.c"], "", "--password-stdin"),
    (["refresh", "--older-than", "soon"], "", "not a duration"),
    (["refresh"], "", "--older-than"),
    (["serve", "--port", "99999"], "", "not a TCP port"),
    (["frobnicate"], "", "invalid choice"),
])
def test_bad_arguments_exit_2_with_one_sentence(data_dir, args, stdin, fragment):
    result = _run(*args, stdin=stdin, env_dir=data_dir)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and fragment in lines[0], result.stderr


def test_db_upgrade(data_dir, capsys):
    assert main(["db", "upgrade"]) == 0
    assert "schema at version" in capsys.readouterr().out


def test_parse_duration():
    assert parse_duration("7d") == dt.timedelta(days=7)
    assert parse_duration("12h") == dt.timedelta(hours=12)


def test_refresh_schedules_stale_companies(data_dir, capsys, monkeypatch):
    store = open_store(data_dir=str(data_dir))
    stale = store.upsert_company("Acme Robotics", domain="acme.example", board="greenhouse:acme",
                                 careers_url="https://boards.greenhouse.io/acme")
    store.upsert_company("Fresh Co", domain="fresh.example")
    # Make Acme look last crawled 30 days ago.
    with store._write() as cur:
        cur.execute("UPDATE companies SET last_crawl_at = %s WHERE id = %s",
                    [store._ts_in(dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=30)), stale])
    store.close()
    monkeypatch.setenv("JOBOS_SCRAPYD_URLS", f"http://127.0.0.1:{free_port()}")  # nothing listens
    assert main(["refresh", "--older-than", "7d", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Acme Robotics" in out and "Fresh Co" not in out
    assert main(["refresh", "--older-than", "7d"]) == 1  # scrapyd down: the run is failed, not pending
    store = open_store(data_dir=str(data_dir))
    runs = store.list_crawl_runs()
    assert len(runs) == 1 and runs[0]["status"] == "failed" and runs[0]["args"]["company"] == "Acme Robotics"
    assert runs[0]["args"]["careers_url"] == "https://boards.greenhouse.io/acme"
    store.close()


@pytest.mark.slow
def test_serve_starts_scrapyd_and_api_and_stops_both(data_dir):
    api_port, scrapyd_port = free_port(), free_port()
    env = {**os.environ, "JOBOS_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "jobos.cli", "serve", "--port", str(api_port),
                             "--scrapyd-port", str(scrapyd_port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = dt.datetime.now() + dt.timedelta(seconds=180)
        health = None
        while dt.datetime.now() < deadline and proc.poll() is None:
            try:
                health = requests.get(f"http://127.0.0.1:{api_port}/api/health", timeout=2)
                break
            except requests.RequestException:
                import time

                time.sleep(0.5)
        assert health is not None, proc.stdout.read() if proc.poll() is not None else "no answer"
        body = health.json()
        report = body.get("detail") or body  # degraded (no LLM server) is 200; the nodes must be up
        assert report["scrapyd"][0]["ok"] is True and report["database"]["ok"] is True
        # The local scrapyd wants this install's credentials (generated under the data dir).
        from api.nodes import node_credentials

        listprojects = f"http://127.0.0.1:{scrapyd_port}/listprojects.json"
        assert requests.get(listprojects, timeout=5).status_code == 401
        projects = requests.get(listprojects, auth=node_credentials(data_dir), timeout=5).json()
        assert "jobos" in projects["projects"]
    finally:
        proc.send_signal(2)  # Ctrl-C
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    with pytest.raises(requests.RequestException):
        requests.get(f"http://127.0.0.1:{scrapyd_port}/daemonstatus.json", timeout=2)


def test_version_and_users_list_with_a_header(data_dir):
    version = _run("--version", env_dir=data_dir)
    assert version.returncode == 0 and version.stdout.startswith("jobos 0.")
    empty = _run("users", "list", env_dir=data_dir)
    assert empty.stdout.splitlines()[0] == "id\tkind\trole\temail or subject"
    assert "no accounts yet" in empty.stdout
    _run("users", "create", "--email", "a@example.org", "--password-stdin", stdin="a long password\n",
         env_dir=data_dir)
    listed = _run("users", "list", env_dir=data_dir).stdout.splitlines()
    assert listed[0].startswith("id\t") and listed[1].endswith("\ta@example.org")


def test_ctrl_d_at_the_password_prompt_ends_cleanly(data_dir):
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command on a terminal
        os.environ["JOBOS_DATA_DIR"] = str(data_dir)
        os.execv(sys.executable, [sys.executable, "-m", "jobos.cli", "users", "create", "--email", "a@b.org"])
    out = b""
    while b"Password:" not in out:
        ready, _, _ = select.select([fd], [], [], 30)
        assert ready, out
        out += os.read(fd, 1024)
    os.write(fd, b"\x04")  # Ctrl-D
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    text = out.decode(errors="replace")
    assert os.WEXITSTATUS(status) == 2, text
    assert "no password given; no account created" in text and "Traceback" not in text

"""`jobos crawl` and `./run.sh`: a few plain lines, a summary, and an exit status that means something."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from jobos.report import (EXIT_BAD_ARGUMENT, EXIT_NOT_FOUND, EXIT_OK, EXIT_REFUSED, EXIT_UNREADABLE,
                          summarize)

REPO = Path(__file__).resolve().parent.parent


def _summary(stats, **kw):
    base = dict(company="Acme", careers_url_given=None, partial_reasons=[], outputs=["jobs.jsonl"],
                log_file="/logs/crawl.log")
    base.update(kw)
    return summarize(stats, **base)


# ---- the summary, from stats ------------------------------------------------------------------

def test_jobs_read_exit_0_with_counts_page_and_reason():
    s = _summary({"item_scraped_count": 12, "jobos/discovery/careers_url": "https://acme.com/careers",
                  "jobos/discovery/reason": "linked from the homepage", "jobos/board": "greenhouse:acme",
                  "jobos/store/new": 10, "jobos/store/unchanged": 2})
    assert s.exit_code == EXIT_OK
    assert s.lines[0] == "Career page: https://acme.com/careers (linked from the homepage)"
    assert "Jobs: 12 found (10 new, 0 changed, 2 unchanged, 0 closed)" in s.lines
    assert s.lines[-1] == "Full log: /logs/crawl.log"


def test_partial_crawl_with_jobs_is_still_0_and_says_partial():
    s = _summary({"item_scraped_count": 3, "jobos/errors/page/DownloadTimeoutError": 2},
                 careers_url_given="https://acme.com/jobs", partial_reasons=["DownloadTimeoutError fetching x"])
    assert s.exit_code == EXIT_OK
    assert any(line.startswith("The crawl is partial (no job was closed)") for line in s.lines)
    assert any("pages did not answer in time (2x)" in line for line in s.lines)


def test_no_career_page_is_3_and_the_network_failure_is_said_in_words():
    s = _summary({"jobos/discovery/not_found": 1, "jobos/errors/probe/CannotResolveHostError": 27,
                  "jobos/errors/guess/CannotResolveHostError": 4}, partial_reasons=["no career page found"])
    assert s.exit_code == EXIT_NOT_FOUND
    assert s.lines[0] == "No career page found for Acme."
    assert "the network looks unreachable" in " ".join(s.lines)
    assert "CannotResolveHostError" not in " ".join(s.lines)  # no internal words
    assert not any(line.startswith("Written to") for line in s.lines)


def test_refused_careers_url_is_4():
    s = _summary({"jobos/refused": 1, "jobos/refused/loopback": 1}, careers_url_given="http://127.0.0.1/")
    assert s.exit_code == EXIT_REFUSED
    assert "safety guard" in " ".join(s.lines)


def test_career_page_found_but_nothing_readable_is_5():
    s = _summary({"jobos/errors/api/bad_response": 1}, careers_url_given="https://boards.greenhouse.io/x",
                 partial_reasons=["bad response"])
    assert s.exit_code == EXIT_UNREADABLE


# ---- the real command ------------------------------------------------------------------------

def _jobos(args: list[str], web=None, timeout: float = 240) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "HTTPS_PROXY", "HTTP_PROXY")}
    env["JOBOS_DATA_DIR"] = tempfile.mkdtemp(prefix="jobos-cli-")
    env["OLLAMA_HOST"] = "http://127.0.0.1:9"
    if web is not None:
        env.update(web.env())
    return subprocess.run([sys.executable, "-m", "jobos.cli", "crawl", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_crawl_prints_a_short_summary_and_writes_the_jobs(web, tmp_path):
    out = tmp_path / "jobs.jsonl"
    r = _jobos(["Tulpen Software B.V.", "NL", "-o", str(out)], web)
    assert r.returncode == EXIT_OK, r.stderr
    lines = (r.stdout + r.stderr).strip().splitlines()
    assert len(lines) <= 30, lines
    assert all(line.startswith("jobos: ") for line in lines), lines  # no log lines, no tracebacks
    assert "jobos: looking for the career page..." in lines
    assert any(line.startswith("jobos: Career page: https://www.tulpensoftware.nl/") for line in lines)
    written = [ln for ln in out.read_text().splitlines() if ln.strip()]
    assert f"jobos: Jobs: {len(written)} found ({len(written)} new, 0 changed, 0 unchanged, 0 closed)" in lines
    log = next(line for line in lines if line.startswith("jobos: Full log: ")).split(": ", 2)[2]
    assert "Spider opened" in Path(log).read_text()  # the full log went to the file


def test_no_career_page_exits_3(web, tmp_path):
    r = _jobos(["Quuxly Widgets Ltd", "GB", "-o", str(tmp_path / "jobs.jsonl")], web)
    assert r.returncode == EXIT_NOT_FOUND, r.stderr
    assert "jobos: No career page found for Quuxly Widgets Ltd." in r.stderr


def test_bad_argument_exits_2_and_leaves_the_output_file_alone(tmp_path):
    out = tmp_path / "jobs.jsonl"
    out.write_text('{"title": "kept"}\n')
    r = _jobos(["Acme", "--careers-url", "not-a-url", "-o", str(out)])
    assert r.returncode == EXIT_BAD_ARGUMENT
    assert r.stderr.startswith("jobos: invalid crawl argument: careers_url: 'not-a-url' is not a web address")
    assert out.read_text() == '{"title": "kept"}\n'
    r = _jobos(["Acme", "Narnia"])
    assert r.returncode == EXIT_BAD_ARGUMENT and "country: unknown country: use an ISO" in r.stderr


def test_run_sh_help():
    r = subprocess.run(["bash", str(REPO / "run.sh"), "--help"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and r.stdout.startswith("usage: ./run.sh")
    assert "3 no career page found" in r.stdout

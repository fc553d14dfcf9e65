"""Run the real `careers` spider in a subprocess through the stand-in web."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class CrawlResult:
    items: list[dict]
    stats: dict
    returncode: int
    log: str
    stderr: str = ""
    workdir: Path = field(default_factory=Path)

    def by_id(self) -> dict[str, dict]:
        return {item["external_id"]: item for item in self.items}

    def titles(self) -> set[str]:
        return {item["title"] for item in self.items}


def scrapy_executable() -> list[str]:
    return [sys.executable, "-m", "scrapy"]


def run_crawl(
    web=None,
    *,
    settings: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    data_dir: str | os.PathLike | None = None,
    output: str = "jobs.jsonl",
    timeout: float = 240,
    **spider_args,
) -> CrawlResult:
    """Run `scrapy crawl careers -a ... -O <tmp>/jobs.jsonl` and return items, stats and log.

    `web` is the stand-in web (its proxy environment is used); `data_dir` defaults to a fresh
    temporary JOBOS_DATA_DIR, so each crawl has its own embedded store unless told otherwise.
    """
    workdir = Path(tempfile.mkdtemp(prefix="jobos-crawl-"))
    out = workdir / output
    stats_file = workdir / "stats.json"
    log_file = workdir / "crawl.log"
    cmd = scrapy_executable() + ["crawl", "careers", "-O", str(out)]
    for key, value in spider_args.items():
        if value is not None:
            cmd += ["-a", f"{key}={value}"]
    base_settings = {
        "JOBOS_STATS_FILE": str(stats_file),
        "LOG_FILE": str(log_file),
        "LOG_LEVEL": "DEBUG",
    }
    base_settings.update(settings or {})
    for key, value in base_settings.items():
        cmd += ["-s", f"{key}={value}"]
    full_env = dict(os.environ)
    for name in ("DATABASE_URL", "HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        full_env.pop(name, None)
    full_env["JOBOS_DATA_DIR"] = str(data_dir or (workdir / "data"))
    full_env.setdefault("OLLAMA_HOST", "http://127.0.0.1:9")  # no model server unless a test starts one
    if web is not None:
        full_env.update(web.env())
    full_env.update(env or {})
    proc = subprocess.run(
        cmd, cwd=REPO, env=full_env, capture_output=True, text=True, timeout=timeout
    )
    items = []
    if out.exists() and output.endswith(".jsonl"):
        items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line]
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    log = log_file.read_text(errors="replace") if log_file.exists() else ""
    return CrawlResult(items, stats, proc.returncode, log, proc.stderr, workdir)


def run_clean_crawl(web=None, **kwargs) -> CrawlResult:
    """Return run_crawl(...)'s result after checking the crawl exited 0 with no traceback logged."""
    result = run_crawl(web, **kwargs)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.log, result.log[-3000:]
    return result


def statuses_served(web, url_part: str) -> list:
    """Return the statuses the stand-in web served for URLs containing url_part, in order."""
    return [e.get("status") for e in web.requests_seen() if url_part in e["url"]]


def assert_429_then_retried(web, url_part: str) -> None:
    """Assert a 429 was served for url_part and the same request was made again and answered."""
    served = statuses_served(web, url_part)
    assert 429 in served, f"no 429 was served for {url_part}: {served}"
    assert 200 in served[served.index(429) + 1:], f"the 429 for {url_part} was not retried: {served}"

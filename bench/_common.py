"""Shared helpers for the benchmarks: the stand-in web, `scrapy bench` as a baseline."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "web"))
sys.path.insert(0, str(REPO))


def scrapy_bench(seconds: int = 10) -> float:
    """Run `scrapy bench` (Scrapy's own local benchmark) and return its pages per second."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    with tempfile.TemporaryDirectory() as empty:  # outside the project: Scrapy's defaults
        proc = subprocess.run(
            [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}",
             "-s", "LOG_LEVEL=INFO"],
            cwd=empty, env=env, capture_output=True, text=True, timeout=seconds + 60,
        )
    rates = re.findall(r"at (\d+) pages/min", proc.stderr)
    if not rates:
        raise RuntimeError(f"scrapy bench printed no rate: {proc.stderr[-1000:]}")
    return max(int(r) for r in rates[1:] or rates) / 60.0

"""Access to the shared corpus of real recorded responses (never copied into the repo).

Tests find it at ../shared/corpus next to the checkout (or $JOBOS_CORPUS_DIR). When it is absent
they skip; with JOBOS_REQUIRE_CORPUS=1 (set by .ci/run) a missing corpus fails instead.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    """Return the corpus folder, or skip (fail under JOBOS_REQUIRE_CORPUS=1) when absent."""
    configured = os.environ.get("JOBOS_CORPUS_DIR")
    path = Path(configured) if configured else REPO.parent / "shared" / "corpus"
    if not path.is_dir():
        if os.environ.get("JOBOS_REQUIRE_CORPUS") == "1":
            pytest.fail(f"the corpus is required (JOBOS_REQUIRE_CORPUS=1) but {path} is missing")
        pytest.skip(f"corpus not found at {path}")
    return path


def corpus_missing(reason: str) -> None:
    """Skip for a missing piece of the corpus, or fail under JOBOS_REQUIRE_CORPUS=1 (CI)."""
    if os.environ.get("JOBOS_REQUIRE_CORPUS") == "1":
        pytest.fail(f"the corpus is required (JOBOS_REQUIRE_CORPUS=1): {reason}")
    pytest.skip(reason)


def corpus_files(kind: str, suffix: str | None = None) -> list[Path]:
    """Return the corpus files of one kind (a sub-folder such as 'greenhouse'), sorted."""
    folder = corpus_dir() / kind
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.endswith(".metadata.json"))
    if suffix:
        files = [p for p in files if p.name.endswith(suffix)]
    return files


def manifest() -> list[dict[str, str]]:
    """Return MANIFEST.tsv rows (file, kind, real_or_synthetic, approx_job_count, notes...)."""
    with open(corpus_dir() / "MANIFEST.tsv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))

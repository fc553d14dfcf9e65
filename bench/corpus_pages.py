"""The corpus's career pages and their expected jobs, split into a tuning half and a check half.

The split is a rule, not a list: the source repositories the pages come from (MANIFEST.tsv's
`source_repo` of every page in pages_truth.json), sorted; the pages of every second repository
(0-based odd positions) form the "check" half, which rules are never written against; the rest
form the "tune" half. Whole repositories go to one side, so the check half measures rules on
sites written by people whose pages the rules were never shaped on.
"""
from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def corpus_root() -> Path:
    """Return the corpus folder ($JOBOS_CORPUS_DIR or ../shared/corpus beside the checkout)."""
    configured = os.environ.get("JOBOS_CORPUS_DIR")
    return Path(configured) if configured else REPO.parent / "shared" / "corpus"


@dataclass
class Page:
    index: int
    file: str
    path: Path
    company: str
    url: str
    kind: str
    half: str
    repo: str
    truth: dict


def load_pages(root: Path | None = None) -> list[Page]:
    """Return every page of pages_truth.json with its half ('tune' or 'check')."""
    root = root or corpus_root()
    with open(root / "MANIFEST.tsv", newline="", encoding="utf-8") as fh:
        repo_of = {row["file"]: row["source_repo"] for row in csv.DictReader(fh, delimiter="\t")}
    truth = json.loads((root / "pages_truth.json").read_text(encoding="utf-8"))
    repos = sorted({repo_of[entry["file"]] for entry in truth})
    check = {repo for i, repo in enumerate(repos) if i % 2 == 1}
    pages = []
    for index, entry in enumerate(truth):
        repo = repo_of[entry["file"]]
        pages.append(Page(index, entry["file"], root / entry["file"], entry.get("company") or "",
                          entry["url"], entry["page_kind"], "check" if repo in check else "tune",
                          repo, entry))
    return pages

"""The soak's plan: which companies it crawls, which jobs it expects, which faults it injects.

Faults go through the stand-in web's injector (tests/web/handlers/faults.py): one rule per
faulty URL, {"url": <exact page URL>, "kind": <fault>, "times": n}. Only faults a crawl must
survive without losing a job are planned: 429 with Retry-After, 500, a dropped connection and
a stall longer than the download timeout, each for fewer attempts than the retry limit, and
invalid UTF-8 in a job page's text (for good). Whether a page gets a fault, and which, comes
from one seeded random generator, so a seed replays the same soak.
"""
from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "web" / "handlers"))

from faults import soak_host, soak_jobs  # noqa: E402  (the stand-in web's own generator)

# (kind, times): transient faults clear after `times` failed attempts (RETRY_TIMES is above it);
# times None means every request gets it.
TRANSIENT = [("retry-after", 1), ("retry-after", 2), ("500", 1), ("500", 2), ("reset", 1),
             ("reset", 2), ("stall", 1)]
PERMANENT_HARMLESS = [("bad-utf8", None)]


@dataclass
class Company:
    """One stand-in company: its number, spider arguments and expected jobs."""

    n: int
    jobs: list[dict]
    faults: list[dict] = field(default_factory=list)

    @property
    def host(self) -> str:
        return soak_host(self.n)

    @property
    def name(self) -> str:
        return f"Soak Co {self.n:04d}"

    @property
    def careers_url(self) -> str:
        return f"https://{self.host}/careers/"


def _pick(rng: random.Random, detail: bool) -> tuple[str, int | None]:
    # bad-utf8 only makes sense on a job page: it edits the job description's text.
    choices = TRANSIENT + (PERMANENT_HARMLESS if detail else [])
    return rng.choice(choices)


def plan(companies: int, seed: int, listing_rate: float, detail_rate: float,
         first: int = 1, lossy: int = 0) -> list[Company]:
    """Return the soak's companies, numbered from `first`, with their faults drawn from `seed`.

    `lossy` companies (the first ones) also get a job page that always answers 500: a check of
    the check, since the soak must then report exactly those jobs as lost.
    """
    rng = random.Random(seed)
    out = []
    for n in range(first, first + companies):
        company = Company(n=n, jobs=soak_jobs(n))
        if n - first < lossy:
            company.faults.append({"url": company.jobs[0]["url"], "kind": "500", "times": None})
        if rng.random() < listing_rate:
            kind, times = _pick(rng, detail=False)
            company.faults.append({"url": company.careers_url, "kind": kind, "times": times})
        for job in company.jobs:
            if rng.random() < detail_rate:
                kind, times = _pick(rng, detail=True)
                company.faults.append({"url": job["url"], "kind": kind, "times": times})
        out.append(company)
    return out


def injector_rules(companies: list[Company]) -> list[dict]:
    """Return the rules for state["faults"] (rules without times apply to every request)."""
    rules = []
    for company in companies:
        for fault in company.faults:
            rule = {"url": fault["url"], "kind": fault["kind"]}
            if fault["times"] is not None:
                rule["times"] = fault["times"]
            rules.append(rule)
    return rules

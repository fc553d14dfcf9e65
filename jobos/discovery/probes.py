"""Which ATS slug probes discovery sends, most likely first, within a fixed budget.

However many ATS modules exist, a crawl sends at most JOBOS_PROBE_BUDGET probe requests:
systems ordered by how common they are among companies that publish jobs (and, for a few
systems, in the company's country), the most likely slug on every system before the second
slug anywhere. The order is data, not code: systems missing from the table come last, in
name order, so a new module is probed only when the budget leaves room.
"""
from __future__ import annotations

from typing import Iterable

# Rough share among companies with a public board API (open job-board directories), higher first.
PREVALENCE: dict[str, float] = {
    "greenhouse": 10.0, "lever": 8.0, "workday": 7.0, "ashby": 6.0, "smartrecruiters": 5.0,
    "workable": 4.5, "bamboohr": 4.0, "recruitee": 3.0, "personio": 3.0, "teamtailor": 2.5,
    "breezy": 2.0, "jobvite": 2.0, "jazzhr": 2.0, "pinpoint": 1.5, "rippling": 1.5, "gem": 1.0,
}

# Systems much more common in some countries than overall: their weight there is multiplied.
COUNTRY_BOOST: dict[str, dict[str, float]] = {
    "personio": {**dict.fromkeys(("DE", "AT", "CH"), 4.0), **dict.fromkeys(("ES", "NL"), 2.0)},
    "recruitee": dict.fromkeys(("NL", "BE", "PL", "DE"), 3.0),
    "teamtailor": dict.fromkeys(("SE", "NO", "DK", "FI", "GB"), 3.0),
    "workable": dict.fromkeys(("GB", "GR", "IE", "CY"), 2.0),
    "join": dict.fromkeys(("DE", "AT", "CH"), 2.0),
    "gupy": {"BR": 5.0},
}


def system_order(systems: Iterable[str], country: str | None) -> list[str]:
    """Return ATS names, most likely first for a company in `country` (None: anywhere)."""
    def weight(name: str) -> float:
        return PREVALENCE.get(name, 0.0) * COUNTRY_BOOST.get(name, {}).get(country or "", 1.0)

    return sorted(systems, key=lambda name: (-weight(name), name))


def plan(systems: Iterable[str], slugs: list[str], country: str | None, budget: int) -> list[tuple[str, str]]:
    """Return (system, slug) pairs to probe: every system's best slug first, then the next slug."""
    order = system_order(systems, country)
    pairs = [(system, slug) for slug in slugs for system in order]
    return pairs[:max(0, budget)]

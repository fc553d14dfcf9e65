"""What earlier crawls learned: a company the store already knows goes straight to its page."""
from __future__ import annotations

from typing import Any

from jobos.store.names import normalize_company


def known_company(store: Any, company: str, country: str | None = None) -> tuple[str, str | None, str | None] | None:
    """Return (careers_url, board, domain) of the one stored company of this name, else None.

    Only an unambiguous match counts: two stored companies whose names normalize alike (a
    namesake in another country, say) leave discovery to decide. A company without a careers
    page stored is not known, and neither is one whose page a person pinned: any user may pin a
    page on a company they added, so a crawl by name alone never borrows it (the API passes it
    when it schedules that company). `country` is accepted for the caller's symmetry: a company row has
    no country, and the crawl's country filter still applies to the jobs read there.
    """
    norm = normalize_company(company)
    if not norm:
        return None
    page = store.list_companies(q=company, limit=50)
    same = [c for c in page.get("items", []) if c.get("normalized_name") == norm]
    if len(same) != 1 or not same[0].get("careers_url") or same[0].get("pinned"):
        return None
    row = same[0]
    return str(row["careers_url"]), row.get("board"), row.get("domain")

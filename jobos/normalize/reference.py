"""Reference data the normalizers and discovery read, loaded before a crawl's first request.

The Public Suffix List (tldextract: the snapshot bundled with the package, never fetched; see
jobos.normalize.urls) and pycountry's countries, subdivisions and currencies load lazily, on
first use. First used inside a callback, each held the reactor, and every download then
running, while it loaded; a crawl loads them when it opens instead.
"""
from __future__ import annotations

import pycountry

from jobos.normalize.countries import country_code
from jobos.normalize.urls import registrable_domain


def load_reference_data() -> None:
    """Load the suffix list and the ISO tables now; raise RuntimeError when one is unusable."""
    if registrable_domain("www.example.co.uk") != "example.co.uk":
        raise RuntimeError("the bundled Public Suffix List did not load")
    for table in (pycountry.countries, pycountry.subdivisions, pycountry.currencies):
        if not len(table):
            raise RuntimeError(f"pycountry's {table.filename} is empty")
    if country_code("Norway") != "NO":  # builds the country-name index (jobos.normalize.countries)
        raise RuntimeError("the country names did not load")


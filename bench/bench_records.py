"""Records against the truth the ATSs themselves give: places, pay and dates on real responses.

For every job of the corpus whose ATS gives a structured country or city in its raw response,
the location text alone (as the board publishes it) goes through `parse_location` and the result
is compared with that raw field, never with our own normalizer's output. The truth fields:

| ATS | text | country truth | city truth |
|---|---|---|---|
| greenhouse | `location.name` | `offices[].location` last part (a name) | its first part |
| lever | `categories.location` | `country` (ISO) | - |
| ashby | `location` | `address.postalAddress.addressCountry` | `addressLocality` |
| workday | `jobPostingInfo.location` | `country.alpha2Code` / `country.descriptor` | - |
| smartrecruiters | `location.fullLocation` | `location.country` | `location.city` |
| recruitee | `location` | `country_code` | `city` |
| personio | `office` | - | `office` (unless remote) |
| oracle_hcm | `PrimaryLocation` | `PrimaryLocationCountry` | - |
| eightfold | `locations[]` | `standardizedLocations[]` last part (ISO) | its first part |
| icims | `full_location`/`short_location` | `country_code` | `city` |
| workable | "city, state, country" as its widget shows | `countryCode` | `city` |
| teamtailor | `addressLocality, addressCountry` | JSON-LD `addressCountry` | `addressLocality` |
| bamboohr | "city, state" | - | `location.city` |

The text goes through `parse_locations` (the split function) and the first place it names is
compared, as the record normalizer keeps it. A text that names no place ("Remote", "EMEA") is
not counted for the country, and one that names only a country or area ("South Africa",
"Remote - US") is not counted for the city: no reader could take a city from it. Both are
reported. A city counts as the same when the folded names are equal, or when the truth name is one of the
GeoNames names of the place we found (München = Munich). Where a job lists several places
(Ashby "San Francisco, Seattle", several Greenhouse offices) any of them counts.

Pay: salary texts next to the ATS's own figures (Ashby compensation summary vs its Salary
component, Pinpoint compensation text vs its minimum/maximum). Dates: every posted/created
value of the corpus through `parse_date`, anchored to a fixed crawl time.

Run: .venv/bin/python bench/bench_records.py [corpus dir] [--misses]
"""
from __future__ import annotations

import json
import re
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from jobos.normalize.countries import country_code  # noqa: E402
from jobos.normalize.dates import parse_date  # noqa: E402
from jobos.normalize.location import Location, parse_location, parse_locations  # noqa: E402
from jobos.normalize.places import AREAS, fold  # noqa: E402
from jobos.normalize.salary import parse_salary  # noqa: E402

GOAL_COUNTRY, GOAL_CITY = 0.98, 0.95
CRAWL_TIME = datetime(2026, 9, 1, 12, 0, tzinfo=timezone.utc)


@dataclass
class Truth:
    ats: str
    file: str
    text: str
    countries: tuple[str, ...]  # ISO codes any of which is right; empty: no country truth
    cities: tuple[str, ...]  # city names any of which is right; empty: no city truth


def _load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _iso(value) -> str | None:
    """Return the ISO code of a raw country value (a code or a name), via pycountry's names."""
    if not isinstance(value, str) or not value.strip():
        return None
    return country_code(value.strip())


def _parts(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def _cities(*values) -> tuple[str, ...]:
    out = []
    for value in values:
        for part in _parts(value) if isinstance(value, str) else ():
            out.append(part)
    return tuple(dict.fromkeys(out))


def _truths(corpus: Path) -> list[Truth]:
    rows: list[Truth] = []

    def add(ats, f, text, countries=(), cities=()):
        countries = tuple(c for c in dict.fromkeys(countries) if c)
        cities = tuple(c for c in cities if c)
        if isinstance(text, str) and text.strip() and (countries or cities):
            rows.append(Truth(ats, f.name, text.strip(), countries, cities))

    for f in sorted((corpus / "greenhouse").glob("*.json")):
        data = _load(f)
        jobs = data.get("jobs") if isinstance(data, dict) and "jobs" in data else [data]
        for job in jobs:
            offices = [o for o in job.get("offices") or () if isinstance(o, dict) and o.get("location")]
            if not offices:
                continue
            countries = [_iso(_parts(o["location"])[-1]) for o in offices if len(_parts(o["location"])) > 1]
            cities = [_parts(o["location"])[0] for o in offices if len(_parts(o["location"])) != 1
                      or not _iso(o["location"])]
            add("greenhouse", f, (job.get("location") or {}).get("name"), countries, cities)
    for f in sorted((corpus / "lever").glob("*.json")):
        for job in _load(f):
            add("lever", f, (job.get("categories") or {}).get("location"), [_iso(job.get("country"))])
    for f in sorted((corpus / "ashby").glob("*.json")):
        for job in _load(f).get("jobs") or ():
            address = ((job.get("address") or {}).get("postalAddress") or {})
            add("ashby", f, job.get("location"), [_iso(address.get("addressCountry"))],
                _cities(address.get("addressLocality")))
    for f in sorted((corpus / "workday").glob("*.json")):
        info = _load(f).get("jobPostingInfo")
        if info:
            country = info.get("country") or {}
            code = ((info.get("jobRequisitionLocation") or {}).get("country") or {}).get("alpha2Code")
            add("workday", f, info.get("location"), [code or _iso(country.get("descriptor"))])
    for f in sorted((corpus / "smartrecruiters").glob("*.json")):
        data = _load(f)
        for job in data.get("content") or [data]:
            loc = job.get("location") or {}
            text = loc.get("fullLocation") or ", ".join(
                p for p in (loc.get("city"), loc.get("region"), loc.get("country")) if p)
            add("smartrecruiters", f, text, [_iso(loc.get("country"))], _cities(loc.get("city")))
    for f in sorted((corpus / "recruitee").glob("*.json")):
        for job in _load(f).get("offers") or ():
            add("recruitee", f, job.get("location"), [_iso(job.get("country_code"))], _cities(job.get("city")))
    for f in sorted((corpus / "personio").glob("*.xml")):
        root = ET.fromstring(f.read_bytes())
        for pos in root.iter("position"):
            office = (pos.findtext("office") or "").strip()
            if office and office.lower() != "remote":
                add("personio", f, office, (), (office,))
    for f in sorted((corpus / "oracle_hcm").glob("*.json")):
        for item in _load(f).get("items") or ():
            for req in item.get("requisitionList") or ([item] if "PrimaryLocation" in item else []):
                add("oracle_hcm", f, req.get("PrimaryLocation"), [_iso(req.get("PrimaryLocationCountry"))])
    for f in sorted((corpus / "eightfold").glob("*.json")):
        data = _load(f)
        jobs = (data.get("data") or {}).get("positions") if isinstance(data.get("data"), dict) else None
        for job in jobs or data.get("positions") or ():
            std = job.get("standardizedLocations") or []
            for text, s in zip(job.get("locations") or (), std):
                add("eightfold", f, text, [_iso(_parts(s)[-1])] if _parts(s) else (),
                    (_parts(s)[0],) if len(_parts(s)) >= 3 else ())
    for f in sorted((corpus / "icims").glob("*.json")):
        for job in _load(f).get("jobs") or ():
            job = job.get("data", job)
            text = job.get("short_location") or job.get("full_location")
            if text and ";" in text:
                text = text.split(";")[0]
            add("icims", f, text, [job.get("country_code") or _iso(job.get("country"))], _cities(job.get("city")))
    for f in sorted((corpus / "workable").glob("*.json")):
        for job in _load(f).get("jobs") or ():
            for loc in job.get("locations") or ():
                text = ", ".join(p for p in (loc.get("city"), loc.get("region"), loc.get("country")) if p)
                add("workable", f, text, [loc.get("countryCode")], _cities(loc.get("city")))
    for f in sorted((corpus / "teamtailor").glob("*.json")):
        for job in _load(f).get("items") or ():
            places = ((job.get("_jobposting") or {}).get("jobLocation")) or []
            for place in places if isinstance(places, list) else [places]:
                addr = place.get("address") or {}
                text = ", ".join(p for p in (addr.get("addressLocality"), addr.get("addressCountry")) if p)
                add("teamtailor", f, text, [_iso(addr.get("addressCountry"))], _cities(addr.get("addressLocality")))
    for f in sorted((corpus / "bamboohr").glob("*.json")):
        for job in _load(f).get("result") or ():
            loc = job.get("location") or {}
            text = ", ".join(p for p in (loc.get("city"), loc.get("state")) if p)
            add("bamboohr", f, text, (), _cities(loc.get("city")))
    return rows


def _same_city(found: str | None, country: str | None, truths: tuple[str, ...]) -> bool:
    if not found:
        return False
    names = {fold(found)}
    try:
        from jobos.normalize.places import city_names
        names |= {fold(n) for n in city_names(found, country)}
    except ImportError:  # before the gazetteer: folded names only
        pass
    return any(fold(t) in names for t in truths)


_NO_PLACE_WORDS = re.compile(r"\b(remote|hybrid|on[- ]?site|anywhere|worldwide|wfh|home office|only|"
                             r"based|in|or|and|of|the)\b", re.I)


def _coarseness(text: str) -> str:
    """Return 'none' (no place named), 'country' (only countries/areas) or 'city' for a text."""
    bare = _NO_PLACE_WORDS.sub(" ", text)
    tokens = [t.strip() for t in re.split(r"[,;/|&()\-–—:]+|\s{2,}", bare) if t.strip()]
    if not tokens:
        return "none"
    if all(fold(t) in AREAS for t in tokens):
        return "none"
    if all(fold(t) in AREAS or country_code(t) for t in tokens):
        return "country"
    return "city"


def _first_place(text: str) -> Location:
    return next((loc for loc in parse_locations(text) if not loc.empty), Location())


def _pct(hit: int, n: int) -> str:
    return f"{hit}/{n} = {100.0 * hit / n:5.1f}%" if n else "-"


def bench_places(corpus: Path, show_misses: bool) -> tuple[float, float]:
    rows = _truths(corpus)
    start = time.perf_counter()
    parse_location("Flensburg")  # loads whatever the parser loads lazily
    load_s = time.perf_counter() - start
    excluded = {"no place (country not counted)": 0, "country only (city not counted)": 0}
    per_ats = defaultdict(lambda: [0, 0, 0, 0])
    per_country = defaultdict(lambda: [0, 0])
    misses = []
    parse_location.cache_clear()
    t0 = time.perf_counter()
    results = [_first_place(r.text) for r in rows]
    per_string_us = (time.perf_counter() - t0) / max(1, len(rows)) * 1e6
    for r, loc in zip(rows, results):
        stats = per_ats[r.ats]
        coarse = _coarseness(r.text)
        if coarse == "none":
            excluded["no place (country not counted)"] += 1
            excluded["country only (city not counted)"] += bool(r.cities)
            continue
        if coarse == "country" and r.cities:
            excluded["country only (city not counted)"] += 1
            r = Truth(r.ats, r.file, r.text, r.countries, ())
        if r.countries:
            ok = loc.country in r.countries
            stats[0] += 1
            stats[1] += ok
            per_country[r.countries[0]][0] += 1
            per_country[r.countries[0]][1] += ok
            if not ok:
                misses.append(f"country {r.ats:15} {r.text!r}: got {loc.country} want {r.countries}")
        if r.cities:
            ok = _same_city(loc.city, loc.country, r.cities)
            stats[2] += 1
            stats[3] += ok
            if not ok:
                misses.append(f"city    {r.ats:15} {r.text!r}: got {loc.city!r} want {r.cities}")
    print(f"jobs with a structured truth: {len(rows)}; " + ", ".join(f"{k}: {v}" for k, v in excluded.items()))
    print(f"{'ATS':16} {'country':>22} {'city':>22}")
    tot = [0, 0, 0, 0]
    for ats, (nc, hc, ny, hy) in sorted(per_ats.items()):
        print(f"{ats:16} {_pct(hc, nc):>22} {_pct(hy, ny):>22}")
        tot = [tot[0] + nc, tot[1] + hc, tot[2] + ny, tot[3] + hy]
    print(f"{'ALL':16} {_pct(tot[1], tot[0]):>22} {_pct(tot[3], tot[2]):>22}")
    print("per country (truth): " + ", ".join(
        f"{c} {h}/{n}" for c, (n, h) in sorted(per_country.items(), key=lambda kv: -kv[1][0])))
    # Harder: the truth's city name alone, as many boards publish it ("Halifax", "Odense").
    alone = [(c, r.countries) for r in rows if r.countries for c in r.cities[:1]]
    hit = sum(parse_location(c).country in countries for c, countries in alone)
    print(f"the truth's city name alone -> same country: {_pct(hit, len(alone))}")
    if show_misses:
        for c, countries in alone:
            if parse_location(c).country not in countries:
                print(f"  miss alone {c!r}: got {parse_location(c).country} want {countries}")
    country_rate = tot[1] / tot[0] if tot[0] else 0.0
    city_rate = tot[3] / tot[2] if tot[2] else 0.0
    print(f"goal country >= {GOAL_COUNTRY:.0%}: {'MET' if country_rate >= GOAL_COUNTRY else 'NOT MET'}"
          f" ({country_rate:.1%}); goal city >= {GOAL_CITY:.0%}:"
          f" {'MET' if city_rate >= GOAL_CITY else 'NOT MET'} ({city_rate:.1%})")
    # Baselines measured in the same run: reading the GeoNames JSON the gazetteer is built from,
    # and folding each string (the cheapest thing a lookup must do).
    try:
        from jobos.normalize.places import GAZETTEER

        start = time.perf_counter()
        json.loads(GAZETTEER._data_file().read_text(encoding="utf-8"))
        json_s = time.perf_counter() - start
    except Exception:  # noqa: BLE001 - the bench still runs before the gazetteer exists
        json_s = float("nan")
    start = time.perf_counter()
    for r in rows:
        fold(r.text)
    fold_us = (time.perf_counter() - start) / max(1, len(rows)) * 1e6
    try:
        from jobos.normalize.places import Gazetteer

        start = time.perf_counter()
        Gazetteer()._build()
        build_s = time.perf_counter() - start
        start = time.perf_counter()
        Gazetteer().load()  # from the cache the first load wrote
        cached_s = time.perf_counter() - start
        print(f"gazetteer: build {build_s * 1000:.0f} ms = {build_s / json_s:.1f}x reading the JSON;"
              f" load from cache {cached_s * 1000:.0f} ms = {cached_s / json_s:.2f}x")
    except ImportError:
        pass
    print(f"first parse (lazy load): {load_s * 1000:.0f} ms = {load_s / json_s:.1f}x reading the"
          f" GeoNames JSON ({json_s * 1000:.0f} ms); per string (uncached): {per_string_us:.0f} us"
          f" = {per_string_us / fold_us:.0f}x folding it ({fold_us:.1f} us)")
    if show_misses:
        for line in misses:
            print("  miss", line)
    else:
        print(f"misses: {len(misses)} (run with --misses to list them)")
    return country_rate, city_rate


def _salary_truths(corpus: Path) -> list[tuple[str, str, float, float, str]]:
    out = []
    for f in sorted((corpus / "ashby").glob("*.json")):
        for job in _load(f).get("jobs") or ():
            comp = job.get("compensation") or {}
            text = comp.get("compensationTierSummary")
            salary = [c for c in comp.get("summaryComponents") or () if c.get("compensationType") == "Salary"]
            if text and salary and salary[0].get("minValue") is not None:
                s = salary[0]
                out.append(("ashby", text, float(s["minValue"]), float(s.get("maxValue") or s["minValue"]),
                            s.get("currencyCode")))
    for f in sorted((corpus / "pinpoint").glob("*.json")):
        data = _load(f)
        for job in data.get("data", data) if isinstance(data, dict) else data:
            if job.get("compensation") and job.get("compensation_minimum") is not None:
                out.append(("pinpoint", job["compensation"], float(job["compensation_minimum"]),
                            float(job.get("compensation_maximum") or job["compensation_minimum"]),
                            job.get("compensation_currency")))
    return out


def bench_salary(corpus: Path, show_misses: bool) -> None:
    rows = _salary_truths(corpus)
    parsed = exact = 0
    for ats, text, low, high, cur in rows:
        s = parse_salary(text)
        if s is None:
            if show_misses:
                print(f"  miss salary {ats} {text!r}: nothing")
            continue
        parsed += 1
        if abs((s.min or 0) - low) < 1 and abs((s.max or 0) - high) < 1 and s.currency == cur:
            exact += 1
        elif show_misses:
            print(f"  miss salary {ats} {text!r}: got {s} want {low}-{high} {cur}")
    print(f"salary texts with ATS figures: {len(rows)}; parsed {_pct(parsed, len(rows))};"
          f" same min/max/currency {_pct(exact, len(rows))}")
    # Spellings the corpus lacks (local number formats, bounds in words, a symbol in Canada).
    samples = [("60.000 € brutto im Jahr", None, (60000, 60000, "EUR")),
               ("60 000 € par an", None, (60000, 60000, "EUR")),
               ("₹12,00,000 per annum", None, (1200000, 1200000, "INR")),
               ("up to $80k", None, (None, 80000, "USD")),
               ("ab 60.000 € im Jahr", None, (60000, None, "EUR")),
               ("$90,000 - $110,000", "CA", (90000, 110000, "CAD")),
               ("40 000 kr/mån", "SE", (40000, 40000, "SEK"))]
    right = 0
    for text, country, want in samples:
        try:
            s = parse_salary(text, country)
        except TypeError:  # a parser without the country argument
            s = parse_salary(text)
        got = (s.min, s.max, s.currency) if s else None
        right += got == want
        if got != want and show_misses:
            print(f"  miss salary sample {text!r} ({country}): got {got} want {want}")
    print(f"salary local formats/bounds/symbols: {_pct(right, len(samples))}")


def _date_values(corpus: Path) -> list[tuple[str, object]]:
    keys = ("updated_at", "first_published", "createdAt", "publishedAt", "postedOn", "releasedDate",
            "created_at", "PostedDate", "postedTs", "t_create", "posted_date", "published_on",
            "date_published", "datePosted", "published_at")
    out = []

    def walk(node, kind, depth=0):
        if depth > 6:
            return
        if isinstance(node, dict):
            for k, v in node.items():
                if k in keys and v not in (None, ""):
                    out.append((kind, v))
                elif isinstance(v, (dict, list)):
                    walk(v, kind, depth + 1)
        elif isinstance(node, list):
            for v in node:
                walk(v, kind, depth + 1)

    for kind in ("greenhouse", "lever", "ashby", "workday", "smartrecruiters", "recruitee",
                 "oracle_hcm", "eightfold", "icims", "workable", "teamtailor", "gem", "pinpoint"):
        for f in sorted((corpus / kind).glob("*.json")):
            walk(_load(f), kind)
    for f in sorted((corpus / "personio").glob("*.xml")):
        for el in ET.fromstring(f.read_bytes()).iter("createdAt"):
            out.append(("personio", el.text))
    return out


def bench_dates(corpus: Path, show_misses: bool) -> None:
    values = _date_values(corpus)
    per = defaultdict(lambda: [0, 0])
    for kind, value in values:
        ok = parse_date(value, CRAWL_TIME) is not None
        per[kind][0] += 1
        per[kind][1] += ok
        if not ok and show_misses:
            print(f"  miss date {kind} {value!r}")
    total = sum(n for n, _ in per.values())
    hit = sum(h for _, h in per.values())
    print(f"dates: parsed {_pct(hit, total)} (" + ", ".join(f"{k} {h}/{n}" for k, (n, h) in sorted(per.items())) + ")")
    # Relative and localized spellings as boards print them, anchored to the crawl time.
    samples = ["Posted Today", "Posted Yesterday", "Posted 3 Days Ago", "Posted 30+ Days Ago",
               "vor 3 Tagen", "il y a 2 semaines", "hace 5 días", "2 weeks ago", "há 3 dias",
               "3 dagen geleden", "för 2 veckor sedan", "5 giorni fa", "12. März 2026", "1 mars 2026"]
    got = {s: parse_date(s, CRAWL_TIME) for s in samples}
    print("relative/localized: " + ", ".join(f"{s!r}->{v}" for s, v in got.items()))
    print(f"relative/localized parsed: {_pct(sum(v is not None for v in got.values()), len(samples))}")


_WORKPLACE_WORDS = {"onsite": "onsite", "on-site": "onsite", "on site": "onsite", "remote": "remote",
                    "hybrid": "hybrid", "fully remote": "remote"}


def _workplace_truths(corpus: Path) -> list[tuple[str, dict, str]]:
    """(ATS, item without the ATS's workplace field, the ATS's workplace) for every job."""
    out = []

    def add(ats, title, location, description, value, source=None):
        key = _WORKPLACE_WORDS.get(str(value or "").strip().lower())
        if key and title:
            out.append((ats, {"title": title, "location": location, "description": description,
                              "url": "https://jobs.example/x", "source": source or ats, "method": "api"}, key))

    for f in sorted((corpus / "lever").glob("*.json")):
        for job in _load(f):
            add("lever", job.get("text"), (job.get("categories") or {}).get("location"),
                job.get("descriptionPlain"), job.get("workplaceType"))
    for f in sorted((corpus / "ashby").glob("*.json")):
        for job in _load(f).get("jobs") or ():
            add("ashby", job.get("title"), job.get("location"), job.get("descriptionPlain"),
                job.get("workplaceType"))
    for f in sorted((corpus / "pinpoint").glob("*.json")):
        data = _load(f)
        for job in data.get("data", data) if isinstance(data, dict) else data:
            add("pinpoint", job.get("title"), (job.get("location") or {}).get("name"),
                job.get("description"), job.get("workplace_type"))
    for f in sorted((corpus / "gem").glob("*.json")):
        for job in _load(f):
            add("gem", job.get("title"), (job.get("location") or {}).get("name"),
                job.get("content_plain"), job.get("location_type"))
    for f in sorted((corpus / "eightfold").glob("*.json")):
        data = _load(f)
        jobs = (data.get("data") or {}).get("positions") if isinstance(data.get("data"), dict) else None
        for job in jobs or data.get("positions") or ():
            add("eightfold", job.get("name"), (job.get("locations") or [None])[0], None,
                job.get("workLocationOption") or job.get("work_location_option"))
    return out


def bench_workplace(show_misses: bool) -> None:
    from jobos.normalize.record import normalize_item

    rows = _workplace_truths(CORPUS)
    per = defaultdict(lambda: [0, 0, 0])
    for ats, item, truth in rows:
        normalize_item(item, CRAWL_TIME)
        stats = per[ats]
        stats[0] += 1
        if item["workplace"] is not None:
            stats[1] += 1
            stats[2] += item["workplace"] == truth
            if item["workplace"] != truth and show_misses:
                print(f"  miss workplace {ats} {item['location']!r}: got {item['workplace']} want {truth}")
    n = sum(s[0] for s in per.values())
    said = sum(s[1] for s in per.values())
    right = sum(s[2] for s in per.values())
    print(f"workplace without the ATS field (location, title, description) vs the ATS field: {n} jobs;"
          f" decided {_pct(said, n)}; right when decided {_pct(right, said)} ("
          + ", ".join(f"{a} {s[2]}/{s[1]} of {s[0]}" for a, s in sorted(per.items())) + ")")


CORPUS = REPO.parent / "shared" / "corpus"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    corpus = Path(args[0]) if args else REPO.parent / "shared" / "corpus"
    if not corpus.is_dir():
        sys.exit(f"corpus not found at {corpus}: pass its folder as the first argument")
    show = "--misses" in sys.argv
    global CORPUS
    CORPUS = corpus
    bench_places(corpus, show)
    bench_workplace(show)
    bench_salary(corpus, show)
    bench_dates(corpus, show)


if __name__ == "__main__":
    main()

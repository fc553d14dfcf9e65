"""Location text -> city, region, ISO country and workplace; the country filter.

Job boards publish locations in many shapes: "Berlin, Germany", "New York, NY", "Remote - US",
"Toronto, ON, Canada", Workday's "Irving Texas United States" and "USA.VA.Reston", Ashby's
"SF / NY / Remote", Greenhouse's "San Francisco, CA; New York, NY | Seattle, WA". Countries and
subdivisions come from pycountry; cities from the GeoNames gazetteer (`places.GAZETTEER`). A
name several places share is resolved by the rest of the string ("Hanover, PA"), then by the
country hint (the company's country, when the caller knows it), then by population.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from jobos.normalize.countries import country_code, country_name
from jobos.normalize.places import AREAS, CITY_STATES, GAZETTEER, SUBDIVISION_ALIASES, Place, fold
from jobos.normalize.text import clean_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Location:
    """One place a job is at (or, when remote, open to)."""

    city: str | None = None
    region: str | None = None
    country: str | None = None
    remote: bool = False
    workplace: str | None = None
    # A world area the job is restricted to ("EMEA", "APAC"), when no single country is named.
    area: str | None = None

    @property
    def empty(self) -> bool:
        """Return True when nothing about the place is known."""
        return not (self.city or self.region or self.country or self.area)


_HYBRID = re.compile(
    r"\b(hybrid|hybride|h[ií]brido|ibrido|t[ée]l[ée]travail partiel|partial(?:ly)? remote|"
    r"teilweise remote|teilweise homeoffice)\b",
    re.I,
)
_REMOTE = re.compile(
    r"\b(remote[- ]friendly|fully[- ]remote|remote[- ]first|remote|work from home|wfh|"
    r"home[- ]?office|homeoffice|telecommute|telework|t[ée]l[ée]travail|teletrabajo|remoto|"
    r"remota|fernarbeit|mobiles arbeiten|anywhere|worldwide|distributed)\b",
    re.I,
)
_ONSITE = re.compile(r"\b(on[- ]?site|in[- ]office|office[- ]based|vor ort|presencial|sur site)\b", re.I)
# Trailing descriptions that are not places: "In office M,W,F", "(Travel Required)".
_TRAILER = re.compile(r"\b(in[- ]office|travel[- ]required|only)\b.*$", re.I)
# Words that qualify a place without changing it: "San Francisco Office", "Cape Town Hub".
_QUALIFIERS = re.compile(
    r"\b(office|offices|hub|hq|headquarters|campus|data cent(?:er|re)|area|metro|"
    r"metropolitan area|greater|region|peo)\s*$|^\s*(greater|metro)\b",
    re.I,
)
_NOT_PLACES = {
    "various", "multiple", "multiple locations", "several locations", "tbd", "n a", "na",
    "flexible", "global", "international", "other", "any", "none", "unknown",
}
_COUNT_OF_LOCATIONS = re.compile(r"^\d+\s+(locations?|standorte|sites|lieux)$", re.I)
_PAREN = re.compile(r"\(([^()]*)\)")
_WORKDAY_DOTTED = re.compile(r"^[A-Za-z]{2,3}(\.[A-Za-z][A-Za-z .'-]*)+$")
# Countries that are also US state names: the state is meant when other parts are given.
_STATE_OVER_COUNTRY = {"georgia"}
_STATE_COUNTRIES = ("US", "CA", "AU")


@lru_cache(maxsize=512)
def _subdivisions(country: str) -> dict[str, str]:
    """Return folded subdivision names and code suffixes of a country -> display name."""
    table: dict[str, str] = {}
    for sub in pycountry.subdivisions.get(country_code=country) or ():
        # Top-level subdivisions only: a county never hides a state of the same name.
        if getattr(sub, "parent_code", None):
            continue
        table.setdefault(fold(sub.name), sub.name)
        table.setdefault(fold(sub.code.split("-", 1)[1]), sub.name)
    return table


def _region_of(token: str, country: str) -> str | None:
    """Return the subdivision display name if token names one in country."""
    key = fold(token)
    if len(key.replace(" ", "")) <= 3:
        key = key.replace(" ", "")  # "D.C." -> "dc"
    key = SUBDIVISION_ALIASES.get(key, key)
    subs = _subdivisions(country)
    if key in subs:
        return subs[key]
    for prefix in ("state of ", "province of ", "provincia de ", "estado de "):
        if key.startswith(prefix) and key[len(prefix):] in subs:
            return subs[key[len(prefix):]]
    return None


def _state_lookup(token: str) -> tuple[str, str] | None:
    """Return (region, country) for a US state / Canadian province / Australian state name or code."""
    for country in _STATE_COUNTRIES:
        region = _region_of(token, country)
        if region:
            return region, country
    return None


def _token_country(token: str, position: int, count: int) -> str | None:
    """Return the country a token names, refusing 2-letter codes that are likely US states."""
    key = fold(token)
    if not key or key in _NOT_PLACES:
        return None
    if count > 1 and key in _STATE_OVER_COUNTRY:
        return None
    bare = token.strip(" .")
    if len(bare.replace(".", "")) == 2 and count > 1:
        # "CA", "DE", "IN" are both states and countries: a code is a country only in last
        # position and when it is not a state code (the caller checks the city table first).
        if position != count - 1 or _region_of(bare, "US") or _region_of(bare, "CA"):
            return None
    return country_code(token) or country_code(key)


def _split_tokens(text: str) -> list[str]:
    if _WORKDAY_DOTTED.match(text) and " " not in text.split(".")[0]:
        return [part for part in text.split(".") if part.strip()]
    parts = re.split(r"\s*,\s*|\s+[-–—]\s+|\s{2,}|\s+/\s+|\s*:\s+", text)
    return [p.strip(" -–—,.;:/") for p in parts if p and p.strip(" -–—,.;:/")]


_LEADING_WORDS = re.compile(r"^(based in|anywhere in|in|from|within|aus|en|à|a)\s+", re.I)


def _clean_token(token: str) -> str:
    if GAZETTEER.candidates(token):
        return token
    token = _LEADING_WORDS.sub("", token)
    previous = None
    while previous != token:
        previous = token
        token = _QUALIFIERS.sub("", token).strip(" -–—,.")
    return token


def _suffix_split(token: str) -> tuple[str | None, str, str | None]:
    """Split 'Irving Texas United States' -> (country, 'Irving', region) by trailing words."""
    words = token.split()
    country = None
    for k in range(1, len(words)):
        found = country_code(" ".join(words[k:]))
        if found:
            country, words = found, words[:k]
            break
    if country is None:
        return None, token, None
    region = None
    for k in range(1, len(words)):
        found = _region_of(" ".join(words[k:]), country)
        if found:
            region, words = found, words[:k]
            break
    return country, " ".join(words), region


def _canonical_city(token: str, country: str | None, region: str | None = None,
                    hint: str | None = None) -> tuple[str, str | None]:
    """Return (city display name, region from the gazetteer) for a city token."""
    place = GAZETTEER.lookup(token, country, region, hint)
    if place is not None:
        return place.name, place.region
    return token, None


def _weight(token: str, country: str, region: str | None = None) -> float:
    """Return the weight of the weightiest place of that name in country (and region)."""
    found = [(p, w) for p, w in GAZETTEER.candidates(token) if p.country == country
             and (region is None or (p.region and fold(p.region) == fold(region)))]
    return max((w for _, w in found), default=0.0)


def _city_place(token: str, others: list[str], hint: str | None) -> Place | None:
    """Return the place a city token means when no country is named, using the other parts as
    its region ("Bielefeld, NRW"), then the hint country, then population."""
    found = GAZETTEER.candidates(token)
    if not found:
        return None
    if others:
        in_region = [(p, w) for p, w in found if any(_region_of(o, p.country) for o in others)]
        if in_region:
            return max(in_region, key=lambda pw: pw[1])[0]
    return GAZETTEER.lookup(token, hint=hint)


def _resolve(tokens: list[str], hint: str | None = None) -> tuple[str | None, str | None, str | None, str | None]:
    """Return (city, region, country, area) for the parts of one location."""
    area = None
    kept: list[str] = []
    for token in tokens:
        key = fold(token)
        if key in AREAS:
            area = area or AREAS[key][0]
        elif key and key not in _NOT_PLACES and not re.search(r"\d", token):
            kept.append(token)
    tokens = kept
    if not tokens:
        return None, None, None, area

    count = len(tokens)
    country = None
    country_index = None
    first_countries = GAZETTEER.countries(tokens[0]) if count > 1 else set()
    for i in range(count - 1, -1, -1):
        code = country_code(tokens[i]) if i > 0 else None
        if count == 2 and i == 1 and len(tokens[1].strip(" .")) == 2:
            # "Berlin, DE" (a country) versus "Austin, TX" / "Foster City, CA" (states): the
            # weightier of the city in that state and the city in that country wins; an
            # unknown city with a state code is in that state.
            state = _state_lookup(tokens[1])
            in_state = _weight(tokens[0], state[1], state[0]) if state else 0.0
            in_country = _weight(tokens[0], code) if code else 0.0
            if code and code in first_countries and in_country > in_state:
                country, country_index = code, 1
                break
            if state:
                continue
        elif code and code in first_countries:
            # A known city decides ambiguous parts: "Tbilisi, Georgia".
            country, country_index = code, i
            break
        found = _token_country(tokens[i], i, count)
        if found:
            country, country_index = found, i
            break
    if country_index is not None:
        rest = [t for j, t in enumerate(tokens) if j != country_index and country_code(t) != country]
    else:
        rest = list(tokens)

    if country is None and count == 1:
        suffix_country, head, region = _suffix_split(tokens[0])
        if suffix_country:
            country, rest = suffix_country, [head] if head else []
            if region:
                rest.append(region)

    if country is None:
        # A US state / Canadian province after the city: "Austin, TX", "Toronto, Ontario".
        for token in rest[1:] if len(rest) > 1 else rest:
            found = _state_lookup(token)
            if found:
                country = found[1]
                # "US, TX, Remote": the country code before the state is not a city.
                rest = [t for t in rest if country_code(t) != country or _region_of(t, country)]
                break
    if country is None and rest:
        place = _city_place(rest[0], rest[1:], hint)
        if place is not None:
            country = place.country

    if country is None:
        city = rest[0] if rest else None
        region = rest[1] if len(rest) > 1 else None
        return city, region, None, area

    if not rest:
        if country in CITY_STATES:
            return pycountry.countries.get(alpha_2=country).name, None, country, area
        return None, None, country, area

    regions = [(_region_of(t, country), t) for t in rest]
    city = None
    region = None
    if len(rest) == 1:
        token = rest[0]
        known = GAZETTEER.lookup(token, country)
        if known is not None or not regions[0][0]:
            city, region = _canonical_city(token, country)
        else:
            region = regions[0][0]
    else:
        # The city is the first part that is not a region ("USA.VA.Reston", "Quebec - Montreal");
        # when all parts are regions ("New York, NY", "Berlin, Berlin"), the first one.
        city_index = next((j for j, (found, _) in enumerate(regions) if not found), 0)
        region = next((found for j, (found, _) in enumerate(regions) if found and j != city_index), None)
        city, table_region = _canonical_city(rest[city_index], country, region)
        others = [t for j, (_, t) in enumerate(regions) if j != city_index]
        if region is None:
            region = table_region or (others[0] if others else None)
    if region is None and city:
        region = _canonical_city(city, country)[1]
    if region:
        region = _region_of(region, country) or region
    return city, region, country, area


def _workplace(text: str) -> str | None:
    if _HYBRID.search(text):
        return "hybrid"
    if _REMOTE.search(text):
        return "remote"
    if _ONSITE.search(text):
        return "onsite"
    return None


def workplace_of(text: str | None) -> str | None:
    """Return 'remote', 'hybrid', 'onsite' or None from a location, title or flag text."""
    if not text or not isinstance(text, str):
        return None
    return _workplace(text)


@lru_cache(maxsize=8192)
def parse_location(text: str | None, country_hint: str | None = None) -> Location:
    """Return the Location one location string names (all None when it names none).

    country_hint (the company's or the crawl's country) decides between places of one name
    that the string itself does not tell apart ("Valencia": Spain for a Spanish company).
    """
    if not text or not isinstance(text, str):
        return Location()
    raw = clean_text(text)
    if not raw or len(raw) > 300 or _COUNT_OF_LOCATIONS.match(raw):
        return Location()
    workplace = _workplace(raw)
    # Parenthesised parts are hints ("Remote (US)", "(Seattle, WA only)", "(PEO)").
    hints = [h for h in (_TRAILER.sub("", p).strip() for p in _PAREN.findall(raw)) if h]
    main = _PAREN.sub(" ", raw)
    main = _TRAILER.sub("", main)
    for pattern in (_HYBRID, _REMOTE, _ONSITE):
        main = pattern.sub(" ", main)
    main = re.sub(r"\s*[-–—]\s*(?=[-–—]|$)|^\s*[-–—,:/]+", " ", main)
    main = re.sub(r"(?<=\w)-\s+|\s+-(?=\w)", " - ", main)
    tokens = [_clean_token(t) for t in _split_tokens(main.strip(" -–—,;:/"))]
    city, region, country, area = _resolve([t for t in tokens if t], country_hint)
    for hint in hints:
        if country or (city and region):
            break
        hint_tokens = [_clean_token(t) for t in _split_tokens(hint)]
        h_city, h_region, h_country, h_area = _resolve([t for t in hint_tokens if t], country_hint)
        if h_country or h_area:
            if city is None or h_country:
                city, region = city or h_city, region or h_region
            country, area = country or h_country, area or h_area
    return Location(
        city=city,
        region=region,
        country=country,
        remote=workplace == "remote",
        workplace=workplace,
        area=area,
    )


_MULTI_SPLIT = re.compile(r"\s*;\s*|\s+\|\s+|\s*\|\s*|\s+/\s+|\s+&\s+|\s+or\s+|\s+and\s+|\s+oder\s+|\s+ou\s+")


def _split_multi(text: str) -> list[str]:
    parts = [p.strip() for p in _MULTI_SPLIT.split(text) if p and p.strip()]
    out: list[str] = []
    for part in parts:
        # "CPT/JHB/PTA/DBN": slash-joined short codes are several places.
        if "/" in part and all(len(x.strip()) <= 4 for x in part.split("/")):
            out.extend(x.strip() for x in part.split("/") if x.strip())
            continue
        pieces = [x.strip() for x in part.split(",")]
        # "San Francisco, CA, New York City, NY, Seattle, WA": pairs of city and state code.
        if (
            len(pieces) >= 4
            and len(pieces) % 2 == 0
            and all(len(p) == 2 and _state_lookup(p) for p in pieces[1::2])
        ):
            out.extend(f"{c}, {s}" for c, s in zip(pieces[0::2], pieces[1::2]))
            continue
        out.append(part)
    return out


def parse_locations(text: str | None, country_hint: str | None = None) -> list[Location]:
    """Return every Location of a possibly multi-location string, without duplicates."""
    if not text or not isinstance(text, str):
        return []
    raw = clean_text(text)
    if not raw or _COUNT_OF_LOCATIONS.match(raw):
        return []
    found: list[Location] = []
    for part in _split_multi(raw):
        loc = parse_location(part, country_hint)
        if (not loc.empty or loc.workplace) and loc not in found:
            found.append(loc)
    return found


def display_location(city: str | None, region: str | None, country: str | None,
                     workplace: str | None = None, scope: str | None = None) -> str | None:
    """Return the one display form of a job's place, built from the normalized parts.

    "Rostock, Mecklenburg-Vorpommern, Germany"; a region equal to its city is said once
    ("Berlin, Germany"); a remote job without a city reads "Remote (Germany)", "Remote (EU)" or
    "Remote"; country names are pycountry's common names.
    """
    name = country_name(country) if country else None
    parts = [p for p in (city, region if region and region != city else None, name) if p]
    if workplace == "remote" and not city:
        reach = [country_name(s) or s for s in (scope or "").split(",") if s] or ([name] if name else [])
        return f"Remote ({', '.join(reach)})" if reach else "Remote"
    return ", ".join(parts) or None


def place_of(job: Mapping) -> str | None:
    """Return a stored job's place in the one display format (pages, API, alerts, feeds).

    Its location_display when the record has one; else the same format built from its
    normalized parts (a record stored before location_display existed); else the place as
    published, when nothing was normalized.
    """
    shown = job.get("location_display")
    if shown:
        return str(shown)
    built = display_location(job.get("city"), job.get("region"), job.get("country"),
                             job.get("workplace"), job.get("remote_scope"))
    if built and (job.get("city") or job.get("region") or job.get("country") or not job.get("location")):
        return built
    return str(job["location"]) if job.get("location") else built


def _location_matches(loc: Location, code: str) -> bool:
    if loc.country:
        return loc.country == code
    if loc.area:
        members = next((m for name, m in AREAS.values() if name == loc.area), None)
        return members is None or code in members
    # No country and no area: remote with no restriction, or a place we could not put in a
    # country; both belong in every country's crawl.
    return True


def matches_country(item: Mapping, country: str | None, include_unknown: bool = True) -> bool:
    """Return True if the job belongs in a crawl restricted to country (DESIGN.md's filter).

    A job whose country cannot be determined belongs, as in the jobs list's country filter,
    unless include_unknown is False.
    """
    if not country:
        return True
    code = country_code(country) or str(country).strip().upper()
    candidates: list[Location] = []
    item_country = item.get("country")
    if isinstance(item_country, str) and item_country.strip():
        candidates.append(Location(country=country_code(item_country) or item_country.upper()))
    for text in item.get("locations") or ():
        if isinstance(text, str):
            candidates.extend(parse_locations(text))
    if not candidates:
        candidates.extend(parse_locations(item.get("location")))
    candidates = [c for c in candidates if not c.empty]
    if not candidates:
        return include_unknown
    if not include_unknown and not any(c.country or c.area for c in candidates):
        return False
    return any(_location_matches(loc, code) for loc in candidates)

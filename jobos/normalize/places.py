"""Small place tables the libraries lack: major cities -> country, world areas -> countries.

pycountry knows countries and subdivisions but not cities, and no continent/area grouping; job
locations often name only a city ("London", "München") or an area ("Remote (EMEA)").
"""
from __future__ import annotations

import re
import unicodedata

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

# Major cities (folded name or common abbreviation) -> (canonical name, ISO country, region).
# Native and English spellings both map to one canonical name so records compare.
_CITY_ROWS = """
new york|new york city|nyc|ny|manhattan|brooklyn = New York; US; New York
san francisco|sf|san francisco bay area|bay area = San Francisco; US; California
los angeles = Los Angeles; US; California
san jose = San Jose; US; California
san diego = San Diego; US; California
palo alto = Palo Alto; US; California
mountain view = Mountain View; US; California
menlo park = Menlo Park; US; California
sunnyvale = Sunnyvale; US; California
oakland = Oakland; US; California
seattle = Seattle; US; Washington
bellevue = Bellevue; US; Washington
redmond = Redmond; US; Washington
portland = Portland; US; Oregon
austin = Austin; US; Texas
dallas = Dallas; US; Texas
houston = Houston; US; Texas
boston = Boston; US; Massachusetts
cambridge ma = Cambridge; US; Massachusetts
chicago = Chicago; US; Illinois
denver = Denver; US; Colorado
boulder = Boulder; US; Colorado
atlanta = Atlanta; US; Georgia
miami = Miami; US; Florida
philadelphia = Philadelphia; US; Pennsylvania
pittsburgh = Pittsburgh; US; Pennsylvania
phoenix = Phoenix; US; Arizona
salt lake city = Salt Lake City; US; Utah
washington dc|washington d c|dc = Washington; US; District of Columbia
raleigh|raleigh durham|durham nc = Raleigh; US; North Carolina
charlotte = Charlotte; US; North Carolina
nashville = Nashville; US; Tennessee
minneapolis = Minneapolis; US; Minnesota
detroit = Detroit; US; Michigan
columbus = Columbus; US; Ohio
reston = Reston; US; Virginia
toronto = Toronto; CA; Ontario
vancouver = Vancouver; CA; British Columbia
montreal|montréal = Montreal; CA; Quebec
ottawa = Ottawa; CA; Ontario
calgary = Calgary; CA; Alberta
mexico city|ciudad de mexico|cdmx = Mexico City; MX;
guadalajara = Guadalajara; MX;
sao paulo = São Paulo; BR;
rio de janeiro = Rio de Janeiro; BR;
buenos aires = Buenos Aires; AR;
bogota = Bogotá; CO;
santiago de chile = Santiago; CL;
lima = Lima; PE;
london = London; GB; England
manchester = Manchester; GB; England
edinburgh = Edinburgh; GB; Scotland
glasgow = Glasgow; GB; Scotland
bristol = Bristol; GB; England
birmingham uk = Birmingham; GB; England
cambridge uk = Cambridge; GB; England
oxford = Oxford; GB; England
belfast = Belfast; GB; Northern Ireland
dublin = Dublin; IE;
cork = Cork; IE;
paris = Paris; FR; Île-de-France
lyon = Lyon; FR;
marseille = Marseille; FR;
toulouse = Toulouse; FR;
lille = Lille; FR;
nantes = Nantes; FR;
bordeaux = Bordeaux; FR;
berlin = Berlin; DE; Berlin
munich|munchen|muenchen = Munich; DE; Bayern
hamburg = Hamburg; DE; Hamburg
cologne|koln|koeln = Cologne; DE; Nordrhein-Westfalen
frankfurt|frankfurt am main = Frankfurt am Main; DE; Hessen
stuttgart = Stuttgart; DE; Baden-Württemberg
dusseldorf|duesseldorf = Düsseldorf; DE; Nordrhein-Westfalen
leipzig = Leipzig; DE; Sachsen
dresden = Dresden; DE; Sachsen
nuremberg|nurnberg|nuernberg = Nuremberg; DE; Bayern
hannover|hanover = Hanover; DE; Niedersachsen
bremen = Bremen; DE; Bremen
karlsruhe = Karlsruhe; DE; Baden-Württemberg
aachen = Aachen; DE; Nordrhein-Westfalen
bonn = Bonn; DE; Nordrhein-Westfalen
essen = Essen; DE; Nordrhein-Westfalen
dortmund = Dortmund; DE; Nordrhein-Westfalen
munster = Münster; DE; Nordrhein-Westfalen
mannheim = Mannheim; DE; Baden-Württemberg
heidelberg = Heidelberg; DE; Baden-Württemberg
freiburg|freiburg im breisgau = Freiburg im Breisgau; DE; Baden-Württemberg
mainz = Mainz; DE; Rheinland-Pfalz
wiesbaden = Wiesbaden; DE; Hessen
potsdam = Potsdam; DE; Brandenburg
augsburg = Augsburg; DE; Bayern
tbilisi = Tbilisi; GE;
vienna|wien = Vienna; AT; Wien
graz = Graz; AT;
zurich = Zurich; CH;
geneva|geneve|genf = Geneva; CH;
basel = Basel; CH;
bern|berne = Bern; CH;
lausanne = Lausanne; CH;
amsterdam = Amsterdam; NL;
rotterdam = Rotterdam; NL;
the hague|den haag = The Hague; NL;
utrecht = Utrecht; NL;
eindhoven = Eindhoven; NL;
brussels|bruxelles|brussel = Brussels; BE;
antwerp|antwerpen = Antwerp; BE;
luxembourg = Luxembourg; LU;
copenhagen|kobenhavn = Copenhagen; DK;
aarhus = Aarhus; DK;
stockholm = Stockholm; SE;
gothenburg|goteborg = Gothenburg; SE;
malmo = Malmö; SE;
oslo = Oslo; NO;
bergen = Bergen; NO;
helsinki = Helsinki; FI;
reykjavik = Reykjavík; IS;
madrid = Madrid; ES;
barcelona = Barcelona; ES;
valencia = Valencia; ES;
seville|sevilla = Seville; ES;
malaga = Málaga; ES;
lisbon|lisboa = Lisbon; PT;
porto = Porto; PT;
milan|milano = Milan; IT;
rome|roma = Rome; IT;
turin|torino = Turin; IT;
warsaw|warszawa = Warsaw; PL;
krakow|cracow = Kraków; PL;
wroclaw = Wrocław; PL;
gdansk = Gdańsk; PL;
prague|praha = Prague; CZ;
brno = Brno; CZ;
budapest = Budapest; HU;
bucharest|bucuresti = Bucharest; RO;
sofia = Sofia; BG;
athens = Athens; GR;
belgrade|beograd = Belgrade; RS;
zagreb = Zagreb; HR;
ljubljana = Ljubljana; SI;
tallinn = Tallinn; EE;
riga = Riga; LV;
vilnius = Vilnius; LT;
kyiv|kiev = Kyiv; UA;
istanbul = Istanbul; TR;
tel aviv|tel aviv yafo = Tel Aviv; IL;
dubai = Dubai; AE;
abu dhabi = Abu Dhabi; AE;
riyadh = Riyadh; SA;
doha = Doha; QA;
cairo = Cairo; EG;
lagos = Lagos; NG;
nairobi = Nairobi; KE;
cape town|cpt = Cape Town; ZA; Western Cape
johannesburg|jhb|joburg = Johannesburg; ZA; Gauteng
pretoria|pta = Pretoria; ZA; Gauteng
durban|dbn = Durban; ZA; KwaZulu-Natal
parow = Parow; ZA; Western Cape
bengaluru|bangalore = Bengaluru; IN; Karnataka
mumbai|bombay = Mumbai; IN; Maharashtra
delhi|new delhi = New Delhi; IN; Delhi
hyderabad = Hyderabad; IN; Telangana
chennai = Chennai; IN; Tamil Nadu
pune = Pune; IN; Maharashtra
gurgaon|gurugram = Gurugram; IN; Haryana
noida = Noida; IN; Uttar Pradesh
singapore = Singapore; SG;
hong kong = Hong Kong; HK;
tokyo = Tokyo; JP;
osaka = Osaka; JP;
seoul = Seoul; KR;
beijing = Beijing; CN;
shanghai = Shanghai; CN;
shenzhen = Shenzhen; CN;
taipei = Taipei; TW;
bangkok = Bangkok; TH;
jakarta = Jakarta; ID;
kuala lumpur = Kuala Lumpur; MY;
manila = Manila; PH;
taguig = Taguig; PH;
ho chi minh city|saigon = Ho Chi Minh City; VN;
hanoi|ha noi = Hanoi; VN;
sydney = Sydney; AU; New South Wales
melbourne = Melbourne; AU; Victoria
brisbane = Brisbane; AU; Queensland
perth = Perth; AU; Western Australia
auckland = Auckland; NZ;
wellington = Wellington; NZ;
"""


def fold(text: str) -> str:
    """Return text folded for lookups: no accents, lower case, punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("ł", "l")
    return " ".join(re.sub(r"[-'’.()_]", " ", stripped.lower()).split())


def _load_cities() -> dict[str, tuple[str, str, str | None]]:
    table: dict[str, tuple[str, str, str | None]] = {}
    for row in _CITY_ROWS.strip().splitlines():
        names, _, value = row.partition(" = ")
        city, country, region = (part.strip() for part in value.split(";"))
        for name in names.split("|"):
            table[fold(name)] = (city, country, region or None)
    return table


CITIES: dict[str, tuple[str, str, str | None]] = _load_cities()

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
